package dev.sluice.common.settings;

import static java.util.Objects.requireNonNull;

import com.typesafe.config.Config;
import dev.sluice.common.Errors;
import dev.sluice.common.dataset.DatasetSpec;
import dev.sluice.common.dataset.TaskType;
import dev.sluice.common.features.FeatureSpec;
import dev.sluice.common.features.SplitSpec;
import dev.sluice.common.features.TrainingWindow;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;

/** Everything the features job needs, read and checked before Spark starts. */
public record FeaturesSettings(
    LakehouseSettings lakehouse,
    DatasetSpec dataset,
    FeatureSpec features,
    OptionalLong asOfVersion,
    OptionalLong labelsVersion,
    TrainingWindow window,
    SplitSpec split,
    String snapshotHash,
    String settingsHash) {
  public static final String USAGE =
      "features --config conf/application.conf --config conf/datasets/<name>.conf [--as-of-version N]"
          + " [--labels-version N] [--set key=value]...";
  public static final Map<String, String> FLAGS =
      Map.of(
          "--as-of-version",
          "sluice.features.as-of-version",
          "--labels-version",
          "sluice.features.labels-version");
  private static final double FRACTION_TOLERANCE = 1e-9;

  /** The three split names. */
  public static final List<String> SPLITS = List.of("train", "validation", "test");

  public FeaturesSettings {
    requireNonNull(lakehouse, "lakehouse is null");
    requireNonNull(dataset, "dataset is null");
    requireNonNull(features, "features is null");
    requireNonNull(asOfVersion, "asOfVersion is null");
    requireNonNull(labelsVersion, "labelsVersion is null");
    requireNonNull(window, "window is null");
    requireNonNull(split, "split is null");
    requireNonNull(snapshotHash, "snapshotHash is null");
    requireNonNull(settingsHash, "settingsHash is null");
  }

  public static FeaturesSettings load(String[] args) {
    return from(SettingsLoader.load(args, FLAGS, USAGE));
  }

  public static FeaturesSettings from(LoadedSettings loaded) {
    Config config = loaded.config();
    DatasetSpec dataset = DatasetSpecReader.read(config);
    checkClasses(dataset);
    SettingsReader features =
        SettingsReader.of(config.getConfig(FeatureSpec.PATH), FeatureSpec.PATH);
    return new FeaturesSettings(
        LakehouseSettings.from(config),
        dataset,
        FeatureSpecReader.read(config, dataset),
        version(features, "as-of-version"),
        version(features, "labels-version"),
        new TrainingWindow(
            features.nonNegativeInt("window.batches"), features.nonNegativeInt("window.days")),
        split(config, features.at("split")),
        loaded.hashOf(
            "sluice.dataset",
            FeatureSpec.PATH + ".split",
            FeatureSpec.PATH + ".drop",
            FeatureSpec.PATH + ".window"),
        loaded.hash());
  }

  /** A table version setting: a version (0 or more), or -1 for the latest (empty). */
  private static OptionalLong version(SettingsReader features, String key) {
    long version = features.longValue(key);
    if (version < -1) {
      throw Errors.badSetting(
          features.path(key), "must be a version (0 or more) or -1 for the latest", "Fix it.");
    }
    return version < 0 ? OptionalLong.empty() : OptionalLong.of(version);
  }

  /** A classification task must list its classes: they fix the class indices every model uses. */
  static void checkClasses(DatasetSpec dataset) {
    if (dataset.task() == TaskType.MULTICLASS && dataset.label().classes().size() < 3) {
      throw Errors.badSetting(
          "sluice.dataset.label.classes",
          "a multiclass task needs its classes listed (at least 3), got "
              + dataset.label().classes(),
          "List every class: their order fixes the class indices.");
    }
  }

  /** The data set's split as features assigns it, read from {@code config}'s features section. */
  static SplitSpec split(Config config) {
    SettingsReader features =
        SettingsReader.of(config.getConfig(FeatureSpec.PATH), FeatureSpec.PATH);
    return split(config, features.at("split"));
  }

  /** Reads and checks {@code sluice.features.split}: the fractions, the method, by-source. */
  static SplitSpec split(Config config, SettingsReader split) {
    double train = split.fraction("train");
    double validation = split.fraction("validation");
    double test = split.fraction("test");
    if (Math.abs(train + validation + test - 1.0) > FRACTION_TOLERANCE) {
      throw Errors.badSetting(
          split.path("train"),
          "train + validation + test = " + (train + validation + test) + ", not 1",
          "Make the three fractions add up to 1.");
    }
    if (train == 0) {
      throw Errors.badSetting(
          split.path("train"), "is 0", "Give the train split a share of the rows.");
    }
    Map<String, String> bySource = new LinkedHashMap<>();
    Config sources = config.getConfig(FeatureSpec.PATH + ".split.by-source");
    for (String source : sources.root().keySet()) {
      String target = split.string("by-source." + source);
      if (!SPLITS.contains(target)) {
        throw Errors.badSetting(
            split.path("by-source." + source),
            "'" + target + "' is not a split",
            "Use one of " + SPLITS + ".");
      }
      bySource.put(source, target);
    }
    SplitSpec.Method method = split.oneOf("method", SplitSpec.Method.class);
    if (method == SplitSpec.Method.SOURCE && bySource.isEmpty()) {
      throw Errors.badSetting(
          split.path("by-source"),
          "is empty but method = source",
          "Map at least one source to a split.");
    }
    return new SplitSpec(method, split.longValue("seed"), train, validation, test, bySource);
  }
}
