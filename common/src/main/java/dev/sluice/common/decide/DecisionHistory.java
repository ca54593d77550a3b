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

  /**
   * When the model was last decided to be retrained in earnest and the retrain produced a
   * candidate: the latest enabled RETRAIN decision with a version trained after it ({@code
   * newestTrainedAt}). A dry run, or a RETRAIN whose train found nothing new to register, starts no
   * cooldown.
   */
  public static Optional<Instant> lastRetrain(
      Lakehouse lakehouse, String model, Optional<Instant> newestTrainedAt) {
    return lastRetrain(
        lakehouse.rows(RetrainDecisionsTable.NAME).stream()
            .map(RetrainDecisionsTable.Entry::from)
            .toList(),
        model,
        newestTrainedAt);
  }

  /** {@link #lastRetrain(Lakehouse, String, Optional)} among {@code decisions}. */
  static Optional<Instant> lastRetrain(
      List<RetrainDecisionsTable.Entry> decisions,
      String model,
      Optional<Instant> newestTrainedAt) {
    return decisions.stream()
        .filter(
            decision ->
                decision.modelName().equals(model)
                    && decision.decision().equals(RetrainDecisionsTable.RETRAIN)
                    && decision.mode().equals(RetrainDecisionsTable.MODE_ENABLED)
                    && newestTrainedAt.filter(t -> t.isAfter(decision.decidedAt())).isPresent())
        .map(RetrainDecisionsTable.Entry::decidedAt)
        .max(Comparator.naturalOrder());
  }

  /** Rules whose value moves with the clock alone: they never make a decision new. */
  private static final java.util.Set<String> CLOCK_RULES =
      java.util.Set.of("snapshot_age_days", "cooldown_hours");

  /** The model's latest decision, enabled or dry run. */
  public static Optional<RetrainDecisionsTable.Entry> lastDecision(
      Lakehouse lakehouse, String model) {
    return lakehouse.rows(RetrainDecisionsTable.NAME).stream()
        .map(RetrainDecisionsTable.Entry::from)
        .filter(decision -> decision.modelName().equals(model))
        .max(Comparator.comparing(RetrainDecisionsTable.Entry::decidedAt));
  }

  /**
   * Whether {@code next} repeats {@code last}: the same champion, mode and verdict on the same
   * evidence (every rule's value, threshold and outcome, but the ones that move with the clock
   * alone). A decide run that would only repeat the last decision records nothing.
   */
  public static boolean repeats(
      RetrainDecisionsTable.Entry last, RetrainDecisionsTable.Entry next) {
    return last.championVersion() == next.championVersion()
        && last.mode().equals(next.mode())
        && last.decision().equals(next.decision())
        && evidence(last).equals(evidence(next));
  }

  private static List<List<Object>> evidence(RetrainDecisionsTable.Entry decision) {
    return decision.rules().stream()
        .filter(rule -> !CLOCK_RULES.contains(rule.name()))
        .map(rule -> List.<Object>of(rule.name(), rule.value(), rule.threshold(), rule.passed()))
        .toList();
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
