package dev.sluice.common.engine.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.common.testing.SparkTestBase;
import io.delta.tables.DeltaTable;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A staged append beside the DataFrame writer's idempotent append on the same rows. */
class StagedAppendsTest extends SparkTestBase {
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

  private void publicAppend(Dataset<Row> rows, String path, String appId, long version) {
    rows.write()
        .format("delta")
        .mode("append")
        .option("txnAppId", appId)
        .option("txnVersion", version)
        .save(path);
  }

  @Test
  void aStagedAppendCommitsWhatThePublicAppendWritesOrLeavesNothing() throws Exception {
    StagedAppends delta = new StagedAppends(spark);
    StructType schema =
        new StructType().add("id", DataTypes.LongType, false).add("name", DataTypes.StringType);
    StagedAppends.NewTable table =
        new StagedAppends.NewTable("People.", schema, List.of(), Map.of());
    String ours = path("staged");

    StagedAppends.Staged abandoned = delta.stage(ours, table, rows(0, 3), "w", 1).orElseThrow();
    abandoned.delete();
    assertThat(dir.resolve("staged")).doesNotExist();

    StagedAppends.Staged staged = delta.stage(ours, table, rows(0, 3), "w", 1).orElseThrow();
    assertThat(staged.commit()).contains(0L);
    assertThat(delta.stage(ours, table, rows(0, 3), "w", 1).orElseThrow().alreadyCommitted())
        .isTrue();
    publicAppend(rows(0, 3), path("public"), "w", 1);
    assertThat(sorted(spark.read().format("delta").load(ours)))
        .isEqualTo(sorted(spark.read().format("delta").load(path("public"))));
    assertThat(DeltaTable.forPath(spark, ours).detail().first().<String>getAs("description"))
        .isEqualTo("People.");
  }
}
