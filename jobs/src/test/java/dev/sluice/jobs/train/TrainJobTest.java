package dev.sluice.jobs.train;

import static org.apache.spark.ml.functions.vector_to_array;
import static org.apache.spark.sql.functions.col;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.common.Columns;
import dev.sluice.common.SluiceException;
import dev.sluice.common.Tables;
import dev.sluice.common.dataset.TaskType;
import dev.sluice.common.lakehouse.Lakehouse;
import dev.sluice.common.monitor.Baseline;
import dev.sluice.common.settings.FeaturesSettings;
import dev.sluice.common.settings.IngestSettings;
import dev.sluice.common.settings.LoadedSettings;
import dev.sluice.common.settings.TrainSettings;
import dev.sluice.common.testing.SparkTestBase;
import dev.sluice.common.testing.TestLakehouses;
import dev.sluice.common.testing.TestSpecs;
import dev.sluice.jobs.features.FeaturesJob;
import dev.sluice.jobs.features.FeaturesResult;
import dev.sluice.jobs.ingest.IngestJob;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Ingest, features and train in one process on seeded generated data sets, one per task. */
class TrainJobTest extends SparkTestBase {
  private static final int ROWS = TrainTestData.ROWS;

  /** Logistic regression (an absurd and a plain grid point) and a random forest. */
  private static final Map<String, String> TWO_ESTIMATORS =
      Map.of("sluice.train.estimators", "[logistic-regression, random-forest]");

  /**
   * The binary data set ingested and trained once with {@link #TWO_ESTIMATORS} serially
   * (parallelism 1); the tests that start from it copy it.
   */
  @TempDir static Path binary;

  private static TrainResult serial;

  @TempDir Path dir;

  private static Map<String, String> serially() {
    Map<String, String> sets = new HashMap<>(TWO_ESTIMATORS);
    sets.put("sluice.train.parallelism", "1");
    return sets;
  }

  private static LoadedSettings settings(Path root, TaskType task, Map<String, String> overrides)
      throws IOException {
    Map<String, String> sets = new HashMap<>(overrides);
    sets.put("sluice.lakehouse.root", root.resolve("lake").toString());
    return TestSpecs.load(TrainTestData.spec(root, task), sets);
  }

  private LoadedSettings settings(TaskType task, Map<String, String> overrides) throws IOException {
    return settings(dir, task, overrides);
  }

  @BeforeAll
  static void trainBinarySerially() throws IOException {
    serial = pipeline(binary, TaskType.BINARY, serially());
  }

  /** This test's own copy of the binary lakehouse trained serially, data file included. */
  private void copyBinary() throws IOException {
    TestLakehouses.copy(binary, dir);
  }

  private static TrainResult pipeline(Path root, TaskType task, Map<String, String> overrides)
      throws IOException {
    new IngestJob(spark, IngestSettings.from(settings(root, task, overrides))).run();
    new FeaturesJob(spark, FeaturesSettings.from(settings(root, task, overrides))).run();
    return new TrainJob(spark, TrainSettings.from(settings(root, task, overrides))).run();
  }

  private TrainResult pipeline(TaskType task, Map<String, String> overrides) throws IOException {
    return pipeline(dir, task, overrides);
  }

  private List<Row> sql(String query) {
    return spark.sql(query.replace("{lake}", dir.resolve("lake").toString())).collectAsList();
  }

