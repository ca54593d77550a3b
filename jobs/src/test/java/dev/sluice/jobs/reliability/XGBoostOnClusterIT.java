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
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * XGBoost on the standalone cluster (two workers of one core each): the train job, submitted with
 * spark-submit, boosts with a worker per executor and registers a model whose test AUC is that of
 * the same job in local mode on the same snapshot.
 */
@ExtendWith(LocalCluster.class)
class XGBoostOnClusterIT extends SparkTestBase {
  /** The bound: the same data and settings give the same model up to worker placement. */
  private static final double AUC_TOLERANCE = 0.002;

  private static final Map<String, String> TRAIN =
      Map.of(
          "sluice.train.estimators", "[xgboost]",
          "sluice.train.grids.xgboost.numRound", "[200]",
          "sluice.train.grids.xgboost.max_depth", "[4]");

  @TempDir Path dir;

  @Test
  void trainsAWorkerPerExecutorWithTheMetricsOfLocalMode() throws Exception {
    Path spec = dir.resolve("gen.conf");
    Files.writeString(spec, TrainTestData.spec(dir, TaskType.BINARY));
    Path local = dir.resolve("local");
    Map<String, String> sets = Map.of("sluice.lakehouse.root", local.toString());
    new IngestJob(spark, IngestSettings.from(TestSpecs.load(Files.readString(spec), sets))).run();
    new FeaturesJob(spark, FeaturesSettings.from(TestSpecs.load(Files.readString(spec), sets)))
        .run();
    Path cluster = dir.resolve("cluster");
    TestLakehouses.copy(local, cluster);

    Map<String, String> train = new HashMap<>(TRAIN);
    train.putAll(sets);
    new TrainJob(spark, TrainSettings.from(TestSpecs.load(Files.readString(spec), train))).run();

    List<String> args = new ArrayList<>(List.of("train", "--config", spec.toString()));
    args.addAll(List.of("--set", "sluice.lakehouse.root=" + cluster));
    TRAIN.forEach((key, value) -> args.addAll(List.of("--set", key + "=" + value)));
    Process run =
        Scripts.builder(
                dir.resolve("logs"), "train", LocalCluster.get().submitEnv(), "spark-submit", args)
            .start();
    assertThat(run.waitFor(10, TimeUnit.MINUTES)).isTrue();
    Scripts.Result result = Scripts.result(dir.resolve("logs"), "train", run.exitValue());
    assertThat(result.exitCode()).as(result.stderr()).isZero();
    // Each XGBoost worker logs the rank it got to its executor's stderr: both executors (one core
    // each) ran workers of every fit, ranks 0 and 1 and no other.
    List<String> executorLogs = executorLogs(appId(cluster));
    assertThat(executorLogs).hasSize(2).allSatisfy(log -> assertThat(log).contains("got rank"));
    String all = String.join("\n", executorLogs);
    assertThat(all).contains("got rank 0", "got rank 1").doesNotContain("got rank 2");

    double localAuc = testAuc(local);
    double clusterAuc = testAuc(cluster);
    assertThat(clusterAuc).isCloseTo(localAuc, within(AUC_TOLERANCE));
    assertThat(localAuc).isGreaterThan(0.8);
    System.out.println(
        "XGBoostOnClusterIT: test AUC local " + localAuc + ", on the cluster " + clusterAuc);
  }

  private double testAuc(Path lake) {
    Row row =
        spark
            .read()
            .format("delta")
            .load(lake + "/model_metrics")
            .where("registered AND split = 'test' AND metric = 'areaUnderROC'")
            .selectExpr("estimator", "value")
            .first();
    assertThat(row.getString(0)).isEqualTo("xgboost");
    return row.getDouble(1);
  }

  /** The Spark application id of the lakehouse's train run. */
  private String appId(Path lake) {
    return spark
        .read()
        .format("delta")
        .load(lake + "/job_runs")
        .where("job = 'train'")
        .select("app_id")
        .first()
        .getString(0);
  }

  /** The stderr of each executor of application {@code appId}, from the workers' folders. */
  private static List<String> executorLogs(String appId) throws java.io.IOException {
    List<String> logs = new ArrayList<>();
    try (var files = Files.walk(LocalCluster.get().dir().resolve("work"))) {
      for (Path stderr :
          files
              .filter(p -> p.getFileName().toString().equals("stderr"))
              .filter(p -> p.toString().contains("/" + appId + "/"))
              .toList()) {
        logs.add(Files.readString(stderr));
      }
    }
    return logs;
  }
}
