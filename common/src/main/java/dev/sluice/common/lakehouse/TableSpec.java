package dev.sluice.common.lakehouse;

import static java.util.Objects.requireNonNull;

import java.util.List;
import org.apache.spark.sql.types.StructType;

/**
 * A table Sluice owns: its name, what it holds, its columns (with comments) and partition columns.
 */
public record TableSpec(
    String name, String comment, StructType schema, List<String> partitionColumns) {
  public TableSpec {
    requireNonNull(name, "name is null");
    requireNonNull(comment, "comment is null");
    requireNonNull(schema, "schema is null");
    partitionColumns = List.copyOf(partitionColumns);
  }
}
