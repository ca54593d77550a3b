package dev.sluice.common.lakehouse;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Map;
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
}
