package dev.sluice.jobs.sql;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sluice.common.dataset.TaskType;
import dev.sluice.common.lakehouse.Lakehouse;
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
import dev.sluice.jobs.features.FeaturesJob;
import dev.sluice.jobs.features.FeaturesResult;
import dev.sluice.jobs.ingest.IngestJob;
import dev.sluice.jobs.ingest.IngestResult;
import dev.sluice.jobs.monitor.MonitorJob;
import dev.sluice.jobs.promote.PromoteJob;
import dev.sluice.jobs.score.ScoreJob;
import dev.sluice.jobs.train.GeneratedData;
import dev.sluice.jobs.train.TrainJob;
import dev.sluice.jobs.train.TrainTestData;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs every file of conf/queries, through the SQL shell and the catalog, against a tiny lakehouse
 * built in-process by the real jobs: a generated binary data set (600 rows), a first model with an
 * absurd grid (constant scores) promoted for want of a champion, a second, good model promoted over
 * it, a clean batch and a shifted batch with three bad lines each scored and monitored.
 */
class LakehouseQueriesTest extends SparkTestBase {
  private static final Path QUERIES = Path.of("..", "conf", "queries");
  private static final String MODEL = "gen";
  private static final String ABSURD_ONLY =
      "{regParam = [1000.0], elasticNetParam = [1.0], maxIter = [50]}";
  private static final List<String> BAD_LINES =
      List.of("oops,0.5,a,yes", "0.5,0.5,a", "0.5,0.5,a,maybe");
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir static Path dir;

  private static LakehouseSettings lakehouseSettings;
  private static FeaturesResult features;
  private static IngestResult train;
  private static IngestResult same;
  private static IngestResult shifted;
  private static Path shiftedFile;
  private static Instant betweenPromotions;

  private static LoadedSettings settings(Map<String, String> overrides) throws IOException {
    Map<String, String> sets = new HashMap<>(overrides);
    sets.put("sluice.lakehouse.root", dir.resolve("lake").toString());
    sets.put("sluice.train.estimators", "[logistic-regression]");
    sets.put("sluice.promote.bootstrap.resamples", "50");
    return TestSpecs.load(TrainTestData.spec(dir, TaskType.BINARY), sets);
  }

  private static IngestResult ingestAndScore(String name, Path file) throws IOException {
    Map<String, String> batch =
        Map.of("sluice.ingest.files", "[\"" + file + "\"]", "sluice.ingest.source", name);
    IngestResult ingested = new IngestJob(spark, IngestSettings.from(settings(batch))).run();
    new ScoreJob(
            spark,
            ScoreSettings.from(settings(Map.of("sluice.score.batch-id", ingested.batchId()))))
        .run();
    return ingested;
  }

  @BeforeAll
  static void runPipeline() throws IOException {
    lakehouseSettings = new LakehouseSettings(dir.resolve("lake").toString(), "sluice");
    Map<String, String> absurd = Map.of("sluice.train.grids.logistic-regression", ABSURD_ONLY);
    train = new IngestJob(spark, IngestSettings.from(settings(Map.of()))).run();
    features = new FeaturesJob(spark, FeaturesSettings.from(settings(Map.of()))).run();
    new TrainJob(spark, TrainSettings.from(settings(absurd))).run();
    new PromoteJob(spark, PromoteSettings.from(settings(absurd))).run();
    betweenPromotions = Instant.now();
    new TrainJob(spark, TrainSettings.from(settings(Map.of()))).run();
    new PromoteJob(spark, PromoteSettings.from(settings(Map.of()))).run();

    Path sameFile = dir.resolve("same.csv");
    GeneratedData.write(sameFile, TaskType.BINARY, 1000, 21, 0.0, 0.0);
    same = ingestAndScore("same", sameFile);
    // +1 standard deviation on x1 (as MonitorJobTest), and three lines ingest must reject.
    shiftedFile = dir.resolve("shifted.csv");
    GeneratedData.write(shiftedFile, TaskType.BINARY, 1000, 22, 1.0, 0.262);
    Files.write(shiftedFile, BAD_LINES, java.nio.file.StandardOpenOption.APPEND);
    shifted = ingestAndScore("shifted", shiftedFile);
    new MonitorJob(spark, MonitorSettings.from(settings(Map.of()))).run();
  }

