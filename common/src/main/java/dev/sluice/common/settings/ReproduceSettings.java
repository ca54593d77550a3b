package dev.sluice.common.settings;

import static java.util.Objects.requireNonNull;

import com.typesafe.config.Config;
import dev.sluice.common.Errors;
import dev.sluice.common.dataset.DatasetSpec;
import java.util.Map;
import java.util.OptionalLong;

/** Everything the reproduce job needs, read and checked before Spark starts. */
public record ReproduceSettings(
    LakehouseSettings lakehouse,
    DatasetSpec dataset,
    OptionalLong modelVersion,
    double tolerance,
    String settingsHash) {
  public static final String PATH = "sluice.reproduce";
  public static final String USAGE =
      "reproduce --config conf/application.conf --config conf/datasets/<name>.conf [--model-version N]";
  public static final Map<String, String> FLAGS =
      Map.of("--model-version", PATH + ".model-version");

  public ReproduceSettings {
    requireNonNull(lakehouse, "lakehouse is null");
    requireNonNull(dataset, "dataset is null");
    requireNonNull(modelVersion, "modelVersion is null");
    requireNonNull(settingsHash, "settingsHash is null");
  }

  public static ReproduceSettings load(String[] args) {
    return from(SettingsLoader.load(args, FLAGS, USAGE));
  }

  public static ReproduceSettings from(LoadedSettings loaded) {
    Config config = loaded.config();
    SettingsReader reproduce = SettingsReader.of(config.getConfig(PATH), PATH);
    long version = reproduce.longValue("model-version");
    double tolerance = reproduce.number("tolerance");
    if (tolerance < 0) {
      throw Errors.badSetting(
          reproduce.path("tolerance"), "must not be negative", "Use e.g. 1e-9.");
    }
    return new ReproduceSettings(
        LakehouseSettings.from(config),
        DatasetSpecReader.read(config),
        version < 0 ? OptionalLong.empty() : OptionalLong.of(version),
        tolerance,
        loaded.hash());
  }
}
