package dev.sluice.common.train;

import static org.apache.spark.sql.functions.col;

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

  /**
   * The threshold with the best f1 of the positive class over {@code predictions} (with the target
   * and the probability columns), from MLlib's {@link BinaryClassificationMetrics}: every distinct
   * probability is a candidate. The model predicts positive above its threshold where those metrics
   * count a score equal to it as positive, so the threshold returned lies halfway between the best
   * candidate and the next lower score. 0.5 when there are no rows or no positive.
   */
  public static double bestF1(Dataset<Row> predictions) {
    Dataset<Row> scored =
        predictions.select(
            functions.vector_to_array(col(Columns.PROBABILITY), "float64").getItem(1),
            col(Columns.TARGET));
    BinaryClassificationMetrics metrics =
        new BinaryClassificationMetrics(
            scored
                .javaRDD()
                .map(row -> new Tuple2<Object, Object>(row.getDouble(0), row.getDouble(1)))
                .rdd());
    try {
      List<Tuple2<Object, Object>> byThreshold =
          metrics.fMeasureByThreshold().toJavaRDD().collect().stream()
              .sorted(Comparator.comparingDouble(pair -> -(Double) pair._1()))
              .toList();
      int best = -1;
      for (int i = 0; i < byThreshold.size(); i++) {
        double f1 = (Double) byThreshold.get(i)._2();
        if (!Double.isNaN(f1) && (best < 0 || f1 > (Double) byThreshold.get(best)._2())) {
          best = i;
        }
      }
      if (best < 0 || (Double) byThreshold.get(best)._2() == 0) {
        return 0.5;
      }
      double score = (Double) byThreshold.get(best)._1();
      double below = best + 1 < byThreshold.size() ? (Double) byThreshold.get(best + 1)._1() : 0;
      double threshold = (score + below) / 2;
      return threshold > 0 && threshold < 1 ? threshold : Math.min(Math.max(score, 1e-9), 1 - 1e-9);
    } finally {
      metrics.unpersist();
    }
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
