package dev.sluice.common.train;

import java.util.Arrays;
import java.util.List;

/**
 * Metrics computed on the driver from arrays, for resampling (bootstrap) where calling an MLlib
 * evaluator per resample would cost a Spark job each. They agree with MLlib's evaluators on the
 * same rows; {@code weights} are resampling counts (a row drawn twice weighs 2).
 */
public final class PointMetrics {
  /** The metrics computed here. */
  public static final List<String> METRICS =
      List.of("areaUnderROC", "areaUnderPR", "accuracy", "f1", "logLoss", "rmse", "mae", "r2");

  private static final double EPSILON = 1e-15;

  private PointMetrics() {}

  /** Whether the metric can be computed here. */
  public static boolean supports(String metric) {
    return METRICS.contains(metric);
  }

  /**
   * The metric on weighted rows. {@code labels}: class index or value; {@code predictions}:
   * predicted class index or value; {@code scores}: probability of class 1 (binary), of the row's
   * true class (multiclass), unused for regression.
   */
  public static double compute(
      String metric,
      boolean binary,
      double[] labels,
      double[] predictions,
      double[] scores,
      int[] weights) {
    return switch (metric) {
      case "areaUnderROC" -> auc(labels, scores, weights);
      case "areaUnderPR" -> areaUnderPR(labels, scores, weights);
      case "accuracy" -> accuracy(labels, predictions, weights);
      case "f1" ->
          binary
              ? positiveF1(labels, predictions, weights)
              : weightedF1(labels, predictions, weights);
      case "logLoss" ->
          binary ? logLoss(labels, scores, weights) : trueClassLogLoss(scores, weights);
      case "rmse" -> Math.sqrt(meanSquaredError(labels, predictions, weights));
      case "mae" -> meanAbsoluteError(labels, predictions, weights);
      case "r2" -> r2(labels, predictions, weights);
      default -> throw new IllegalArgumentException("cannot compute " + metric + " on the driver");
    };
  }

  /** Area under the ROC curve by ranks (Mann-Whitney), ties counted half. */
  static double auc(double[] labels, double[] scores, int[] weights) {
    Integer[] order = new Integer[labels.length];
    for (int i = 0; i < order.length; i++) {
      order[i] = i;
    }
    Arrays.sort(order, (a, b) -> Double.compare(scores[a], scores[b]));
    double positives = 0;
    double negatives = 0;
    double negativesBelow = 0;
    double area = 0;
    int i = 0;
    while (i < order.length) {
      int j = i;
      double tiedPositives = 0;
      double tiedNegatives = 0;
      while (j < order.length && scores[order[j]] == scores[order[i]]) {
        int row = order[j];
        if (labels[row] == 1.0) {
          tiedPositives += weights[row];
        } else {
          tiedNegatives += weights[row];
        }
        j++;
      }
      area += tiedPositives * (negativesBelow + tiedNegatives / 2.0);
      negativesBelow += tiedNegatives;
      positives += tiedPositives;
      negatives += tiedNegatives;
      i = j;
    }
    return positives == 0 || negatives == 0 ? Double.NaN : area / (positives * negatives);
  }

  /**
   * Area under the precision-recall curve as MLlib's {@code BinaryClassificationMetrics} computes
   * it: a point (recall, precision) per distinct score from the highest down, counting the rows
   * scored at or above it; the point (0, the first point's precision) before them; trapezoids in
   * between. A label above 0.5 is positive, and recall without positive rows is 0, as in MLlib. A
   * row of weight 0 was not drawn and adds no point. MLlib's evaluator down-samples this curve to
   * 1,000 bins from 2,000 distinct scores on; this is the curve before binning.
   */
  static double areaUnderPR(double[] labels, double[] scores, int[] weights) {
    Integer[] order = new Integer[labels.length];
    double positives = 0;
    double total = 0;
    for (int i = 0; i < order.length; i++) {
      order[i] = i;
      total += weights[i];
      if (labels[i] > 0.5) {
        positives += weights[i];
      }
    }
    if (total == 0) {
      return Double.NaN;
    }
    Arrays.sort(order, (a, b) -> Double.compare(scores[b], scores[a]));
    double truePositives = 0;
    double falsePositives = 0;
    double recall = 0;
    double precision = Double.NaN;
    double area = 0;
    int i = 0;
    while (i < order.length) {
      int j = i;
      double tied = 0;
      while (j < order.length && scores[order[j]] == scores[order[i]]) {
        int row = order[j];
        if (labels[row] > 0.5) {
          truePositives += weights[row];
        } else {
          falsePositives += weights[row];
        }
        tied += weights[row];
        j++;
      }
      i = j;
      if (tied == 0) {
        continue;
      }
      double nextRecall = positives == 0 ? 0.0 : truePositives / positives;
      double nextPrecision = truePositives / (truePositives + falsePositives);
      if (Double.isNaN(precision)) {
        precision = nextPrecision;
      }
      area += (nextRecall - recall) * (nextPrecision + precision) / 2.0;
      recall = nextRecall;
      precision = nextPrecision;
    }
    return area;
  }

