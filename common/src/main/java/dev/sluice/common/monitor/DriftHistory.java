package dev.sluice.common.monitor;

import dev.sluice.common.lakehouse.Lakehouse;
import dev.sluice.common.table.DriftMetricsTable;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/** The reads of {@code drift_metrics} that monitor and decide share, so their filters agree. */
public final class DriftHistory {
  /** In the order windows were scored, then by feature as Spark orders strings (UTF-8 bytes). */
  private static final Comparator<DriftMetricsTable.Entry> SCORED_THEN_FEATURE =
      Comparator.comparing(DriftMetricsTable.Entry::windowScoredAt)
          .thenComparing(DriftMetricsTable.Entry::feature, DriftHistory::compareCodePoints);

  private DriftHistory() {}

  /**
   * One row per window and feature (and the prediction) of a model version compared with its
   * training baseline: the PSI rows, which every feature has whatever its other test, in the order
   * the windows were scored, then by feature. Read on the driver by Delta Kernel (no Spark job);
   * none when nothing was monitored yet.
   */
  public static List<DriftMetricsTable.Entry> againstBaseline(
      Lakehouse lakehouse, String model, long version) {
    return againstBaseline(
        lakehouse.rows(DriftMetricsTable.NAME).stream().map(DriftMetricsTable.Entry::from).toList(),
        model,
        version);
  }

  /** {@link #againstBaseline(Lakehouse, String, long)} among {@code rows}. */
  static List<DriftMetricsTable.Entry> againstBaseline(
      List<DriftMetricsTable.Entry> rows, String model, long version) {
    return rows.stream()
        .filter(
            row ->
                row.modelName().equals(model)
                    && row.modelVersion() == version
                    && row.reference().equals(DriftMetricsTable.REFERENCE_BASELINE)
                    && row.method().equals(DriftTests.Method.PSI.tableName()))
        .sorted(SCORED_THEN_FEATURE)
        .toList();
  }

  /**
   * Code point order, which is UTF-8 byte order (Spark's for strings); {@link String#compareTo}
   * compares UTF-16 units, which order a character beyond U+FFFF before U+E000 to U+FFFF.
   */
  private static int compareCodePoints(String left, String right) {
    return Arrays.compare(left.codePoints().toArray(), right.codePoints().toArray());
  }
}
