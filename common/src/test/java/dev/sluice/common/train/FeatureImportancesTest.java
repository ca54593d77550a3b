package dev.sluice.common.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.sluice.common.Columns;
import dev.sluice.common.dataset.TaskType;
import dev.sluice.common.features.FeaturePipeline;
import dev.sluice.common.features.FeaturePipeline.Encoding;
import dev.sluice.common.features.FeatureSpec;
import dev.sluice.common.features.FeatureSpec.CategoricalFeature;
import dev.sluice.common.features.FeatureSpec.Impute;
import dev.sluice.common.features.FeatureSpec.NumericFeature;
import dev.sluice.common.features.FeatureSpec.Transform;
import dev.sluice.common.table.FeatureImportanceTable;
import dev.sluice.common.testing.SparkTestBase;
import dev.sluice.common.train.FeatureImportances.Feature;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.DoubleUnaryOperator;
import org.apache.spark.ml.Estimator;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.regression.LinearRegressionModel;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

/**
 * Each estimator Sluice trains, fitted on a small seeded set where only x matters: x is an integer
 * in [-3, 3] other than 0, z a standard normal and c a level of three, both unrelated to the
 * target. A target that is x's sign is split exactly at 0, so a tree model of stumps splits on x
 * alone (each boosting round's residuals again differ only by x's sign) and x's share is exactly 1;
 * the others tie at 0 and rank in name order.
 */
class FeatureImportancesTest extends SparkTestBase {
  private static final int ROWS = 200;
  private static final long SEED = 5;

  private static final StructType SCHEMA =
      new StructType()
          .add("x", DataTypes.DoubleType)
          .add("z", DataTypes.DoubleType)
          .add("c", DataTypes.StringType)
          .add(Columns.TARGET, DataTypes.DoubleType);

  /** Numeric columns standardised, as linear models see them by default. */
  private static final FeatureSpec SPEC =
      new FeatureSpec(
          List.of(
              new NumericFeature("x", Impute.MEDIAN, true, Transform.NONE, 10),
              new NumericFeature("z", Impute.MEDIAN, true, Transform.NONE, 10)),
          List.of(new CategoricalFeature("c", 1)));

  private static final DoubleUnaryOperator SIGN = x -> x > 0 ? 1 : 0;

  /** The seeded rows with the target {@code target(x, noise)}; noise is a standard normal. */
  private static Dataset<Row> rows(Target target) {
    Random random = new Random(SEED);
    List<Row> rows = new ArrayList<>();
    String[] levels = {"a", "b", "c"};
    for (int i = 0; i < ROWS; i++) {
      int x = random.nextInt(6) - 3;
      double value = x >= 0 ? x + 1 : x;
      rows.add(
          RowFactory.create(
              value,
              random.nextGaussian(),
              levels[random.nextInt(levels.length)],
              target.of(value, random.nextGaussian())));
    }
    return spark.createDataFrame(rows, SCHEMA);
  }

  @FunctionalInterface
  private interface Target {
    double of(double x, double noise);
  }

  /**
   * The feature stages of each encoding, fitted once: every target comes with the same x, z and c,
   * drawn before its noise.
   */
  private static final Map<Encoding, PipelineModel> FEATURE_MODELS = new EnumMap<>(Encoding.class);

  private static PipelineModel featureModel(Encoding encoding, Dataset<Row> train) {
    return FEATURE_MODELS.computeIfAbsent(
        encoding,
        e -> {
          FeaturePipeline features = new FeaturePipeline(SPEC);
          return features.fit(train, e, features.frequentLevels(train));
        });
  }

  /** Sluice's refit of {@code estimator} with {@code grid}'s one parameter map on {@code train}. */
  @SuppressWarnings("rawtypes")
  private static PipelineModel fit(
      String estimator, TaskType task, Map<String, List<Object>> grid, Dataset<Row> train) {
    PipelineModel featureModel = featureModel(Estimators.encoding(estimator), train);
    Estimator created = Estimators.create(estimator, task, SEED, "test");
    int classes = task == TaskType.MULTICLASS ? 3 : 2;
    Estimators.prepare(created, estimator, 3, classes, featureModel.transform(train));
    ParamMap params = Estimators.grid(created, grid, "test")[0];
    return Refit.pipeline(featureModel, created, params, train);
  }

  private static List<String> names(FeatureImportances importances) {
    return importances.features().stream().map(Feature::name).toList();
  }

  private static double sum(FeatureImportances importances) {
    return importances.features().stream().mapToDouble(Feature::importance).sum();
  }

  /** x's share is exactly 1, z's and c's 0: ranked x, then c and z in name order. */
  private static void assertXAlone(FeatureImportances importances, String kind) {
    assertThat(importances.kind()).isEqualTo(kind);
    assertThat(importances.features())
        .containsExactly(
            new Feature("x", 1.0, 1), new Feature("c", 0.0, 2), new Feature("z", 0.0, 3));
  }

  @Test
  void aRandomForestStumpSplitsOnXAlone() {
    Dataset<Row> train = rows((x, noise) -> SIGN.applyAsDouble(x));
    PipelineModel model =
        fit(
            Estimators.RANDOM_FOREST,
            TaskType.BINARY,
            Map.of(
                "numTrees", List.of(1),
                "maxDepth", List.of(1),
                "bootstrap", List.of(false),
                "featureSubsetStrategy", List.of("all")),
            train);
    assertXAlone(FeatureImportances.of(model, train, SPEC), FeatureImportanceTable.IMPURITY);
  }

