package dev.sluice.jobs.monitor;

import static org.apache.spark.sql.functions.col;

import dev.sluice.common.Columns;
import dev.sluice.common.Tables;
import dev.sluice.common.dataset.DatasetSpec;
import dev.sluice.common.lakehouse.Lakehouse;
import dev.sluice.common.monitor.ScoringWindow;
import dev.sluice.common.table.PredictionsTable;
import java.util.Optional;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/** The scored input rows of a window, joined with their predictions. */
final class WindowInputs {
  private final Lakehouse lakehouse;
  private final DatasetSpec spec;

  WindowInputs(Lakehouse lakehouse, DatasetSpec spec) {
    this.lakehouse = lakehouse;
    this.spec = spec;
  }

  /**
   * The scored input rows of a window (with their predictions); windows scored from files have only
   * their predictions.
   */
  Optional<Dataset<Row>> of(ScoringWindow window, Dataset<Row> predictions) {
    String inputTable = window.inputTable();
    if (!inputTable.equals(Tables.raw(spec.name()))) {
      return Optional.empty();
    }
    return Optional.of(
        lakehouse
            .readVersion(inputTable, window.inputVersion())
            .join(
                predictions.select(
                    col(Columns.ROW_ID),
                    col(Columns.PREDICTION),
                    col(PredictionsTable.SCORE),
                    col(PredictionsTable.PROBABILITIES),
                    col(PredictionsTable.SCORING_RUN_ID),
                    col(PredictionsTable.SCORED_AT)),
                Columns.ROW_ID));
  }
}