  static ShellRun shell(String sql, ResultFormat format, Map<String, String> variables) {
    return ShellRun.run(spark, lakehouseSettings, format, variables, sql);
  }

  private static List<JsonNode> queryFile(String file, Map<String, String> variables)
      throws IOException {
    ShellRun run = shell(Files.readString(QUERIES.resolve(file)), ResultFormat.JSON, variables);
    assertThat(run.exitCode()).as(run.err()).isZero();
    return run.rows();
  }

  private static List<String> fields(List<JsonNode> rows, String... names) {
    return rows.stream()
        .map(
            row ->
                Stream.of(names)
                    .map(name -> row.hasNonNull(name) ? row.get(name).asText() : "null")
                    .toList()
                    .toString())
        .toList();
  }

  private static Row rawRow(String source, long lineNumber) {
    return spark
        .read()
        .format("delta")
        .load(dir.resolve("lake/gen_raw").toString())
        .where("source = '" + source + "' AND line_number = " + lineNumber)
        .select("row_id", "batch_id", "source_file")
        .first();
  }

  @Test
  void everyQueryFileIsCheckedHere() throws IOException {
    try (Stream<Path> files = Files.list(QUERIES)) {
      assertThat(files.map(f -> f.getFileName().toString()).filter(f -> f.endsWith(".sql")))
          .containsExactlyInAnyOrder(
              "champion.sql",
              "champion_metrics.sql",
              "prediction_lineage.sql",
              "quarantine_by_batch.sql",
              "feature_drift.sql",
              "cv_leaderboard.sql",
              "cost_by_model_version.sql");
    }
  }

  @Test
  void championNowIsTheGoodModelAndAtTimeTWasTheAbsurdOne() throws IOException {
    String at =
        DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSSSSS")
            .withZone(ZoneOffset.UTC)
            .format(betweenPromotions);
    List<JsonNode> rows = queryFile("champion.sql", Map.of("model", MODEL, "at", at));
    assertThat(fields(rows, "as_of", "version")).containsExactly("[now, 2]", "[at " + at + ", 1]");
  }

  @Test
  void championMetricsAreTheGoodModelsRegisteredMetrics() throws IOException {
    List<JsonNode> rows = queryFile("champion_metrics.sql", Map.of("model", MODEL));
    List<String> expected =
        spark
            .read()
            .format("delta")
            .load(dir.resolve("lake/model_metrics").toString())
            .where("model_version = 2 AND registered")
            .orderBy("split", "metric")
            .collectAsList()
            .stream()
            .map(
                row ->
                    List.of(
                            "2",
                            "logistic-regression",
                            row.<String>getAs("split"),
                            row.<String>getAs("metric"),
                            BigDecimal.valueOf(row.<Double>getAs("value"))
                                .setScale(6, RoundingMode.HALF_UP)
                                .stripTrailingZeros()
                                .toPlainString())
                        .toString())
            .toList();
    assertThat(expected).hasSizeGreaterThanOrEqualTo(10);
    assertThat(
            rows.stream()
                .map(
                    row ->
                        List.of(
                                row.get("version").asText(),
                                row.get("estimator").asText(),
                                row.get("split").asText(),
                                row.get("metric").asText(),
                                row.get("value")
                                    .decimalValue()
                                    .stripTrailingZeros()
                                    .toPlainString())
                            .toString())
                .toList())
        .isEqualTo(expected);
  }

