package dev.sluice.common.table;

import static dev.sluice.common.lakehouse.Fields.optional;
import static java.util.Objects.requireNonNull;
import static org.apache.spark.sql.types.DataTypes.BooleanType;
import static org.apache.spark.sql.types.DataTypes.DoubleType;
import static org.apache.spark.sql.types.DataTypes.StringType;

import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * A check and its verdict, as {@code promotion_log.checks} (a guardrail: passed) and {@code
 * retrain_decisions.rules} (a rule: fired, in {@code passed}) hold it. The struct's fields are
 * nullable; Sluice writes every one.
 */
public record Check(String name, double value, double threshold, boolean passed, String detail) {
  public static final String NAME = "name";
  public static final String VALUE = "value";
  public static final String THRESHOLD = "threshold";
  public static final String PASSED = "passed";
  public static final String DETAIL = "detail";

  public static final StructType SCHEMA =
      new StructType(
          new StructField[] {
            optional(NAME, StringType, "Check name."),
            optional(VALUE, DoubleType, "Measured value."),
            optional(THRESHOLD, DoubleType, "Threshold it was compared with."),
            optional(PASSED, BooleanType, "Whether it passed."),
            optional(DETAIL, StringType, "What was compared.")
          });

  public Check {
    requireNonNull(name, "name is null");
    requireNonNull(detail, "detail is null");
  }

  public Row toRow() {
    return Rows.builder(SCHEMA)
        .set(NAME, name)
        .set(VALUE, value)
        .set(THRESHOLD, threshold)
        .set(PASSED, passed)
        .set(DETAIL, detail)
        .build();
  }

  public static Check from(Row row) {
    return new Check(
        row.getAs(NAME),
        row.<Double>getAs(VALUE),
        row.<Double>getAs(THRESHOLD),
        row.<Boolean>getAs(PASSED),
        row.getAs(DETAIL));
  }
}
