package dev.sluice.jobs.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.common.settings.FeaturesSettings;
import dev.sluice.common.settings.IngestSettings;
import dev.sluice.common.testing.SparkTestBase;
import dev.sluice.common.testing.TestSpecs;
import dev.sluice.jobs.features.FeaturesJob;
import dev.sluice.jobs.ingest.IngestJob;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Scenario 8: one data file of the raw table cut in half. Pass: the next job (features) fails with
 * an error naming that file; it never silently reads fewer rows, and commits no snapshot.
 */
class TruncatedParquetIT extends SparkTestBase {
  @TempDir Path dir;

  @Test
  void aJobReadingATruncatedFileFailsLoudly() throws Exception {
    Path batch = dir.resolve("batch.csv");
    Files.write(batch, TinyDataset.lines(0, 200));
    Map<String, String> sets =
        Map.of(
            "sluice.lakehouse.root",
            dir.resolve("lake").toString(),
            "sluice.ingest.files",
            "[\"" + batch + "\"]");
    new IngestJob(spark, IngestSettings.from(TestSpecs.load(TestSpecs.TINY, sets))).run();
    assertThat(spark.conf().get("spark.sql.files.ignoreCorruptFiles")).isEqualTo("false");

    Path file;
    try (Stream<Path> files = Files.list(dir.resolve("lake/tiny_raw"))) {
      List<Path> parquet = files.filter(p -> p.toString().endsWith(".parquet")).toList();
      assertThat(parquet).isNotEmpty();
      file = parquet.get(0);
    }
    try (RandomAccessFile handle = new RandomAccessFile(file.toFile(), "rw")) {
      handle.setLength(handle.length() / 2);
    }

    assertThatThrownBy(
            () ->
                new FeaturesJob(spark, FeaturesSettings.from(TestSpecs.load(TestSpecs.TINY, sets)))
                    .run())
        .satisfies(
            e -> {
              StringBuilder chain = new StringBuilder();
              for (Throwable t = e; t != null; t = t.getCause()) {
                chain.append(t).append('\n');
              }
              assertThat(chain.toString()).contains(file.getFileName().toString());
            });
    // The snapshot table's creation (version 0: no rows, only its comments) may have been
    // committed before the read failed; no snapshot build was.
    Path log = dir.resolve("lake/tiny_snapshot/_delta_log");
    if (Files.exists(log)) {
      try (Stream<Path> commits = Files.list(log)) {
        assertThat(
                commits.map(p -> p.getFileName().toString()).filter(name -> name.endsWith(".json")))
            .isSubsetOf("00000000000000000000.json");
      }
      if (Files.exists(log.resolve("00000000000000000000.json"))) {
        assertThat(
                spark
                    .read()
                    .format("delta")
                    .load(dir.resolve("lake/tiny_snapshot").toString())
                    .count())
            .isZero();
      }
    }
  }
}
