package dev.sluice.common.settings;

import static java.util.Objects.requireNonNull;

import com.typesafe.config.Config;
import dev.sluice.common.dataset.DatasetSpec;
import java.util.Map;
import java.util.OptionalLong;

/** Everything the score job needs, read and checked before Spark starts. */
public record ScoreSettings(
    LakehouseSettings lakehouse,
    DatasetSpec dataset,
    OptionalLong modelVersion,
    OptionalLong inputVersion,
    String batchId,
    String source,
    java.util.List<String> files,
    String settingsHash) {
  public static final String PATH = "sluice.score";
  public static final String USAGE =
      "score --config conf/application.conf --config conf/datasets/<name>.conf [--model-version N]"
          + " [--input-version N] [--batch-id ID] [--source NAME] [--files a.csv,b.csv] [--set key=value]...";
  public static final Map<String, String> FLAGS =
      Map.of(
          "--model-version", PATH + ".model-version",
          "--input-version", PATH + ".input-version",
          "--batch-id", PATH + ".batch-id",
          "--source", PATH + ".source",
          "--files", PATH + ".files");

  public ScoreSettings {
    requireNonNull(lakehouse, "lakehouse is null");
    requireNonNull(dataset, "dataset is null");
    requireNonNull(modelVersion, "modelVersion is null");
    requireNonNull(inputVersion, "inputVersion is null");
    requireNonNull(batchId, "batchId is null");
    requireNonNull(source, "source is null");
    files = java.util.List.copyOf(files);
    requireNonNull(settingsHash, "settingsHash is null");
  }

  public static ScoreSettings load(String[] args) {
    return from(SettingsLoader.load(args, FLAGS, USAGE));
  }

  public static ScoreSettings from(LoadedSettings loaded) {
    Config config = loaded.config();
    SettingsReader score = SettingsReader.of(config.getConfig(PATH), PATH);
    long model = score.longValue("model-version");
    long input = score.longValue("input-version");
    return new ScoreSettings(
        LakehouseSettings.from(config),
        DatasetSpecReader.read(config),
        model < 0 ? OptionalLong.empty() : OptionalLong.of(model),
        input < 0 ? OptionalLong.empty() : OptionalLong.of(input),
        score.string("batch-id"),
        score.string("source"),
        score.strings("files"),
        loaded.hash());
  }
}
