package dev.sluice.common.settings;

import static java.util.Objects.requireNonNull;

import com.typesafe.config.Config;
import dev.sluice.common.Errors;
import dev.sluice.common.dataset.DatasetSpec;
import dev.sluice.common.features.SplitSpec;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;

/**
 * Everything the score job needs, read and checked before Spark starts. {@code pending} is whether
 * the run scores the pending batches: asked for, or no filter is set and {@code all} is not.
 */
public record ScoreSettings(
    LakehouseSettings lakehouse,
    DatasetSpec dataset,
    OptionalLong modelVersion,
    OptionalLong inputVersion,
    String batchId,
    String source,
    String split,
    SplitSpec splitSpec,
    List<String> files,
    boolean pending,
    String settingsHash) {
  public static final String PATH = "sluice.score";
  public static final String USAGE =
      "score --config conf/application.conf --config conf/datasets/<name>.conf [--model-version N]"
          + " [--input-version N] [--batch-id ID] [--source NAME] [--split train|validation|test]"
          + " [--files a.csv,b.csv] [--pending | --all] [--set key=value]...";
  public static final Map<String, String> FLAGS =
      Map.of(
          "--model-version", PATH + ".model-version",
          "--input-version", PATH + ".input-version",
          "--batch-id", PATH + ".batch-id",
          "--source", PATH + ".source",
          "--split", PATH + ".split",
          "--files", PATH + ".files",
          "--pending", PATH + ".pending=true",
          "--all", PATH + ".all=true");

  public ScoreSettings {
    requireNonNull(lakehouse, "lakehouse is null");
    requireNonNull(dataset, "dataset is null");
    requireNonNull(modelVersion, "modelVersion is null");
    requireNonNull(inputVersion, "inputVersion is null");
    requireNonNull(batchId, "batchId is null");
    requireNonNull(source, "source is null");
    requireNonNull(split, "split is null");
    requireNonNull(splitSpec, "splitSpec is null");
    files = List.copyOf(files);
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
    DatasetSpec dataset = DatasetSpecReader.read(config);
    String split = score.string("split");
    if (!split.isEmpty() && !FeaturesSettings.SPLITS.contains(split)) {
      throw Errors.badSetting(
          score.path("split"),
          "'" + split + "' is not a split",
          "Use one of " + FeaturesSettings.SPLITS + ", or leave it empty to score every row.");
    }
    Map<String, Boolean> filters = new LinkedHashMap<>();
    for (String filter : List.of("batch-id", "source", "split")) {
      filters.put(filter, !score.string(filter).isEmpty());
    }
    filters.put("files", !score.strings("files").isEmpty());
    List<String> set = filters.keySet().stream().filter(filters::get).map(score::path).toList();
    boolean all = score.bool("all");
    boolean pending = score.bool("pending");
    if (pending && (all || !set.isEmpty())) {
      throw Errors.badSetting(
          score.path("pending"),
          "is true and "
              + (all ? score.path("all") + " is true" : String.join(", ", set) + " is set"),
          "Score the pending batches alone (--pending), the rows a filter selects, or every row"
              + " (--all).");
    }
    if (all && !set.isEmpty()) {
      throw Errors.badSetting(
          score.path("all"),
          "is true and " + String.join(", ", set) + " is set",
          "Score every row (--all) or the rows a filter selects.");
    }
    return new ScoreSettings(
        LakehouseSettings.from(config),
        dataset,
        model < 0 ? OptionalLong.empty() : OptionalLong.of(model),
        input < 0 ? OptionalLong.empty() : OptionalLong.of(input),
        score.string("batch-id"),
        score.string("source"),
        split,
        FeaturesSettings.split(config),
        score.strings("files"),
        pending || (set.isEmpty() && !all),
        loaded.hash());
  }
}
