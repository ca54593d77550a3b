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
    // XGBoost's tracker on the driver logs the rank it hands each worker: two, whose barrier tasks
    // run at once, so on the two executors of one core each.
    String log = result.stdout() + result.stderr();
    assertThat(log).contains("Task 0 got rank 0", "Task 1 got rank 1");
    assertThat(log).doesNotContain("Task 2 got rank");

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
}
