package dev.sluice.common.settings;

import static java.util.Objects.requireNonNull;

import com.typesafe.config.Config;
import dev.sluice.common.Errors;
import java.util.List;
import java.util.Map;

/** Everything the maintain job needs, read and checked before Spark starts. */
public record MaintainSettings(
    LakehouseSettings lakehouse,
    boolean compact,
    double retentionHours,
    List<String> tables,
    String settingsHash) {
  public static final String PATH = "sluice.maintain";
  public static final String USAGE =
      "maintain --config conf/application.conf [--retention-hours H] [--tables a,b]"
          + " [--set key=value]...";
  public static final Map<String, String> FLAGS =
      Map.of("--retention-hours", PATH + ".retention-hours", "--tables", PATH + ".tables");

  public MaintainSettings {
    requireNonNull(lakehouse, "lakehouse is null");
    tables = List.copyOf(tables);
    requireNonNull(settingsHash, "settingsHash is null");
  }

  public static MaintainSettings load(String[] args) {
    return from(SettingsLoader.load(args, FLAGS, USAGE));
  }

  public static MaintainSettings from(LoadedSettings loaded) {
    Config config = loaded.config();
    SettingsReader maintain = SettingsReader.of(config.getConfig(PATH), PATH);
    double retention = maintain.number("retention-hours");
    if (!(retention >= 0)) {
      throw Errors.badSetting(
          maintain.path("retention-hours"),
          "must be 0 or more, was " + retention,
          "Use the hours of history to keep, e.g. 168 (a week).");
    }
    return new MaintainSettings(
        LakehouseSettings.from(config),
        maintain.bool("compact"),
        retention,
        maintain.strings("tables"),
        loaded.hash());
  }
}
