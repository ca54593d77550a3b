package dev.sluice.common.settings;

import static java.util.Objects.requireNonNull;

import com.typesafe.config.Config;
import dev.sluice.common.Errors;
import dev.sluice.common.dataset.DatasetSpec;
import dev.sluice.common.decide.RetrainRules;
import java.util.Map;
import java.util.OptionalDouble;

/** Everything the decide job needs, read and checked before Spark starts. */
public record DecideSettings(
    LakehouseSettings lakehouse,
    DatasetSpec dataset,
    boolean dryRun,
    RetrainRules.Settings rules,
    String performanceMetric,
    long minLabelledRows,
    String settingsHash) {
  public static final String PATH = "sluice.decide";
  public static final String USAGE =
      "decide --config conf/application.conf --config conf/datasets/<name>.conf [--mode enabled|dry-run]";
  public static final Map<String, String> FLAGS = Map.of("--mode", PATH + ".mode");

  /** Whether the decision may be acted on. */
  public enum Mode {
    ENABLED,
    DRY_RUN
  }

  public DecideSettings {
    requireNonNull(lakehouse, "lakehouse is null");
    requireNonNull(dataset, "dataset is null");
    requireNonNull(rules, "rules is null");
    requireNonNull(performanceMetric, "performanceMetric is null");
    requireNonNull(settingsHash, "settingsHash is null");
  }

  public static DecideSettings load(String[] args) {
    return from(SettingsLoader.load(args, FLAGS, USAGE));
  }

  public static DecideSettings from(LoadedSettings loaded) {
    Config config = loaded.config();
    SettingsReader decide = SettingsReader.of(config.getConfig(PATH), PATH);
    int k = decide.positiveInt("drift.k");
    int n = decide.positiveInt("drift.n");
    if (k > n) {
      throw Errors.badSetting(
          decide.path("drift.k"), "k = " + k + " is above n = " + n, "Use k <= n.");
    }
    double age = decide.number("max-snapshot-age-days");
    long rows = decide.longValue("min-new-rows");
    double cooldown = decide.number("cooldown-hours");
    if (age < 0 || rows < 0 || cooldown < 0) {
      throw Errors.badSetting(
          PATH,
          "max-snapshot-age-days, min-new-rows and cooldown-hours must not be negative",
          "Fix them.");
    }
    SettingsReader performance = decide.at("performance");
    String metric = performance.string("metric");
    if (metric.isEmpty()) {
      metric = TrainSettings.from(loaded).metric();
    }
    long minLabelled = performance.longValue("min-labelled-rows");
    if (minLabelled < 1) {
      throw Errors.badSetting(
          performance.path("min-labelled-rows"), "must be at least 1", "Use e.g. 100.");
    }
    OptionalDouble maxDrop = optionalNumber(config, performance, "max-drop");
    if (maxDrop.isPresent() && maxDrop.getAsDouble() < 0) {
      throw Errors.badSetting(
          performance.path("max-drop"), "must not be negative", "Use e.g. 0.05, or null.");
    }
    return new DecideSettings(
        LakehouseSettings.from(config),
        DatasetSpecReader.read(config),
        decide.oneOf("mode", Mode.class) == Mode.DRY_RUN,
        new RetrainRules.Settings(
            k, n, age, rows, cooldown, optionalNumber(config, performance, "floor"), maxDrop),
        metric,
        minLabelled,
        loaded.hash());
  }

  private static OptionalDouble optionalNumber(Config config, SettingsReader section, String key) {
    return config.getIsNull(section.path(key))
        ? OptionalDouble.empty()
        : OptionalDouble.of(section.number(key));
  }
}