  @Test
  void lineageLeadsFromAPredictionToItsSourceLine() throws IOException {
    Row raw = rawRow("shifted", 2);
    List<JsonNode> rows =
        queryFile("prediction_lineage.sql", Map.of("model", MODEL, "row_id", raw.getString(0)));
    long rawVersionScored = shifted.rawVersion().getAsLong();
    assertThat(
            fields(
                rows,
                "model_version",
                "snapshot_table",
                "snapshot_version",
                "training_raw_table",
                "training_raw_version",
                "input_table",
                "input_version",
                "batch_id",
                "source",
                "source_file",
                "line_number"))
        .containsExactly(
            List.of(
                    "2",
                    "gen_snapshot",
                    String.valueOf(features.snapshotVersion()),
                    "gen_raw",
                    String.valueOf(features.rawVersion()),
                    "gen_raw",
                    String.valueOf(rawVersionScored),
                    shifted.batchId(),
                    "shifted",
                    raw.getString(2),
                    "2")
                .toString());
    assertThat(raw.getString(2)).endsWith("shifted.csv");
    assertThat(raw.getString(1)).isEqualTo(shifted.batchId());
    assertThat(rows.get(0).get("predicted_class").asText()).isIn("yes", "no");
  }

  @Test
  void quarantineRateByReasonPerBatch() throws IOException {
    List<JsonNode> rows = queryFile("quarantine_by_batch.sql", Map.of("model", MODEL));
    double oneIn1003 =
        BigDecimal.ONE.divide(BigDecimal.valueOf(1003), 6, RoundingMode.HALF_UP).doubleValue();
    assertThat(
            rows.stream()
                .map(
                    row ->
                        List.of(
                                row.get("source").asText(),
                                row.get("accepted").asLong(),
                                row.get("quarantined").asLong(),
                                row.hasNonNull("reason") ? row.get("reason").asText() : "-",
                                row.get("reason_rows").asLong(),
                                row.get("reason_rate").asDouble())
                            .toString())
                .toList())
        .containsExactly(
            List.of("train", 600L, 0L, "-", 0L, 0.0).toString(),
            List.of("same", 1000L, 0L, "-", 0L, 0.0).toString(),
            List.of("shifted", 1000L, 3L, "FIELD_COUNT", 1L, oneIn1003).toString(),
            List.of("shifted", 1000L, 3L, "TYPE_MISMATCH:x1", 1L, oneIn1003).toString(),
            List.of("shifted", 1000L, 3L, "UNKNOWN_LABEL", 1L, oneIn1003).toString());
    assertThat(train.accepted()).isEqualTo(TrainTestData.ROWS);
  }

  @Test
  void driftOfOneFeatureOverTime() throws IOException {
    List<JsonNode> rows = queryFile("feature_drift.sql", Map.of("model", MODEL, "feature", "x1"));
    // The clean window is within the threshold; x1 moved by one standard deviation in the next.
    assertThat(fields(rows, "model_version", "window_rows", "verdict"))
        .containsExactly("[2, 1000, OK]", "[2, 1000, DRIFT]");
    assertThat(rows.get(1).get("psi").asDouble())
        .isGreaterThan(rows.get(1).get("threshold").asDouble());
  }

  @Test
  void leaderboardOfTheLastTrainingPutsTheAbsurdCandidateLast() throws IOException {
    List<JsonNode> rows = queryFile("cv_leaderboard.sql", Map.of("model", MODEL));
    assertThat(fields(rows, "rank", "model_version", "estimator", "folds"))
        .containsExactly("[1, 2, logistic-regression, 2]", "[2, 2, logistic-regression, 2]");
    assertThat(JSON.readTree(rows.get(0).get("params").asText()).get("regParam").asText())
        .isEqualTo("0.0");
    assertThat(JSON.readTree(rows.get(1).get("params").asText()).get("regParam").asText())
        .isEqualTo("1000.0");
  }

