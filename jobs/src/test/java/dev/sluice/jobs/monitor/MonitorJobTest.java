package dev.sluice.jobs.monitor;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.current_timestamp;
import static org.apache.spark.sql.functions.lit;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.sluice.common.dataset.TaskType;
import dev.sluice.common.lakehouse.Lakehouse;
import dev.sluice.common.monitor.Baseline;
import dev.sluice.common.monitor.ScoringWindow;
import dev.sluice.common.settings.DecideSettings;
import dev.sluice.common.settings.FeaturesSettings;
import dev.sluice.common.settings.IngestSettings;
import dev.sluice.common.settings.LakehouseSettings;
import dev.sluice.common.settings.LoadedSettings;
import dev.sluice.common.settings.MonitorSettings;
import dev.sluice.common.settings.PromoteSettings;
import dev.sluice.common.settings.ScoreSettings;
import dev.sluice.common.settings.TrainSettings;
import dev.sluice.common.testing.SparkTestBase;
import dev.sluice.common.testing.TestSpecs;
import dev.sluice.jobs.decide.DecideJob;
import dev.sluice.jobs.features.FeaturesJob;
import dev.sluice.jobs.ingest.IngestJob;
import dev.sluice.jobs.ingest.IngestResult;
import dev.sluice.jobs.promote.PromoteJob;
import dev.sluice.jobs.score.ScoreJob;
import dev.sluice.jobs.train.GeneratedData;
import dev.sluice.jobs.train.TrainJob;
import dev.sluice.jobs.train.TrainTestData;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MonitorJobTest extends SparkTestBase {
  @TempDir Path dir;

  private LoadedSettings settings(Map<String, String> overrides) throws IOException {
    Map<String, String> sets = new HashMap<>(overrides);
    sets.put("sluice.lakehouse.root", dir.resolve("lake").toString());
    sets.put("sluice.train.estimators", "[logistic-regression]");
    sets.put("sluice.train.grids.logistic-regression", "{regParam = [0.01], maxIter = [50]}");
    return TestSpecs.load(TrainTestData.spec(dir, TaskType.BINARY), sets);
  }

  private String ingestAndScore(String name, double x1Shift, double aFirst, long seed)
      throws IOException {
    Path file = dir.resolve(name + ".csv");
    GeneratedData.write(file, TaskType.BINARY, 1000, seed, x1Shift, aFirst);
    Map<String, String> batch =
        Map.of("sluice.ingest.files", "[\"" + file + "\"]", "sluice.ingest.source", name);
    IngestResult ingested = new IngestJob(spark, IngestSettings.from(settings(batch))).run();
    new ScoreJob(
            spark,
            ScoreSettings.from(settings(Map.of("sluice.score.batch-id", ingested.batchId()))))
        .run();
    return ingested.batchId();
  }

  private Dataset<Row> table(String name) {
    return spark.read().format("delta").load(dir.resolve("lake").resolve(name).toString());
  }

  /** Ingests the true labels of a batch's rows, and one label of an unknown row. */
  private IngestResult ingestLabels(String batchId) throws IOException {
    Path labels = dir.resolve("labels-" + batchId + ".csv");
    List<String> lines = new ArrayList<>(List.of("id,y"));
    table("gen_raw")
        .where(col("batch_id").equalTo(batchId))
        .select("row_id", "y")
        .collectAsList()
        .forEach(row -> lines.add(row.getString(0) + "," + row.getString(1)));
    lines.add("unknown-row,maybe");
    Files.write(labels, lines);
    return new IngestJob(
            spark,
            IngestSettings.from(
                settings(
                    Map.of(
                        "sluice.ingest.files",
                        "[\"" + labels + "\"]",
                        "sluice.ingest.kind",
                        "labels"))))
        .run();
  }

  @Test
  void labelsThatArriveAfterAVersionWasReplacedMeasureTheWindowsItScored() throws IOException {
    new IngestJob(spark, IngestSettings.from(settings(Map.of()))).run();
    new FeaturesJob(spark, FeaturesSettings.from(settings(Map.of()))).run();
    new TrainJob(spark, TrainSettings.from(settings(Map.of()))).run();
    new PromoteJob(spark, PromoteSettings.from(settings(Map.of()))).run();
    String scored = ingestAndScore("scored-by-v1", 0.0, 0.0, 23);
    // Version 2 (another seed) becomes the champion before the window's labels arrive.
    new TrainJob(spark, TrainSettings.from(settings(Map.of("sluice.train.seed", "43")))).run();
    new PromoteJob(
            spark,
            PromoteSettings.from(
                settings(
                    Map.of(
                        "sluice.promote.rollback-to", "2", "sluice.promote.reason", "version 2"))))
        .run();
    ingestLabels(scored);

    MonitorResult result = new MonitorJob(spark, MonitorSettings.from(settings(Map.of()))).run();
    assertThat(result.version()).isEqualTo(2);
    assertThat(result.drifted()).isEmpty();
    String window =
        ScoringWindow.fromTransactions(lakehouse().log().transactions("predictions"), "gen", 1)
            .orElseThrow()
            .get(0)
            .id();
    assertThat(result.labelled()).containsExactly(Map.entry(window, 1000L));
    assertThat(
            table("performance_metrics")
                .select("window_id", "model_version", "labelled_rows")
                .distinct()
                .collectAsList())
        .extracting(Object::toString)
        .containsExactly("[" + window + ",1,1000]");
    // Pinned to the champion, or re-run: nothing new.
    assertThat(
            new MonitorJob(
                    spark,
                    MonitorSettings.from(settings(Map.of("sluice.monitor.model-version", "2"))))
                .run()
                .labelled())
        .isEmpty();
    assertThat(new MonitorJob(spark, MonitorSettings.from(settings(Map.of()))).run().labelled())
        .isEmpty();
  }

  @Test
  void exactlyTheShiftedFeaturesAreFlaggedAndDelayedLabelsGivePerformanceAndFairness()
      throws IOException {
    Map<String, String> fairness = Map.of("sluice.monitor.fairness.columns", "[c]");
    new IngestJob(spark, IngestSettings.from(settings(Map.of()))).run();
    new FeaturesJob(spark, FeaturesSettings.from(settings(Map.of()))).run();
    new TrainJob(spark, TrainSettings.from(settings(Map.of()))).run();
    new PromoteJob(spark, PromoteSettings.from(settings(Map.of()))).run();

    String same = ingestAndScore("same", 0.0, 0.0, 21);
    // +1 standard deviation on x1; level "a" from 23.75% to 43.75% of c.
    String shifted = ingestAndScore("shifted", 1.0, 0.262, 22);
    MonitorResult result = new MonitorJob(spark, MonitorSettings.from(settings(fairness))).run();

    // The windows listed from the predictions' transactions are the windows of its rows, with
    // the same times.
    List<ScoringWindow> recorded =
        ScoringWindow.fromTransactions(lakehouse().log().transactions("predictions"), "gen", 1)
            .orElseThrow();
    assertThat(recorded)
        .hasSize(2)
        .isEqualTo(ScoringWindow.fromPredictions(table("predictions"), "gen", 1));
    assertThat(recorded)
        .extracting(ScoringWindow::id)
        .containsExactlyElementsOf(result.drifted().keySet());

    List<List<String>> features =
        result.drifted().values().stream()
            .map(flagged -> flagged.stream().filter(f -> !f.equals(Baseline.PREDICTION)).toList())
            .toList();
    assertThat(features).containsExactly(List.of(), List.of("x1", "c"));
    // The second window against the first: the same two features moved.
    assertThat(result.driftedFromPrevious().values())
        .extracting(f -> f.stream().filter(x -> !x.equals(Baseline.PREDICTION)).toList())
        .containsExactly(List.of("x1", "c"));

    // Every row carries both histograms; the window's counts add up to its rows; windows of
    // 1,000 rows get the small-sample tests.
    Dataset<Row> drift = table("drift_metrics");
    assertThat(
            drift
                .selectExpr(
                    "aggregate(window_counts, 0L, (a, b) -> a + b) = window_rows",
                    "aggregate(reference_counts, 0L, (a, b) -> a + b) = reference_rows",
                    "size(bins) = size(reference_counts)")
                .distinct()
                .collectAsList())
        .extracting(Object::toString)
        .containsExactly("[true,true,true]");
    assertThat(
            drift
                .where("feature <> '__prediction__'")
                .groupBy("reference", "kind", "method")
                .count()
                .collectAsList())
        .extracting(Object::toString)
        .containsExactlyInAnyOrder(
            "[baseline,numeric,psi,4]",
            "[baseline,numeric,ks,4]",
            "[baseline,categorical,psi,2]",
            "[baseline,categorical,chi_square,2]",
            "[previous_window,numeric,psi,2]",
            "[previous_window,numeric,ks,2]",
            "[previous_window,categorical,psi,1]",
            "[previous_window,categorical,chi_square,1]");
    // No labels yet: no performance; fairness has selection rates only.
    assertThat(result.labelled()).isEmpty();
    assertThat(
            table("fairness_metrics").select("metric", "labelled_rows").distinct().collectAsList())
        .extracting(Object::toString)
        .containsExactlyInAnyOrder("[selection_rate,0]", "[tpr,0]", "[fpr,0]", "[areaUnderROC,0]");

    // The labels of the first window arrive: its row ids and their true labels.
    IngestResult labelled = ingestLabels(same);
    assertThat(labelled.accepted()).isEqualTo(1000);
    assertThat(labelled.reasons()).containsExactly(Map.entry("UNKNOWN_LABEL", 1L));

    MonitorResult withLabels =
        new MonitorJob(spark, MonitorSettings.from(settings(fairness))).run();
    assertThat(withLabels.drifted()).isEmpty();
    String firstWindow = result.drifted().keySet().iterator().next();
    assertThat(withLabels.labelled()).containsExactly(Map.entry(firstWindow, 1000L));
    Dataset<Row> performance = table("performance_metrics");
    assertThat(
            performance
                .select("window_id", "window_rows", "labelled_rows")
                .distinct()
                .collectAsList())
        .extracting(Object::toString)
        .containsExactly("[" + firstWindow + ",1000,1000]");
    assertThat(performance.select("metric").collectAsList())
        .extracting(r -> r.getString(0))
        .containsExactlyInAnyOrder("areaUnderROC", "areaUnderPR", "accuracy", "f1", "logLoss");
    // The delay: the labels' ingest time minus the scoring time.
    Row delay =
        table("gen_labels")
            .agg(org.apache.spark.sql.functions.max("ingested_at").cast("double"))
            .crossJoin(
                table("predictions")
                    .where(col("scoring_run_id").equalTo(firstWindow))
                    .agg(org.apache.spark.sql.functions.min("scored_at").cast("double")))
            .collectAsList()
            .get(0);
    double hours = (delay.getDouble(0) - delay.getDouble(1)) / 3600;
    assertThat(
            performance
                .select("label_delay_hours_min", "label_delay_hours_max")
                .distinct()
                .collectAsList())
        .singleElement()
        .satisfies(
            row -> {
              assertThat(row.getDouble(0)).isCloseTo(hours, within(1e-6));
              assertThat(row.getDouble(1)).isCloseTo(hours, within(1e-6));
            });
    assertThat(
            table("fairness_metrics")
                .where("labelled_rows > 0")
                .select("window_id")
                .distinct()
                .collectAsList())
        .extracting(r -> r.getString(0))
        .containsExactly(firstWindow);

    // Nothing new: a re-run writes nothing.
    MonitorResult again = new MonitorJob(spark, MonitorSettings.from(settings(fairness))).run();
    assertThat(again.drifted()).isEmpty();
    assertThat(again.labelled()).isEmpty();
    assertThat(table("performance_metrics").count()).isEqualTo(5);

    // Decide: drift in one window of the last three is not persistent; the floor above the AUC
    // the window reached fires. The rows since the champion's snapshot are the two batches'.
    long newRows = table("gen_raw").where(col("batch_id").isin(same, shifted)).count();
    DecideJob.DecideResult decision =
        new DecideJob(
                spark,
                DecideSettings.from(
                    settings(
                        Map.of(
                            "sluice.decide.performance.floor", "0.999",
                            "sluice.decide.performance.max-drop", "null",
                            "sluice.decide.max-snapshot-age-days", "0",
                            "sluice.decide.min-new-rows", String.valueOf(newRows + 1)))))
            .run();
    assertThat(decision.retrain()).isTrue();
    assertThat(decision.reason()).isEqualTo("fired [performance_floor]");
    assertThat(decision.rules())
        .anyMatch(rule -> rule.contains(String.format("new_rows = %.4f", (double) newRows)));

    // A window scored before windows were recorded in the transactions (its scoring key only):
    // the first window's rows again. Monitor lists the windows from the rows instead, and finds it.
    Dataset<Row> legacy =
        table("predictions")
            .where(col("scoring_run_id").equalTo(firstWindow))
            .withColumn("scoring_run_id", lit("legacy-run"))
            .withColumn("scored_at", current_timestamp());
    long inputVersion = legacy.select("input_version").first().getLong(0);
    assertThat(
            lakehouse()
                .appendOnce(
                    legacy,
                    "predictions",
                    ScoringWindow.scoringKey("gen", 1, "gen_raw", inputVersion, "legacy"),
                    1,
                    false))
        .isPresent();
    MonitorResult afterLegacy =
        new MonitorJob(spark, MonitorSettings.from(settings(fairness))).run();
    assertThat(afterLegacy.drifted()).containsOnlyKeys("legacy-run");
    assertThat(afterLegacy.drifted().get("legacy-run"))
        .filteredOn(f -> !f.equals(Baseline.PREDICTION))
        .isEmpty();
    assertThat(afterLegacy.driftedFromPrevious().get("legacy-run"))
        .filteredOn(f -> !f.equals(Baseline.PREDICTION))
        .containsExactly("x1", "c");
    assertThat(afterLegacy.labelled()).containsExactly(Map.entry("legacy-run", 1000L));
  }

  private Lakehouse lakehouse() {
    return new Lakehouse(spark, new LakehouseSettings(dir.resolve("lake").toString(), "sluice"));
  }
}
