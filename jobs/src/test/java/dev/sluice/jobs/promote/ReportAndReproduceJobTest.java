package dev.sluice.jobs.promote;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.common.Columns;
import dev.sluice.common.dataset.TaskType;
import dev.sluice.common.settings.FeaturesSettings;
import dev.sluice.common.settings.IngestSettings;
import dev.sluice.common.settings.LoadedSettings;
import dev.sluice.common.settings.MaintainSettings;
import dev.sluice.common.settings.PromoteSettings;
import dev.sluice.common.settings.ReportSettings;
import dev.sluice.common.settings.ReproduceSettings;
import dev.sluice.common.settings.TrainSettings;
import dev.sluice.common.testing.SparkTestBase;
import dev.sluice.common.testing.TestLakehouses;
import dev.sluice.common.testing.TestSpecs;
import dev.sluice.jobs.features.FeaturesJob;
import dev.sluice.jobs.ingest.IngestJob;
import dev.sluice.jobs.maintain.MaintainJob;
import dev.sluice.jobs.report.ReportJob;
import dev.sluice.jobs.report.ReportResult;
import dev.sluice.jobs.reproduce.ReproduceJob;
import dev.sluice.jobs.reproduce.ReproduceResult;
import dev.sluice.jobs.train.TrainJob;
import dev.sluice.jobs.train.TrainResult;
import dev.sluice.jobs.train.TrainTestData;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.commons.io.FileUtils;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.classification.RandomForestClassificationModel;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The report and the reproduction of one random-forest version, trained once for both. */
class ReportAndReproduceJobTest extends SparkTestBase {
  private static final Pattern CHART =
      Pattern.compile(
          "<svg id='([a-z-]+)'[^>]*>.*?class='series' data-points='(\\d+)'", Pattern.DOTALL);

  /** A lakehouse with version 1 trained (ingest, features, train): each test copies it. */
  @TempDir static Path trained;

  @TempDir Path dir;

  private static LoadedSettings settings(Path root, Map<String, String> overrides)
      throws IOException {
    Map<String, String> sets = new HashMap<>(overrides);
    sets.put("sluice.lakehouse.root", root.resolve("lake").toString());
    sets.put("sluice.train.estimators", "[random-forest]");
    sets.put("sluice.features.split.train", "0.5");
    sets.put("sluice.features.split.validation", "0.2");
    sets.put("sluice.features.split.test", "0.3");
    sets.put("sluice.promote.slices.columns", "[c]");
    sets.put("sluice.promote.slices.min-rows", "10");
    sets.put("sluice.promote.bootstrap.resamples", "20");
    // Every copy reads the same data file, so the batch it ingested stays the same batch.
    return TestSpecs.load(TrainTestData.spec(trained, TaskType.BINARY), sets);
  }

  private LoadedSettings settings(Map<String, String> overrides) throws IOException {
    return settings(dir, overrides);
  }

  private LoadedSettings settings() throws IOException {
    return settings(Map.of());
  }

  @BeforeAll
  static void trainOnce() throws IOException {
    new IngestJob(spark, IngestSettings.from(settings(trained, Map.of()))).run();
    new FeaturesJob(spark, FeaturesSettings.from(settings(trained, Map.of()))).run();
    new TrainJob(spark, TrainSettings.from(settings(trained, Map.of()))).run();
  }

  /** This test's own copy of the trained lakehouse. */
  private void copyTrained() {
    TestLakehouses.copy(trained.resolve("lake"), dir.resolve("lake"));
  }