  @Test
  void binaryAbsurdRegularisationLosesAndEveryFoldIsRecorded() throws IOException {
    copyBinary();
    TrainResult result = serial;

    assertThat(result.registeredVersion()).hasValue(1);
    TrainResult.Entry logistic =
        result.leaderboard().stream()
            .filter(e -> e.estimator().equals("logistic-regression"))
            .findFirst()
            .get();
    assertThat(logistic.params()).containsEntry("regParam", "0.0");
    // 2 folds x 2 grid points for logistic regression, 2 folds x 1 for the forest.
    assertThat(
            sql("SELECT estimator, count(*) FROM delta.`{lake}/cv_results` GROUP BY 1 ORDER BY 1"))
        .extracting(Row::toString)
        .containsExactly("[logistic-regression,4]", "[random-forest,2]");
    // regParam 1000 shrinks every coefficient to ~0: its AUC on each fold is far below the
    // unregularised one.
    Row byParam =
        sql("SELECT max(CASE WHEN params['regParam'] = '1000.0' THEN value END),"
                + " min(CASE WHEN params['regParam'] = '0.0' THEN value END) FROM delta.`{lake}/cv_results`"
                + " WHERE estimator = 'logistic-regression'")
            .get(0);
    assertThat(byParam.getDouble(0)).isEqualTo(0.5);
    assertThat(byParam.getDouble(1)).isGreaterThan(0.85);
    assertThat(logistic.test().get("areaUnderROC")).isGreaterThan(0.85);
    assertThat(
            sql(
                "SELECT DISTINCT metric FROM delta.`{lake}/model_metrics` WHERE split = 'test' ORDER BY metric"))
        .extracting(r -> r.getString(0))
        .containsExactly("accuracy", "areaUnderPR", "areaUnderROC", "f1", "logLoss");
    assertThat(
            sql(
                "SELECT version, stage, snapshot_version, raw_version, size(class_labels) FROM delta.`{lake}/model_registry`"))
        .extracting(Row::toString)
        // The raw table's first batch creates it (version 0); the snapshot's version 0 is its
        // creation, with its comments, and version 1 its first build.
        .containsExactly("[1,candidate,1,0,2]");
    assertBaselinesMatchPerFeature(TaskType.BINARY);
    assertImportancesRecorded();
  }

  @Test
  void aBinaryModelPredictsWithTheThresholdOfBestValidationF1SavedInIt() throws IOException {
    copyBinary();
    Row registered =
        sql("SELECT params['thresholds'], artifact_path, validation_metrics['f1'],"
                + " snapshot_version FROM delta.`{lake}/model_registry`")
            .get(0);
    double[] thresholds =
        new org.apache.spark.ml.classification.LogisticRegression()
            .thresholds()
            .jsonDecode(registered.getString(0));
    assertThat(thresholds).hasSize(2);
    double threshold = thresholds[1];
    assertThat(thresholds[0])
        .isCloseTo(1 - threshold, org.assertj.core.api.Assertions.within(1e-12));
    assertThat(threshold).isStrictlyBetween(0.0, 1.0);

    Dataset<Row> validation =
        spark
            .read()
            .format("delta")
            .option("versionAsOf", registered.getLong(3))
            .load(dir.resolve("lake").resolve(Tables.snapshot("gen")).toString())
            .where(col(Columns.SPLIT).equalTo("validation"));
    PipelineModel saved = PipelineModel.load(registered.getString(1));
    Dataset<Row> predicted = saved.transform(validation).cache();
    // The saved model predicts the positive class exactly above its threshold.
    assertThat(
            predicted
                .where(
                    vector_to_array(col(Columns.PROBABILITY), "float64")
                        .getItem(1)
                        .gt(threshold)
                        .notEqual(col(Columns.PREDICTION).equalTo(1.0)))
                .count())
        .isZero();
    // Its validation f1 is the one recorded, and no lower than the default threshold's.
    double f1 = dev.sluice.common.train.Metrics.evaluate(TaskType.BINARY, predicted, "f1", 2);
    assertThat(f1).isEqualTo(registered.getDouble(2));
    PipelineModel atOneHalf =
        dev.sluice.common.train.Thresholds.apply(PipelineModel.load(registered.getString(1)), 0.5);
    assertThat(f1)
        .isGreaterThanOrEqualTo(
            dev.sluice.common.train.Metrics.evaluate(
                TaskType.BINARY, atOneHalf.transform(validation), "f1", 2));
    predicted.unpersist();
  }

