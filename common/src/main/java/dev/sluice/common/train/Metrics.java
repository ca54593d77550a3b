package dev.sluice.common.train;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;

import dev.sluice.common.Columns;
import dev.sluice.common.dataset.TaskType;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.ml.evaluation.BinaryClassificationEvaluator;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.mllib.evaluation.BinaryClassificationMetrics;
import org.apache.spark.mllib.evaluation.MulticlassMetrics;
import org.apache.spark.mllib.evaluation.RegressionMetrics;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataTypes;
import scala.Product;
import scala.Tuple3;
import scala.Tuple4;

/**
 * Model metrics by task, named as MLlib's evaluators name them. For a binary task {@code f1} is the
 * positive class's F1; for a multiclass task {@code f1} is MLlib's weighted F1 and {@code macroF1}
 * the unweighted mean over classes.
 */
public final class Metrics {
  /**
   * The curve metrics' bins: none, every distinct score is a point of the curve. MLlib's
   * down-sampling to bins (the evaluator's default of 1,000) groups consecutive points within each
   * partition, so the same predictions split into other partitions (a reproduction reading the
   * snapshot anew) give an AUC that differs in the fifth decimal; the exact curve does not.
   */
  private static final int CURVE_BINS = 0;

  /** The probability floor of the log loss: MLlib's evaluator's default. */
  private static final double LOG_LOSS_EPS = 1e-15;

  private Metrics() {}

  /**
   * Evaluates {@code metrics} on predictions holding {@code target}, {@code prediction} and the
   * model's scores. Each family of metrics is computed in one pass over the rows with MLlib's
   * metrics classes, as MLlib's evaluators compute each of them alone: the curve metrics from the
   * positive class's raw score (as {@link BinaryClassificationEvaluator} with no bins), the class
   * metrics from the predicted class and the probabilities, the regression metrics from the
   * prediction.
   */
  public static Map<String, Double> evaluate(
      TaskType task, Dataset<Row> predictions, List<String> metrics, int classCount) {
    Map<String, Double> values = new LinkedHashMap<>();
    BinaryClassificationMetrics curve = null;
    MulticlassMetrics classes = null;
    RegressionMetrics regression = null;
    try {
      for (String metric : metrics) {
        double value =
            switch (metric) {
              case "areaUnderROC", "areaUnderPR" -> {
                curve = curve != null ? curve : curve(predictions);
                yield metric.equals("areaUnderROC") ? curve.areaUnderROC() : curve.areaUnderPR();
              }
              case "f1", "macroF1", "accuracy", "logLoss" -> {
                classes =
                    classes != null ? classes : classes(predictions, metrics.contains("logLoss"));
                yield classMetric(classes, task, metric, classCount);
              }
              case "rmse", "mae", "r2" -> {
                regression = regression != null ? regression : regression(predictions);
                yield switch (metric) {
                  case "rmse" -> regression.rootMeanSquaredError();
                  case "mae" -> regression.meanAbsoluteError();
                  default -> regression.r2();
                };
              }
              default -> throw new IllegalArgumentException("unknown metric " + metric);
            };
        values.put(metric, value);
      }
    } finally {
      if (curve != null) {
        curve.unpersist();
      }
    }
    return values;
  }

  /** One metric: {@link #evaluate(TaskType, Dataset, List, int)} of that metric alone. */
  public static double evaluate(
      TaskType task, Dataset<Row> predictions, String metric, int classCount) {
    return evaluate(task, predictions, List.of(metric), classCount).get(metric);
  }

  private static double classMetric(
      MulticlassMetrics classes, TaskType task, String metric, int classCount) {
    return switch (metric) {
      case "f1" -> task == TaskType.BINARY ? classes.fMeasure(1.0) : classes.weightedFMeasure();
      case "macroF1" -> {
        double sum = 0;
        for (int label = 0; label < classCount; label++) {
          sum += classes.fMeasure(label);
        }
        yield sum / classCount;
      }
      case "accuracy" -> classes.accuracy();
      default -> classes.logLoss(LOG_LOSS_EPS);
    };
  }

  /** The positive class's raw score, the target and a unit weight, as the evaluator reads them. */
  private static BinaryClassificationMetrics curve(Dataset<Row> predictions) {
    JavaRDD<Tuple3<Object, Object, Object>> rows =
        predictions
            .select(col(Columns.RAW_PREDICTION), col(Columns.TARGET).cast(DataTypes.DoubleType))
            .javaRDD()
            .map(
                row ->
                    new Tuple3<Object, Object, Object>(
                        ((Vector) row.get(0)).apply(1), row.getDouble(1), 1.0));
    return new BinaryClassificationMetrics(rows.rdd(), CURVE_BINS);
  }

  /**
   * Predicted class, target, a unit weight and, for the log loss, the class probabilities (when the
   * model has them), as the evaluator reads them for each metric.
   */
  private static MulticlassMetrics classes(Dataset<Row> predictions, boolean logLoss) {
    boolean probabilities =
        logLoss && Arrays.asList(predictions.columns()).contains(Columns.PROBABILITY);
    JavaRDD<Row> rows =
        predictions
            .select(
                col(Columns.PREDICTION),
                col(Columns.TARGET).cast(DataTypes.DoubleType),
                probabilities ? col(Columns.PROBABILITY) : lit(null))
            .javaRDD();
    JavaRDD<? extends Product> tuples =
        probabilities
            ? rows.map(
                row ->
                    new Tuple4<Object, Object, Object, Object>(
                        row.getDouble(0), row.getDouble(1), 1.0, ((Vector) row.get(2)).toArray()))
            : rows.map(
                row -> new Tuple3<Object, Object, Object>(row.getDouble(0), row.getDouble(1), 1.0));
    return new MulticlassMetrics(tuples.rdd());
  }

  private static RegressionMetrics regression(Dataset<Row> predictions) {
    JavaRDD<Tuple3<Object, Object, Object>> rows =
        predictions
            .select(
                col(Columns.PREDICTION).cast(DataTypes.DoubleType),
                col(Columns.TARGET).cast(DataTypes.DoubleType))
            .javaRDD()
            .map(
                row -> new Tuple3<Object, Object, Object>(row.getDouble(0), row.getDouble(1), 1.0));
    return new RegressionMetrics(rows.rdd(), false);
  }

  /** Whether a larger value of the metric is better. */
  public static boolean largerIsBetter(String metric) {
    return !(metric.equals("rmse") || metric.equals("mae") || metric.equals("logLoss"));
  }
}
