package dev.sluice.jobs.train;

import static org.apache.spark.ml.functions.vector_to_array;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.stddev_pop;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.sluice.common.Columns;
import dev.sluice.common.Tables;
import dev.sluice.common.dataset.TaskType;
import dev.sluice.common.settings.FeaturesSettings;
import dev.sluice.common.settings.IngestSettings;
import dev.sluice.common.settings.LoadedSettings;
import dev.sluice.common.settings.PromoteSettings;
import dev.sluice.common.settings.ReportSettings;
import dev.sluice.common.settings.ReproduceSettings;
import dev.sluice.common.settings.TrainSettings;
import dev.sluice.common.testing.SparkTestBase;
import dev.sluice.common.testing.TestSpecs;
import dev.sluice.common.train.Metrics;
import dev.sluice.common.train.xgboost.XGBoostStage;
import dev.sluice.jobs.features.FeaturesJob;
import dev.sluice.jobs.ingest.IngestJob;
import dev.sluice.jobs.promote.PromoteJob;
import dev.sluice.jobs.report.ReportJob;
import dev.sluice.jobs.report.ReportResult;
import dev.sluice.jobs.reproduce.ReproduceJob;
import dev.sluice.jobs.reproduce.ReproduceResult;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.function.DoublePredicate;
import ml.dmlc.xgboost4j.scala.spark.XGBoostClassificationModel;
import ml.dmlc.xgboost4j.scala.spark.XGBoostRegressionModel;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.Transformer;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The xgboost estimator through ingest, features and train on small seeded sets, one per task: the
 * registered model is an XGBoost stage of the saved pipeline, loads back and scores as it did when
 * trained.
 */
class XGBoostTest extends SparkTestBase {
  private static final int ROWS = 400;
  private static final long SEED = 23;

  /**
   * Every feature in every tree. With the default 0.8 of three features XGBoost keeps two per tree,
   * so a third of the trees cannot split on x1 and fit the residual with the noise columns x2 and c
   * instead: on the line the training rmse was 0.015 and the test rmse 0.46.
   */
  private static final double COLUMNS_PER_TREE = 1.0;

  @TempDir Path dir;

  @Test
  void binaryBeatsAConstantPredictor() throws IOException {
    // The generated set's label is a noisy linear score of x1, x2 and c; a constant predictor's
    // AUC is 0.5.
    GeneratedData.write(dir.resolve("gen.csv"), TaskType.BINARY, ROWS, SEED);
    TrainResult.Entry entry = train(TaskType.BINARY);

    assertThat(entry.test().get("areaUnderROC")).isGreaterThan(0.85);
    PipelineModel model = registered();
    assertThat(last(model)).isInstanceOf(XGBoostClassificationModel.class);
    // Train sets the best-f1 threshold on the classifier; the saved stage carries it.
    XGBoostClassificationModel classifier = (XGBoostClassificationModel) last(model);
    assertThat(classifier.isSet(classifier.thresholds())).isTrue();
    assertThat(classifier.getThresholds()[0] + classifier.getThresholds()[1])
        .isCloseTo(1, within(1e-12));
    // The noisy labels overfit long before the default cap of 1000 rounds: each fold stopped 20
    // rounds after its best, and the refit boosted the folds' mean, recorded as numRound.
    int rounds = Integer.parseInt(entry.params().get("numRound"));
    assertThat(rounds).isBetween(1, 500);
    assertThat(classifier.nativeBooster().getNumBoostedRound()).isEqualTo(rounds);
    assertScoresAsRecorded(TaskType.BINARY, model, entry);
  }

  @Test
  void binaryModelIsPromotedReportedAndReproduced() throws IOException {
    GeneratedData.write(dir.resolve("gen.csv"), TaskType.BINARY, ROWS, SEED);
    train(TaskType.BINARY);

    new PromoteJob(spark, PromoteSettings.from(settings(TaskType.BINARY))).run();
    ReportResult report =
        new ReportJob(spark, ReportSettings.from(settings(TaskType.BINARY))).run();
    // XGBoost's gain of each feature column, from train, and the report's permutation importance.
    assertThat(report.chartPoints())
        .containsEntry("model-importance", 3)
        .containsEntry("permutation-importance", 3);
    assertThat(
            spark
                .sql(
                    "SELECT kind, count(*) FROM delta.`"
                        + dir.resolve("lake")
                        + "/feature_importance` GROUP BY kind ORDER BY kind")
                .collectAsList())
        .extracting(Row::toString)
        .containsExactly("[gain,3]", "[permutation,3]");
    ReproduceResult reproduced =
        new ReproduceJob(spark, ReproduceSettings.from(settings(TaskType.BINARY))).run();
    assertThat(reproduced.match()).as("%s", reproduced.summary()).isTrue();
  }

  @Test
  void multiclassSeparatesThreeSeparableClasses() throws IOException {
    // The class is x1's third of [-3, 3], with no x1 within 0.1 of a boundary: a split on x1
    // separates the training rows exactly. XGBoost splits at a training value, not mid-gap, so a
    // test row between a gap and the nearest training row beyond it can fall on the wrong side:
    // two boundaries, a training row every 6 / 266 of x1, over 5.6 of x1, make about one test row
    // in a hundred, so 0.95 leaves room for the unlucky two or three.
    write(
        (x1, random) -> x1 < -1 ? "low" : x1 < 1 ? "mid" : "high",
        x1 -> Math.abs(Math.abs(x1) - 1) > 0.1);
    TrainResult.Entry entry = train(TaskType.MULTICLASS);

    assertThat(entry.test().get("accuracy")).isGreaterThanOrEqualTo(0.95);
    PipelineModel model = registered();
    assertThat(last(model)).isInstanceOf(XGBoostClassificationModel.class);
    assertThat(((XGBoostClassificationModel) last(model)).numClasses()).isEqualTo(3);
    assertScoresAsRecorded(TaskType.MULTICLASS, model, entry);
  }

