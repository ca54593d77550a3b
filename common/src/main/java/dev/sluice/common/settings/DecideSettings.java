package dev.sluice.common.settings;

import static java.util.Objects.requireNonNull;

import com.typesafe.config.Config;
import dev.sluice.common.Errors;
import dev.sluice.common.dataset.DatasetSpec;
import dev.sluice.common.decide.RetrainRules;
import java.util.Map;

/** Everything the decide job needs, read and checked before Spark starts. */
public record DecideSettings(
    LakehouseSettings lakehouse,
    DatasetSpec dataset,
    boolean dryRun,
    RetrainRules.Settings rules,
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
    return new DecideSettings(
        LakehouseSettings.from(config),
        DatasetSpec.from(config),
        decide.oneOf("mode", Mode.class) == Mode.DRY_RUN,
        new RetrainRules.Settings(k, n, age, rows, cooldown),
        loaded.hash());
  }
}
