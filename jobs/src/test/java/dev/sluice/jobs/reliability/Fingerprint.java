package dev.sluice.jobs.reliability;

import static org.apache.spark.sql.functions.array_sort;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.map_entries;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.to_json;
import static org.apache.spark.sql.functions.xxhash64;

import java.util.Arrays;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.MapType;

/**
 * "Nothing lost, nothing added": a row count plus an order-independent content hash, the sum of
 * every row's xxhash64 over the given columns (as a decimal, so the sum cannot overflow). Two
 * tables with the same fingerprint hold the same multiset of rows, up to hash collisions.
 */
record Fingerprint(long rows, String hash) {
  static Fingerprint of(Dataset<Row> rows, String... columns) {
    Column[] hashed = Arrays.stream(columns).map(c -> hashable(rows, c)).toArray(Column[]::new);
    Row row =
        rows.select(xxhash64(hashed).cast("decimal(38,0)").as("h"))
            .agg(count(lit(1)), sum(col("h")))
            .first();
    return new Fingerprint(row.getLong(0), row.isNullAt(1) ? "0" : row.getDecimal(1).toString());
  }

  /**
   * Spark refuses to hash maps (equal maps may differ in entry order): hash their sorted entries.
   */
  private static Column hashable(Dataset<Row> rows, String name) {
    Column column = col("`" + name + "`");
    return rows.schema().apply(name).dataType() instanceof MapType
        ? to_json(array_sort(map_entries(column)))
        : column;
  }
}
