package dev.sluice.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.common.dataset.TaskType;
import dev.sluice.common.settings.FeaturesSettings;
import dev.sluice.common.settings.IngestSettings;
import dev.sluice.common.settings.LoadedSettings;
import dev.sluice.common.settings.MonitorSettings;
import dev.sluice.common.settings.PromoteSettings;
import dev.sluice.common.settings.ReportSettings;
import dev.sluice.common.settings.ScoreSettings;
import dev.sluice.common.settings.TrainSettings;
import dev.sluice.common.testing.SparkTestBase;
import dev.sluice.common.testing.TestSpecs;
import dev.sluice.jobs.features.FeaturesJob;
import dev.sluice.jobs.ingest.IngestJob;
import dev.sluice.jobs.ingest.IngestResult;
import dev.sluice.jobs.monitor.MonitorJob;
import dev.sluice.jobs.monitor.MonitorResult;
import dev.sluice.jobs.promote.PromoteJob;
import dev.sluice.jobs.promote.PromoteResult;
import dev.sluice.jobs.report.ReportJob;
import dev.sluice.jobs.report.ReportResult;
import dev.sluice.jobs.score.ScoreJob;
import dev.sluice.jobs.score.ScoreResult;
import dev.sluice.jobs.train.TrainJob;
import dev.sluice.jobs.train.TrainTestData;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A multiclass and a regression data set through promote, report, score, monitor (drift, then
 * performance and fairness once their labels arrive): every job writes the rows of its task. The
 * binary task's jobs have their own tests.
 */
class TasksThroughEveryJobTest extends SparkTestBase {
  @TempDir Path dir;

  private LoadedSettings settings(TaskType task, Map<String, String> overrides) throws IOException {
    Map<String, String> sets = new HashMap<>(overrides);
    sets.put("sluice.lakehouse.root", dir.resolve("lake").toString());
    sets.put("sluice.train.estimators", "[random-forest]");
    sets.put("sluice.train.folds", "2");
    sets.put(
        "sluice.train.grids.random-forest", "{numTrees = [8], maxDepth = [4], maxBins = [32]}");
    sets.put("sluice.monitor.fairness.columns", "[c]");
    return TestSpecs.load(TrainTestData.spec(dir, task), sets);
  }

  private List<String> strings(String sql) {
    return spark.sql(sql).collectAsList().stream().map(Row::toString).toList();
  }

  @ParameterizedTest
  @EnumSource(
      value = TaskType.class,
      names = {"MULTICLASS", "REGRESSION"})
  void everyJobWritesTheRowsOfItsTask(TaskType task) throws IOException {
    boolean regression = task == TaskType.REGRESSION;
    String lake = dir.resolve("lake").toString();
    new IngestJob(spark, IngestSettings.from(settings(task, Map.of()))).run();
    new FeaturesJob(spark, FeaturesSettings.from(settings(task, Map.of()))).run();
    new TrainJob(spark, TrainSettings.from(settings(task, Map.of()))).run();

    // The gate compares the task's selection metric: rmse, or the weighted f1.
    PromoteResult promoted =
        new PromoteJob(spark, PromoteSettings.from(settings(task, Map.of()))).run();
    assertThat(promoted.verdict()).isEqualTo("PROMOTED");
    assertThat(
            strings(
                "SELECT metric, challenger_metric > 0, champion_metric IS NULL FROM delta.`"
                    + lake
                    + "/promotion_log`"))
        .containsExactly("[" + (regression ? "rmse" : "f1") + ",true,true]");

    // The report: predicted against actual and residuals, or per-class metrics of 3 classes.
    ReportResult report = new ReportJob(spark, ReportSettings.from(settings(task, Map.of()))).run();
    assertThat(report.chartPoints())
        .containsOnlyKeys(
            regression
                ? List.of(
                    "predicted-vs-actual",
                    "residuals",
                    "model-importance",
                    "permutation-importance")
                : List.of("per-class", "model-importance", "permutation-importance"));
    assertThat(report.chartPoints().get("permutation-importance")).isEqualTo(3);
    if (!regression) {
      assertThat(report.chartPoints().get("per-class")).isEqualTo(3);
      assertThat(Files.readString(Path.of(report.path().replace("file:", ""))))
          .contains("Per-class metrics (test)");
    }

    // Score: every test row, with a numeric prediction or the three classes' probabilities.
    ScoreResult scored =
        new ScoreJob(
                spark, ScoreSettings.from(settings(task, Map.of("sluice.score.split", "test"))))
            .run();
    long testRows =
        spark.sql("SELECT * FROM delta.`" + lake + "/gen_snapshot` WHERE split = 'test'").count();
    assertThat(scored.rows()).isEqualTo(testRows).isPositive();
    String shape =
        regression
            ? "probabilities IS NULL AND predicted_class IS NULL AND NOT isnan(prediction)"
            : "size(probabilities) = 3 AND predicted_class IN ('low', 'mid', 'high')"
                + " AND abs(aggregate(probabilities, 0D, (a, p) -> a + p) - 1) < 1e-9";
    assertThat(strings("SELECT count(*) FROM delta.`" + lake + "/predictions` WHERE " + shape))
        .containsExactly("[" + testRows + "]");

    // Monitor: the prediction's drift (numeric for regression, categorical for classes) and
    // fairness by c without labels.
    new MonitorJob(spark, MonitorSettings.from(settings(task, Map.of()))).run();
    assertThat(
            strings(
                "SELECT DISTINCT kind FROM delta.`"
                    + lake
                    + "/drift_metrics` WHERE feature = '__prediction__'"))
        .containsExactly(regression ? "[numeric]" : "[categorical]");

    // The test rows' labels arrive: performance in the task's metrics, fairness per group of c.
    Path labels = dir.resolve("labels.csv");
    List<String> lines = new ArrayList<>(List.of("id,y"));
    spark
        .sql(
            "SELECT r.row_id, r.y FROM delta.`"
                + lake
                + "/gen_raw` r JOIN delta.`"
                + lake
                + "/predictions` p ON r.row_id = p.row_id")
        .collectAsList()
        .forEach(row -> lines.add(row.getString(0) + "," + row.get(1)));
    Files.write(labels, lines);
    IngestResult labelled =
        new IngestJob(
                spark,
                IngestSettings.from(
                    settings(
                        task,
                        Map.of(
                            "sluice.ingest.files",
                            "[\"" + labels + "\"]",
                            "sluice.ingest.kind",
                            "labels"))))
            .run();
    assertThat(labelled.accepted()).isEqualTo(testRows);
    MonitorResult monitored =
        new MonitorJob(spark, MonitorSettings.from(settings(task, Map.of()))).run();
    assertThat(monitored.labelled().values()).containsExactly(testRows);
    assertThat(
            strings(
                "SELECT metric FROM delta.`"
                    + lake
                    + "/performance_metrics` WHERE labelled_rows = "
                    + testRows
                    + " AND NOT isnan(value) ORDER BY metric"))
        .containsExactlyElementsOf(
            regression
                ? List.of("[mae]", "[r2]", "[rmse]")
                : List.of("[accuracy]", "[f1]", "[logLoss]", "[macroF1]"));
    assertThat(
            strings(
                "SELECT DISTINCT metric FROM delta.`"
                    + lake
                    + "/fairness_metrics` WHERE labelled_rows > 0 AND slice_column = 'c'"))
        .containsExactly(regression ? "[rmse]" : "[accuracy]");
  }
}
