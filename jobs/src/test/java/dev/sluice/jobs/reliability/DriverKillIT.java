package dev.sluice.jobs.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.common.settings.IngestSettings;
import dev.sluice.common.testing.SparkTestBase;
import dev.sluice.common.testing.TestSpecs;
import dev.sluice.jobs.ingest.IngestJob;
import dev.sluice.jobs.ingest.IngestResult;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.delta.DeltaLog;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import scala.Option;

/**
 * Scenario 3: the ingest driver killed with SIGKILL after writing its data files and before its
 * commit (held there by {@link PausingLogStore}). Pass: while paused and after the kill the raw
 * table's version and content are those before the run (the new files exist but no reader sees
 * them), and a re-run gives exactly the union of both batches.
 */
class DriverKillIT extends SparkTestBase {
  private static final int ROWS = 300;
  private static final String[] DATA = {"age", "workclass", "hours", "sex", "income"};

  @TempDir Path dir;

  private IngestResult ingestInProcess(Path conf, Path lake, Path file) throws Exception {
    return new IngestJob(
            spark,
            IngestSettings.from(
                TestSpecs.load(
                    Files.readString(conf),
                    Map.of(
                        "sluice.lakehouse.root",
                        lake.toString(),
                        "sluice.ingest.files",
                        "[\"" + file + "\"]"))))
        .run();
  }

  private String state(Path table) {
    DeltaLog.clearCache();
    long version =
        DeltaLog.forTable(spark, table.toString())
            .update(false, Option.empty(), Option.empty())
            .version();
    Dataset<Row> rows = spark.read().format("delta").load(table.toString());
    return "v" + version + " " + Fingerprint.of(rows, DATA);
  }

  private static long parquetFiles(Path table) throws Exception {
    try (Stream<Path> files = Files.list(table)) {
      return files.filter(p -> p.toString().endsWith(".parquet")).count();
    }
  }

  /** The log store in a jar of its own, for spark-submit --jars. */
  private Path hookJar() throws Exception {
    String entry = PausingLogStore.class.getName().replace('.', '/') + ".class";
    Path jar = dir.resolve("pausing-log-store.jar");
    try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar));
        java.io.InputStream in =
            PausingLogStore.class.getClassLoader().getResourceAsStream(entry)) {
      out.putNextEntry(new JarEntry(entry));
      in.transferTo((OutputStream) out);
      out.closeEntry();
    }
    return jar;
  }

  @Test
  void aDriverKilledBeforeItsCommitLeavesTheTableAsItWas() throws Exception {
    Path conf = TinyDataset.write(dir.resolve("data"), ROWS);
    Path lake = dir.resolve("lake");
    Path table = lake.resolve("tiny_raw");
    ingestInProcess(conf, lake, dir.resolve("data/tiny.csv"));
    String before = state(table);
    long filesBefore = parquetFiles(table);

    Path second = dir.resolve("second.csv");
    Files.write(second, TinyDataset.lines(ROWS, 2 * ROWS));
    Path marker = Files.createFile(dir.resolve("pause"));
    Path paused = dir.resolve("pause.paused");
    Process driver =
        Scripts.builder(
                dir.resolve("logs"),
                "ingest",
                Map.of(
                    "SLUICE_SUBMIT_OPTS",
                    String.join(
                        " ",
                        "--jars " + hookJar(),
                        "--conf spark.delta.logStore.file.impl=" + PausingLogStore.class.getName(),
                        "--conf spark.hadoop." + PausingLogStore.MARKER + "=" + marker,
                        "--conf spark.hadoop." + PausingLogStore.TABLE + "=tiny_raw")),
                "spark-submit",
                Stream.concat(
                        Stream.of("ingest"),
                        Scripts.tinyJob(conf, lake, "--files", second.toString()).stream())
                    .toList())
            .start();
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(8);
    while (!Files.exists(paused) && driver.isAlive() && System.nanoTime() < deadline) {
      Thread.sleep(200);
    }
    assertThat(paused)
        .as("driver paused before its commit: %s", Files.readString(dir.resolve("logs/ingest.err")))
        .exists();
    assertThat(parquetFiles(table)).as("data files written").isGreaterThan(filesBefore);
    assertThat(state(table)).as("a reader during the pause").isEqualTo(before);

    new ProcessBuilder("kill", "-9", Long.toString(driver.pid())).start().waitFor();
    assertThat(driver.waitFor(1, TimeUnit.MINUTES)).isTrue();
    assertThat(driver.exitValue()).isEqualTo(128 + 9);
    assertThat(state(table)).as("after the kill").isEqualTo(before);

    IngestResult rerun = ingestInProcess(conf, lake, second);
    assertThat(rerun.alreadyIngested()).isFalse();
    assertThat(rerun.accepted()).isEqualTo(ROWS);
    Path both = dir.resolve("both.csv");
    Files.write(both, TinyDataset.lines(0, 2 * ROWS));
    Path expectedLake = dir.resolve("expected");
    ingestInProcess(conf, expectedLake, both);
    Dataset<Row> actual = spark.read().format("delta").load(table.toString());
    Dataset<Row> expected =
        spark.read().format("delta").load(expectedLake.resolve("tiny_raw").toString());
    assertThat(Fingerprint.of(actual, DATA)).isEqualTo(Fingerprint.of(expected, DATA));
    assertThat(actual.count()).isEqualTo(2 * ROWS);
    assertThat(List.of(actual.select("row_id").distinct().count())).containsExactly(2L * ROWS);
  }
}
