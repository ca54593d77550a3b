package dev.sluice.common.monitor;

import static org.apache.spark.sql.functions.col;

import dev.sluice.common.Tables;
import dev.sluice.common.lakehouse.Lakehouse;
import dev.sluice.common.lakehouse.ModelTables;
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
    if (!lakehouse.exists(Tables.DRIFT_METRICS)) {
      return Optional.empty();
    }
    return Optional.of(
        lakehouse
            .read(Tables.DRIFT_METRICS)
            .where(
                col("model_name")
                    .equalTo(model)
                    .and(col("model_version").equalTo(version))
                    .and(col("reference").equalTo(ModelTables.REFERENCE_BASELINE))
                    .and(col("method").equalTo(DriftTests.Method.PSI.tableName()))));
  }
}
