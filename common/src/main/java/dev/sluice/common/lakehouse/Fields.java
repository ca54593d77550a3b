package dev.sluice.common.lakehouse;

import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.MetadataBuilder;
import org.apache.spark.sql.types.StructField;

/** Builds columns that carry their documentation: the comment shows in {@code DESCRIBE TABLE}. */
public final class Fields {
  private Fields() {}

  public static StructField field(String name, DataType type, boolean nullable, String comment) {
    return new StructField(
        name, type, nullable, new MetadataBuilder().putString("comment", comment).build());
  }

  public static StructField required(String name, DataType type, String comment) {
    return field(name, type, false, comment);
  }

  public static StructField optional(String name, DataType type, String comment) {
    return field(name, type, true, comment);
  }
}
