package dev.sluice.common.monitor;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.common.dataset.TaskType;
import dev.sluice.common.monitor.Fairness.GroupMetric;
import dev.sluice.common.testing.SparkTestBase;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;

class FairnessTest extends SparkTestBase {
  private Dataset<Row> rows(String values) {
    return spark.sql("SELECT * FROM VALUES " + values + " AS t(sex, target, prediction, score)");
  }

  @Test
  void binaryGroupsGetSelectionRatesTruePositiveAndFalsePositiveRatesAucAndRatios() {
    Dataset<Row> rows =
        rows(
            // Male: 6 rows, 5 labelled. Selected 3 of 6; TPR 1 of 2; FPR 1 of 3; AUC: 0.9 beats
            // all three negatives, 0.4 beats two of them: 5 of 6 pairs.
            "('Male', 1.0D, 1.0D, 0.9D), ('Male', 1.0D, 0.0D, 0.4D), ('Male', 0.0D, 1.0D, 0.6D),"
                + " ('Male', 0.0D, 0.0D, 0.2D), ('Male', 0.0D, 0.0D, 0.1D),"
                + " ('Male', CAST(NULL AS DOUBLE), 1.0D, 0.8D),"
                // Female: 4 rows, 3 labelled. Selected 2 of 4; TPR 1 of 1; FPR 1 of 2; AUC 1.
                + " ('Female', 1.0D, 1.0D, 0.7D), ('Female', 0.0D, 0.0D, 0.3D),"
                + " ('Female', 0.0D, 1.0D, 0.65D), ('Female', CAST(NULL AS DOUBLE), 0.0D, 0.1D),"
                // No sex: one positive row; no negatives, so neither FPR nor AUC.
                + " (CAST(NULL AS STRING), 1.0D, 1.0D, 0.9D)");
    List<GroupMetric> metrics = Fairness.compute(rows, List.of("sex"), TaskType.BINARY);
    assertThat(metrics)
        .containsExactlyInAnyOrder(
            metric("Female", 4, 3, "selection_rate", 0.5, 0.5, 1.0),
            metric("Female", 4, 3, "tpr", 1.0, 0.5, 2.0),
            metric("Female", 4, 3, "fpr", 0.5, 1.0 / 3, 1.5),
            metric("Female", 4, 3, "areaUnderROC", 1.0, 5.0 / 6, 1.2),
            metric("Male", 6, 5, "selection_rate", 0.5, 0.5, 1.0),
            metric("Male", 6, 5, "tpr", 0.5, 0.5, 1.0),
            metric("Male", 6, 5, "fpr", 1.0 / 3, 1.0 / 3, 1.0),
            metric("Male", 6, 5, "areaUnderROC", 5.0 / 6, 5.0 / 6, 1.0),
            metric(Fairness.NULL_GROUP, 1, 1, "selection_rate", 1.0, 0.5, 2.0),
            metric(Fairness.NULL_GROUP, 1, 1, "tpr", 1.0, 0.5, 2.0),
            metric(Fairness.NULL_GROUP, 1, 1, "fpr", null, 1.0 / 3, null),
            metric(Fairness.NULL_GROUP, 1, 1, "areaUnderROC", null, 5.0 / 6, null));
  }

  @Test
  void regressionGroupsGetRmseAndMulticlassGroupsAccuracy() {
    // A: errors 1 and 0 on two labelled rows (rmse sqrt(1/2)), one unlabelled; B: error 2.
    Dataset<Row> rows =
        rows(
            "('A', 1.0D, 2.0D, CAST(NULL AS DOUBLE)), ('A', 3.0D, 3.0D, CAST(NULL AS DOUBLE)),"
                + " ('A', CAST(NULL AS DOUBLE), 5.0D, CAST(NULL AS DOUBLE)),"
                + " ('B', 0.0D, 2.0D, CAST(NULL AS DOUBLE))");
    assertThat(Fairness.compute(rows, List.of("sex"), TaskType.REGRESSION))
        .containsExactlyInAnyOrder(
            metric("A", 3, 2, "rmse", Math.sqrt(0.5), Math.sqrt(0.5), 1.0),
            metric("B", 1, 1, "rmse", 2.0, Math.sqrt(0.5), 2.0 / Math.sqrt(0.5)));
    // Class indices: A right once of two, B right once of one.
    Dataset<Row> classes =
        rows(
            "('A', 0.0D, 0.0D, 0.9D), ('A', 1.0D, 2.0D, 0.5D), ('A', 2.0D, 2.0D, 0.6D),"
                + " ('B', 2.0D, 2.0D, 0.7D)");
    assertThat(Fairness.compute(classes, List.of("sex"), TaskType.MULTICLASS))
        .containsExactlyInAnyOrder(
            metric("A", 3, 3, "accuracy", 2.0 / 3, 2.0 / 3, 1.0),
            metric("B", 1, 1, "accuracy", 1.0, 2.0 / 3, 1.5));
  }

  @Test
  void noRowsNoMetrics() {
    assertThat(
            Fairness.compute(
                rows("('A', 1.0D, 1.0D, 0.5D)").where("false"), List.of("sex"), TaskType.BINARY))
        .isEmpty();
  }

  private static GroupMetric metric(
      String group,
      long rows,
      long labelled,
      String metric,
      Double value,
      Double reference,
      Double ratio) {
    String referenceGroup = metric.equals("rmse") || metric.equals("accuracy") ? "A" : "Male";
    return new GroupMetric(
        "sex", group, referenceGroup, rows, labelled, metric, value, reference, ratio);
  }
}
