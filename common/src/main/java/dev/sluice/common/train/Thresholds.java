package dev.sluice.common.train;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.sum;

import dev.sluice.common.Columns;
import dev.sluice.common.train.xgboost.XGBoostStage;
import java.util.Comparator;
import java.util.List;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.Transformer;
import org.apache.spark.ml.classification.ProbabilisticClassificationModel;
import org.apache.spark.ml.functions;
import org.apache.spark.mllib.evaluation.BinaryClassificationMetrics;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import scala.Tuple2;

/**
 * The decision threshold of a binary classifier: the probability of the positive class above which
 * it predicts that class. A model holds it as MLlib's {@code thresholds} parameter, {@code [1 - t,
 * t]} (MLlib predicts the class with the largest probability divided by its threshold), so every
 * job that loads the model turns scores into classes with it.
 */
public final class Thresholds {
  /** MLlib's parameter of a probabilistic classifier that holds the threshold. */
  public static final String PARAM = "thresholds";

  private Thresholds() {}

  /** MLlib's {@code thresholds} for a binary threshold {@code t}. */
  public static double[] binary(double threshold) {
    if (!(threshold > 0 && threshold < 1)) {
      throw new IllegalArgumentException("a threshold must be in (0, 1), was " + threshold);
    }
    return new double[] {1 - threshold, threshold};
  }

  /** How a binary model's threshold is set: by a rule on the validation rows, or fixed. */
  public enum Rule {
    /** The threshold with the best f1 of the positive class. */
    BEST_F1("best-f1"),
    /** The threshold with the best accuracy. */
    BEST_ACCURACY("best-accuracy"),
    /** A probability given in the settings. */
    FIXED("");

    private final String setting;

    Rule(String setting) {
      this.setting = setting;
    }

    /** The rule's name in {@code sluice.train.decision-threshold}. */
    public String setting() {
      return setting;
    }
  }

  /** A binary model's threshold setting: a rule, and the probability when the rule is FIXED. */
  public record Choice(Rule rule, double fixed) {
    public Choice {
      if (rule == Rule.FIXED) {
        binary(fixed);
      }
    }

    public static Choice best(Rule rule) {
      return new Choice(rule, Double.NaN);
    }

    public static Choice fixed(double threshold) {
      return new Choice(Rule.FIXED, threshold);
    }
  }

  /**
   * The threshold the rule picks over {@code predictions} (with the target and the probability
   * columns): {@link #bestF1} or {@link #bestAccuracy}; the fixed value as it is.
   */
  public static double choose(Choice choice, Dataset<Row> predictions) {
    return switch (choice.rule()) {
      case BEST_F1 -> bestF1(predictions);
      case BEST_ACCURACY -> bestAccuracy(predictions);
      case FIXED -> choice.fixed();
    };
  }

  /**
   * The threshold with the best f1 of the positive class, from MLlib's {@link
   * BinaryClassificationMetrics}: every distinct probability is a candidate. The model predicts
   * positive above its threshold where those metrics count a score equal to it as positive, so the
   * threshold returned lies halfway between the best candidate and the next lower score. 0.5 when
   * there are no rows or no positive.
   */
  public static double bestF1(Dataset<Row> predictions) {
    return best(
        predictions,
        (counts, precision, recall) ->
            precision + recall == 0 ? 0 : 2 * precision * recall / (precision + recall));
  }

  /**
   * The threshold with the best accuracy, chosen as {@link #bestF1} chooses among the same
   * candidates (a candidate that predicts no positive right is left out: predicting none at all is
   * what 0.5 falls back to). 0.5 when there are no rows or no positive.
   */
  public static double bestAccuracy(Dataset<Row> predictions) {
    return best(
        predictions,
        (counts, precision, recall) -> {
          if (recall == 0 || precision == 0) {
            return 0;
          }
          double truePositives = recall * counts.positives();
          double falsePositives = Math.round(truePositives / precision - truePositives);
          double negatives = counts.rows() - counts.positives();
          return (truePositives + negatives - falsePositives) / counts.rows();
        });
  }

  /** The rows and positives that candidates are scored over. */
  private record Counts(long rows, long positives) {}

  /** A metric of the rows predicted positive at a candidate threshold. */
  private interface Score {
    double of(Counts counts, double precision, double recall);
  }

  private static double best(Dataset<Row> predictions, Score score) {
    Dataset<Row> scored =
        predictions.select(
            functions.vector_to_array(col(Columns.PROBABILITY), "float64").getItem(1),
            col(Columns.TARGET));
    Row totals = scored.agg(count(lit(1)), sum(col(Columns.TARGET))).first();
    Counts counts =
        new Counts(totals.getLong(0), totals.isNullAt(1) ? 0 : (long) totals.getDouble(1));
    if (counts.positives() == 0) {
      return 0.5;
    }
    BinaryClassificationMetrics metrics =
        new BinaryClassificationMetrics(
            scored
                .javaRDD()
                .map(row -> new Tuple2<Object, Object>(row.getDouble(0), row.getDouble(1)))
                .rdd());
    try {
      List<Tuple2<Object, Object>> precisions =
          byThresholdDescending(metrics.precisionByThreshold());
      List<Tuple2<Object, Object>> recalls = byThresholdDescending(metrics.recallByThreshold());
      int best = -1;
      double bestValue = 0;
      for (int i = 0; i < precisions.size(); i++) {
        double value =
            score.of(counts, (Double) precisions.get(i)._2(), (Double) recalls.get(i)._2());
        if (!Double.isNaN(value) && value > bestValue) {
          best = i;
          bestValue = value;
        }
      }
      if (best < 0) {
        return 0.5;
      }
      double candidate = (Double) precisions.get(best)._1();
      double below = best + 1 < precisions.size() ? (Double) precisions.get(best + 1)._1() : 0;
      double threshold = (candidate + below) / 2;
      return threshold > 0 && threshold < 1
          ? threshold
          : Math.min(Math.max(candidate, 1e-9), 1 - 1e-9);
    } finally {
      metrics.unpersist();
    }
  }

  private static List<Tuple2<Object, Object>> byThresholdDescending(
      org.apache.spark.rdd.RDD<Tuple2<Object, Object>> curve) {
    return curve.toJavaRDD().collect().stream()
        .sorted(Comparator.comparingDouble(pair -> -(Double) pair._1()))
        .toList();
  }

  /**
   * Sets threshold {@code t} on the model's classifier (its last stage, or the XGBoost classifier
   * that stage wraps); a model whose last stage is not a probabilistic classifier is left as it is.
   */
  public static PipelineModel apply(PipelineModel model, double threshold) {
    Transformer[] stages = model.stages();
    if (stages.length > 0
        && XGBoostStage.unwrap(stages[stages.length - 1])
            instanceof ProbabilisticClassificationModel<?, ?> classifier) {
      classifier.setThresholds(binary(threshold));
    }
    return model;
  }
}
