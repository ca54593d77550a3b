package dev.sluice.common.monitor;

import static org.apache.spark.sql.functions.col;

import dev.sluice.common.lakehouse.Lakehouse;
import dev.sluice.common.table.DriftMetricsTable;
import java.util.Optional;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/** The reads of {@code drift_metrics} that monitor and decide share, so their filters agree. */
public final class DriftHistory {
  private DriftHistory() {}

  /**
   * One row per window and feature (and the prediction) of a model version compared with its
   * training baseline: the PSI rows, which every feature has whatever its other test. Empty when
   * nothing was monitored yet.
   */
  public static Optional<Dataset<Row>> againstBaseline(
      Lakehouse lakehouse, String model, long version) {
    if (!lakehouse.exists(DriftMetricsTable.NAME)) {
      return Optional.empty();
    }
    return Optional.of(
        lakehouse
            .read(DriftMetricsTable.NAME)
            .where(
                col(DriftMetricsTable.MODEL_NAME)
                    .equalTo(model)
                    .and(col(DriftMetricsTable.MODEL_VERSION).equalTo(version))
                    .and(
                        col(DriftMetricsTable.REFERENCE)
                            .equalTo(DriftMetricsTable.REFERENCE_BASELINE))
                    .and(
                        col(DriftMetricsTable.METHOD).equalTo(DriftTests.Method.PSI.tableName()))));
  }
}
