package dev.sluice.common.engine.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.common.lakehouse.CommitFiles;
import dev.sluice.common.testing.SparkTestBase;
import io.delta.kernel.Operation;
import io.delta.kernel.Table;
import io.delta.kernel.defaults.engine.DefaultEngine;
import io.delta.kernel.engine.Engine;
import io.delta.kernel.exceptions.ConcurrentTransactionException;
import io.delta.tables.DeltaTable;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.functions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Each use of Delta's own classes in {@link DeltaLogTables} beside Delta's public path on the same
 * table: the answers must be the same.
 */
class DeltaLogTablesTest extends SparkTestBase {
  @TempDir Path dir;

  private String path(String table) {
    return dir.resolve(table).toUri().toString();
  }

  private Dataset<Row> rows(long from, long to) {
    return spark.range(from, to).selectExpr("id", "CAST(id AS STRING) AS name");
  }

  private static List<String> sorted(Dataset<Row> rows) {
    return rows.orderBy("id").collectAsList().stream().map(Row::toString).toList();
  }

  /** Delta Kernel's public answer: does the writer hold this version or a later one? */
  private boolean kernelCommitted(String path, String appId, long version) {
    Engine engine = DefaultEngine.create(spark.sparkContext().hadoopConfiguration());
    try {
      Table.forPath(engine, path)
          .createTransactionBuilder(engine, "test", Operation.WRITE)
          .withTransactionId(engine, appId, version)
          .build(engine);
      return false;
    } catch (ConcurrentTransactionException e) {
      return true;
    }
  }

  private void publicAppend(Dataset<Row> rows, String path, String appId, long version) {
    rows.write()
        .format("delta")
        .mode("append")
        .option("txnAppId", appId)
        .option("txnVersion", version)
        .save(path);
  }

  @Test
  void writersTransactionsFromTheChecksumAreKernelsAnswers() {
    DeltaLogTables delta = new DeltaLogTables(spark);
    String path = path("events");
    publicAppend(rows(0, 2), path, "writer-a", 3);
    publicAppend(rows(2, 4), path, "writer-b", 1);

    assertThat(delta.checksumTransaction(path, "writer-a")).contains(OptionalLong.of(3));
    assertThat(delta.checksumTransaction(path, "writer-c")).contains(OptionalLong.empty());
    assertThat(delta.transactions(path)).isEqualTo(Map.of("writer-a", 3L, "writer-b", 1L));
    for (var writer : delta.transactions(path).entrySet()) {
      assertThat(kernelCommitted(path, writer.getKey(), writer.getValue())).isTrue();
      assertThat(kernelCommitted(path, writer.getKey(), writer.getValue() + 1)).isFalse();
    }
    assertThat(kernelCommitted(path, "writer-c", 0)).isFalse();
    assertThat(delta.transactions(path("missing"))).isEmpty();
  }

  @Test
  void anAppendInDeltasTransactionEqualsTheDataFrameWritersIdempotentAppend() {
    DeltaLogTables delta = new DeltaLogTables(spark);
    String ours = path("ours");
    String theirs = path("theirs");
    rows(0, 0).write().format("delta").save(ours);
    rows(0, 0).write().format("delta").save(theirs);

    assertThat(delta.appendInTransaction(rows(0, 5), ours, "w", 1, n -> Map.of("mark", n)))
        .contains(Optional.of(1L));
    publicAppend(rows(0, 5), theirs, "w", 1);
    // Again: both skip the writer's committed transaction.
    assertThat(delta.appendInTransaction(rows(0, 5), ours, "w", 1, n -> Map.of()))
        .contains(Optional.empty());
    publicAppend(rows(0, 5), theirs, "w", 1);

    assertThat(sorted(spark.read().format("delta").load(ours)))
        .isEqualTo(sorted(spark.read().format("delta").load(theirs)));
    assertThat(delta.transactions(ours)).containsEntry("w", 1L).containsEntry("mark", 5L);
    assertThat(delta.transactions(theirs)).containsEntry("w", 1L);
    // Rows of another shape: Delta's public append must take them.
    assertThat(
            delta.appendInTransaction(
                rows(0, 1).withColumn("x", functions.lit(1)), ours, "w", 2, n -> Map.of()))
        .isEmpty();
  }

  @Test
  void aTaggedOverwriteEqualsTheDataFrameWritersOverwriteAndHistoryShowsItsCommit() {
    DeltaLogTables delta = new DeltaLogTables(spark);
    String ours = path("snapshot");
    String theirs = path("snapshot_public");
    rows(0, 4).write().format("delta").save(ours);
    rows(0, 4).write().format("delta").save(theirs);

    assertThat(delta.overwriteInTransaction(rows(10, 12), ours, "tag-1", () -> Map.of("k", "v")))
        .hasValue(1L);
    rows(10, 12)
        .write()
        .format("delta")
        .mode("overwrite")
        .option("userMetadata", "tag-1")
        .save(theirs);

    assertThat(sorted(spark.read().format("delta").load(ours)))
        .isEqualTo(sorted(spark.read().format("delta").load(theirs)));
    Row history =
        DeltaTable.forPath(spark, ours)
            .history()
            .where("version = 1")
            .select("userMetadata", "operation", "operationParameters.mode")
            .first();
    Row publicHistory =
        DeltaTable.forPath(spark, theirs)
            .history()
            .where("version = 1")
            .select("userMetadata", "operation", "operationParameters.mode")
            .first();
    assertThat(history).isEqualTo(publicHistory);
    CommitFiles.CommitDetails commit =
        new CommitFiles(DefaultEngine.create(spark.sparkContext().hadoopConfiguration()))
            .commit(ours, 1)
            .orElseThrow();
    assertThat(commit.userMetadata()).contains("tag-1");
    assertThat(commit.tags()).containsEntry("k", "v");
    assertThat(commit.metrics().get("numOutputRows"))
        .isEqualTo(
            DeltaTable.forPath(spark, ours)
                .history()
                .where("version = 1")
                .select("operationMetrics.numOutputRows")
                .first()
                .getString(0));
  }

  @Test
  void theFilesTheChecksumListsReadAsDeltasScanAtEveryVersion() {
    DeltaLogTables delta = new DeltaLogTables(spark);
    String path = path("small");
    rows(0, 3).write().format("delta").save(path);
    rows(3, 5).write().format("delta").mode("append").save(path);

    for (long version = 0; version <= 1; version++) {
      Dataset<Row> listed = delta.readListedFiles(path, OptionalLong.of(version)).orElseThrow();
      Dataset<Row> scanned = spark.read().format("delta").option("versionAsOf", version).load(path);
      assertThat(sorted(listed)).isEqualTo(sorted(scanned));
    }
    assertThat(sorted(delta.readListedFiles(path, OptionalLong.empty()).orElseThrow()))
        .isEqualTo(sorted(spark.read().format("delta").load(path)));
    assertThat(delta.readListedFiles(path("missing"), OptionalLong.empty())).isEmpty();
  }
}
