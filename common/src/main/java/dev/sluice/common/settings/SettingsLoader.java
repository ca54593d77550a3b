package dev.sluice.common.settings;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigParseOptions;
import com.typesafe.config.ConfigRenderOptions;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;
import dev.sluice.common.Errors;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Builds the settings tree of a job from its command line.
 *
 * <p>Precedence, highest first: {@code --set key=value} (and job flags such as {@code --source},
 * which are shorthands for a key), {@code -Dsluice.*} JVM properties, the {@code --config} files
 * with a later file winning, environment variables referenced as {@code ${?VAR}}, and {@code
 * reference.conf}; a tree resolved where the job was submitted ({@link SubmittedSettings}) counts
 * as a settings file. The merged tree is validated against {@code reference.conf} (types and
 * unknown keys) before anything else runs.
 */
public final class SettingsLoader {
  public static final String ROOT = "sluice";

  /**
   * Sections whose keys are names chosen by the user, not settings: they are not checked against
   * the reference.
   */
  private static final Set<String> OPEN_SECTIONS =
      Set.of(
          "sluice.dataset.sources",
          "sluice.features.split.by-source",
          "sluice.features.columns",
          "sluice.train.grids");

  private SettingsLoader() {}

  /**
   * Parses {@code args} and returns the validated settings.
   *
   * @param flags job-specific flags mapped to the setting they stand for, e.g. {@code --source ->
   *     sluice.ingest.source}
   */
  public static LoadedSettings load(String[] args, Map<String, String> flags, String usage) {
    List<Config> files = new ArrayList<>();
    Map<String, String> sets = new LinkedHashMap<>();
    for (int i = 0; i < args.length; i++) {
      String arg = args[i];
      Argument argument = Argument.of(arg);
      String name = argument.name();
      String inline = argument.inline();
      if (!name.equals("--config")
          && !name.equals("--set")
          && !name.equals(SubmittedSettings.ARGUMENT)
          && !flags.containsKey(name)) {
        throw Errors.badArgument(arg, "unknown argument", usage);
      }
      String value = inline;
      // A switch flag stands for key=value and takes no value of its own.
      if (flags.containsKey(name) && flags.get(name).contains("=")) {
        if (inline != null) {
          throw Errors.badArgument(arg, "it takes no value", usage);
        }
        String setting = flags.get(name);
        sets.put(
            setting.substring(0, setting.indexOf('=')),
            setting.substring(setting.indexOf('=') + 1));
        continue;
      }
      if (value == null) {
        if (i + 1 >= args.length) {
          throw Errors.badArgument(arg, "a value must follow it", usage);
        }
        value = args[++i];
      }
      if (name.equals("--config")) {
        files.add(parseFile(value));
      } else if (name.equals(SubmittedSettings.ARGUMENT)) {
        files.add(SubmittedSettings.parse(value));
      } else if (name.equals("--set")) {
        int eq = value.indexOf('=');
        if (eq <= 0) {
          throw Errors.badArgument("--set " + value, "expected key=value", usage);
        }
        sets.put(value.substring(0, eq).trim(), value.substring(eq + 1));
      } else {
        sets.put(flags.get(name), value);
      }
    }
    return fromLayers(files, sets);
  }

  /** Merges settings files and overrides onto the reference and validates the result. */
  public static LoadedSettings fromLayers(List<Config> files, Map<String, String> sets) {
    Config reference = ConfigFactory.defaultReference();
    Config merged = ConfigFactory.empty();
    for (Map.Entry<String, String> set : sets.entrySet()) {
      merged = merged.withFallback(parseOverride(set.getKey(), set.getValue(), reference));
    }
    merged = merged.withFallback(ConfigFactory.systemProperties().withOnlyPath(ROOT));
    for (int i = files.size() - 1; i >= 0; i--) {
      merged = merged.withFallback(files.get(i));
    }
    Config resolved;
    try {
      resolved = merged.withFallback(reference).resolve();
    } catch (ConfigException e) {
      throw Errors.unresolvableSettings(e.getMessage(), e);
    }
    validate(resolved, reference);
    return new LoadedSettings(resolved, hash(resolved));
  }

  private static Config parseFile(String path) {
    File file = new File(path);
    if (!file.isFile() || !file.canRead()) {
      throw Errors.missingConfigFile(path);
    }
    try {
      return ConfigFactory.parseFile(file, ConfigParseOptions.defaults().setAllowMissing(false));
    } catch (ConfigException e) {
      throw Errors.unparsableSettingsFile(path, e.getMessage(), e);
    }
  }

  private static Config parseOverride(String key, String value, Config reference) {
    if (reference.hasPath(key)
        && reference.getValue(key).valueType() == ConfigValueType.LIST
        && !value.strip().startsWith("[")) {
      // "a,b" on the command line stands for the list [a, b].
      return ConfigFactory.parseMap(Map.of(key, List.of(value.split("\\s*,\\s*"))));
    }
    try {
      return ConfigFactory.parseString(key + " = " + value);
    } catch (ConfigException e) {
      // Not HOCON syntax (a path with ':' or spaces, say): take the value as a plain string.
      try {
        return ConfigFactory.parseMap(Map.of(key, value));
      } catch (ConfigException inner) {
        throw Errors.badArgument(
            "--set " + key + "=" + value, inner.getMessage(), "--set key=value");
      }
    }
  }

  private static void validate(Config config, Config reference) {
    try {
      config.checkValid(reference, ROOT);
    } catch (ConfigException.ValidationFailed e) {
      ConfigException.ValidationProblem problem = e.problems().iterator().next();
      throw Errors.badSetting(
          problem.path(),
          problem.problem(),
          "Fix the value (see reference.conf for the expected type).");
    }
    if (!config.hasPath(ROOT)) {
      return;
    }
    for (Map.Entry<String, ConfigValue> entry : config.getConfig(ROOT).entrySet()) {
      String path = ROOT + "." + entry.getKey();
      if (OPEN_SECTIONS.stream().anyMatch(open -> path.startsWith(open + "."))) {
        continue;
      }
      if (!reference.hasPathOrNull(path)) {
        throw Errors.unknownSetting(path, closest(path, reference));
      }
    }
  }

  private static String closest(String path, Config reference) {
    String best = "";
    int bestDistance = Integer.MAX_VALUE;
    for (Map.Entry<String, ConfigValue> entry : reference.getConfig(ROOT).entrySet()) {
      String candidate = ROOT + "." + entry.getKey();
      int distance = levenshtein(path, candidate);
      if (distance < bestDistance) {
        bestDistance = distance;
        best = candidate;
      }
    }
    // A suggestion far from what was typed is noise.
    return bestDistance <= Math.max(2, path.length() / 4) ? best : "";
  }

  static int levenshtein(String a, String b) {
    int[] previous = new int[b.length() + 1];
    int[] current = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) {
      previous[j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      current[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
        current[j] =
            Math.min(Math.min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + cost);
      }
      int[] swap = previous;
      previous = current;
      current = swap;
    }
    return previous[b.length()];
  }

  private static String hash(Config config) {
    String canonical =
        config.hasPath(ROOT)
            ? config.getConfig(ROOT).root().render(ConfigRenderOptions.concise().setJson(true))
            : "";
    try {
      MessageDigest digest = MessageDigest.getInstance("SHA-256");
      return HexFormat.of()
          .formatHex(digest.digest(canonical.getBytes(StandardCharsets.UTF_8)))
          .substring(0, 16);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }
}
