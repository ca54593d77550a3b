package dev.sluice.common.decide;

import dev.sluice.common.lakehouse.Lakehouse;
import dev.sluice.common.table.PerformanceMetricsTable;
import dev.sluice.common.table.RetrainDecisionsTable;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * The small tables decide looks back on, {@code retrain_decisions} and {@code performance_metrics},
 * read on the driver by Delta Kernel: no Spark job. A missing table has no rows.
 */
public final class DecisionHistory {
  /** The latest window by scoring time, then the row with most labels. */
  private static final Comparator<PerformanceMetricsTable.Entry> LATEST_MOST_LABELLED =
      Comparator.comparing(PerformanceMetricsTable.Entry::windowScoredAt)
          .thenComparingLong(PerformanceMetricsTable.Entry::labelledRows);

  private DecisionHistory() {}

  /** When the model was last decided to be retrained in earnest (a dry run never counts). */
  public static Optional<Instant> lastRetrain(Lakehouse lakehouse, String model) {
    return lastRetrain(
        lakehouse.rows(RetrainDecisionsTable.NAME).stream()
            .map(RetrainDecisionsTable.Entry::from)
            .toList(),
        model);
  }

  /** {@link #lastRetrain(Lakehouse, String)} among {@code decisions}. */
  static Optional<Instant> lastRetrain(List<RetrainDecisionsTable.Entry> decisions, String model) {
    return decisions.stream()
        .filter(
            decision ->
                decision.modelName().equals(model)
                    && decision.decision().equals(RetrainDecisionsTable.RETRAIN)
                    && decision.mode().equals(RetrainDecisionsTable.MODE_ENABLED))
        .map(RetrainDecisionsTable.Entry::decidedAt)
        .max(Comparator.naturalOrder());
  }

  /**
   * The model version's {@code metric} on its latest window (by scoring time, then most labels)
   * with at least {@code minLabelledRows} labelled rows.
   */
  public static Optional<PerformanceMetricsTable.Entry> latestPerformance(
      Lakehouse lakehouse, String model, long version, String metric, long minLabelledRows) {
    return latestPerformance(
        lakehouse.rows(PerformanceMetricsTable.NAME).stream()
            .map(PerformanceMetricsTable.Entry::from)
            .toList(),
        model,
        version,
        metric,
        minLabelledRows);
  }

  /** {@link #latestPerformance(Lakehouse, String, long, String, long)} among {@code rows}. */
  static Optional<PerformanceMetricsTable.Entry> latestPerformance(
      List<PerformanceMetricsTable.Entry> rows,
      String model,
      long version,
      String metric,
      long minLabelledRows) {
    return rows.stream()
        .filter(
            row ->
                row.modelName().equals(model)
                    && row.modelVersion() == version
                    && row.metric().equals(metric)
                    && row.labelledRows() >= minLabelledRows)
        .max(LATEST_MOST_LABELLED);
  }
}
