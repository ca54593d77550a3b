package dev.sluice.jobs.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.common.Columns;
import dev.sluice.common.dataset.TaskType;
import dev.sluice.common.testing.SparkTestBase;
import dev.sluice.common.train.Metrics;
import java.util.List;
import java.util.NoSuchElementException;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

class SlicesTest extends SparkTestBase {
  private Dataset<Row> scored() {
    StructType schema =
        new StructType()
            .add("c", DataTypes.StringType)
            .add(Columns.TARGET, DataTypes.DoubleType)
            .add(Columns.PREDICTION, DataTypes.DoubleType);
    return spark.createDataFrame(
        List.of(
            RowFactory.create("a", 1.0, 1.0),
            RowFactory.create("a", 1.0, 0.0),
            RowFactory.create("a", 0.0, 0.0),
            RowFactory.create("b", 0.0, 1.0),
            RowFactory.create("b", 0.0, 0.0),
            RowFactory.create(null, 1.0, 1.0)),
        schema);
  }

  @Test
  void aGroupWithoutTheClassOfItsMetricHasNoValue() {
    // a: one true positive, one false negative: precision 1, recall 1/2, F1 2/3. b holds no
    // positive row, so class 1's F1 is undefined there; the null group is one true positive.
    List<List<String>> rows = new Slices(TaskType.BINARY, "f1", 2, List.of("c")).rows(scored());

    assertThat(rows)
        .containsExactly(
            List.of("c", "a", "3", String.format("%.5f", 2.0 / 3)),
            List.of("c", "b", "2", "NaN"),
            List.of("c", "null", "1", String.format("%.5f", 1.0)));
  }

  @Test
  void mllibFailsOnSuchAGroupRatherThanGivingAValue() {
    // Why the slice table checks the classes first; should MLlib give a value here one day, the
    // check can go.
    Dataset<Row> noPositive = scored().where("c = 'b'");

    assertThatThrownBy(() -> Metrics.evaluate(TaskType.BINARY, noPositive, "f1", 2))
        .isInstanceOf(NoSuchElementException.class);
  }

  @Test
  void anyOtherFailureFailsTheReport() {
    assertThatThrownBy(() -> new Slices(TaskType.BINARY, "nope", 2, List.of("c")).rows(scored()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("unknown metric nope");
  }

  @Test
  void onlyMetricsComputedPerClassNeedClasses() {
    assertThat(Slices.classesNeeded(TaskType.BINARY, "f1", 2)).containsExactly(1.0);
    assertThat(Slices.classesNeeded(TaskType.MULTICLASS, "f1", 3)).isEmpty();
    assertThat(Slices.classesNeeded(TaskType.MULTICLASS, "macroF1", 3))
        .containsExactlyInAnyOrder(0.0, 1.0, 2.0);
    assertThat(Slices.classesNeeded(TaskType.BINARY, "areaUnderROC", 2)).isEmpty();
  }
}
