package dev.sluice.common.settings;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigUtil;
import com.typesafe.config.ConfigValue;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The keys a settings file sets under one section, to check that a test's full file sets every key
 * reference.conf defines there: a key added later without a test then fails that check.
 */
final class SectionKeys {
  /** As the loader reads it. */
  private static final Config REFERENCE = ConfigFactory.defaultReference();

  private SectionKeys() {}

  /**
   * The full paths of the keys under {@code section} in {@code hocon}. A key whose default is null
   * counts; an object that is empty in reference.conf ({@code sources {}}) holds names the user
   * chooses and counts as one key.
   */
  static Set<String> in(String hocon, String section) {
    return under(ConfigFactory.parseString(hocon), section);
  }

  /** The full paths of the keys reference.conf defines under {@code section}. */
  static Set<String> inReference(String section) {
    return under(REFERENCE, section);
  }

  private static Set<String> under(Config config, String section) {
    Set<String> keys = new TreeSet<>();
    collect(
        config.getValue(section), REFERENCE.getValue(section), ConfigUtil.splitPath(section), keys);
    return keys;
  }

  private static void collect(
      ConfigValue value, ConfigValue reference, List<String> path, Set<String> keys) {
    boolean open = reference instanceof ConfigObject object && object.isEmpty();
    if (!(value instanceof ConfigObject object) || object.isEmpty() || open) {
      keys.add(ConfigUtil.joinPath(path));
      return;
    }
    for (Map.Entry<String, ConfigValue> entry : object.entrySet()) {
      List<String> child = new ArrayList<>(path);
      child.add(entry.getKey());
      ConfigValue childReference =
          reference instanceof ConfigObject referenceObject
              ? referenceObject.get(entry.getKey())
              : null;
      collect(entry.getValue(), childReference, child, keys);
    }
  }
}
