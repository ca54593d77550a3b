package dev.sluice.common.lakehouse;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.common.testing.SparkTestBase;
import io.delta.kernel.defaults.engine.DefaultEngine;
import io.delta.tables.DeltaTable;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Commits' information read from their log files, against what Delta's history shows. */
class CommitFilesTest extends SparkTestBase {
  @TempDir Path dir;

  private CommitFiles commits() {
    return new CommitFiles(DefaultEngine.create(spark.sparkContext().hadoopConfiguration()));
  }

  private Dataset<Row> rows(long from, long to) {
    return spark.range(from, to).selectExpr("id", "CAST(id AS STRING) AS name");
  }

  @Test
  void eachCommitsInformationIsWhatHistoryShows() {
    String path = dir.resolve("commits").toUri().toString();
    rows(0, 3).write().format("delta").save(path);
    rows(3, 5).write().format("delta").mode("append").option("userMetadata", "tag-1").save(path);
    rows(5, 9)
        .write()
        .format("delta")
        .mode("append")
        .option("txnAppId", "v")
        .option("txnVersion", 1)
        .save(path);
    spark.sql("DELETE FROM delta.`" + path + "` WHERE id = 0");
    rows(0, 2).write().format("delta").mode("overwrite").save(path);

    CommitFiles files = commits();
    List<CommitFiles.CommitDetails> commits = files.commits(path, 0, 4).orElseThrow();
    List<Row> history =
        DeltaTable.forPath(spark, path)
            .history()
            .orderBy("version")
            .select("isBlindAppend", "operationMetrics", "userMetadata")
            .collectAsList();
    assertThat(commits).hasSize(history.size());
    for (int version = 0; version < commits.size(); version++) {
      assertThat(commits.get(version).blindAppend())
          .as("version %d", version)
          .isEqualTo(history.get(version).getBoolean(0));
      assertThat(commits.get(version).metrics())
          .as("version %d", version)
          .isEqualTo(history.get(version).getJavaMap(1));
      assertThat(commits.get(version).userMetadata().orElse(null))
          .as("version %d", version)
          .isEqualTo(history.get(version).getString(2));
      assertThat(files.commit(path, version)).contains(commits.get(version));
    }
    // Appends are blind, the delete and the overwrite are not.
    assertThat(commits)
        .extracting(CommitFiles.CommitDetails::blindAppend)
        .containsExactly(true, true, true, false, false);
    assertThat(commits.get(1).userMetadata()).contains("tag-1");
    assertThat(files.commits(path, 1, 2).orElseThrow()).isEqualTo(commits.subList(1, 3));
    assertThat(files.commits(path, 5, 4)).contains(List.of());
    // Past the latest version there is no commit to read.
    assertThat(files.commits(path, 3, 5)).isEmpty();
  }

  @Test
  void aCommitWhoseFileIsGoneReadsAsNone() throws Exception {
    Path table = dir.resolve("cleaned");
    String path = table.toUri().toString();
    rows(0, 1).write().format("delta").save(path);
    rows(1, 2).write().format("delta").mode("append").save(path);
    rows(2, 3).write().format("delta").mode("append").save(path);
    Files.delete(table.resolve("_delta_log").resolve(String.format("%020d.json", 1)));

    CommitFiles files = commits();
    assertThat(files.commit(path, 1)).isEmpty();
    assertThat(files.commits(path, 0, 2)).isEmpty();
    assertThat(files.commit(path, 2)).isPresent();
    assertThat(files.commit(dir.resolve("missing").toUri().toString(), 0)).isEmpty();
  }

  @Test
  void theChecksumListsEveryWritersLastTransaction() throws Exception {
    Path table = dir.resolve("writers");
    String path = table.toUri().toString();
    for (String[] write :
        new String[][] {{"writer-a", "1"}, {"writer-b", "1"}, {"writer-a", "3"}}) {
      rows(0, 1)
          .write()
          .format("delta")
          .mode("append")
          .option("txnAppId", write[0])
          .option("txnVersion", Long.parseLong(write[1]))
          .save(path);
    }
    rows(1, 2).write().format("delta").mode("append").save(path);

    CommitFiles files = commits();
    assertThat(files.checksumTransactions(path, 3))
        .contains(java.util.Map.of("writer-a", 3L, "writer-b", 1L));
    assertThat(files.checksumTransactions(path, 0)).contains(java.util.Map.of("writer-a", 1L));
    Files.delete(table.resolve("_delta_log").resolve(String.format("%020d.crc", 3)));
    assertThat(files.checksumTransactions(path, 3)).isEmpty();
    assertThat(files.checksumTransactions(dir.resolve("missing").toUri().toString(), 0)).isEmpty();
  }
}
