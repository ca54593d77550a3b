package dev.sluice.common.engine.internal;

import java.sql.Date;
import java.sql.Timestamp;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.catalyst.CatalystTypeConverters;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.catalyst.expressions.GenericInternalRow;
import org.apache.spark.sql.catalyst.util.DateTimeUtils;
import org.apache.spark.sql.types.StructType;

/**
 * Rows in Spark's internal form, made by the parse of source files, and their Dataset. Spark's
 * public {@code createDataFrame} takes external {@code Row}s and converts each one (boxing checks,
 * strings encoded) before a projection adds a batch's shared columns: two row copies per line,
 * about a seventh of ingest's write (JFR, 10 M rows). The parse builds the final row itself, and
 * Spark copies it once into its compact row format. InternalRowsTest compares every value type with
 * the public path.
 */
public final class InternalRows {
  private InternalRows() {}

  /** A row of values already in Spark's internal form. */
  public static InternalRow of(Object[] values) {
    return new GenericInternalRow(values);
  }

  /** An external value (String, Long, Timestamp, …) in Spark's internal form. */
  public static Object internal(Object value) {
    return CatalystTypeConverters.convertToCatalyst(value);
  }

  /** A date as Spark's internal days since the epoch. */
  public static int days(Date date) {
    return DateTimeUtils.fromJavaDate(date);
  }

  /** A timestamp as Spark's internal microseconds since the epoch. */
  public static long micros(Timestamp timestamp) {
    return DateTimeUtils.fromJavaTimestamp(timestamp);
  }

  /**
   * The rows, already in Spark's internal form and of {@code schema}, as a Dataset.
   *
   * @throws IllegalStateException for a session that is not Spark's classic one (Spark Connect)
   */
  public static Dataset<Row> frame(
      SparkSession spark, JavaRDD<InternalRow> rows, StructType schema) {
    if (!(spark instanceof org.apache.spark.sql.classic.SparkSession classic)) {
      throw new IllegalStateException(
          "parsing source files needs a classic SparkSession (spark-submit's), not "
              + spark.getClass().getName());
    }
    return classic.internalCreateDataFrame(rows.rdd(), schema, false);
  }
}