  @Test
  void trainingTheSameSnapshotAgainRegistersNothing() throws IOException {
    Map<String, String> lr = Map.of("sluice.train.estimators", "[logistic-regression]");
    TrainResult first = pipeline(TaskType.BINARY, lr);
    TrainResult second = pipeline(TaskType.BINARY, lr);
    assertThat(second.alreadyTrained()).isTrue();
    assertThat(second.registeredVersion()).isEqualTo(first.registeredVersion());
    assertThat(sql("SELECT count(*) FROM delta.`{lake}/model_registry`").get(0).getLong(0))
        .isEqualTo(1);
    assertThat(sql("SELECT count(*) FROM delta.`{lake}/cv_results`").get(0).getLong(0))
        .isEqualTo(4);
    assertThat(sql("SELECT count(*) FROM delta.`{lake}/feature_importance`").get(0).getLong(0))
        .isEqualTo(3);
  }

  @Test
  void sameSnapshotSettingsAndSeedGiveIdenticalResultsWhateverTheParallelism() throws IOException {
    copyBinary();
    Map<String, String> two = new HashMap<>(TWO_ESTIMATORS);
    two.put("sluice.train.parallelism", "2");
    TrainResult parallel =
        new TrainJob(spark, TrainSettings.from(settings(TaskType.BINARY, two))).run();

    assertThat(parallel.registeredVersion()).hasValue(2);
    for (int i = 0; i < serial.leaderboard().size(); i++) {
      TrainResult.Entry a = serial.leaderboard().get(i);
      TrainResult.Entry b = parallel.leaderboard().get(i);
      assertThat(b.params()).isEqualTo(a.params());
      // Same models; the last bits of a metric may differ because Spark merges partition results in
      // the order
      // tasks finish.
      assertThat(b.cvMetric())
          .isCloseTo(a.cvMetric(), org.assertj.core.api.Assertions.within(1e-12));
      assertThat(b.test().keySet()).isEqualTo(a.test().keySet());
      a.test()
          .forEach(
              (metric, value) ->
                  assertThat(b.test().get(metric))
                      .as(metric)
                      .isCloseTo(value, org.assertj.core.api.Assertions.within(1e-12)));
    }
  }

  @Test
  void multiclass() throws IOException {
    TrainResult result = pipeline(TaskType.MULTICLASS, Map.of());
    assertThat(result.leaderboard())
        .extracting(TrainResult.Entry::estimator)
        .containsExactly("logistic-regression", "xgboost");
    TrainResult.Entry best =
        result.leaderboard().stream().filter(TrainResult.Entry::registered).findFirst().get();
    assertThat(best.test()).containsOnlyKeys("f1", "accuracy", "macroF1", "logLoss");
    assertThat(best.test().get("accuracy")).isGreaterThan(0.6);
    assertThat(sql("SELECT class_labels FROM delta.`{lake}/model_registry`").get(0).getList(0))
        .containsExactly("low", "mid", "high");
    assertBaselinesMatchPerFeature(TaskType.MULTICLASS);
    assertImportancesRecorded();
  }

  @Test
  void regression() throws IOException {
    TrainResult result = pipeline(TaskType.REGRESSION, Map.of());
    assertThat(result.leaderboard())
        .extracting(TrainResult.Entry::estimator)
        .containsExactly("linear-regression", "xgboost");
    TrainResult.Entry linear = result.leaderboard().get(0);
    assertThat(linear.params()).containsEntry("regParam", "0.0");
    assertThat(linear.test()).containsOnlyKeys("rmse", "mae", "r2");
    assertThat(linear.test().get("r2")).isGreaterThan(0.8);
    assertBaselinesMatchPerFeature(TaskType.REGRESSION);
    assertImportancesRecorded();
  }

