package dev.sluice.common.settings;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigValueType;
import dev.sluice.common.Errors;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;

/**
 * Typed reads of a settings tree that turn every problem into an error naming the key's full path.
 */
public final class SettingsReader {
  private final Config config;
  private final String prefix;

  public SettingsReader(Config config) {
    this(config, "");
  }

  private SettingsReader(Config config, String prefix) {
    this.config = config;
    this.prefix = prefix;
  }

  /** A reader of a sub-tree whose errors still name full paths. */
  public SettingsReader at(String path) {
    return new SettingsReader(read(path, () -> config.getConfig(path)), prefix + path + ".");
  }

  public static SettingsReader of(Config config, String pathOfConfig) {
    return new SettingsReader(config, pathOfConfig.isEmpty() ? "" : pathOfConfig + ".");
  }

  public boolean has(String path) {
    return config.hasPath(path);
  }

  public String path(String key) {
    return prefix + key;
  }

  public String string(String path) {
    return read(path, () -> config.getString(path));
  }

  public String nonEmptyString(String path) {
    String value = string(path);
    if (value.isEmpty()) {
      throw Errors.badSetting(path(path), "it is empty", "Give it a value.");
    }
    return value;
  }

  public boolean bool(String path) {
    return read(path, () -> config.getBoolean(path));
  }

  public int integer(String path) {
    return read(path, () -> config.getInt(path));
  }

  public int positiveInt(String path) {
    int value = integer(path);
    if (value <= 0) {
      throw Errors.badSetting(
          path(path), "must be positive, was " + value, "Use a value of 1 or more.");
    }
    return value;
  }

  public int nonNegativeInt(String path) {
    int value = integer(path);
    if (value < 0) {
      throw Errors.badSetting(
          path(path), "must be 0 or more, was " + value, "Use 0 (no limit) or a positive value.");
    }
    return value;
  }

  public long longValue(String path) {
    return read(path, () -> config.getLong(path));
  }

  public double number(String path) {
    return read(path, () -> config.getDouble(path));
  }

  /** A number in [0, 1]. */
  public double fraction(String path) {
    double value = number(path);
    if (!(value >= 0.0 && value <= 1.0)) {
      throw Errors.badSetting(
          path(path), "must be a fraction between 0 and 1, was " + value, "Use a value in [0, 1].");
    }
    return value;
  }

  public List<String> strings(String path) {
    if (has(path) && config.getValue(path).valueType() == ConfigValueType.STRING) {
      // A comma-separated string is accepted where a list is expected (handy on the command line).
      return List.of(config.getString(path).split("\\s*,\\s*"));
    }
    return List.copyOf(read(path, () -> config.getStringList(path)));
  }

  public List<Double> numbers(String path) {
    return List.copyOf(read(path, () -> config.getDoubleList(path)));
  }

  public List<? extends Config> objects(String path) {
    return read(path, () -> config.getConfigList(path));
  }

  public <E extends Enum<E>> E oneOf(String path, Class<E> type) {
    String value = string(path);
    try {
      return Enum.valueOf(type, value.toUpperCase(Locale.ROOT).replace('-', '_'));
    } catch (IllegalArgumentException e) {
      List<String> allowed =
          java.util.Arrays.stream(type.getEnumConstants())
              .map(c -> c.name().toLowerCase(Locale.ROOT).replace('_', '-'))
              .toList();
      throw Errors.badSetting(
          path(path), "'" + value + "' is not one of " + allowed, "Use one of " + allowed + ".");
    }
  }

  private <T> T read(String path, Supplier<T> reader) {
    try {
      return reader.get();
    } catch (ConfigException.Missing e) {
      throw Errors.missingSetting(path(path), "Set it in your settings or data-set file.");
    } catch (ConfigException.WrongType e) {
      throw Errors.badSetting(path(path), e.getMessage(), "Fix its type (see reference.conf).");
    } catch (ConfigException.BadValue e) {
      throw Errors.badSetting(path(path), e.getMessage(), "Fix its value.");
    }
  }
}
