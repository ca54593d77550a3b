package dev.sluice.common.monitor;

import static java.util.Objects.requireNonNull;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

import dev.sluice.common.Columns;
import dev.sluice.common.dataset.TaskType;
import dev.sluice.common.table.PredictionsTable;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.expressions.WindowSpec;

/**
 * Per-group metrics of a window on slice columns, and their ratio to a reference group (the
 * largest): a binary model's selection rate, true and false positive rates and AUC, a multiclass
 * model's accuracy, a regression model's rmse. Label-based metrics count only labelled rows.
 */
public final class Fairness {
  /** The group of rows whose slice value is null. */
  public static final String NULL_GROUP = "__null__";

  private Fairness() {}

  /** One metric of one group. Null values: undefined (no labelled rows, one class only). */
  public record GroupMetric(
      String column,
      String group,
      String referenceGroup,
      long rows,
      long labelledRows,
      String metric,
      Double value,
      Double referenceValue,
      Double ratio) {
    public GroupMetric {
      requireNonNull(column, "column is null");
      requireNonNull(group, "group is null");
      requireNonNull(referenceGroup, "referenceGroup is null");
      requireNonNull(metric, "metric is null");
    }
  }

  /**
   * Metrics per group of each of {@code columns} over {@code rows}, which hold {@code prediction},
   * {@code score} (binary: positive-class probability), {@code target} (null when the label has not
   * arrived) and the slice columns.
   */
  public static List<GroupMetric> compute(Dataset<Row> rows, List<String> columns, TaskType task) {
    List<GroupMetric> metrics = new ArrayList<>();
    for (String column : columns) {
      metrics.addAll(forColumn(rows, column, task));
    }
    return metrics;
  }

  private static List<GroupMetric> forColumn(Dataset<Row> rows, String column, TaskType task) {
    Column group = coalesce(col("`" + column + "`").cast("string"), lit(NULL_GROUP));
    Column target = col(Columns.TARGET);
    Column prediction = col(Columns.PREDICTION);
    Column labelled = target.isNotNull();
    List<Row> groups =
        rows.groupBy(group.as("g"))
            .agg(
                count("*").as("rows"),
                count(target).as("labelled"),
                sum(when(prediction.equalTo(1.0), 1).otherwise(0)).cast("long").as("selected"),
                sum(when(labelled.and(target.equalTo(1.0)), 1).otherwise(0))
                    .cast("long")
                    .as("positives"),
                sum(when(labelled.and(target.equalTo(0.0)), 1).otherwise(0))
                    .cast("long")
                    .as("negatives"),
                sum(when(target.equalTo(1.0).and(prediction.equalTo(1.0)), 1).otherwise(0))
                    .cast("long")
                    .as("true_positives"),
                sum(when(target.equalTo(0.0).and(prediction.equalTo(1.0)), 1).otherwise(0))
                    .cast("long")
                    .as("false_positives"),
                sum(when(target.equalTo(prediction), 1).otherwise(0)).cast("long").as("correct"),
                sum(prediction.minus(target).multiply(prediction.minus(target)))
                    .as("squared_error"))
            .orderBy("g")
            .collectAsList();
    if (groups.isEmpty()) {
      return List.of();
    }
    Map<String, Double> auc = task == TaskType.BINARY ? auc(rows.where(labelled), group) : Map.of();
    // Largest group first; ties broken by name so the reference is deterministic.
    Row reference =
        groups.stream()
            .max(
                Comparator.<Row>comparingLong(r -> r.getLong(1))
                    .thenComparing(r -> r.getString(0), Comparator.reverseOrder()))
            .orElseThrow();
    Map<String, Map<String, Double>> values = new LinkedHashMap<>();
    for (Row row : groups) {
      values.put(row.getString(0), metricsOf(row, task, auc));
    }
    String referenceGroup = reference.getString(0);
    List<GroupMetric> out = new ArrayList<>();
    for (Row row : groups) {
      String name = row.getString(0);
      for (Map.Entry<String, Double> metric : values.get(name).entrySet()) {
        Double value = metric.getValue();
        Double referenceValue = values.get(referenceGroup).get(metric.getKey());
        Double ratio =
            value == null || referenceValue == null || referenceValue == 0
                ? null
                : value / referenceValue;
        out.add(
            new GroupMetric(
                column,
                name,
                referenceGroup,
                row.getLong(1),
                row.getLong(2),
                metric.getKey(),
                value,
                referenceValue,
                ratio));
      }
    }
    return out;
  }

  private static Map<String, Double> metricsOf(Row row, TaskType task, Map<String, Double> auc) {
    long rows = row.getLong(1);
    long labelled = row.getLong(2);
    Map<String, Double> metrics = new LinkedHashMap<>();
    switch (task) {
      case BINARY -> {
        long positives = row.getLong(4);
        long negatives = row.getLong(5);
        metrics.put("selection_rate", (double) row.getLong(3) / rows);
        metrics.put("tpr", positives == 0 ? null : (double) row.getLong(6) / positives);
        metrics.put("fpr", negatives == 0 ? null : (double) row.getLong(7) / negatives);
        metrics.put("areaUnderROC", auc.get(row.getString(0)));
      }
      case MULTICLASS ->
          metrics.put("accuracy", labelled == 0 ? null : (double) row.getLong(8) / labelled);
      case REGRESSION ->
          metrics.put("rmse", labelled == 0 ? null : Math.sqrt(row.getDouble(9) / labelled));
    }
    return metrics;
  }

  /**
   * Exact AUC (ties counted half) per group of labelled rows; null for a group with one class. In
   * Spark, never on the driver: the positives and negatives at each distinct score, then for each
   * score the negatives below it (Mann-Whitney), one row per group collected.
   */
  private static Map<String, Double> auc(Dataset<Row> labelled, Column group) {
    Column target = col(Columns.TARGET);
    WindowSpec below =
        Window.partitionBy("g").orderBy("s").rowsBetween(Window.unboundedPreceding(), -1);
    List<Row> groups =
        labelled
            .where(col(PredictionsTable.SCORE).isNotNull())
            .groupBy(group.as("g"), col(PredictionsTable.SCORE).as("s"))
            .agg(
                sum(when(target.equalTo(1.0), 1L).otherwise(0L)).as("pos"),
                sum(when(target.equalTo(0.0), 1L).otherwise(0L)).as("neg"))
            .withColumn("neg_below", coalesce(sum("neg").over(below), lit(0L)))
            .groupBy("g")
            .agg(
                sum(col("pos").multiply(col("neg_below").plus(col("neg").multiply(0.5))))
                    .as("wins"),
                sum("pos").as("p"),
                sum("neg").as("n"))
            .collectAsList();
    Map<String, Double> auc = new HashMap<>();
    for (Row row : groups) {
      long positives = row.getLong(2);
      long negatives = row.getLong(3);
      auc.put(
          row.getString(0),
          positives == 0 || negatives == 0
              ? null
              : row.getDouble(1) / ((double) positives * negatives));
    }
    return auc;
  }
}
