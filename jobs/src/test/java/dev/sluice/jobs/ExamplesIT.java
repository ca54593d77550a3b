package dev.sluice.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Each example file of data/examples goes through {@code infer} alone, then the main command on the
 * data-set file it wrote, and every job leaves its rows for that task. The examples run two at a
 * time, each in its own folder and lakehouse.
 */
@Execution(ExecutionMode.CONCURRENT)
class ExamplesIT {
  private static final Path HOME =
      Path.of(System.getProperty("sluice.home", "..")).toAbsolutePath().normalize();

  /** One small forest and 2 folds: the IT proves the chain runs, not that the model is good. */
  private static final List<String> SMALL_GRID =
      List.of(
          "sluice.train.estimators=[random-forest]",
          "sluice.train.folds=2",
          "sluice.train.grids.random-forest.numTrees=[10]",
          "sluice.train.grids.random-forest.maxDepth=[5]",
          "sluice.train.grids.random-forest.maxBins=[32]");

  @TempDir Path dir;

  /** Setup once, before the examples run side by side: two setups must not rebuild the jar. */
  @BeforeAll
  static void setUp() throws Exception {
    Process setup =
        new ProcessBuilder(HOME.resolve("scripts/setup.sh").toString())
            .directory(HOME.toFile())
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.DISCARD)
            .start();
    assertThat(setup.waitFor(15, TimeUnit.MINUTES)).as("setup finished").isTrue();
    assertThat(setup.exitValue()).as("scripts/setup.sh exit code").isZero();
  }

  record Result(int exitCode, String stdout, String stderr) {}

  private Result run(String name, Map<String, String> env, String script, List<String> args)
      throws IOException, InterruptedException {
    List<String> command = new ArrayList<>();
    command.add(HOME.resolve("scripts").resolve(script).toString());
    command.addAll(args);
    Path out = dir.resolve(name + ".out");
    Path err = dir.resolve(name + ".err");
    ProcessBuilder builder =
        new ProcessBuilder(command)
            .directory(HOME.toFile())
            .redirectOutput(out.toFile())
            .redirectError(err.toFile());
    builder.environment().putAll(env);
    Process process = builder.start();
    assertThat(process.waitFor(15, TimeUnit.MINUTES)).as(name + " finished").isTrue();
    return new Result(process.exitValue(), Files.readString(out), Files.readString(err));
  }

  /** The example runs end to end; {@code classes} is the label's class count, 0 for regression. */
  @ParameterizedTest(name = "{0}")
  @CsvSource({
    "churn.csv, churned, 2",
    "letters.csv, lettr, 26",
    "housing.csv, SalePrice, 0",
    "sensors.jsonl, status, 3"
  })
  void exampleRunsThroughEveryJob(String file, String label, int classes) throws Exception {
    String name = file.substring(0, file.indexOf('.'));
    Path datasetFile = dir.resolve(name + ".conf");
    Path lake = dir.resolve("lake");
    Map<String, String> env = Map.of("SLUICE_LAKEHOUSE", lake.toString());

    Result infer =
        run(
            "infer",
            env,
            "spark-submit",
            List.of(
                "infer",
                HOME.resolve("data/examples").resolve(file).toString(),
                "--label",
                label,
                "--name",
                name,
                "--output",
                datasetFile.toString()));
    assertThat(infer.exitCode()).as(infer.stderr()).isZero();

    List<String> pipelineArgs =
        new ArrayList<>(List.of("--dataset", datasetFile.toString(), "--set"));
    pipelineArgs.add("sluice.lakehouse.root=" + lake);
    for (String setting : SMALL_GRID) {
      pipelineArgs.addAll(List.of("--set", setting));
    }
    long started = System.nanoTime();
    Result pipeline = run("pipeline", env, "run-pipeline.sh", pipelineArgs);
    assertThat(pipeline.exitCode()).as(pipeline.stderr()).isZero();
    System.out.printf(
        "%s: the main command took %.0f s%n", name, (System.nanoTime() - started) / 1e9);

    // The scored rows' labels arrive, in the data set's own format, exported over SQL; monitor
    // then writes the window's performance.
    boolean json = file.endsWith(".jsonl");
    Result export =
        run(
            "labels-export",
            env,
            "sql.sh",
            List.of(
                "-e",
                ("SELECT p.row_id AS id, r.`%2$s` AS `%2$s` FROM sluice.predictions p"
                        + " JOIN sluice.%1$s_raw r ON p.row_id = r.row_id"
                        + " WHERE p.model_name = '%1$s'")
                    .formatted(name, label),
                "--format",
                json ? "json" : "csv"));
    assertThat(export.exitCode()).as(export.stderr()).isZero();
    Path labels = dir.resolve(name + "-labels" + (json ? ".jsonl" : ".csv"));
    Files.writeString(labels, export.stdout());
    List<String> jobArgs =
        List.of(
            "--config",
            HOME.resolve("conf/application.conf").toString(),
            "--config",
            datasetFile.toString(),
            "--set",
            "sluice.lakehouse.root=" + lake);
    List<String> ingestLabels = new ArrayList<>(List.of("ingest"));
    ingestLabels.addAll(jobArgs);
    ingestLabels.addAll(List.of("--kind", "labels", "--files", labels.toString()));
    Result labelled = run("labels", env, "spark-submit", ingestLabels);
    assertThat(labelled.exitCode()).as(labelled.stderr()).isZero();
    List<String> monitorArgs = new ArrayList<>(List.of("monitor"));
    monitorArgs.addAll(jobArgs);
    Result monitor = run("monitor", env, "spark-submit", monitorArgs);
    assertThat(monitor.exitCode()).as(monitor.stderr()).isZero();

    // Every count is computed by the query itself so the expected values follow the data.
    String predictionShape =
        classes == 0
            ? "probabilities IS NULL AND predicted_class IS NULL AND NOT isnan(prediction)"
            : "size(probabilities) = " + classes + " AND predicted_class IS NOT NULL";
    String query =
        String.join(
            "\n",
            "SELECT",
            "  (SELECT count(*) FROM sluice.%1$s_snapshot WHERE split = 'test') AS test_rows,",
            "  (SELECT count(*) FROM sluice.predictions WHERE model_name = '%1$s') AS predictions,",
            "  (SELECT count(*) FROM sluice.predictions WHERE model_name = '%1$s' AND %2$s) AS shaped,",
            "  (SELECT max(labelled_rows) FROM sluice.performance_metrics WHERE model_name = '%1$s')",
            "    AS labelled,",
            "  (SELECT count(*) FROM sluice.drift_metrics WHERE model_name = '%1$s') > 0 AS drift,",
            "  (SELECT max(verdict) FROM sluice.promotion_log WHERE model_name = '%1$s') AS verdict,",
            "  (SELECT count(*) FROM sluice.retrain_decisions WHERE model_name = '%1$s') AS decisions");
    Result sql =
        run(
            "sql",
            env,
            "sql.sh",
            List.of("-e", query.formatted(name, predictionShape), "--format", "csv"));
    assertThat(sql.exitCode()).as(sql.stderr()).isZero();
    List<String> lines = sql.stdout().lines().filter(line -> !line.isBlank()).toList();
    assertThat(lines.get(0))
        .isEqualTo("test_rows,predictions,shaped,labelled,drift,verdict,decisions");
    String[] values = lines.get(1).split(",");
    long testRows = Long.parseLong(values[0]);
    assertThat(testRows).isPositive();
    assertThat(values)
        .containsExactly(values[0], values[0], values[0], values[0], "true", "PROMOTED", "1");

    assertThat(lake.resolve("_models").resolve(name).resolve("v1").resolve("report.html"))
        .isNotEmptyFile();
  }
}