  @Test
  void everyChartIsThereWithItsPoints() throws IOException {
    copyTrained();
    new PromoteJob(spark, PromoteSettings.from(settings())).run();
    ReportResult result = new ReportJob(spark, ReportSettings.from(settings())).run();

    String html =
        Files.readString(Path.of(URI.create(result.path().replace("file:/", "file:///"))));
    Map<String, Integer> charts = new LinkedHashMap<>();
    Matcher matcher = CHART.matcher(html);
    while (matcher.find()) {
      charts.put(matcher.group(1), Integer.valueOf(matcher.group(2)));
    }
    assertThat(charts)
        .containsOnlyKeys("roc", "pr", "calibration", "model-importance", "permutation-importance");
    assertThat(charts).isEqualTo(result.chartPoints());
    // Both curves come from the same thresholds: ROC adds (0,0) and (1,1), PR adds (0, precision at
    // the top).
    assertThat(charts.get("roc")).isEqualTo(charts.get("pr") + 1);
    assertThat(charts.get("calibration")).isBetween(2, 10);
    // The forest's importances of x1, x2 and c, as train stored them; the same three input columns
    // permuted.
    assertThat(charts.get("model-importance")).isEqualTo(3);
    assertThat(charts.get("permutation-importance")).isEqualTo(3);
    assertThat(importanceChart(html, "model-importance"))
        .contains(">x1</text>", ">x2</text>", ">c</text>")
        .contains("Model importance (random-forest, impurity)");
    assertThat(html)
        .contains("<h2>Confusion matrix (test)</h2>")
        .contains("<h2>Slices (test, areaUnderROC)</h2>")
        .contains("Verdict PROMOTED")
        .contains("<td>snapshot</td><td>gen_snapshot v1</td>")
        // Self-contained: nothing is fetched (the SVG namespace URI is a name, not a request).
        .doesNotContain("<script")
        .doesNotContain("src=")
        .doesNotContain("href=")
        .doesNotContain("url(")
        .doesNotContain("@import");

    // The report appended its permutation importance once; a second report of the version reads
    // it back, adds no row and draws the same chart.
    String lake = dir.resolve("lake").toString();
    String byKind =
        "SELECT kind, count(*), min(f.run_id) = max(f.run_id), min(j.job) FROM delta.`"
            + lake
            + "/feature_importance` f JOIN delta.`"
            + lake
            + "/job_runs` j ON f.run_id = j.run_id GROUP BY kind ORDER BY kind";
    List<String> before = strings(byKind);
    assertThat(before).containsExactly("[impurity,3,true,train]", "[permutation,3,true,report]");
    ReportResult again = new ReportJob(spark, ReportSettings.from(settings())).run();
    assertThat(again.chartPoints()).isEqualTo(result.chartPoints());
    assertThat(strings(byKind)).isEqualTo(before);
    assertThat(
            importanceChart(
                Files.readString(Path.of(URI.create(again.path().replace("file:/", "file:///")))),
                "permutation-importance"))
        .isEqualTo(importanceChart(html, "permutation-importance"));

    // A version trained before train recorded importances: the report says so.
    spark.sql("DELETE FROM delta.`" + lake + "/feature_importance` WHERE kind = 'impurity'");
    ReportResult older = new ReportJob(spark, ReportSettings.from(settings())).run();
    assertThat(older.chartPoints()).doesNotContainKey("model-importance");
    assertThat(Files.readString(Path.of(URI.create(older.path().replace("file:/", "file:///")))))
        .contains("Version 1 has no model importances in feature_importance");
  }

  private List<String> strings(String query) {
    return spark.sql(query).collectAsList().stream().map(Row::toString).toList();
  }

  /** The SVG of one chart of a report. */
  private static String importanceChart(String html, String id) {
    int start = html.indexOf("<svg id='" + id + "'");
    assertThat(start).as(id).isNotNegative();
    return html.substring(start, html.indexOf("</svg>", start));
  }

  @Test
  void aRegisteredVersionReproducesAndAChangedSnapshotDoesNot() throws IOException {
    copyTrained();
    ReproduceResult same =
        new ReproduceJob(spark, ReproduceSettings.from(settings(Map.of()))).run();
    assertThat(same.match()).isTrue();
    assertThat(same.maxAbsDifference()).isZero();
    assertThat(same.exitCode()).isZero();

    // Rebuild the snapshot with another split seed: version 1 now holds other rows in each split.
    FileUtils.deleteDirectory(dir.resolve("lake/gen_snapshot").toFile());
    new FeaturesJob(
            spark, FeaturesSettings.from(settings(Map.of("sluice.features.split.seed", "99"))))
        .run();
    ReproduceResult changed =
        new ReproduceJob(spark, ReproduceSettings.from(settings(Map.of()))).run();
    assertThat(changed.match()).isFalse();
    assertThat(changed.differences()).isNotEmpty();
    assertThat(changed.exitCode()).isEqualTo(ReproduceResult.MISMATCH_EXIT_CODE);
    assertThat(
            spark
                .read()
                .format("delta")
                .load(dir.resolve("lake/reproducibility_checks").toString())
                .orderBy("checked_at")
                .select("status")
                .collectAsList())
        .extracting(r -> r.getString(0))
        .containsExactly("MATCH", "MISMATCH");
  }

