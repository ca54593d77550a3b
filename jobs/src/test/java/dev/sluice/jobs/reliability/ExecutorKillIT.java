package dev.sluice.jobs.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.sluice.common.dataset.TaskType;
import dev.sluice.common.settings.FeaturesSettings;
import dev.sluice.common.settings.IngestSettings;
import dev.sluice.common.settings.TrainSettings;
import dev.sluice.common.testing.SparkTestBase;
import dev.sluice.common.testing.TestLakehouses;
import dev.sluice.common.testing.TestSpecs;
import dev.sluice.jobs.features.FeaturesJob;
import dev.sluice.jobs.ingest.IngestJob;
import dev.sluice.jobs.train.TrainJob;
import dev.sluice.jobs.train.TrainTestData;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Scenario 4: an executor killed with SIGKILL while the train job cross-validates on the standalone
 * cluster. Pass: the job exits 0, the driver saw the executor lost, and the registered estimator,
 * parameters and every validation/test metric equal those of a clean run of the same job on the
 * same snapshot (in this process: the job's results do not depend on where its tasks run, which
 * TrainJobTest checks for its parallelism).
 */
@ExtendWith(LocalCluster.class)
class ExecutorKillIT extends SparkTestBase {
  /** Metrics are sums over partitions whose merge order may follow task completion. */
  private static final double METRIC_TOLERANCE = 1e-12;

  @TempDir Path dir;

  /** The training settings of both runs: one estimator, a two-point grid. */
  private static final Map<String, String> TRAIN =
      Map.of(
          "sluice.train.estimators",
          "[logistic-regression]",
          "sluice.train.grids.logistic-regression",
          "{regParam = [0.0, 0.1], maxIter = [30]}");

  private Process train(String name, Path lake, Path spec) throws Exception {
    List<String> args = new ArrayList<>(List.of("train", "--config", spec.toString()));
    args.addAll(List.of("--set", "sluice.lakehouse.root=" + lake));
    TRAIN.forEach((key, value) -> args.addAll(List.of("--set", key + "=" + value)));
    return Scripts.builder(
            dir.resolve("logs"), name, LocalCluster.get().submitEnv(), "spark-submit", args)
        .start();
  }

  private List<String> registered(Path lake) {
    return spark
        .read()
        .format("delta")
        .load(lake + "/model_registry")
        // A map's entry order is not part of its value: compare the sorted entries.
        .selectExpr("estimator", "to_json(array_sort(map_entries(params)))", "selection_metric")
        .collectAsList()
        .stream()
        .map(Row::toString)
        .toList();
  }

  private List<Row> metrics(Path lake) {
    return spark
        .read()
        .format("delta")
        .load(lake + "/model_metrics")
        .where("registered")
        .select("split", "metric", "value")
        .orderBy("split", "metric")
        .collectAsList();
  }

  @Test
  void trainingSurvivesALostExecutorWithTheSameResult() throws Exception {
    Path spec = dir.resolve("gen.conf");
    Files.writeString(spec, TrainTestData.spec(dir, TaskType.BINARY));
    Path clean = dir.resolve("clean");
    Map<String, String> sets = Map.of("sluice.lakehouse.root", clean.toString());
    new IngestJob(spark, IngestSettings.from(TestSpecs.load(Files.readString(spec), sets))).run();
    new FeaturesJob(spark, FeaturesSettings.from(TestSpecs.load(Files.readString(spec), sets)))
        .run();
    Path killed = dir.resolve("killed");
    TestLakehouses.copy(clean, killed);

    // The clean run: the same job and settings in this process, on spark-submit's shuffle
    // partitions; the job's results do not depend on where its tasks run.
    Map<String, String> train = new HashMap<>(TRAIN);
    train.putAll(sets);
    String partitions = spark.conf().get("spark.sql.shuffle.partitions");
    spark.conf().set("spark.sql.shuffle.partitions", "16");
    try {
      new TrainJob(spark, TrainSettings.from(TestSpecs.load(Files.readString(spec), train))).run();
    } finally {
      spark.conf().set("spark.sql.shuffle.partitions", partitions);
    }

    Process run = train("killed", killed, spec);
    Path stderr = dir.resolve("logs/killed.err");
    // Cross-validation starts once the features are fitted: kill an executor then.
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(8);
    Pattern featuresFitted = Pattern.compile("train: fit features \\S+ took");
    while (!featuresFitted.matcher(Files.readString(stderr)).find()
        && run.isAlive()
        && System.nanoTime() < deadline) {
      Thread.sleep(200);
    }
    List<ClusterProcesses.Proc> executors = ClusterProcesses.executors(LocalCluster.get().dir());
    assertThat(executors).as("executors of the running job").isNotEmpty();
    long victim = executors.get(0).pid();
    new ProcessBuilder("kill", "-9", Long.toString(victim)).start().waitFor();

    assertThat(run.waitFor(10, TimeUnit.MINUTES)).isTrue();
    Scripts.Result result = Scripts.result(dir.resolve("logs"), "killed", run.exitValue());
    assertThat(result.exitCode()).as(result.stderr()).isZero();
    assertThat(result.stderr()).contains("Lost executor");

    assertThat(registered(killed)).isEqualTo(registered(clean)).hasSize(1);
    List<Row> expected = metrics(clean);
    List<Row> actual = metrics(killed);
    assertThat(actual).hasSameSizeAs(expected).isNotEmpty();
    for (int i = 0; i < expected.size(); i++) {
      assertThat(actual.get(i).getString(0) + "/" + actual.get(i).getString(1))
          .isEqualTo(expected.get(i).getString(0) + "/" + expected.get(i).getString(1));
      assertThat(actual.get(i).getDouble(2))
          .as(expected.get(i).toString())
          .isCloseTo(expected.get(i).getDouble(2), within(METRIC_TOLERANCE));
    }
    Row runs =
        spark
            .read()
            .format("delta")
            .load(killed + "/job_runs")
            .where("job = 'train'")
            .selectExpr("status", "failed_tasks")
            .first();
    assertThat(runs.getString(0)).isEqualTo("SUCCEEDED");
    System.out.println(
        "ExecutorKillIT: killed executor pid "
            + victim
            + "; failed tasks in the run: "
            + runs.getLong(1)
            + "; exact metric equality: "
            + actual.equals(expected));
  }
}