  @Test
  void featuresOnTheSameRawVersionWritesNoNewSnapshot()
      throws IOException, java.util.concurrent.TimeoutException {
    new IngestJob(spark, IngestSettings.from(settings(TaskType.BINARY, Map.of()))).run();
    FeaturesResult first =
        new FeaturesJob(spark, FeaturesSettings.from(settings(TaskType.BINARY, Map.of()))).run();
    spark.sparkContext().listenerBus().waitUntilEmpty();
    int jobsBefore = spark.sparkContext().statusStore().jobsList(null).size();
    FeaturesResult second =
        new FeaturesJob(spark, FeaturesSettings.from(settings(TaskType.BINARY, Map.of()))).run();
    spark.sparkContext().listenerBus().waitUntilEmpty();
    assertThat(spark.sparkContext().statusStore().jobsList(null).size() - jobsBefore)
        .as("a run that finds its snapshot built starts no Spark job")
        .isZero();
    assertThat(first.unchanged()).isFalse();
    assertThat(second.unchanged()).isTrue();
    assertThat(second.snapshotVersion()).isEqualTo(first.snapshotVersion());
    assertThat(first.rowsBySplit().values().stream().mapToLong(Long::longValue).sum())
        .isEqualTo(ROWS);
    // The write counted its splits, and its commit carries the counts the second run reports.
    Lakehouse lakehouse =
        new Lakehouse(
            spark, FeaturesSettings.from(settings(TaskType.BINARY, Map.of())).lakehouse());
    String snapshot =
        Tables.snapshot(
            FeaturesSettings.from(settings(TaskType.BINARY, Map.of())).dataset().name());
    Map<String, Long> counted = new java.util.TreeMap<>();
    lakehouse
        .read(snapshot)
        .groupBy(Columns.SPLIT)
        .count()
        .collectAsList()
        .forEach(row -> counted.put(row.getString(0), row.getLong(1)));
    assertThat(first.rowsBySplit())
        .isEqualTo(counted)
        .containsOnlyKeys("train", "validation", "test");
    assertThat(second.rowsBySplit()).isEqualTo(counted);
    assertThat(lakehouse.log().commitTags(snapshot, first.snapshotVersion()))
        .containsEntry("sluice.rows.total", Long.toString(ROWS))
        .containsEntry("sluice.rows.train", Long.toString(counted.get("train")));
  }

  @Test
  void badTrainSettingsFailBeforeSparkWithTheKeyPath() throws IOException {
    assertThatThrownBy(
            () ->
                TrainSettings.from(
                    settings(TaskType.BINARY, Map.of("sluice.train.estimators", "[lightgbm]"))))
        .isInstanceOf(SluiceException.class)
        .hasMessageStartingWith(
            "Invalid setting 'sluice.train.estimators': 'lightgbm' is not an estimator");
    assertThatThrownBy(
            () ->
                TrainSettings.from(
                    settings(TaskType.BINARY, Map.of("sluice.train.grids.gbt.maxDepth", "[]"))))
        .hasMessageStartingWith(
            "Invalid setting 'sluice.train.grids.gbt.maxDepth': lists no value");
    assertThatThrownBy(
            () -> TrainSettings.from(settings(TaskType.BINARY, Map.of("sluice.train.folds", "1"))))
        .hasMessageStartingWith("Invalid setting 'sluice.train.folds': must be at least 2");
    assertThatThrownBy(
            () ->
                TrainSettings.from(
                    settings(TaskType.BINARY, Map.of("sluice.train.grids.gbt.depth", "[3]"))))
        .hasMessageStartingWith(
            "Invalid setting 'sluice.train.grids.gbt.depth': 'depth' is not a parameter");
    assertThatThrownBy(
            () ->
                TrainSettings.from(
                    settings(TaskType.MULTICLASS, Map.of("sluice.train.estimators", "[gbt]"))))
        .hasMessageContaining("estimator 'gbt' does not support a multiclass task");
    assertThatThrownBy(
            () ->
                TrainSettings.from(
                    settings(TaskType.BINARY, Map.of("sluice.train.grids.gbt.maxDepth", "[-1]"))))
        .hasMessageStartingWith(
            "Invalid setting 'sluice.train.grids.gbt.maxDepth': value -1 is not valid");
  }

