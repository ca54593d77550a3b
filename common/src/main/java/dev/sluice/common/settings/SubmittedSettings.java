package dev.sluice.common.settings;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigRenderOptions;
import com.typesafe.config.ConfigUtil;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueFactory;
import com.typesafe.config.ConfigValueType;
import dev.sluice.common.Errors;
import dev.sluice.common.SluiceException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * A job's command line made fit for a driver that runs on another host ({@code spark-submit
 * --deploy-mode cluster}), where the submitter's files and working directory are not: the settings
 * the {@code --config} files and {@code --set} values name are resolved where the job is submitted
 * (with the environment variables they reference and {@code reference.conf}) and validated there,
 * every relative path of a path setting is made absolute against the submitter's working directory,
 * and the whole tree travels as one {@value #ARGUMENT} argument, which {@link SettingsLoader} reads
 * as it reads a settings file. A job's other arguments pass through; a relative path given to
 * {@code --files} is made absolute too.
 */
public final class SubmittedSettings {
  /** The argument that carries a resolved settings tree (JSON, Base64-encoded). */
  public static final String ARGUMENT = "--resolved-settings";

  /** Settings whose value is one path. */
  private static final List<String> PATHS =
      List.of("sluice.lakehouse.root", "sluice.dataset.landing");

  /** Settings whose value is a list of paths (or globs). */
  private static final List<String> PATH_LISTS =
      List.of("sluice.ingest.files", "sluice.score.files");

  /** The section of named lists of source files. */
  private static final String SOURCES = "sluice.dataset.sources";

  /** A value with a URI scheme (hdfs://, s3a://, file:) is not relative. */
  private static final Pattern SCHEME = Pattern.compile("^[A-Za-z][A-Za-z0-9+.-]*:.*");

  private static final String USAGE =
      "SubmittedSettings [--config FILE]... [--set key=value]... [job arguments...]";

  private SubmittedSettings() {}

  /**
   * Prints the rewritten arguments, each ended by a NUL character (for the shell's {@code mapfile
   * -d ''}); a bad setting prints its message and exits 2, as a job does.
   */
  public static void main(String[] args) {
    PrintStream out = System.out;
    try {
      for (String arg : rewrite(List.of(args), Path.of("").toAbsolutePath())) {
        out.print(arg);
        out.print('\0');
      }
      out.flush();
    } catch (SluiceException e) {
      System.err.println("sluice: " + e.getMessage());
      System.exit(2);
    }
  }

  /** {@code args} with their settings resolved into one {@value #ARGUMENT} argument. */
  public static List<String> rewrite(List<String> args, Path workingDirectory) {
    List<String> settings = new ArrayList<>();
    List<String> rest = new ArrayList<>();
    for (int i = 0; i < args.size(); i++) {
      String arg = args.get(i);
      Argument argument = Argument.of(arg);
      String name = argument.name();
      boolean inline = argument.hasInline();
      boolean takesValue = !inline && i + 1 < args.size();
      if (name.equals("--config") || name.equals("--set") || name.equals(ARGUMENT)) {
        settings.add(arg);
        if (takesValue) {
          settings.add(args.get(++i));
        }
      } else if (name.equals("--files") && (inline || takesValue)) {
        String files = inline ? argument.inline() : args.get(++i);
        rest.add(name);
        rest.add(String.join(",", absolute(List.of(files.split(",")), workingDirectory)));
      } else {
        rest.add(arg);
      }
    }
    Config resolved =
        SettingsLoader.load(settings.toArray(String[]::new), Map.of(), USAGE).config();
    Config tree = absolutePaths(resolved.withOnlyPath(SettingsLoader.ROOT), workingDirectory);
    String json = tree.root().render(ConfigRenderOptions.concise().setJson(true));
    List<String> rewritten = new ArrayList<>();
    rewritten.add(ARGUMENT);
    rewritten.add(Base64.getEncoder().encodeToString(json.getBytes(StandardCharsets.UTF_8)));
    rewritten.addAll(rest);
    return rewritten;
  }

  /** The settings tree a {@value #ARGUMENT} value carries. */
  static Config parse(String value) {
    byte[] json;
    try {
      json = Base64.getDecoder().decode(value);
    } catch (IllegalArgumentException e) {
      throw Errors.badArgument(ARGUMENT + " …", "not Base64 (" + e.getMessage() + ")", USAGE);
    }
    return ConfigFactory.parseString(new String(json, StandardCharsets.UTF_8));
  }

  private static Config absolutePaths(Config tree, Path workingDirectory) {
    Config result = tree;
    for (String path : PATHS) {
      if (result.hasPath(path) && result.getValue(path).valueType() == ConfigValueType.STRING) {
        result =
            result.withValue(
                path,
                ConfigValueFactory.fromAnyRef(absolute(result.getString(path), workingDirectory)));
      }
    }
    List<String> lists = new ArrayList<>(PATH_LISTS);
    if (result.hasPath(SOURCES)) {
      for (Map.Entry<String, ConfigValue> source : result.getConfig(SOURCES).root().entrySet()) {
        lists.add(SOURCES + "." + ConfigUtil.quoteString(source.getKey()));
      }
    }
    for (String path : lists) {
      if (result.hasPath(path) && result.getValue(path).valueType() == ConfigValueType.LIST) {
        result =
            result.withValue(
                path,
                ConfigValueFactory.fromIterable(
                    absolute(result.getStringList(path), workingDirectory)));
      }
    }
    return result;
  }

  private static List<String> absolute(List<String> paths, Path workingDirectory) {
    return paths.stream().map(path -> absolute(path, workingDirectory)).toList();
  }

  /** A relative local path resolved against {@code workingDirectory}; anything else as it is. */
  static String absolute(String path, Path workingDirectory) {
    String trimmed = path.strip();
    if (trimmed.isEmpty() || trimmed.startsWith("/") || SCHEME.matcher(trimmed).matches()) {
      return path;
    }
    return workingDirectory.resolve(trimmed).normalize().toString();
  }
}