  @Test
  void gbtStumpsSplitOnXAlone() {
    Dataset<Row> train = rows((x, noise) -> SIGN.applyAsDouble(x));
    PipelineModel model =
        fit(
            Estimators.GBT,
            TaskType.BINARY,
            Map.of("maxIter", List.of(2), "maxDepth", List.of(1)),
            train);
    assertXAlone(FeatureImportances.of(model, train, SPEC), FeatureImportanceTable.IMPURITY);
  }

  @Test
  void xgboostStumpsGainOnXAlone() {
    Dataset<Row> train = rows((x, noise) -> SIGN.applyAsDouble(x));
    PipelineModel model =
        fit(
            Estimators.XGBOOST,
            TaskType.BINARY,
            Map.of("numRound", List.of(3), "max_depth", List.of(1)),
            train);
    assertXAlone(FeatureImportances.of(model, train, SPEC), FeatureImportanceTable.GAIN);
  }

  /**
   * y = 1 - 2x exactly: the least-squares fit puts (almost) every coefficient's weight on x, and
   * c's one-hot levels add up to one row. Reading the coefficients leaves the model's own negative
   * coefficient of x as it was.
   */
  @Test
  void aLinearRegressionOfXWeighsXAlmostAlone() {
    Dataset<Row> train = rows((x, noise) -> 1 - 2 * x);
    PipelineModel model =
        fit(
            Estimators.LINEAR_REGRESSION,
            TaskType.REGRESSION,
            Map.of("regParam", List.of(0.0)),
            train);
    FeatureImportances importances = FeatureImportances.of(model, train, SPEC);
    assertThat(importances.kind()).isEqualTo(FeatureImportanceTable.COEFFICIENT);
    assertThat(importances.features().get(0).name()).isEqualTo("x");
    assertThat(importances.features().get(0).importance()).isCloseTo(1.0, within(1e-6));
    assertThat(names(importances)).containsExactlyInAnyOrder("x", "z", "c");
    assertThat(sum(importances)).isCloseTo(1.0, within(1e-12));
    LinearRegressionModel linear =
        (LinearRegressionModel) model.stages()[model.stages().length - 1];
    assertThat(linear.coefficients().apply(0)).isNegative();
  }

  /**
   * A noisy sign of x, binary and by thirds of x: x ranks first, and a multinomial model's
   * coefficients of every class add up to one row per column.
   */
  @Test
  void logisticRegressionsRankXFirst() {
    Map<String, List<Object>> grid = Map.of("regParam", List.of(0.01));
    Dataset<Row> binary = rows((x, noise) -> SIGN.applyAsDouble(x + noise));
    Dataset<Row> thirds = rows((x, noise) -> x + noise < -1.5 ? 0 : x + noise < 1.5 ? 1 : 2);
    for (FeatureImportances importances :
        List.of(
            FeatureImportances.of(
                fit(Estimators.LOGISTIC_REGRESSION, TaskType.BINARY, grid, binary), binary, SPEC),
            FeatureImportances.of(
                fit(Estimators.LOGISTIC_REGRESSION, TaskType.MULTICLASS, grid, thirds),
                thirds,
                SPEC))) {
      assertThat(importances.kind()).isEqualTo(FeatureImportanceTable.COEFFICIENT);
      assertThat(names(importances)).hasSize(3).startsWith("x").contains("z", "c");
      assertThat(importances.features()).extracting(Feature::rank).containsExactly(1, 2, 3);
      assertThat(sum(importances)).isCloseTo(1.0, within(1e-12));
    }
  }

  @Test
  void aModelSluiceDoesNotTrainHasNoImportances() {
    Dataset<Row> train = rows((x, noise) -> SIGN.applyAsDouble(x));
    // The feature stages alone: their last stage is the assembler, no model.
    PipelineModel assembled = featureModel(Encoding.INDEXED, train);
    assertThatThrownBy(() -> FeatureImportances.of(assembled, train, SPEC))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("Cannot tell the feature importances of a VectorAssembler");
  }

  @Test
  void rankedBreaksTiesByNameAndEntriesCarryTheVersion() {
    FeatureImportances ranked =
        FeatureImportances.ranked(
            FeatureImportanceTable.PERMUTATION, Map.of("b", 0.5, "a", 0.5, "c", -0.25));
    assertThat(ranked.features())
        .containsExactly(
            new Feature("a", 0.5, 1), new Feature("b", 0.5, 2), new Feature("c", -0.25, 3));
    Instant now = Instant.parse("2026-03-01T10:15:30Z");
    assertThat(ranked.entries("run-1", "m", 4, now))
        .containsExactly(
            new FeatureImportanceTable.Entry("run-1", "m", 4, "permutation", "a", 0.5, 1, now),
            new FeatureImportanceTable.Entry("run-1", "m", 4, "permutation", "b", 0.5, 2, now),
            new FeatureImportanceTable.Entry("run-1", "m", 4, "permutation", "c", -0.25, 3, now));
  }
}
