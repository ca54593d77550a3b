package dev.sluice.common.engine.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.common.testing.SparkTestBase;
import java.sql.Date;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

/** InternalRows against the public path: the same values through createDataFrame of rows. */
class InternalRowsTest extends SparkTestBase {
  private static final StructType SCHEMA =
      new StructType()
          .add("s", DataTypes.StringType)
          .add("i", DataTypes.IntegerType)
          .add("l", DataTypes.LongType)
          .add("d", DataTypes.DoubleType)
          .add("b", DataTypes.BooleanType)
          .add("day", DataTypes.DateType)
          .add("at", DataTypes.TimestampType);

  private static final List<Object[]> VALUES =
      List.of(
          new Object[] {
            "é ünïcode",
            -3,
            Long.MAX_VALUE,
            -0.0,
            true,
            Date.valueOf("2024-02-29"),
            Timestamp.valueOf("2024-02-29 23:59:59.123456")
          },
          // Before the Gregorian switch and the epoch: the calendars' rebasing shows here.
          new Object[] {
            "",
            0,
            0L,
            Double.NaN,
            false,
            Date.valueOf("1500-03-01"),
            Timestamp.valueOf("1899-12-31 00:00:00")
          },
          new Object[] {null, null, null, null, null, null, null});

  @Test
  void rowsBuiltInSparksInternalFormReadAsTheSameRowsCreateDataFrameMakes() {
    List<Row> external = new ArrayList<>();
    List<InternalRow> internal = new ArrayList<>();
    for (Object[] values : VALUES) {
      external.add(RowFactory.create(values));
      Object[] converted = new Object[values.length];
      for (int i = 0; i < values.length; i++) {
        Object value = values[i];
        converted[i] =
            value instanceof Date date
                ? (Object) InternalRows.days(date)
                : value instanceof Timestamp timestamp
                    ? (Object) InternalRows.micros(timestamp)
                    : InternalRows.internal(value);
      }
      internal.add(InternalRows.of(converted));
    }
    JavaRDD<InternalRow> rdd =
        JavaSparkContext.fromSparkContext(spark.sparkContext()).parallelize(internal, 2);

    List<Row> made = InternalRows.frame(spark, rdd, SCHEMA).collectAsList();

    assertThat(made)
        .containsExactlyElementsOf(spark.createDataFrame(external, SCHEMA).collectAsList());
  }
}
