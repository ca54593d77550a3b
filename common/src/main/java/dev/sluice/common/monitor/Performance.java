package dev.sluice.common.monitor;

import static org.apache.spark.sql.functions.avg;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.min;

import dev.sluice.common.Columns;
import dev.sluice.common.dataset.DatasetSpec;
import dev.sluice.common.dataset.TaskType;
import dev.sluice.common.features.Snapshots;
import dev.sluice.common.table.PredictionsTable;
import dev.sluice.common.train.Metrics;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.ml.functions;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * Performance of scored windows on their delayed labels: labels arrive as rows of {@code
 * <dataset>_labels} keyed by row id, are joined to {@code predictions}, and the training metrics
 * are computed on the labelled rows of each window, with the label delay (arrival minus scoring
 * time).
 */
public final class Performance {
  /** When a row's label arrived: its labels row's ingest time. */
  public static final String LABEL_ARRIVED_AT = Snapshots.LABEL_ARRIVED_AT;

  /** Label arrival minus scoring time, in hours. */
  public static final String DELAY_HOURS = "label_delay_hours";

  private static final double SECONDS_PER_HOUR = 3600.0;

  private Performance() {}

  /**
   * The latest label of each row id in {@code labels} (rows of a labels table) as the model's
   * {@code target}, with {@link #LABEL_ARRIVED_AT}: a later labels file corrects an earlier one.
   */
  public static Dataset<Row> latestTargets(Dataset<Row> labels, DatasetSpec spec) {
    return Snapshots.latestLabels(labels, spec).drop(Snapshots.LABEL_VALUES);
  }

  /**
   * Predictions whose label has arrived, with {@code target}, the delay, and the probability
   * vectors MLlib's evaluators read (classification).
   */
  public static Dataset<Row> labelled(Dataset<Row> predictions, Dataset<Row> targets) {
    Dataset<Row> joined =
        predictions
            .join(targets, Columns.ROW_ID)
            .withColumn(
                DELAY_HOURS,
                col(LABEL_ARRIVED_AT)
                    .cast("double")
                    .minus(col(PredictionsTable.SCORED_AT).cast("double"))
                    .divide(SECONDS_PER_HOUR));
    return joined
        .withColumn(
            Columns.PROBABILITY, functions.array_to_vector(col(PredictionsTable.PROBABILITIES)))
        // The probability orders rows as the raw prediction does, so AUC is the same.
        .withColumn(Columns.RAW_PREDICTION, col(Columns.PROBABILITY));
  }

  /** Labelled rows per window ({@code scoring_run_id}) of {@link #labelled} rows. */
  public static Map<String, Long> labelledRows(Dataset<Row> labelled) {
    Map<String, Long> rows = new LinkedHashMap<>();
    for (Row row :
        labelled
            .groupBy(PredictionsTable.SCORING_RUN_ID)
            .count()
            .orderBy(PredictionsTable.SCORING_RUN_ID)
            .collectAsList()) {
      rows.put(row.getString(0), row.getLong(1));
    }
    return rows;
  }

  /** One window's performance on its labelled rows. */
  public record WindowPerformance(
      long labelledRows,
      double delayHoursMin,
      double delayHoursMean,
      double delayHoursMax,
      Map<String, Double> metrics) {
    public WindowPerformance {
      metrics = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(metrics));
    }
  }

  /** The {@code metrics} and delays of one window's {@link #labelled} rows (at least one). */
  public static WindowPerformance evaluate(
      Dataset<Row> window, TaskType task, List<String> metrics, int classCount) {
    Row delays =
        window
            .agg(count("*"), min(DELAY_HOURS), avg(DELAY_HOURS), max(DELAY_HOURS))
            .collectAsList()
            .get(0);
    if (delays.getLong(0) == 0) {
      throw new IllegalArgumentException("a window without labelled rows has no performance");
    }
    return new WindowPerformance(
        delays.getLong(0),
        delays.getDouble(1),
        delays.getDouble(2),
        delays.getDouble(3),
        Metrics.evaluate(task, window, metrics, classCount));
  }
}
