package dev.sluice.jobs.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.common.settings.IngestSettings;
import dev.sluice.common.testing.SparkTestBase;
import dev.sluice.common.testing.TestSpecs;
import dev.sluice.jobs.ingest.IngestJob;
import dev.sluice.jobs.ingest.IngestResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Scenario 5: two ingests of different batches appending to the same tables at once, racing a third
 * that writes a batch already being written (the same Delta txnAppId: a conflicting write). Pass:
 * both appends land and the counts add up (raw content hash equal to the union of the batches); the
 * conflicting run either finds the batch already ingested, commits nothing, or fails with Delta's
 * concurrent-transaction error; each batch is profiled once; nothing partial.
 */
class ConcurrentIngestIT extends SparkTestBase {
  private static final int ROWS = 500;

  @TempDir Path dir;

  private IngestJob ingest(Path file) {
    return new IngestJob(
        spark,
        IngestSettings.from(
            TestSpecs.load(
                TestSpecs.TINY,
                Map.of(
                    "sluice.lakehouse.root",
                    dir.resolve("lake").toString(),
                    "sluice.ingest.files",
                    "[\"" + file + "\"]"))));
  }

  private Path batch(String name, int from) throws Exception {
    Path file = dir.resolve(name);
    Files.write(file, TinyDataset.lines(from, from + ROWS));
    return file;
  }

  private static String chain(Throwable e) {
    StringBuilder text = new StringBuilder();
    for (Throwable t = e; t != null; t = t.getCause()) {
      text.append(t.getClass().getName()).append(": ").append(t.getMessage()).append('\n');
    }
    return text.toString();
  }

  @Test
  void concurrentAppendsAllLandAndAConflictingWriteAddsNothing() throws Exception {
    // The tables exist before the race: the race is about appends, not creation.
    ingest(batch("seed.csv", 0)).run();
    Path a = batch("a.csv", ROWS);
    Path b = batch("b.csv", 2 * ROWS);

    ExecutorService pool = Executors.newFixedThreadPool(3);
    CountDownLatch start = new CountDownLatch(1);
    List<Future<IngestResult>> runs = new ArrayList<>();
    for (Path file : List.of(a, b, a)) {
      runs.add(
          pool.submit(
              () -> {
                start.await();
                return ingest(file).run();
              }));
    }
    start.countDown();
    pool.shutdown();
    assertThat(pool.awaitTermination(10, TimeUnit.MINUTES)).isTrue();

    assertThat(runs.get(1).get().accepted()).isEqualTo(ROWS);
    // The two runs of batch a race for the same transaction id: exactly one commits the rows.
    List<String> outcomes = new ArrayList<>();
    for (Future<IngestResult> run : List.of(runs.get(0), runs.get(2))) {
      try {
        IngestResult result = run.get();
        outcomes.add(
            result.alreadyIngested()
                ? "already ingested"
                : result.rawVersion().isPresent()
                    ? "committed " + result.accepted()
                    : "nothing committed");
      } catch (java.util.concurrent.ExecutionException e) {
        String chain = chain(e.getCause());
        assertThat(chain).contains("Concurrent");
        outcomes.add("conflict");
      }
    }
    assertThat(outcomes).containsOnlyOnce("committed " + ROWS);
    assertThat(outcomes)
        .filteredOn(o -> !o.startsWith("committed"))
        .hasSize(1)
        .allMatch(o -> List.of("already ingested", "nothing committed", "conflict").contains(o));
    System.out.println("ConcurrentIngestIT: outcomes of the two runs of batch a: " + outcomes);

    List<String> all = new ArrayList<>(TinyDataset.lines(0, 3 * ROWS));
    Dataset<Row> expected =
        spark.read().option("delimiter", ", ").csv(spark.createDataset(all, Encoders.STRING()));
    Dataset<Row> raw = spark.read().format("delta").load(dir + "/lake/tiny_raw");
    assertThat(raw.count()).isEqualTo(3 * ROWS);
    assertThat(raw.select("row_id").distinct().count()).isEqualTo(3 * ROWS);
    assertThat(
            Fingerprint.of(
                raw.selectExpr(
                    "cast(age AS string) AS _c0",
                    "workclass AS _c1",
                    "cast(cast(hours AS int) AS string) AS _c2",
                    "sex AS _c3",
                    "income AS _c4"),
                "_c0",
                "_c1",
                "_c2",
                "_c3",
                "_c4"))
        .isEqualTo(Fingerprint.of(expected, "_c0", "_c1", "_c2", "_c3", "_c4"));
    Dataset<Row> profiles = spark.read().format("delta").load(dir + "/lake/data_profiles");
    assertThat(profiles.select("batch_id").distinct().count()).isEqualTo(3);
    assertThat(profiles.groupBy("batch_id").count().select("count").distinct().count())
        .as("every batch profiled exactly once")
        .isEqualTo(1);

    // A later re-run of the contested batch adds nothing.
    assertThat(ingest(a).run().alreadyIngested()).isTrue();
    assertThat(spark.read().format("delta").load(dir + "/lake/tiny_raw").count())
        .isEqualTo(3 * ROWS);
  }
}
