package dev.sluice.common.settings;

import static java.util.Objects.requireNonNull;

import com.typesafe.config.Config;
import dev.sluice.common.dataset.DatasetSpec;
import java.util.Map;
import java.util.OptionalLong;

/** Everything the monitor job needs, read and checked before Spark starts. */
public record MonitorSettings(
    LakehouseSettings lakehouse,
    DatasetSpec dataset,
    OptionalLong modelVersion,
    double psiThreshold,
    String settingsHash) {
  public static final String PATH = "sluice.monitor";
  public static final String USAGE =
      "monitor --config conf/application.conf --config conf/datasets/<name>.conf [--model-version N]";
  public static final Map<String, String> FLAGS =
      Map.of("--model-version", PATH + ".model-version");

  public MonitorSettings {
    requireNonNull(lakehouse, "lakehouse is null");
    requireNonNull(dataset, "dataset is null");
    requireNonNull(modelVersion, "modelVersion is null");
    requireNonNull(settingsHash, "settingsHash is null");
  }

  public static MonitorSettings load(String[] args) {
    return from(SettingsLoader.load(args, FLAGS, USAGE));
  }

  public static MonitorSettings from(LoadedSettings loaded) {
    Config config = loaded.config();
    SettingsReader monitor = SettingsReader.of(config.getConfig(PATH), PATH);
    long version = monitor.longValue("model-version");
    double threshold = monitor.number("psi-threshold");
    if (threshold <= 0) {
      throw dev.sluice.common.Errors.badSetting(
          monitor.path("psi-threshold"), "must be above 0", "Use e.g. 0.2.");
    }
    return new MonitorSettings(
        LakehouseSettings.from(config),
        DatasetSpec.from(config),
        version < 0 ? OptionalLong.empty() : OptionalLong.of(version),
        threshold,
        loaded.hash());
  }
}
