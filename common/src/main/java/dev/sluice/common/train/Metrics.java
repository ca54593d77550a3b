package dev.sluice.common.train;

import dev.sluice.common.Columns;
import dev.sluice.common.dataset.TaskType;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.ml.evaluation.BinaryClassificationEvaluator;
import org.apache.spark.ml.evaluation.MulticlassClassificationEvaluator;
import org.apache.spark.ml.evaluation.RegressionEvaluator;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * Model metrics by task, named as MLlib's evaluators name them. For a binary task {@code f1} is the
 * positive class's F1; for a multiclass task {@code f1} is MLlib's weighted F1 and {@code macroF1}
 * the unweighted mean over classes.
 */
public final class Metrics {
  private Metrics() {}

  /**
   * Evaluates {@code metrics} on predictions holding {@code target}, {@code prediction} and the
   * model's scores.
   */
  public static Map<String, Double> evaluate(
      TaskType task, Dataset<Row> predictions, List<String> metrics, int classCount) {
    Map<String, Double> values = new LinkedHashMap<>();
    for (String metric : metrics) {
      values.put(metric, evaluate(task, predictions, metric, classCount));
    }
    return values;
  }

  public static double evaluate(
      TaskType task, Dataset<Row> predictions, String metric, int classCount) {
    return switch (metric) {
      case "areaUnderROC", "areaUnderPR" ->
          new BinaryClassificationEvaluator()
              .setLabelCol(Columns.TARGET)
              .setRawPredictionCol(Columns.RAW_PREDICTION)
              .setMetricName(metric)
              .evaluate(predictions);
      case "f1" ->
          task == TaskType.BINARY
              ? multiclass("fMeasureByLabel").setMetricLabel(1.0).evaluate(predictions)
              : multiclass("f1").evaluate(predictions);
      case "macroF1" -> {
        double sum = 0;
        for (int label = 0; label < classCount; label++) {
          sum += multiclass("fMeasureByLabel").setMetricLabel(label).evaluate(predictions);
        }
        yield sum / classCount;
      }
      case "accuracy", "logLoss" -> multiclass(metric).evaluate(predictions);
      case "rmse", "mae", "r2" ->
          new RegressionEvaluator()
              .setLabelCol(Columns.TARGET)
              .setPredictionCol(Columns.PREDICTION)
              .setMetricName(metric)
              .evaluate(predictions);
      default -> throw new IllegalArgumentException("unknown metric " + metric);
    };
  }

  private static MulticlassClassificationEvaluator multiclass(String metric) {
    return new MulticlassClassificationEvaluator()
        .setLabelCol(Columns.TARGET)
        .setPredictionCol(Columns.PREDICTION)
        .setProbabilityCol(Columns.PROBABILITY)
        .setMetricName(metric);
  }

  /** Whether a larger value of the metric is better. */
  public static boolean largerIsBetter(String metric) {
    return !(metric.equals("rmse") || metric.equals("mae") || metric.equals("logLoss"));
  }
}
