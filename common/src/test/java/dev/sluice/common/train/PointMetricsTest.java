package dev.sluice.common.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.sluice.common.Columns;
import dev.sluice.common.testing.SparkTestBase;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.ml.evaluation.BinaryClassificationEvaluator;
import org.apache.spark.ml.evaluation.MulticlassClassificationEvaluator;
import org.apache.spark.ml.linalg.VectorUDT;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

/** The driver's metrics against MLlib's evaluators on the same rows. */
class PointMetricsTest extends SparkTestBase {
  private static final double[] LABELS = {0, 1, 2, 2, 1, 0};
  private static final double[][] PROBABILITIES = {
    {0.7, 0.2, 0.1},
    {0.1, 0.6, 0.3},
    {0.2, 0.2, 0.6},
    {0.5, 0.4, 0.1},
    {0.3, 0.3, 0.4},
    {0.9, 0.05, 0.05}
  };

  private double mllibLogLoss(double[] labels, double[][] probabilities) {
    StructType schema =
        new StructType()
            .add(Columns.TARGET, DataTypes.DoubleType)
            .add(Columns.PREDICTION, DataTypes.DoubleType)
            .add(Columns.PROBABILITY, new VectorUDT());
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < labels.length; i++) {
      rows.add(RowFactory.create(labels[i], 0.0, Vectors.dense(probabilities[i])));
    }
    return new MulticlassClassificationEvaluator()
        .setLabelCol(Columns.TARGET)
        .setPredictionCol(Columns.PREDICTION)
        .setProbabilityCol(Columns.PROBABILITY)
        .setMetricName("logLoss")
        .evaluate(spark.createDataFrame(rows, schema));
  }

  /** Positive-class scores, a tie at 0.7 between a positive and a negative. */
  private static final double[] PR_LABELS = {1, 0, 1, 0, 1, 0};

  private static final double[] PR_SCORES = {0.9, 0.8, 0.7, 0.7, 0.4, 0.2};

  /** MLlib's areaUnderPR of the rows of positive weight, each weighing its weight. */
  private double mllibAreaUnderPR(double[] labels, double[] scores, int[] weights) {
    StructType schema =
        new StructType()
            .add(Columns.TARGET, DataTypes.DoubleType)
            .add(Columns.RAW_PREDICTION, DataTypes.DoubleType)
            .add("weight", DataTypes.DoubleType);
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < labels.length; i++) {
      if (weights[i] > 0) {
        rows.add(RowFactory.create(labels[i], scores[i], (double) weights[i]));
      }
    }
    return new BinaryClassificationEvaluator()
        .setLabelCol(Columns.TARGET)
        .setRawPredictionCol(Columns.RAW_PREDICTION)
        .setWeightCol("weight")
        .setMetricName("areaUnderPR")
        .evaluate(spark.createDataFrame(rows, schema));
  }

  @Test
  void areaUnderPrIsMllibsTrapezoidsFromTheTopScoresPrecision() {
    int[] ones = PointMetrics.ones(PR_LABELS.length);
    double mine =
        PointMetrics.compute(
            "areaUnderPR", true, PR_LABELS, new double[PR_LABELS.length], PR_SCORES, ones);
    // 3 positives; (recall, precision) by score: 0.9 (1/3, 1), 0.8 (1/3, 1/2), 0.7 (2/3, 1/2),
    // 0.4 (1, 3/5), 0.2 (1, 1/2), after (0, 1). Trapezoids: 1/3 + 0 + 1/6 + 11/60 + 0 = 41/60.
    assertThat(mine).isCloseTo(41.0 / 60, within(1e-15));
    assertThat(mine).isCloseTo(mllibAreaUnderPR(PR_LABELS, PR_SCORES, ones), within(1e-15));
  }

  @Test
  void areaUnderPrOfAResampleCountsEachRowAsOftenAsItWasDrawn() {
    // The top row (0.9, a positive) was not drawn: the curve starts at the negative scored 0.8.
    int[] drawn = {0, 1, 2, 1, 1, 3};
    double mine =
        PointMetrics.compute(
            "areaUnderPR", true, PR_LABELS, new double[PR_LABELS.length], PR_SCORES, drawn);
    // 3 positives; 0.8 (0, 0), 0.7 (2/3, 1/2), 0.4 (1, 3/5), 0.2 (1, 3/8), after (0, 0): the
    // first point's precision. Trapezoids: 0 + 1/6 + 11/60 + 0 = 7/20.
    assertThat(mine).isCloseTo(7.0 / 20, within(1e-15));
    assertThat(mine).isCloseTo(mllibAreaUnderPR(PR_LABELS, PR_SCORES, drawn), within(1e-15));
  }

  @Test
  void areaUnderPrWithoutPositivesIsZeroAsInMllib() {
    double[] negatives = {0, 0, 0};
    double[] scores = {0.9, 0.5, 0.1};
    int[] ones = PointMetrics.ones(3);
    assertThat(PointMetrics.compute("areaUnderPR", true, negatives, new double[3], scores, ones))
        .isZero()
        .isEqualTo(mllibAreaUnderPR(negatives, scores, ones));
  }

  @Test
  void multiclassLogLossTakesEachRowsProbabilityOfItsTrueClass() {
    double[] trueClass = new double[LABELS.length];
    for (int i = 0; i < LABELS.length; i++) {
      trueClass[i] = PROBABILITIES[i][(int) LABELS[i]];
    }
    int[] ones = PointMetrics.ones(LABELS.length);
    double mine =
        PointMetrics.compute("logLoss", false, LABELS, new double[LABELS.length], trueClass, ones);
    // -(ln 0.7 + ln 0.6 + ln 0.6 + ln 0.1 + ln 0.3 + ln 0.9) / 6
    assertThat(mine).isCloseTo(0.8317, within(1e-4));
    assertThat(mine).isCloseTo(mllibLogLoss(LABELS, PROBABILITIES), within(1e-12));
  }

  @Test
  void binaryLogLossTakesTheProbabilityOfClassOne() {
    double[] labels = {1, 0, 1, 0};
    double[] scores = {0.8, 0.3, 0.4, 0.1};
    double[][] probabilities =
        Arrays.stream(scores).mapToObj(p -> new double[] {1 - p, p}).toArray(double[][]::new);
    assertThat(
            PointMetrics.compute(
                "logLoss", true, labels, new double[4], scores, PointMetrics.ones(4)))
        .isCloseTo(mllibLogLoss(labels, probabilities), within(1e-12));
  }
}
