package dev.sluice.jobs.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocatedFileStatus;
import org.apache.hadoop.fs.RemoteIterator;
import org.apache.hadoop.hdfs.MiniDFSCluster;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole chain with the lakehouse on a real HDFS (a NameNode and a DataNode on loopback, started
 * by the test): scripts/run-pipeline.sh writes every table to {@code hdfs://} as it does to a local
 * disk (the same tables with the same rows), the SQL shell reads them by name and travels back in
 * time, and every file keeps the private permissions it gets on a local disk.
 */
class HdfsLakehouseIT {
  private static final int ROWS = 400;

  @TempDir static Path dir;
  private static MiniDFSCluster hdfs;
  private static URI root;

  @BeforeAll
  static void startHdfs() throws IOException {
    Configuration conf = new Configuration();
    conf.set(MiniDFSCluster.HDFS_MINIDFS_BASEDIR, dir.resolve("hdfs").toString());
    conf.setBoolean("dfs.permissions.enabled", true);
    hdfs = new MiniDFSCluster.Builder(conf).numDataNodes(1).build();
    hdfs.waitActive();
    root = hdfs.getFileSystem().getUri().resolve("/sluice");
  }

  @AfterAll
  static void stopHdfs() {
    if (hdfs != null) {
      hdfs.shutdown();
    }
  }

  private static List<String> settings(String lakehouse, String... more) {
    List<String> args = new ArrayList<>();
    for (String set :
        List.of(
            "sluice.lakehouse.root=" + lakehouse,
            "sluice.train.estimators=[logistic-regression]",
            "sluice.train.folds=2",
            "sluice.promote.bootstrap.resamples=20")) {
      args.add("--set");
      args.add(set);
    }
    args.addAll(List.of(more));
    return args;
  }

  /** Runs the whole chain on the tiny data set into {@code lakehouse}; its seconds. */
  private static long pipeline(Path conf, Path logs, String name, String lakehouse)
      throws Exception {
    List<String> args = new ArrayList<>(List.of("--dataset", conf.toString()));
    args.addAll(settings(lakehouse));
    long start = System.nanoTime();
    Scripts.Result run = Scripts.run(logs, name, Map.of(), "run-pipeline.sh", args);
    long seconds = (System.nanoTime() - start) / 1_000_000_000L;
    assertThat(run.exitCode()).as(run.stderr()).isZero();
    assertThat(run.stdout()).contains("Tables are under " + lakehouse);
    return seconds;
  }

  /** Each table's row count, and the registry's at its first version, read by the SQL shell. */
  private static List<String> counts(Path logs, String name, String lakehouse, List<String> tables)
      throws Exception {
    StringBuilder statements = new StringBuilder();
    for (String table : tables) {
      statements.append("SELECT '").append(table).append("' AS t, count(*) AS n FROM sluice.");
      statements.append(table).append("; ");
    }
    statements.append(
        "SELECT 'model_registry@0' AS t, count(*) AS n FROM sluice.model_registry VERSION AS OF 0;");
    List<String> sql = new ArrayList<>(List.of("-e", statements.toString(), "--format", "csv"));
    sql.addAll(settings(lakehouse));
    Scripts.Result shell = Scripts.run(logs, name, Map.of(), "sql.sh", sql);
    assertThat(shell.exitCode()).as(shell.stderr()).isZero();
    return shell
        .stdout()
        .lines()
        .map(String::strip)
        .filter(line -> line.contains(",") && !line.equals("t,n"))
        .toList();
  }

  @Test
  void theChainWritesEveryTableToHdfsAsOnALocalDiskAndTheShellReadsThemByNameAndVersion()
      throws Exception {
    Path conf = TinyDataset.write(dir.resolve("data"), ROWS);
    Path logs = dir.resolve("logs");
    String local = dir.resolve("local").toUri().toString();
    long localSeconds = pipeline(conf, logs, "pipeline-local", local);
    long hdfsSeconds = pipeline(conf, logs, "pipeline-hdfs", root.toString());
    System.out.printf(
        "[HdfsLakehouseIT] the chain on %d rows: local disk %d s, HDFS %d s%n",
        ROWS, localSeconds, hdfsSeconds);

    FileSystem fs = hdfs.getFileSystem();
    List<String> tables = new ArrayList<>();
    for (FileStatus table : fs.listStatus(new org.apache.hadoop.fs.Path(root))) {
      if (fs.exists(new org.apache.hadoop.fs.Path(table.getPath(), "_delta_log"))) {
        tables.add(table.getPath().getName());
      }
    }
    assertThat(tables)
        .contains(
            "tiny_raw",
            "tiny_snapshot",
            "model_registry",
            "alias_log",
            "promotion_log",
            "predictions",
            "drift_metrics",
            "retrain_decisions",
            "job_runs");
    assertThat(tables).containsExactlyInAnyOrderElementsOf(tablesUnder(dir.resolve("local")));

    // Private, as on a local disk: no file or folder readable by group or others.
    List<String> open = new ArrayList<>();
    int checked = 0;
    RemoteIterator<LocatedFileStatus> files =
        fs.listFiles(new org.apache.hadoop.fs.Path(root), true);
    Set<org.apache.hadoop.fs.Path> folders = new TreeSet<>();
    while (files.hasNext()) {
      LocatedFileStatus file = files.next();
      if (!file.getPermission().toString().equals("rw-------")) {
        open.add(file.getPath() + " " + file.getPermission());
      }
      for (org.apache.hadoop.fs.Path up = file.getPath().getParent();
          up != null && up.depth() > 0;
          up = up.getParent()) {
        folders.add(up);
      }
      checked++;
    }
    for (org.apache.hadoop.fs.Path folder : folders) {
      String permission = fs.getFileStatus(folder).getPermission().toString();
      if (!permission.equals("rwx------")) {
        open.add(folder + " " + permission);
      }
    }
    assertThat(checked).isGreaterThan(20);
    assertThat(open).isEmpty();

    // The same rows in every table, read by name; the registry was created empty, then appended.
    List<String> onHdfs = counts(logs, "sql-hdfs", root.toString(), tables);
    assertThat(onHdfs)
        .hasSize(tables.size() + 1)
        .contains("tiny_raw," + ROWS, "model_registry,1", "model_registry@0,0");
    assertThat(onHdfs).isEqualTo(counts(logs, "sql-local", local, tables));
  }

  private static List<String> tablesUnder(Path lakehouse) throws IOException {
    try (Stream<Path> folders = Files.list(lakehouse)) {
      return folders
          .filter(folder -> Files.isDirectory(folder.resolve("_delta_log")))
          .map(folder -> folder.getFileName().toString())
          .toList();
    }
  }
}
