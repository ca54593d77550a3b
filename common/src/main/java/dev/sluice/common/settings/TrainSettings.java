package dev.sluice.common.settings;

import static java.util.Objects.requireNonNull;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigValue;
import dev.sluice.common.Errors;
import dev.sluice.common.dataset.DatasetSpec;
import dev.sluice.common.dataset.TaskType;
import dev.sluice.common.features.FeatureSpec;
import dev.sluice.common.train.ClassWeight;
import dev.sluice.common.train.Estimators;
import dev.sluice.common.train.Thresholds;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeMap;

/**
 * Everything the train job needs, read and checked (estimators, grids, folds) before Spark starts.
 */
public record TrainSettings(
    LakehouseSettings lakehouse,
    DatasetSpec dataset,
    FeatureSpec features,
    OptionalLong snapshotVersion,
    long seed,
    int folds,
    int parallelism,
    int earlyStoppingRounds,
    SearchSettings search,
    List<EstimatorSettings> estimators,
    String metric,
    Thresholds.Choice decisionThreshold,
    ClassWeight classWeight,
    String sourceCommit,
    int baselineBins,
    int baselineMaxLevels,
    String trainingHash,
    String settingsHash,
    String settingsJson) {
  public static final String PATH = "sluice.train";

  public static final String USAGE =
      "train --config conf/application.conf --config conf/datasets/<name>.conf [--snapshot-version N]"
          + " [--set key=value]...";
  public static final Map<String, String> FLAGS =
      Map.of("--snapshot-version", PATH + ".snapshot-version", "--seed", PATH + ".seed");
  private static final Map<TaskType, List<String>> METRICS =
      Map.of(
          TaskType.BINARY, List.of("areaUnderROC", "areaUnderPR", "accuracy", "f1", "logLoss"),
          TaskType.MULTICLASS, List.of("f1", "accuracy", "macroF1", "logLoss"),
          TaskType.REGRESSION, List.of("rmse", "mae", "r2"));

  /** Metrics of how a model ranks rows by their probability of the positive class. */
  private static final Set<String> RANKING_METRICS = Set.of("areaUnderROC", "areaUnderPR");

  /**
   * One estimator to cross-validate: its name and grid (parameter name to values, in a stable
   * order).
   */
  public record EstimatorSettings(String name, Map<String, List<Object>> grid) {
    public EstimatorSettings {
      requireNonNull(name, "name is null");
      grid = java.util.Collections.unmodifiableMap(new TreeMap<>(grid));
    }
  }

  public TrainSettings {
    requireNonNull(lakehouse, "lakehouse is null");
    requireNonNull(dataset, "dataset is null");
    requireNonNull(features, "features is null");
    requireNonNull(snapshotVersion, "snapshotVersion is null");
    requireNonNull(search, "search is null");
    estimators = List.copyOf(estimators);
    requireNonNull(metric, "metric is null");
    requireNonNull(classWeight, "classWeight is null");
    requireNonNull(sourceCommit, "sourceCommit is null");
    requireNonNull(settingsHash, "settingsHash is null");
    requireNonNull(settingsJson, "settingsJson is null");
  }

  public static TrainSettings load(String[] args) {
    return from(SettingsLoader.load(args, FLAGS, USAGE));
  }

  public static TrainSettings from(LoadedSettings loaded) {
    Config config = loaded.config();
    DatasetSpec dataset = DatasetSpecReader.read(config);
    FeaturesSettings.checkClasses(dataset);
    SettingsReader train = SettingsReader.of(config.getConfig(PATH), PATH);
    long snapshot = train.longValue("snapshot-version");
    if (snapshot < -1) {
      throw Errors.badSetting(
          train.path("snapshot-version"),
          "must be a version (0 or more) or -1 for the latest",
          "Fix it.");
    }
    int folds = train.integer("folds");
    if (folds < 2) {
      throw Errors.badSetting(
          train.path("folds"),
          "must be at least 2 for cross-validation, was " + folds,
          "Use 2 or more.");
    }
    String taskKey = dataset.task().name().toLowerCase(Locale.ROOT);
    List<String> names = train.strings("estimators");
    String namesPath = train.path("estimators");
    if (names.isEmpty()) {
      names = train.strings("estimators-by-task." + taskKey);
      namesPath = train.path("estimators-by-task." + taskKey);
    }
    if (names.isEmpty()) {
      throw Errors.badSetting(
          namesPath, "lists no estimator", "Name at least one of " + Estimators.NAMES + ".");
    }
    List<EstimatorSettings> estimators = new ArrayList<>();
    for (String name : names) {
      var estimator = Estimators.create(name, dataset.task(), 0, namesPath);
      estimators.add(new EstimatorSettings(name, grid(config, estimator, name)));
    }
    // The grids of the estimators not trained are checked too: a mistake in one surfaces now, not
    // on the day it is trained.
    for (String name : Estimators.NAMES) {
      if (!names.contains(name) && Estimators.supports(name, dataset.task())) {
        grid(config, Estimators.template(name, dataset.task(), 0, namesPath), name);
      }
    }
    String metric = train.string("metric");
    List<String> metrics = METRICS.get(dataset.task());
    if (metric.isEmpty()) {
      metric = metrics.get(0);
    } else if (!metrics.contains(metric)) {
      throw Errors.badSetting(
          train.path("metric"),
          "'"
              + metric
              + "' is not a metric of a "
              + taskKey
              + " task"
              + (RANKING_METRICS.contains(metric)
                  ? ": it measures how a model ranks rows by their probability of the positive"
                      + " class, which only a binary task has"
                  : ""),
          "Use one of " + metrics + ".");
    }
    Thresholds.Choice threshold = decisionThreshold(train);
    ClassWeight classWeight = train.oneOf("class-weight", ClassWeight.class);
    if (classWeight == ClassWeight.BALANCED && !dataset.task().isClassification()) {
      throw Errors.badSetting(
          train.path("class-weight"),
          "'balanced' weighs each training row by its class, and a regression task has no classes",
          "Use none.");
    }
    SettingsReader monitor =
        SettingsReader.of(config.getConfig("sluice.monitor"), "sluice.monitor");
    return new TrainSettings(
        LakehouseSettings.from(config),
        dataset,
        FeatureSpecReader.read(config, dataset),
        snapshot < 0 ? OptionalLong.empty() : OptionalLong.of(snapshot),
        train.longValue("seed"),
        folds,
        train.positiveInt("parallelism"),
        earlyStoppingRounds(train),
        SearchSettings.read(train),
        estimators,
        metric,
        threshold,
        classWeight,
        train.string("source-commit"),
        monitor.positiveInt("bins"),
        monitor.positiveInt("max-levels"),
        // What a trained model depends on: data-set spec, features, train settings (not the commit
        // it is recorded with) and the baseline's bins.
        new LoadedSettings(config.withoutPath(PATH + ".source-commit"), loaded.hash())
            .hashOf(
                "sluice.dataset",
                FeatureSpec.PATH,
                PATH,
                "sluice.monitor.bins",
                "sluice.monitor.max-levels"),
        loaded.hash(),
        loaded.json());
  }

  /**
   * The grid of estimator {@code name} (parameter name to values), each parameter and value checked
   * against {@code estimator}: an unknown parameter, an empty list or an invalid value fails with
   * the key's path.
   */
  private static Map<String, List<Object>> grid(
      Config config, org.apache.spark.ml.param.Params estimator, String name) {
    String gridPath = PATH + ".grids." + name;
    Map<String, List<Object>> grid = new LinkedHashMap<>();
    if (config.hasPath(gridPath)) {
      for (Map.Entry<String, ConfigValue> entry : config.getConfig(gridPath).root().entrySet()) {
        Object value = entry.getValue().unwrapped();
        if (!(value instanceof List<?> list)) {
          throw Errors.badSetting(
              gridPath + "." + entry.getKey(),
              "must be a list of values",
              "Write e.g. [0.01, 0.1].");
        }
        grid.put(entry.getKey(), new ArrayList<>(list));
      }
    }
    Estimators.grid(estimator, grid, gridPath);
    return grid;
  }

  /** The metrics computed for every model of the task, named as MLlib's evaluators name them. */
  public List<String> taskMetrics() {
    return METRICS.get(dataset.task());
  }

  /** Rounds without improvement before a boosted fit stops: 0 (never early) or more. */
  private static int earlyStoppingRounds(SettingsReader train) {
    int rounds = train.integer("early-stopping-rounds");
    if (rounds < 0) {
      throw Errors.badSetting(
          train.path("early-stopping-rounds"),
          "must be 0 (boost every round of the grid's numRound) or more, was " + rounds,
          "Use e.g. 20.");
    }
    return rounds;
  }

  /**
   * A binary model's decision threshold: a rule that picks it on the validation split ({@code
   * best-f1}, {@code best-accuracy}) or a probability of the positive class in (0, 1).
   */
  private static Thresholds.Choice decisionThreshold(SettingsReader train) {
    String value = train.string("decision-threshold");
    for (Thresholds.Rule rule : Thresholds.Rule.values()) {
      if (rule != Thresholds.Rule.FIXED && value.equals(rule.setting())) {
        return Thresholds.Choice.best(rule);
      }
    }
    try {
      double threshold = Double.parseDouble(value);
      if (threshold > 0 && threshold < 1) {
        return Thresholds.Choice.fixed(threshold);
      }
    } catch (NumberFormatException e) {
      // Reported below.
    }
    throw Errors.badSetting(
        train.path("decision-threshold"),
        "must be best-f1, best-accuracy or a probability between 0 and 1 (exclusive), was '"
            + value
            + "'",
        "Use best-f1, best-accuracy, or e.g. 0.3 to predict the positive class above a probability"
            + " of 0.3.");
  }
}
