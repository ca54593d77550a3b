package dev.sluice.jobs.train;

import dev.sluice.common.Columns;
import dev.sluice.common.dataset.DatasetSpec;
import dev.sluice.common.dataset.TaskType;
import dev.sluice.common.features.FeaturePipeline;
import dev.sluice.common.features.FeaturePipeline.Encoding;
import dev.sluice.common.features.Snapshots;
import dev.sluice.common.run.Steps;
import dev.sluice.common.settings.TrainSettings;
import dev.sluice.common.settings.TrainSettings.EstimatorSettings;
import dev.sluice.common.train.Candidates;
import dev.sluice.common.train.Estimators;
import dev.sluice.common.train.Metrics;
import dev.sluice.common.train.Refit;
import dev.sluice.common.train.Thresholds;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.ml.Estimator;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.storage.StorageLevel;

/**
 * The search over estimators: each configured estimator's grid is cross-validated on the train
 * split's features, its best parameters refit on the train split and the model evaluated on
 * validation and test. Feature stages are fitted once per encoding and shared by the estimators
 * that use it.
 */
final class EstimatorSearch {
  private final TrainSettings settings;
  private final DatasetSpec spec;
  private final Steps steps;

  EstimatorSearch(TrainSettings settings, Steps steps) {
    this.settings = settings;
    this.spec = settings.dataset();
    this.steps = steps;
  }

  /** Every configured estimator's chosen model, in the settings' order. */
  List<Fitted> fitAll(TrainingSplits splits) {
    Dataset<Row> train = splits.train();
    FeaturePipeline features = new FeaturePipeline(settings.features());
    Map<String, List<String>> levels =
        steps.run("learn categorical levels", () -> features.frequentLevels(train));
    int maxLevels = levels.values().stream().mapToInt(List::size).max().orElse(0);
    Map<Encoding, PipelineModel> featureModels = new EnumMap<>(Encoding.class);
    Map<Encoding, Dataset<Row>> prepared = new EnumMap<>(Encoding.class);
    int classCount = Snapshots.classIndex(spec).size();

    List<Fitted> fitted = new ArrayList<>();
    for (EstimatorSettings estimatorSettings : settings.estimators()) {
      Encoding encoding = Estimators.encoding(estimatorSettings.name());
      PipelineModel featureModel =
          featureModels.computeIfAbsent(
              encoding, e -> steps.run("fit features " + e, () -> features.fit(train, e, levels)));
      Dataset<Row> ready =
          prepared.computeIfAbsent(
              encoding,
              e ->
                  featureModel
                      .transform(train)
                      .select(
                          Columns.ROW_ID,
                          settings.classWeight().columns(Columns.FEATURES, Columns.TARGET))
                      .persist(StorageLevel.MEMORY_AND_DISK()));
      fitted.add(
          steps.run(
              "cross-validate " + estimatorSettings.name(),
              () -> fit(estimatorSettings, featureModel, ready, splits, maxLevels, classCount)));
    }
    prepared.values().forEach(Dataset::unpersist);
    return fitted;
  }

  /**
   * The model to register: the best on the validation split, or by cross-validation when that split
   * is empty; the first of equals.
   */
  Fitted best(List<Fitted> fitted) {
    Fitted best = fitted.get(0);
    boolean larger = Metrics.largerIsBetter(settings.metric());
    for (Fitted candidate : fitted) {
      double value = selection(candidate);
      if (larger ? value > selection(best) : value < selection(best)) {
        best = candidate;
      }
    }
    return best;
  }

  private double selection(Fitted fitted) {
    return fitted.validation().isEmpty()
        ? fitted.cvMetric()
        : fitted.validation().get(settings.metric());
  }

  @SuppressWarnings({"rawtypes", "unchecked"})
  private Fitted fit(
      EstimatorSettings estimatorSettings,
      PipelineModel featureModel,
      Dataset<Row> prepared,
      TrainingSplits splits,
      int maxLevels,
      int classCount) {
    String path = TrainSettings.PATH + ".estimators";
    Estimator estimator =
        Estimators.create(estimatorSettings.name(), spec.task(), settings.seed(), path);
    Estimators.prepare(estimator, estimatorSettings.name(), maxLevels, classCount, prepared);
    settings.classWeight().configure(estimator);
    ParamMap[] grid =
        Estimators.widenBins(
            estimator,
            Estimators.grid(
                estimator,
                estimatorSettings.grid(),
                TrainSettings.PATH + ".grids." + estimatorSettings.name()),
            maxLevels);
    CrossValidation.Outcome cv =
        new CrossValidation(
                spec.task(),
                settings.metric(),
                classCount,
                settings.folds(),
                settings.seed(),
                Estimators.parallelism(estimatorSettings.name(), settings.parallelism()),
                settings.earlyStoppingRounds(),
                settings.search().maxSeconds())
            .run(
                estimator,
                grid,
                Candidates.of(grid.length, settings.search(), settings.seed()),
                prepared);
    ParamMap chosen = grid[cv.bestIndex()];
    // Rounds learned by the folds replace the grid's cap, and are recorded with the model.
    ParamMap bestParams =
        cv.learnedRounds().isPresent()
            ? Estimators.withRounds(estimator, chosen, cv.learnedRounds().getAsInt())
            : chosen;
    long start = System.nanoTime();
    PipelineModel model = Refit.pipeline(featureModel, estimator, bestParams, splits.train());
    double fitSeconds = (System.nanoTime() - start) / 1e9;
    if (spec.task() == TaskType.BINARY && estimator.hasParam(Thresholds.PARAM)) {
      // The threshold is a parameter of the model like the others: recorded with them, and set
      // again by a refit from the recorded parameters (reproduce).
      double threshold = threshold(model, splits.validation());
      Thresholds.apply(model, threshold);
      bestParams =
          bestParams.copy().put(estimator.getParam(Thresholds.PARAM), Thresholds.binary(threshold));
    }
    Map<String, Double> validationMetrics = evaluate(model, splits.validation(), classCount);
    Map<String, Double> testMetrics = evaluate(model, splits.test(), classCount);
    return new Fitted(
        estimatorSettings,
        bestParams,
        cv.bestIndex(),
        cv,
        model,
        validationMetrics,
        testMetrics,
        fitSeconds);
  }

  /** The threshold the settings fix, or their rule picks on the validation rows (0.5 if none). */
  private double threshold(PipelineModel model, Dataset<Row> validation) {
    if (settings.decisionThreshold().rule() == Thresholds.Rule.FIXED) {
      return settings.decisionThreshold().fixed();
    }
    Dataset<Row> predictions = model.transform(validation).persist(StorageLevel.MEMORY_AND_DISK());
    try {
      return Thresholds.choose(settings.decisionThreshold(), predictions);
    } finally {
      predictions.unpersist();
    }
  }

  /** The task's metrics of {@code model} on {@code rows}; none when there are no rows. */
  private Map<String, Double> evaluate(PipelineModel model, Dataset<Row> rows, int classCount) {
    Dataset<Row> predictions = model.transform(rows).persist(StorageLevel.MEMORY_AND_DISK());
    try {
      if (predictions.isEmpty()) {
        return Map.of();
      }
      return Metrics.evaluate(spec.task(), predictions, settings.taskMetrics(), classCount);
    } finally {
      predictions.unpersist();
    }
  }
}