  @Test
  void regressionFitsALine() throws IOException {
    write((x1, random) -> String.format(Locale.ROOT, "%.4f", 10 + 2 * x1), x1 -> true);
    TrainResult.Entry entry = train(TaskType.REGRESSION);

    // Trees approximate the line by steps between neighbouring training values of x1: a small
    // fraction of the target's spread, which is what a constant predictor's rmse would be.
    double spread =
        testRows().agg(stddev_pop(col(Columns.TARGET).cast("double"))).first().getDouble(0);
    assertThat(entry.test().get("rmse")).isLessThan(0.05 * spread);
    PipelineModel model = registered();
    assertThat(last(model)).isInstanceOf(XGBoostRegressionModel.class);
    assertScoresAsRecorded(TaskType.REGRESSION, model, entry);
  }

  /** A target of x1 drawn uniformly from [-3, 3], with x2 and c as noise. */
  private void write(Target target, DoublePredicate keep) throws IOException {
    Random random = new Random(SEED);
    try (BufferedWriter out = Files.newBufferedWriter(dir.resolve("gen.csv"))) {
      out.write("x1,x2,c,y\n");
      int written = 0;
      while (written < ROWS) {
        double x1 = -3 + 6 * random.nextDouble();
        double x2 = random.nextGaussian();
        String c = GeneratedData.LEVELS[random.nextInt(GeneratedData.LEVELS.length)];
        if (keep.test(x1)) {
          out.write(
              String.format(Locale.ROOT, "%.4f,%.4f,%s,%s%n", x1, x2, c, target.of(x1, random)));
          written++;
        }
      }
    }
  }

  @FunctionalInterface
  private interface Target {
    String of(double x1, Random random);
  }

  private LoadedSettings settings(TaskType task) {
    return TestSpecs.load(
        GeneratedData.spec("gen", task, dir.resolve("gen.csv")),
        Map.of(
            "sluice.lakehouse.root",
            dir.resolve("lake").toString(),
            "sluice.train.estimators",
            "[xgboost]",
            "sluice.train.grids.xgboost.colsample_bytree",
            "[" + COLUMNS_PER_TREE + "]"));
  }

  /** Ingests, builds features and trains xgboost alone; its leaderboard entry, registered. */
  private TrainResult.Entry train(TaskType task) {
    new IngestJob(spark, IngestSettings.from(settings(task))).run();
    new FeaturesJob(spark, FeaturesSettings.from(settings(task))).run();
    TrainResult result = new TrainJob(spark, TrainSettings.from(settings(task))).run();
    assertThat(result.leaderboard()).hasSize(1);
    TrainResult.Entry entry = result.leaderboard().get(0);
    assertThat(entry.estimator()).isEqualTo("xgboost");
    assertThat(entry.registered()).isTrue();
    return entry;
  }

  private PipelineModel registered() {
    return PipelineModel.load(
        spark
            .sql("SELECT artifact_path FROM delta.`" + dir.resolve("lake") + "/model_registry`")
            .first()
            .getString(0));
  }

  private Dataset<Row> testRows() {
    return spark
        .read()
        .format("delta")
        .load(dir.resolve("lake").resolve(Tables.snapshot("gen")).toString())
        .where(col(Columns.SPLIT).equalTo("test"));
  }

  /** The XGBoost model the saved pipeline's last stage, Sluice's savable wrapper, scores with. */
  private static Transformer last(PipelineModel model) {
    Transformer stage = model.stages()[model.stages().length - 1];
    assertThat(stage).isInstanceOf(XGBoostStage.class);
    return ((XGBoostStage) stage).model();
  }

  /**
   * The loaded model's metrics on the test split are those train recorded from the model it had in
   * memory, and a second save and load scores every row the same.
   */
  private void assertScoresAsRecorded(TaskType task, PipelineModel loaded, TrainResult.Entry entry)
      throws IOException {
    int classCount = task == TaskType.MULTICLASS ? 3 : 2;
    Dataset<Row> test = testRows();
    Dataset<Row> scored = loaded.transform(test).cache();
    entry
        .test()
        .forEach(
            (metric, value) ->
                assertThat(Metrics.evaluate(task, scored, metric, classCount))
                    .as(metric)
                    .isCloseTo(value, within(1e-12)));

    String again = dir.resolve("again").toString();
    loaded.write().save(again);
    Column[] output =
        task.isClassification()
            ? new Column[] {
              col(Columns.ROW_ID),
              col(Columns.PREDICTION),
              vector_to_array(col(Columns.PROBABILITY), "float64")
            }
            : new Column[] {col(Columns.ROW_ID), col(Columns.PREDICTION)};
    List<Row> before = scored.select(output).orderBy(Columns.ROW_ID).collectAsList();
    List<Row> after =
        PipelineModel.load(again)
            .transform(test)
            .select(output)
            .orderBy(Columns.ROW_ID)
            .collectAsList();
    assertThat(before).isNotEmpty();
    assertThat(after).isEqualTo(before);
    scored.unpersist();
  }
}
