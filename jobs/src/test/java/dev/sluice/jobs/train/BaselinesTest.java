package dev.sluice.jobs.train;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.common.testing.SparkTestBase;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

class BaselinesTest extends SparkTestBase {
  private static final StructType SCHEMA =
      new StructType()
          .add("x", DataTypes.DoubleType)
          .add("y", DataTypes.DoubleType)
          .add("c", DataTypes.StringType)
          .add("d", DataTypes.IntegerType);

  private Dataset<Row> rows() {
    return spark.createDataFrame(
        List.of(
            RowFactory.create(1.0, 1.0, "a", 7),
            RowFactory.create(2.0, 1.0, "b", 7),
            RowFactory.create(3.0, 1.0, "b", 9),
            RowFactory.create(4.0, 1.0, "c", 8),
            RowFactory.create(5.0, 1.0, "c", null),
            RowFactory.create(6.0, 1.0, "c", null),
            RowFactory.create(7.0, 1.0, null, null),
            RowFactory.create(8.0, 1.0, null, null),
            RowFactory.create(9.0, 2.0, null, null)),
        SCHEMA);
  }

  @Test
  void quantileEdgesAreTheInteriorQuantilesEachKeptOnce() {
    // Quartiles of 9 rows are the values of rank ceil(9 p): 3, 5 and 7. y is 1 up to rank 8.
    Map<String, double[]> edges = Baselines.quantileEdges(rows(), List.of("x", "y"), 4);

    assertThat(edges).containsOnlyKeys("x", "y");
    assertThat(edges.get("x")).containsExactly(3.0, 5.0, 7.0);
    assertThat(edges.get("y")).containsExactly(1.0);
  }

  @Test
  void frequentLevelsAreTheMostFrequentNonNullValuesTiesInValueOrder() {
    // d is null most often, and 8 and 9 tie behind 7.
    Map<String, List<String>> levels = Baselines.frequentLevels(rows(), List.of("c", "d"), 2);

    assertThat(levels).isEqualTo(Map.of("c", List.of("c", "b"), "d", List.of("7", "8")));
  }

  @Test
  void noColumnsNeedNoPass() {
    assertThat(Baselines.quantileEdges(rows(), List.of(), 4)).isEmpty();
    assertThat(Baselines.frequentLevels(rows(), List.of(), 2)).isEmpty();
  }
}
