package dev.sluice.common.engine.internal;

import org.apache.spark.sql.Row;
import org.apache.spark.sql.catalyst.expressions.GenericRowWithSchema;
import org.apache.spark.sql.types.StructType;

/**
 * Spark rows that know their schema, built on the driver from values read without Spark (Delta
 * Kernel's reads of small tables). Spark's public API makes such rows only by running a query
 * ({@code createDataFrame(rows, schema).collectAsList()}); its rows are this class. SchemaRowsTest
 * compares the two.
 */
public final class SchemaRows {
  private SchemaRows() {}

  /** A row of {@code values} in {@code schema}'s field order, answering by field name. */
  public static Row create(Object[] values, StructType schema) {
    return new GenericRowWithSchema(values, schema);
  }
}
