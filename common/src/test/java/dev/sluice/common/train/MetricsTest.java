package dev.sluice.common.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.sluice.common.Columns;
import dev.sluice.common.dataset.TaskType;
import dev.sluice.common.testing.SparkTestBase;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.apache.spark.ml.evaluation.BinaryClassificationEvaluator;
import org.apache.spark.ml.evaluation.MulticlassClassificationEvaluator;
import org.apache.spark.ml.evaluation.RegressionEvaluator;
import org.apache.spark.ml.linalg.VectorUDT;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

/** Every metric, computed in one pass per family, equals MLlib's evaluator computing it alone. */
class MetricsTest extends SparkTestBase {
  private static final StructType CLASSES =
      new StructType()
          .add(Columns.TARGET, DataTypes.DoubleType)
          .add(Columns.PREDICTION, DataTypes.DoubleType)
          .add(Columns.RAW_PREDICTION, new VectorUDT())
          .add(Columns.PROBABILITY, new VectorUDT());

  /** Rows of target, predicted class and the probabilities, also used as the raw scores. */
  private Dataset<Row> classified(double[][] rows) {
    return spark.createDataFrame(
        Arrays.stream(rows)
            .map(
                r -> {
                  double[] probabilities = Arrays.copyOfRange(r, 2, r.length);
                  return RowFactory.create(
                      r[0], r[1], Vectors.dense(probabilities), Vectors.dense(probabilities));
                })
            .toList(),
        CLASSES);
  }

  @Test
  void binaryMetricsEqualTheEvaluators() {
    Dataset<Row> rows =
        classified(
            new double[][] {
              {1, 1, 0.1, 0.9},
              {1, 1, 0.3, 0.7},
              {0, 1, 0.4, 0.6},
              {1, 0, 0.6, 0.4},
              {0, 0, 0.8, 0.2},
              {0, 0, 0.9, 0.1},
              {0, 1, 0.45, 0.55},
            });
    Map<String, Double> values =
        Metrics.evaluate(
            TaskType.BINARY,
            rows,
            List.of("areaUnderROC", "areaUnderPR", "accuracy", "f1", "logLoss"),
            2);
    // 3 positives, 4 negatives; 10 of the 12 positive-negative pairs are ordered right.
    assertThat(values.get("areaUnderROC")).isCloseTo(10.0 / 12, within(1e-12));
    // 4 of 7 right at the predicted classes; the positive class's precision 2/4, recall 2/3.
    assertThat(values.get("accuracy")).isCloseTo(4.0 / 7, within(1e-12));
    assertThat(values.get("f1")).isCloseTo(2 * 0.5 * (2.0 / 3) / (0.5 + 2.0 / 3), within(1e-12));
    assertThat(values.get("areaUnderPR")).isEqualTo(binary("areaUnderPR").evaluate(rows));
    assertThat(values.get("areaUnderROC")).isEqualTo(binary("areaUnderROC").evaluate(rows));
    assertThat(values.get("accuracy")).isEqualTo(classes("accuracy").evaluate(rows));
    assertThat(values.get("f1"))
        .isEqualTo(classes("fMeasureByLabel").setMetricLabel(1.0).evaluate(rows));
    assertThat(values.get("logLoss")).isEqualTo(classes("logLoss").evaluate(rows));
  }

  @Test
  void multiclassMetricsEqualTheEvaluators() {
    Dataset<Row> rows =
        classified(
            new double[][] {
              {0, 0, 0.7, 0.2, 0.1}, {0, 1, 0.3, 0.6, 0.1}, {1, 1, 0.1, 0.8, 0.1},
              {1, 2, 0.1, 0.4, 0.5}, {2, 2, 0.0, 0.1, 0.9}, {2, 2, 0.2, 0.2, 0.6},
            });
    Map<String, Double> values =
        Metrics.evaluate(
            TaskType.MULTICLASS, rows, List.of("f1", "accuracy", "macroF1", "logLoss"), 3);
    assertThat(values.get("accuracy")).isCloseTo(4.0 / 6, within(1e-12));
    assertThat(values.get("accuracy")).isEqualTo(classes("accuracy").evaluate(rows));
    assertThat(values.get("f1")).isEqualTo(classes("f1").evaluate(rows));
    assertThat(values.get("logLoss")).isEqualTo(classes("logLoss").evaluate(rows));
    double macro = 0;
    for (int label = 0; label < 3; label++) {
      macro += classes("fMeasureByLabel").setMetricLabel(label).evaluate(rows);
    }
    assertThat(values.get("macroF1")).isCloseTo(macro / 3, within(1e-12));
  }

  @Test
  void regressionMetricsEqualTheEvaluators() {
    StructType schema =
        new StructType()
            .add(Columns.TARGET, DataTypes.DoubleType)
            .add(Columns.PREDICTION, DataTypes.DoubleType);
    Dataset<Row> rows =
        spark.createDataFrame(
            List.of(
                RowFactory.create(1.0, 1.5),
                RowFactory.create(2.0, 2.0),
                RowFactory.create(3.0, 2.0),
                RowFactory.create(6.0, 5.5)),
            schema);
    Map<String, Double> values =
        Metrics.evaluate(TaskType.REGRESSION, rows, List.of("rmse", "mae", "r2"), 0);
    // Errors 0.5, 0, 1, 0.5: mean absolute 0.5, mean square 1.5 / 4.
    assertThat(values.get("mae")).isCloseTo(0.5, within(1e-12));
    assertThat(values.get("rmse")).isCloseTo(Math.sqrt(1.5 / 4), within(1e-12));
    for (String metric : List.of("rmse", "mae", "r2")) {
      assertThat(values.get(metric))
          .as(metric)
          .isEqualTo(
              new RegressionEvaluator()
                  .setLabelCol(Columns.TARGET)
                  .setPredictionCol(Columns.PREDICTION)
                  .setMetricName(metric)
                  .evaluate(rows));
    }
  }

  private static BinaryClassificationEvaluator binary(String metric) {
    return new BinaryClassificationEvaluator()
        .setNumBins(0)
        .setLabelCol(Columns.TARGET)
        .setRawPredictionCol(Columns.RAW_PREDICTION)
        .setMetricName(metric);
  }

  private static MulticlassClassificationEvaluator classes(String metric) {
    return new MulticlassClassificationEvaluator()
        .setLabelCol(Columns.TARGET)
        .setPredictionCol(Columns.PREDICTION)
        .setProbabilityCol(Columns.PROBABILITY)
        .setMetricName(metric);
  }
}
