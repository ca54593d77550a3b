package dev.sluice.jobs.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocatedFileStatus;
import org.apache.hadoop.fs.RemoteIterator;
import org.apache.hadoop.hdfs.MiniDFSCluster;
import org.gaul.s3proxy.AuthenticationType;
import org.gaul.s3proxy.S3Proxy;
import org.jclouds.ContextBuilder;
import org.jclouds.blobstore.BlobStore;
import org.jclouds.blobstore.BlobStoreContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole chain with the lakehouse on storage the test starts on loopback: a real HDFS (a
 * NameNode and a DataNode, Hadoop's MiniDFSCluster) and an S3-compatible server (S3Proxy with
 * jclouds' in-memory store, reached through S3A). scripts/run-pipeline.sh writes every table there
 * as it does to a local disk (the same tables with the same rows), and the SQL shell reads them by
 * name and travels back in time. On HDFS every file and folder keeps the private permissions it
 * gets on a local disk; on S3 the credentials come from the environment and appear in no output.
 */
class LakehouseStorageIT {
  private static final int ROWS = 400;
  private static final String BUCKET = "lake";
  private static final String ACCESS_KEY = "sluice-test";
  private static final String SECRET_KEY = "s3-secret-" + Long.toHexString(System.nanoTime());

  @TempDir static Path dir;
  private static Path conf;
  private static List<String> tables;
  private static List<String> localCounts;
  private static long localSeconds;

  private static MiniDFSCluster hdfs;
  private static S3Proxy s3;
  private static BlobStoreContext s3Store;

  @BeforeAll
  static void runOnALocalDisk() throws Exception {
    conf = TinyDataset.write(dir.resolve("data"), ROWS);
    Path local = dir.resolve("local");
    localSeconds = pipeline("local", local.toUri().toString(), Map.of());
    tables = TinyDataset.tables(local);
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
    localCounts = counts("local", local.toUri().toString(), Map.of());
    assertThat(localCounts)
        .hasSize(tables.size() + 1)
        .contains("tiny_raw," + ROWS, "model_registry,1", "model_registry@0,0");
    System.out.printf("[LakehouseStorageIT] %d rows on a local disk: %d s%n", ROWS, localSeconds);
  }

  @AfterAll
  static void stopServers() throws Exception {
    if (hdfs != null) {
      hdfs.shutdown();
    }
    if (s3 != null) {
      s3.stop();
    }
    if (s3Store != null) {
      s3Store.close();
    }
  }

  @Test
  void onHdfsEveryTableHasTheLocalRowsAndEveryFileStaysPrivate() throws Exception {
    Configuration hadoop = new Configuration();
    hadoop.set(MiniDFSCluster.HDFS_MINIDFS_BASEDIR, dir.resolve("hdfs").toString());
    hadoop.setBoolean("dfs.permissions.enabled", true);
    // A fixed port, so the NameNode comes back where the lakehouse's URI says after a restart.
    int port;
    try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
      port = socket.getLocalPort();
    }
    hdfs = new MiniDFSCluster.Builder(hadoop).nameNodePort(port).numDataNodes(1).build();
    hdfs.waitActive();
    URI root = hdfs.getFileSystem().getUri().resolve("/sluice");

    long seconds = pipeline("hdfs", root.toString(), Map.of());
    System.out.printf(
        "[LakehouseStorageIT] %d rows on HDFS: %d s (local disk %d s)%n",
        ROWS, seconds, localSeconds);
    FileSystem fs = hdfs.getFileSystem();
    List<String> onHdfs = new ArrayList<>();
    for (var table : fs.listStatus(new org.apache.hadoop.fs.Path(root))) {
      if (fs.exists(new org.apache.hadoop.fs.Path(table.getPath(), "_delta_log"))) {
        onHdfs.add(table.getPath().getName());
      }
    }
    assertThat(onHdfs).containsExactlyInAnyOrderElementsOf(tables);

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

    assertThat(counts("hdfs", root.toString(), Map.of())).isEqualTo(localCounts);

    // The NameNode lost: a new batch's ingest fails naming what did not answer, and once the
    // NameNode is back every table has the commits it had.
    Map<String, Long> commits = commits(fs, root);
    Path batch = dir.resolve("data/more.csv");
    Files.write(batch, TinyDataset.lines(ROWS, ROWS + 50));
    List<String> ingest =
        new ArrayList<>(
            List.of("ingest", "--config", conf.toString(), "--files", batch.toString()));
    ingest.addAll(settings(root.toString()));
    hdfs.shutdownNameNode(0);
    Scripts.Result lost =
        Scripts.run(dir.resolve("logs"), "ingest-lost-namenode", Map.of(), "spark-submit", ingest);
    hdfs.restartNameNode(0, true);
    assertThat(lost.exitCode()).as(lost.stderr()).isEqualTo(1);
    assertThat(lost.stderr())
        .contains("sluice ingest failed: A host the job needs did not answer")
        .contains(":" + port);
    assertThat(commits(hdfs.getFileSystem(), root)).isEqualTo(commits);
  }

  /** Each table's number of commit files. */
  private static Map<String, Long> commits(FileSystem fs, URI root) throws IOException {
    Map<String, Long> commits = new java.util.TreeMap<>();
    for (String table : tables) {
      long count = 0;
      for (var file :
          fs.listStatus(
              new org.apache.hadoop.fs.Path(root.toString() + "/" + table + "/_delta_log"))) {
        if (file.getPath().getName().endsWith(".json")) {
          count++;
        }
      }
      commits.put(table, count);
    }
    return commits;
  }

  @Test
  void onS3EveryTableHasTheLocalRowsAndTheCredentialsStayOutOfEveryOutput() throws Exception {
    // In memory: jclouds' filesystem backend does not keep S3A's empty-folder markers.
    s3Store = ContextBuilder.newBuilder("transient").build(BlobStoreContext.class);
    BlobStore store = s3Store.getBlobStore();
    store.createContainerInLocation(null, BUCKET);
    s3 =
        S3Proxy.builder()
            .blobStore(store)
            .endpoint(URI.create("http://127.0.0.1:0"))
            .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, ACCESS_KEY, SECRET_KEY)
            .build();
    s3.start();
    while (!s3.getState().equals("STARTED")) {
      Thread.sleep(50);
    }
    // The credentials reach S3A from the environment (its default provider chain), never a
    // command line; the endpoint and path-style access are plain settings.
    Map<String, String> env = new HashMap<>();
    env.put("AWS_ACCESS_KEY_ID", ACCESS_KEY);
    env.put("AWS_SECRET_ACCESS_KEY", SECRET_KEY);
    env.put(
        "SLUICE_SUBMIT_OPTS",
        String.join(
            " ",
            "--conf spark.hadoop.fs.s3a.endpoint=http://127.0.0.1:" + s3.getPort(),
            "--conf spark.hadoop.fs.s3a.endpoint.region=us-east-1",
            "--conf spark.hadoop.fs.s3a.path.style.access=true",
            "--conf spark.hadoop.fs.s3a.connection.ssl.enabled=false"));
    String root = "s3a://" + BUCKET + "/sluice";

    long seconds = pipeline("s3", root, env);
    System.out.printf(
        "[LakehouseStorageIT] %d rows on S3: %d s (local disk %d s)%n",
        ROWS, seconds, localSeconds);
    for (String table : tables) {
      assertThat(
              store.blobExists(BUCKET, "sluice/" + table + "/_delta_log/00000000000000000000.json"))
          .as(table)
          .isTrue();
    }
    assertThat(counts("s3", root, env)).isEqualTo(localCounts);

    try (Stream<Path> logs = Files.walk(dir.resolve("logs"))) {
      for (Path log : logs.filter(Files::isRegularFile).toList()) {
        assertThat(Files.readString(log)).as(log.toString()).doesNotContain(SECRET_KEY);
      }
    }
  }

  private static List<String> settings(String lakehouse) {
    return TinyDataset.quickChain(lakehouse);
  }

  /** Runs the whole chain on the tiny data set into {@code lakehouse}; its seconds. */
  private static long pipeline(String name, String lakehouse, Map<String, String> env)
      throws Exception {
    List<String> args = new ArrayList<>(List.of("--dataset", conf.toString()));
    args.addAll(settings(lakehouse));
    long start = System.nanoTime();
    Scripts.Result run =
        Scripts.run(dir.resolve("logs"), "pipeline-" + name, env, "run-pipeline.sh", args);
    long seconds = (System.nanoTime() - start) / 1_000_000_000L;
    assertThat(run.exitCode()).as(run.stderr()).isZero();
    assertThat(run.stdout()).contains("Tables are under " + lakehouse);
    return seconds;
  }

  /** Each table's row count, and the registry's at its first version, read by the SQL shell. */
  private static List<String> counts(String name, String lakehouse, Map<String, String> env)
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
    Scripts.Result shell = Scripts.run(dir.resolve("logs"), "sql-" + name, env, "sql.sh", sql);
    assertThat(shell.exitCode()).as(shell.stderr()).isZero();
    return shell
        .stdout()
        .lines()
        .map(String::strip)
        .filter(line -> line.contains(",") && !line.equals("t,n"))
        .toList();
  }
}