  @Test
  void maintainWithNoRetentionKeepsTheVersionsRegisteredModelsWereTrainedOn() throws IOException {
    copyTrained();
    long trainedOn = lakehouse().version("gen_snapshot").getAsLong();
    // Rebuilt with another seed: the version trained on is not the latest, and its files are
    // removed from the table.
    new FeaturesJob(
            spark, FeaturesSettings.from(settings(Map.of("sluice.features.split.seed", "99"))))
        .run();
    Path snapshot = dir.resolve("lake/gen_snapshot");
    long files = parquetFiles(snapshot);

    MaintainJob.MaintainResult result =
        new MaintainJob(
                spark,
                MaintainSettings.from(
                    settings(
                        Map.of(
                            "sluice.maintain.retention-hours",
                            "0",
                            "sluice.maintain.tables",
                            "[gen_snapshot, data_profiles]"))))
            .run();
    // The snapshot keeps the version the registry records, in whole hours; a table no model
    // refers to gets the retention asked for.
    assertThat(result.tables())
        .extracting(
            MaintainJob.Kept::table,
            kept -> kept.protectedVersion().isPresent() ? kept.protectedVersion().getAsLong() : -1,
            MaintainJob.Kept::retentionHours)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("gen_snapshot", trainedOn, 1.0),
            org.assertj.core.groups.Tuple.tuple("data_profiles", -1L, 0.0));
    // Compaction added a file; none the version trained on reads went.
    assertThat(parquetFiles(snapshot)).isGreaterThanOrEqualTo(files);
    ReproduceResult oldest =
        new ReproduceJob(spark, ReproduceSettings.from(settings(Map.of()))).run();
    assertThat(oldest.match()).isTrue();
  }

  private dev.sluice.common.lakehouse.Lakehouse lakehouse() {
    return new dev.sluice.common.lakehouse.Lakehouse(
        spark,
        new dev.sluice.common.settings.LakehouseSettings(dir.resolve("lake").toString(), "sluice"));
  }

  private static long parquetFiles(Path table) throws IOException {
    try (var files = Files.walk(table)) {
      return files.filter(p -> p.toString().endsWith(".parquet")).count();
    }
  }

  @Test
  void aVersionTrainedOnBalancedClassWeightsReproduces() throws IOException {
    copyTrained();
    TrainResult trained =
        new TrainJob(
                spark,
                TrainSettings.from(settings(Map.of("sluice.train.class-weight", "balanced"))))
            .run();
    assertThat(trained.registeredVersion()).hasValue(2);
    List<Row> versions =
        spark
            .read()
            .format("delta")
            .load(dir.resolve("lake/model_registry").toString())
            .orderBy("version")
            .select("artifact_path", "test_metrics")
            .collectAsList();
    // The saved forest names the weight column it was fitted with; evaluating it on the test split,
    // which has none, gave its test metrics. Version 1, the same forest without weights, scored
    // differently.
    PipelineModel saved = PipelineModel.load(versions.get(1).getString(0));
    RandomForestClassificationModel forest =
        (RandomForestClassificationModel) saved.stages()[saved.stages().length - 1];
    assertThat(forest.getWeightCol()).isEqualTo(Columns.CLASS_WEIGHT);
    assertThat(versions.get(1).getJavaMap(1)).isNotEqualTo(versions.get(0).getJavaMap(1));

    // The recorded settings weigh the refit's rows again: the same forest, the same metrics.
    ReproduceResult reproduced =
        new ReproduceJob(spark, ReproduceSettings.from(settings(Map.of()))).run();
    assertThat(reproduced.match()).isTrue();
    assertThat(reproduced.maxAbsDifference()).isZero();
  }
}
