package dev.sluice.jobs.train;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.common.Columns;
import dev.sluice.common.dataset.TaskType;
import dev.sluice.common.testing.SparkTestBase;
import dev.sluice.common.train.Estimators;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.spark.ml.Estimator;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Which candidates and folds cross-validation runs, on a tiny separable set. */
class CrossValidationTest extends SparkTestBase {
  private static final int FOLDS = 2;
  private static Dataset<Row> rows;

  @BeforeAll
  static void rows() {
    // The label is x > 0: every fold of every candidate has rows of both classes.
    List<Row> list = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      double x = i - 19.5;
      list.add(RowFactory.create((long) i, Vectors.dense(x), x > 0 ? 1.0 : 0.0));
    }
    StructType schema =
        new StructType()
            .add(Columns.ROW_ID, DataTypes.LongType)
            .add(Columns.FEATURES, SQLDataTypes.VectorType())
            .add(Columns.TARGET, DataTypes.DoubleType);
    // A session of its own, as every job has: a fitted logistic regression's training summary holds
    // the session, which cannot be shipped to tasks once another test has observed metrics on it.
    rows = spark.newSession().createDataFrame(list, schema).cache();
  }

  @SuppressWarnings("rawtypes")
  private static Estimator logistic() {
    return Estimators.create(Estimators.LOGISTIC_REGRESSION, TaskType.BINARY, 1, "test");
  }

  private static ParamMap[] grid(Estimator<?> estimator) {
    return Estimators.grid(
        estimator, Map.of("regParam", List.of(0.0, 0.1, 1.0, 10.0), "maxIter", List.of(5)), "test");
  }

  private static CrossValidation cv(double maxSeconds) {
    return new CrossValidation(TaskType.BINARY, "areaUnderROC", 2, FOLDS, 3, 2, 0, maxSeconds);
  }

  @Test
  void onlyTheCandidatesRunEachOnEveryFoldAndTheBestIsOneOfThem() {
    Estimator<?> estimator = logistic();
    CrossValidation.Outcome outcome = cv(0).run(estimator, grid(estimator), new int[] {1, 3}, rows);

    assertThat(outcome.folds())
        .extracting(f -> f.paramIndex() + "/" + f.fold())
        .containsExactlyInAnyOrder("1/0", "1/1", "3/0", "3/1");
    assertThat(outcome.folds()).allSatisfy(f -> assertThat(f.keptRounds()).isZero());
    assertThat(outcome.folds().stream().mapToLong(f -> f.trainRows() + f.validationRows()))
        .containsOnly(40L);
    assertThat(outcome.meanByParam()[0]).isNaN();
    assertThat(outcome.meanByParam()[2]).isNaN();
    assertThat(outcome.bestIndex()).isIn(1, 3);
    assertThat(outcome.learnedRounds()).isEmpty();
  }

  @Test
  void aSpentTimeBudgetStillRunsTheFirstCandidateOnEveryFoldAndStartsNoOther() {
    Estimator<?> estimator = logistic();
    CrossValidation.Outcome outcome =
        cv(1e-9).run(estimator, grid(estimator), new int[] {0, 1, 2, 3}, rows);

    assertThat(outcome.folds())
        .extracting(f -> f.paramIndex() + "/" + f.fold())
        .containsExactlyInAnyOrder("0/0", "0/1");
    assertThat(outcome.bestIndex()).isZero();
    // Separable rows: an unregularised model ranks every held-out row right.
    assertThat(outcome.meanByParam()[0]).isEqualTo(1.0);
  }
}
