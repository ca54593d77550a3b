package dev.sluice.jobs.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code scripts/spark-submit --deploy-mode cluster} on the standalone cluster: each job's driver
 * runs on a worker, in the worker's own folder, with the settings its command line named here (a
 * relative data-set file, a relative lakehouse and relative source files), and the chain ingest,
 * features, train registers a model version from the rows of the batch.
 */
@ExtendWith(LocalCluster.class)
class ClusterDeployModeIT {
  private static final int ROWS = 300;

  @TempDir Path dir;

  @Test
  void theChainRunsWithEveryDriverOnTheClusterAndTheSettingsNamedHere() throws Exception {
    // The data-set file names its batch by a path relative to the submitting directory.
    Path conf = TinyDataset.write(dir.resolve("data"), ROWS);
    Path batch = dir.resolve("data/tiny.csv");
    Files.writeString(
        conf,
        Files.readString(conf)
            .replace(batch.toString(), Scripts.HOME.relativize(batch).toString()));
    String relativeConf = Scripts.HOME.relativize(conf).toString();
    String relativeLake = Scripts.HOME.relativize(dir.resolve("lake")).toString();
    LocalCluster.Running cluster = LocalCluster.get();
    Path logs = dir.resolve("logs");

    // A bad setting fails here, before anything is submitted.
    Scripts.Result bad =
        Scripts.run(
            logs,
            "bad",
            cluster.submitEnv(),
            "spark-submit",
            List.of("--deploy-mode", "cluster", "ingest", "--set", "sluice.trian.folds=2"));
    assertThat(bad.exitCode()).isEqualTo(2);
    assertThat(bad.stderr()).contains("Unknown setting 'sluice.trian.folds'");
    long driversBefore = drivers(cluster.dir());

    List<List<String>> chain =
        List.of(List.of("ingest", "--source", "train"), List.of("features"), List.of("train"));
    for (List<String> job : chain) {
      List<String> args = new ArrayList<>(List.of("--deploy-mode", "cluster"));
      args.addAll(job);
      args.addAll(
          List.of(
              "--config",
              relativeConf,
              "--set",
              "sluice.lakehouse.root=" + relativeLake,
              "--set",
              "sluice.train.estimators=[logistic-regression]",
              "--set",
              "sluice.train.folds=2"));
      Scripts.Result run = Scripts.run(logs, job.get(0), cluster.submitEnv(), "spark-submit", args);
      assertThat(run.exitCode()).as(job + ": " + run.stderr()).isZero();
    }
    assertThat(drivers(cluster.dir()) - driversBefore)
        .as("a driver on a worker per job")
        .isEqualTo(chain.size());

    Scripts.Result shell =
        Scripts.run(
            logs,
            "sql",
            Map.of(),
            "sql.sh",
            List.of(
                "-e",
                "SELECT 'raw', count(*) FROM sluice.tiny_raw;"
                    + " SELECT 'versions', count(*) FROM sluice.model_registry;"
                    + " SELECT 'runs', count(*) FROM sluice.job_runs WHERE status = 'SUCCEEDED';",
                "--format",
                "csv",
                "--set",
                "sluice.lakehouse.root=" + dir.resolve("lake")));
    assertThat(shell.exitCode()).as(shell.stderr()).isZero();
    assertThat(shell.stdout().lines().map(String::strip).toList())
        .contains("raw," + ROWS, "versions,1", "runs,3");
  }

  /** The drivers the cluster's workers have run: one folder each in a worker's work folder. */
  private static long drivers(Path clusterDir) throws Exception {
    try (Stream<Path> files = Files.walk(clusterDir.resolve("work"), 2)) {
      return files.filter(p -> p.getFileName().toString().startsWith("driver-")).count();
    }
  }
}