  /**
   * Train stores the registered model's own importances with version 1, written by the run that
   * registered it: one row per feature column (c's one-hot levels summed for a linear model), of
   * the kind its estimator gives, ranked 1 to 3, the shares summing to 1.
   */
  private void assertImportancesRecorded() {
    Row registered =
        sql("SELECT estimator, run_id FROM delta.`{lake}/model_registry` WHERE version = 1").get(0);
    String kind =
        switch (registered.getString(0)) {
          case "logistic-regression", "linear-regression" -> "coefficient";
          case "random-forest", "gbt" -> "impurity";
          default -> "gain";
        };
    List<Row> rows =
        sql(
            "SELECT kind, run_id, feature, rank, importance FROM delta.`{lake}/feature_importance`"
                + " WHERE model_name = 'gen' AND model_version = 1 ORDER BY rank");
    assertThat(rows)
        .extracting(r -> r.getString(0) + " " + r.getString(1))
        .containsOnly(kind + " " + registered.getString(1));
    assertThat(rows).extracting(r -> r.getString(2)).containsExactlyInAnyOrder("x1", "x2", "c");
    assertThat(rows).extracting(r -> r.getInt(3)).containsExactly(1, 2, 3);
    assertThat(rows.stream().mapToDouble(r -> r.getDouble(4)).sum())
        .isCloseTo(1.0, org.assertj.core.api.Assertions.within(1e-12));
  }

  /**
   * The baselines train stores, computed in a few passes over all features, equal Baseline's own
   * computation feature by feature on the registered version's train split and model.
   */
  private void assertBaselinesMatchPerFeature(TaskType task) throws IOException {
    TrainSettings train = TrainSettings.from(settings(task, Map.of()));
    Dataset<Row> split =
        spark
            .read()
            .format("delta")
            .load(dir.resolve("lake").resolve(Tables.snapshot(train.dataset().name())).toString())
            .where(col(Columns.SPLIT).equalTo("train"));
    Dataset<Row> scored =
        PipelineModel.load(
                sql("SELECT artifact_path FROM delta.`{lake}/model_registry` WHERE version = 1")
                    .get(0)
                    .getString(0))
            .transform(split);
    List<Baseline> expected = new ArrayList<>();
    for (var feature : train.features().numeric()) {
      expected.add(
          Baseline.numeric(
              split, feature.name(), col("`" + feature.name() + "`"), train.baselineBins()));
    }
    for (var feature : train.features().categorical()) {
      expected.add(
          Baseline.categorical(
              split, feature.name(), col("`" + feature.name() + "`"), train.baselineMaxLevels()));
    }
    expected.add(
        switch (task) {
          case BINARY ->
              Baseline.fixed(
                  scored,
                  Baseline.PREDICTION,
                  vector_to_array(col(Columns.PROBABILITY), "float64").getItem(1),
                  new double[] {0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9});
          case MULTICLASS ->
              Baseline.categorical(scored, Baseline.PREDICTION, col(Columns.PREDICTION), 3);
          case REGRESSION ->
              Baseline.numeric(
                  scored, Baseline.PREDICTION, col(Columns.PREDICTION), train.baselineBins());
        });
    List<String> stored =
        sql("SELECT * FROM delta.`{lake}/model_baselines` WHERE model_version = 1").stream()
            .map(Baseline::fromRow)
            .map(TrainJobTest::describe)
            .toList();
    assertThat(stored)
        .containsExactlyInAnyOrderElementsOf(
            expected.stream().map(TrainJobTest::describe).toList());
  }

  private static String describe(Baseline b) {
    return b.feature()
        + " numeric="
        + b.numeric()
        + " edges="
        + java.util.Arrays.toString(b.edges())
        + " levels="
        + b.levels()
        + " counts="
        + java.util.Arrays.toString(b.counts());
  }
}
