package dev.sluice.common.engine.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.common.testing.SparkTestBase;
import java.sql.Timestamp;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

/** SchemaRows against the public path: the rows of a local Dataset's collect. */
class SchemaRowsTest extends SparkTestBase {
  private static final StructType SCHEMA =
      new StructType()
          .add("id", DataTypes.LongType, false)
          .add("name", DataTypes.StringType)
          .add("at", DataTypes.TimestampType)
          .add("scores", DataTypes.createArrayType(DataTypes.DoubleType));

  @Test
  void aRowWithItsSchemaEqualsTheRowSparksCollectReturns() {
    Object[] values = {
      7L,
      null,
      Timestamp.valueOf("2024-02-29 12:30:00"),
      scala.collection.immutable.ArraySeq$.MODULE$.unsafeWrapArray(new Object[] {0.5, 1.0})
    };
    Row collected =
        spark.createDataFrame(List.of(RowFactory.create(values)), SCHEMA).collectAsList().get(0);

    Row made = SchemaRows.create(values.clone(), SCHEMA);

    assertThat(made).isEqualTo(collected);
    assertThat(made.schema()).isEqualTo(collected.schema());
    assertThat(made.<Long>getAs("id")).isEqualTo(7L);
    assertThat(made.getList(made.fieldIndex("scores"))).containsExactly(0.5, 1.0);
    assertThat(made.toString()).isEqualTo(collected.toString());
  }
}
