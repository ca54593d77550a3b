package dev.sluice.common.settings;

import static java.util.Objects.requireNonNull;

import com.typesafe.config.Config;
import dev.sluice.common.Errors;
import dev.sluice.common.InferErrors;
import dev.sluice.common.dataset.TaskType;
import dev.sluice.common.features.FeatureSpec;
import dev.sluice.common.features.SplitSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Everything {@code infer} needs, read and checked before Spark starts: the file to sample, the
 * label, the data set's name, where to write, and the thresholds of its choices. The split it
 * writes is {@code sluice.features.split} as these settings hold it (reference.conf's unless set).
 */
public record InferSettings(
    String file,
    String label,
    String name,
    Optional<TaskType> task,
    Path output,
    boolean force,
    int sampleRows,
    List<String> nullCandidates,
    int maxIntegerClasses,
    int maxListedValues,
    SplitSpec split) {
  public static final String PATH = "sluice.infer";
  public static final String USAGE =
      "infer FILE --label COLUMN --name NAME [--task binary|multiclass|regression] [--force]"
          + " [--output conf/datasets/NAME.conf] [--sample-rows N] [--set key=value]...";
  public static final Map<String, String> FLAGS =
      Map.of(
          "--file", PATH + ".file",
          "--label", PATH + ".label",
          "--name", PATH + ".name",
          "--task", PATH + ".task",
          "--output", PATH + ".output",
          "--force", PATH + ".force",
          "--sample-rows", PATH + ".sample-rows");

  public InferSettings {
    requireNonNull(file, "file is null");
    requireNonNull(label, "label is null");
    requireNonNull(name, "name is null");
    requireNonNull(task, "task is null");
    requireNonNull(output, "output is null");
    nullCandidates = List.copyOf(nullCandidates);
    requireNonNull(split, "split is null");
  }

  /**
   * Reads the command line: {@code FILE} may stand anywhere a flag's value does not, and {@code
   * --force} needs no value.
   */
  public static InferSettings load(String[] args) {
    List<String> flags = new ArrayList<>();
    boolean fileGiven = false;
    for (int i = 0; i < args.length; i++) {
      String arg = args[i];
      if (arg.equals("--force")) {
        flags.add("--force=true");
      } else if (arg.startsWith("--")) {
        flags.add(arg);
        if (!arg.contains("=") && i + 1 < args.length) {
          flags.add(args[++i]);
        }
      } else if (!fileGiven) {
        flags.add("--file=" + arg);
        fileGiven = true;
      } else {
        throw Errors.badArgument(arg, "only one file is sampled", USAGE);
      }
    }
    return from(SettingsLoader.load(flags.toArray(String[]::new), FLAGS, USAGE));
  }

  public static InferSettings from(LoadedSettings loaded) {
    Config config = loaded.config();
    SettingsReader infer = SettingsReader.of(config.getConfig(PATH), PATH);
    String file = required(infer, "file", "FILE");
    String label = required(infer, "label", "--label");
    String name = required(infer, "name", "--name");
    if (!DatasetSpecReader.isDatasetName(name)) {
      throw Errors.badArgument(
          "--name " + name,
          "a data set's name is lower-case letters, digits and underscores, starting with a"
              + " letter (it names the tables)",
          USAGE);
    }
    Optional<TaskType> task =
        infer.string("task").isEmpty()
            ? Optional.empty()
            : Optional.of(infer.oneOf("task", TaskType.class));
    String outputSetting = infer.string("output");
    Path output =
        Path.of(outputSetting.isEmpty() ? "conf/datasets/" + name + ".conf" : outputSetting);
    boolean force = infer.bool("force");
    if (!force && Files.exists(output)) {
      throw InferErrors.dataSetFileExists(output.toString());
    }
    int maxIntegerClasses = infer.positiveInt("max-integer-classes");
    if (maxIntegerClasses < 3) {
      throw Errors.badSetting(
          infer.path("max-integer-classes"),
          "must be at least 3, was " + maxIntegerClasses,
          "A multiclass task has three classes or more; two is binary.");
    }
    return new InferSettings(
        file,
        label,
        name,
        task,
        output,
        force,
        infer.positiveInt("sample-rows"),
        infer.strings("null-candidates"),
        maxIntegerClasses,
        infer.positiveInt("max-listed-values"),
        FeaturesSettings.split(
            config,
            SettingsReader.of(config.getConfig(FeatureSpec.PATH), FeatureSpec.PATH).at("split")));
  }

  private static String required(SettingsReader infer, String key, String argument) {
    String value = infer.string(key);
    if (value.isEmpty()) {
      throw Errors.badArgument(argument, "it is required", USAGE);
    }
    return value;
  }
}
