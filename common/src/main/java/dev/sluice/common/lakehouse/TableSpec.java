package dev.sluice.common.lakehouse;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.sql.types.StructType;

/**
 * A table Sluice owns: its name, what it holds, its columns (with comments), partition columns and
 * the Delta table properties it is created with.
 */
public record TableSpec(
    String name,
    String comment,
    StructType schema,
    List<String> partitionColumns,
    Map<String, String> properties) {
  public TableSpec {
    requireNonNull(name, "name is null");
    requireNonNull(comment, "comment is null");
    requireNonNull(schema, "schema is null");
    partitionColumns = List.copyOf(partitionColumns);
    properties = Map.copyOf(properties);
  }

  public TableSpec(String name, String comment, StructType schema, List<String> partitionColumns) {
    this(name, comment, schema, partitionColumns, Map.of());
  }

  /**
   * The table property of a log: Delta refuses every commit that removes a file from it (DELETE,
   * UPDATE, MERGE, an overwrite), so rows once appended stay as written.
   */
  public static final Map<String, String> APPEND_ONLY = Map.of("delta.appendOnly", "true");

  /**
   * Table properties that keep file statistics on {@code columns} only, for a table whose files
   * differ from each other in those columns and span their whole range in the others: Delta's
   * min/max/nulls per file on them (data skipping; every file still gets its row count), and none
   * of Parquet's own per row group on the same columns, which would repeat Delta's. Delta hands a
   * table's properties to the Parquet writer of every write. Both statistics cost comparisons per
   * value as every row is written, and Delta's copies each string it keeps as a min or max.
   */
  public static Map<String, String> fileStatisticsOn(List<String> columns) {
    Map<String, String> properties = new TreeMap<>();
    properties.put("delta.dataSkippingStatsColumns", String.join(",", columns));
    for (String column : columns) {
      properties.put("parquet.column.statistics.enabled#" + column, "false");
    }
    return properties;
  }
}
