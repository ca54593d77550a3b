package dev.sluice.common.settings;

import static java.util.Objects.requireNonNull;

import com.typesafe.config.Config;
import dev.sluice.common.Errors;
import java.util.regex.Pattern;

/** Where the tables live and the database they are registered in. */
public record LakehouseSettings(String root, String database) {
  private static final Pattern DATABASE = Pattern.compile("[a-z][a-z0-9_]*");

  public LakehouseSettings {
    requireNonNull(root, "root is null");
    requireNonNull(database, "database is null");
  }

  public static LakehouseSettings from(Config config) {
    SettingsReader settings =
        SettingsReader.of(config.getConfig("sluice.lakehouse"), "sluice.lakehouse");
    String database = settings.nonEmptyString("database");
    if (!DATABASE.matcher(database).matches()) {
      throw Errors.badSetting(
          settings.path("database"),
          "'" + database + "' is not a valid database name",
          "Use lower-case letters, digits and underscores.");
    }
    return new LakehouseSettings(settings.nonEmptyString("root"), database);
  }
}
