package dev.sluice.common.train;

import static org.apache.spark.sql.functions.col;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.sluice.common.Columns;
import dev.sluice.common.dataset.TaskType;
import dev.sluice.common.testing.SparkTestBase;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.apache.spark.ml.classification.LogisticRegression;
import org.apache.spark.ml.classification.LogisticRegressionModel;
import org.apache.spark.ml.linalg.VectorUDT;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

class ClassWeightTest extends SparkTestBase {
  private static final StructType SCHEMA =
      new StructType()
          .add(Columns.FEATURES, new VectorUDT())
          .add(Columns.TARGET, DataTypes.DoubleType);

  private Dataset<Row> rows(double[] features, double[] targets) {
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < targets.length; i++) {
      rows.add(RowFactory.create(Vectors.dense(features[i]), targets[i]));
    }
    // A session of its own, as every job has: a fitted logistic regression keeps its training
    // summary, which holds the session, and scoring ships the model to the tasks. The shared test
    // session cannot be shipped once another test has observed metrics on it (Spark's
    // ObservationManager is not serializable).
    return spark.newSession().createDataFrame(rows, SCHEMA);
  }

  @Test
  void balancedWeighsARowByRowsOverClassesTimesItsClassRows() {
    // 8 rows, 3 classes: 5 of class 0, 2 of class 1, 1 of class 2.
    double[] targets = {0, 1, 0, 2, 0, 1, 0, 0};
    Dataset<Row> weighed = ClassWeight.BALANCED.weigh(rows(new double[8], targets));
    assertThat(weighed.select(Columns.TARGET, Columns.CLASS_WEIGHT).collectAsList())
        .extracting(r -> r.getDouble(0), r -> r.getDouble(1))
        .containsExactlyInAnyOrder(
            tuple(0.0, 8.0 / 15),
            tuple(0.0, 8.0 / 15),
            tuple(0.0, 8.0 / 15),
            tuple(0.0, 8.0 / 15),
            tuple(0.0, 8.0 / 15),
            tuple(1.0, 8.0 / 6),
            tuple(1.0, 8.0 / 6),
            tuple(2.0, 8.0 / 3));
    assertThat(ClassWeight.BALANCED.columns(Columns.FEATURES))
        .containsExactly(Columns.FEATURES, Columns.CLASS_WEIGHT);
  }

  @Test
  void noneLeavesTheRowsAndTheEstimatorAsTheyAre() {
    Dataset<Row> rows = rows(new double[] {1}, new double[] {0});
    assertThat(ClassWeight.NONE.weigh(rows)).isSameAs(rows);
    assertThat(ClassWeight.NONE.columns(Columns.FEATURES)).containsExactly(Columns.FEATURES);
    LogisticRegression estimator = new LogisticRegression();
    ClassWeight.NONE.configure(estimator);
    assertThat(estimator.isSet(estimator.weightCol())).isFalse();
  }

  @Test
  void everyClassifierCanBeWeighed() {
    for (TaskType task : List.of(TaskType.BINARY, TaskType.MULTICLASS)) {
      for (String name : Estimators.NAMES) {
        boolean supported =
            !name.equals(Estimators.LINEAR_REGRESSION)
                && !(name.equals(Estimators.GBT) && task == TaskType.MULTICLASS);
        if (supported) {
          assertThat(Estimators.create(name, task, 0, "k").hasParam(ClassWeight.PARAM))
              .as(name + " " + task)
              .isTrue();
        }
      }
    }
  }

  @Test
  void balancedRaisesThePredictedPositiveRateOnRareRowsAndScoresRowsWithoutWeights() {
    // 400 rows, 20 (5%) positive: x ~ N(0, 1) for negatives, N(1.5, 1) for positives. Unweighted,
    // the 5% prior keeps P(positive | x) below 1/2 up to x = 2.7, where few rows lie; balanced, the
    // classes weigh the same and the boundary moves to x = 0.75, above which a quarter of the rows
    // lie.
    Random random = new Random(5);
    int n = 400;
    double[] features = new double[n];
    double[] targets = new double[n];
    for (int i = 0; i < n; i++) {
      targets[i] = i < n / 20 ? 1 : 0;
      features[i] = random.nextGaussian() + 1.5 * targets[i];
    }
    Dataset<Row> rows = rows(features, targets).cache();

    double none = positiveRate(fit(ClassWeight.NONE, rows), rows);
    LogisticRegressionModel balanced = fit(ClassWeight.BALANCED, rows);
    assertThat(balanced.getWeightCol()).isEqualTo(Columns.CLASS_WEIGHT);
    // Scored on rows without the weight column.
    double weighed = positiveRate(balanced, rows);
    rows.unpersist();

    assertThat(none).isLessThan(0.05);
    assertThat(weighed).isGreaterThan(0.05).isGreaterThan(none);
  }

  private static LogisticRegressionModel fit(ClassWeight classWeight, Dataset<Row> rows) {
    LogisticRegression estimator =
        new LogisticRegression().setFeaturesCol(Columns.FEATURES).setLabelCol(Columns.TARGET);
    classWeight.configure(estimator);
    return estimator.fit(classWeight.weigh(rows));
  }

  private static double positiveRate(LogisticRegressionModel model, Dataset<Row> rows) {
    Dataset<Row> scored = model.transform(rows);
    return (double) scored.where(col(Columns.PREDICTION).equalTo(1.0)).count() / rows.count();
  }
}