  @Test
  void costPerModelVersionAddsTrainingAndScoringTaskTime() throws IOException {
    List<JsonNode> rows = queryFile("cost_by_model_version.sql", Map.of("model", MODEL));
    assertThat(fields(rows, "model_version", "scoring_runs", "rows_scored"))
        .containsExactly("[1, 0, 0]", "[2, 2, 2000]");
    for (JsonNode row : rows) {
      assertThat(row.get("training_task_ms").asLong()).isPositive();
      assertThat(row.get("total_task_ms").asLong())
          .isEqualTo(row.get("training_task_ms").asLong() + row.get("scoring_task_ms").asLong());
    }
    assertThat(rows.get(1).get("scoring_task_ms").asLong()).isPositive();
  }

  @Test
  void everyTableAndColumnIsDocumentedInTheCatalog() {
    List<String> tables = new Lakehouse(spark, lakehouseSettings).registerAll();
    assertThat(tables)
        .contains(
            "gen_raw",
            "gen_snapshot",
            "quarantine",
            "data_profiles",
            "job_runs",
            "cv_results",
            "model_metrics",
            "model_registry",
            "alias_log",
            "promotion_log",
            "predictions",
            "model_baselines",
            "drift_metrics");
    List<String> undocumented = new ArrayList<>();
    for (String table : tables) {
      boolean columns = true;
      boolean tableComment = false;
      for (Row row : spark.sql("DESCRIBE TABLE EXTENDED sluice." + table).collectAsList()) {
        String name = row.getString(0);
        if (name.isEmpty() || name.startsWith("#")) {
          columns = false;
        } else if (columns && (row.isNullAt(2) || row.getString(2).isBlank())) {
          undocumented.add(table + "." + name);
        } else if (name.equals("Comment") && !row.getString(1).isBlank()) {
          tableComment = true;
        }
      }
      if (!tableComment) {
        undocumented.add(table);
      }
    }
    assertThat(undocumented).isEmpty();
    assertThat(spark.sql("DESCRIBE TABLE EXTENDED sluice.predictions").collectAsList())
        .extracting(Row::toString)
        .contains(
            "[model_version,bigint,Model version the training run registered or would have registered.]");
  }

  @Test
  void timeTravelAndHistoryByName() {
    long before = shifted.rawVersion().getAsLong() - 1;
    String committed =
        DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS")
            .withZone(ZoneOffset.UTC)
            .format(new Lakehouse(spark, lakehouseSettings).log().commitTime("gen_raw", before));
    ShellRun counts =
        shell(
            "SELECT count(*) AS n FROM gen_raw VERSION AS OF "
                + before
                + ";\nSELECT count(*) AS n FROM sluice.gen_raw TIMESTAMP AS OF '"
                + committed
                + "';\nSELECT count(*) AS n FROM sluice.gen_raw;",
            ResultFormat.CSV,
            Map.of());
    assertThat(counts.exitCode()).as(counts.err()).isZero();
    assertThat(counts.out()).isEqualTo("n\n1600\nn\n1600\nn\n2600\n");

    ShellRun history = shell("DESCRIBE HISTORY gen_raw", ResultFormat.JSON, Map.of());
    assertThat(history.exitCode()).as(history.err()).isZero();
    assertThat(fields(history.rows(), "version"))
        .hasSize((int) shifted.rawVersion().getAsLong() + 1)
        .startsWith("[" + shifted.rawVersion().getAsLong() + "]");
  }

  @Test
  void aFailingStatementStopsTheScriptWithExitCodeOne() {
    ShellRun run =
        shell(
            "SELECT 1 AS a; SELECT * FROM no_such_table; SELECT 2 AS b;",
            ResultFormat.CSV,
            Map.of());
    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.out()).isEqualTo("a\n1\n");
    assertThat(run.err()).contains("no_such_table");

    ShellRun unset = shell("SELECT '${model}' AS m", ResultFormat.CSV, Map.of());
    assertThat(unset.exitCode()).isEqualTo(1);
    assertThat(unset.err()).contains("variable ${model} has no value. Pass --var model=<value>.");
  }
}