  static double accuracy(double[] labels, double[] predictions, int[] weights) {
    double correct = 0;
    double total = 0;
    for (int i = 0; i < labels.length; i++) {
      total += weights[i];
      if (labels[i] == predictions[i]) {
        correct += weights[i];
      }
    }
    return correct / total;
  }

  static double positiveF1(double[] labels, double[] predictions, int[] weights) {
    return f1Of(1.0, labels, predictions, weights);
  }

  private static double f1Of(double label, double[] labels, double[] predictions, int[] weights) {
    double truePositive = 0;
    double falsePositive = 0;
    double falseNegative = 0;
    for (int i = 0; i < labels.length; i++) {
      boolean actual = labels[i] == label;
      boolean predicted = predictions[i] == label;
      if (actual && predicted) {
        truePositive += weights[i];
      } else if (predicted) {
        falsePositive += weights[i];
      } else if (actual) {
        falseNegative += weights[i];
      }
    }
    double denominator = 2 * truePositive + falsePositive + falseNegative;
    return denominator == 0 ? 0.0 : 2 * truePositive / denominator;
  }

  static double weightedF1(double[] labels, double[] predictions, int[] weights) {
    java.util.Map<Double, Double> support = new java.util.HashMap<>();
    double total = 0;
    for (int i = 0; i < labels.length; i++) {
      support.merge(labels[i], (double) weights[i], Double::sum);
      total += weights[i];
    }
    double sum = 0;
    for (java.util.Map.Entry<Double, Double> entry : support.entrySet()) {
      sum += entry.getValue() / total * f1Of(entry.getKey(), labels, predictions, weights);
    }
    return sum;
  }

  /** Mean negative log of each row's probability of its true class, as MLlib clips it. */
  static double trueClassLogLoss(double[] trueClassScores, int[] weights) {
    double sum = 0;
    double total = 0;
    for (int i = 0; i < trueClassScores.length; i++) {
      sum -= weights[i] * Math.log(Math.max(trueClassScores[i], EPSILON));
      total += weights[i];
    }
    return total == 0 ? Double.NaN : sum / total;
  }

  static double logLoss(double[] labels, double[] scores, int[] weights) {
    double loss = 0;
    double total = 0;
    for (int i = 0; i < labels.length; i++) {
      double p =
          Math.min(Math.max(labels[i] == 1.0 ? scores[i] : 1 - scores[i], EPSILON), 1 - EPSILON);
      loss -= weights[i] * Math.log(p);
      total += weights[i];
    }
    return loss / total;
  }

  static double meanSquaredError(double[] labels, double[] predictions, int[] weights) {
    double sum = 0;
    double total = 0;
    for (int i = 0; i < labels.length; i++) {
      double error = labels[i] - predictions[i];
      sum += weights[i] * error * error;
      total += weights[i];
    }
    return sum / total;
  }

  static double meanAbsoluteError(double[] labels, double[] predictions, int[] weights) {
    double sum = 0;
    double total = 0;
    for (int i = 0; i < labels.length; i++) {
      sum += weights[i] * Math.abs(labels[i] - predictions[i]);
      total += weights[i];
    }
    return sum / total;
  }

  static double r2(double[] labels, double[] predictions, int[] weights) {
    double total = 0;
    double mean = 0;
    for (int i = 0; i < labels.length; i++) {
      mean += weights[i] * labels[i];
      total += weights[i];
    }
    mean /= total;
    double residual = 0;
    double variance = 0;
    for (int i = 0; i < labels.length; i++) {
      residual += weights[i] * (labels[i] - predictions[i]) * (labels[i] - predictions[i]);
      variance += weights[i] * (labels[i] - mean) * (labels[i] - mean);
    }
    return 1 - residual / variance;
  }

  /** Weights of one row each: the metric on the rows as they are. */
  public static int[] ones(int n) {
    int[] weights = new int[n];
    Arrays.fill(weights, 1);
    return weights;
  }
}
