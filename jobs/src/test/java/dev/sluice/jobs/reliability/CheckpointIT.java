package dev.sluice.jobs.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.common.testing.SparkTestBase;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.spark.sql.delta.DeltaLog;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import scala.Option;

/**
 * Scenario 7: a table past its first checkpoint (12 commits; Delta checkpoints every 10) whose
 * {@code _last_checkpoint} hint is corrupt or gone. Pass: a fresh reader sees the same version and
 * row count, and the next commit succeeds with the count it adds.
 */
class CheckpointIT extends SparkTestBase {
  private static final int COMMITS = 12;
  private static final int ROWS_PER_COMMIT = 5;

  @TempDir Path dir;

  private long version(String table) {
    DeltaLog.clearCache();
    return DeltaLog.forTable(spark, table).update(false, Option.empty(), Option.empty()).version();
  }

  private long count(String table) {
    DeltaLog.clearCache();
    return spark.read().format("delta").load(table).count();
  }

  /** One table with its checkpoint, built once (12 commits cost the most), copied per case. */
  @TempDir static Path shared;

  private static Path original;

  private String tableWithCheckpoint(String name) throws Exception {
    if (original == null) {
      original = shared.resolve("table");
      build(original.toString());
    }
    Path copy = dir.resolve(name);
    try (java.util.stream.Stream<Path> files = Files.walk(original)) {
      for (Path source : files.toList()) {
        Files.copy(source, copy.resolve(original.relativize(source).toString()));
      }
    }
    String table = copy.toString();
    assertThat(version(table)).isEqualTo(COMMITS - 1);
    assertThat(count(table)).isEqualTo(COMMITS * ROWS_PER_COMMIT);
    return table;
  }

  private void build(String table) {
    for (int i = 0; i < COMMITS; i++) {
      spark
          .range(i * ROWS_PER_COMMIT, (i + 1) * ROWS_PER_COMMIT)
          .write()
          .format("delta")
          .mode("append")
          .save(table);
    }
    assertThat(Path.of(table, "_delta_log/_last_checkpoint")).exists();
    assertThat(Path.of(table, "_delta_log/00000000000000000010.checkpoint.parquet")).exists();
  }

  private void assertReadableAndWritable(String table) {
    assertThat(version(table)).isEqualTo(COMMITS - 1);
    assertThat(count(table)).isEqualTo(COMMITS * ROWS_PER_COMMIT);
    spark.range(1000, 1000 + ROWS_PER_COMMIT).write().format("delta").mode("append").save(table);
    assertThat(version(table)).isEqualTo(COMMITS);
    assertThat(count(table)).isEqualTo((COMMITS + 1) * ROWS_PER_COMMIT);
    assertThat(spark.read().format("delta").load(table).distinct().count())
        .isEqualTo((COMMITS + 1) * ROWS_PER_COMMIT);
  }

  @Test
  void aCorruptLastCheckpointIsIgnored() throws Exception {
    String table = tableWithCheckpoint("corrupt");
    Files.writeString(Path.of(table, "_delta_log/_last_checkpoint"), "{\"version\": 10, \"si");
    assertReadableAndWritable(table);
  }

  @Test
  void aDeletedLastCheckpointIsIgnored() throws Exception {
    String table = tableWithCheckpoint("deleted");
    Files.delete(Path.of(table, "_delta_log/_last_checkpoint"));
    assertReadableAndWritable(table);
  }
}
