package dev.sluice.jobs.train;

import dev.sluice.common.Tables;
import dev.sluice.common.lakehouse.Lakehouse;
import dev.sluice.common.run.JobRun;
import dev.sluice.common.settings.TrainSettings;
import dev.sluice.common.table.FeatureImportanceTable;
import dev.sluice.common.train.FeatureImportances;
import java.time.Instant;
import java.util.List;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * The chosen model's own importance of every feature column (XGBoost's gain, MLlib trees' impurity
 * importances, a linear model's absolute coefficients), stored once with the version in {@code
 * feature_importance}.
 */
final class Importances {
  private final Lakehouse lakehouse;
  private final TrainSettings settings;

  Importances(Lakehouse lakehouse, TrainSettings settings) {
    this.lakehouse = lakehouse;
    this.settings = settings;
  }

  /** Appends the importances of {@code chosen} once a version: a retried run adds nothing. */
  void write(
      JobRun run,
      String model,
      long version,
      PipelineModel chosen,
      Dataset<Row> train,
      Instant now) {
    List<Row> rows =
        FeatureImportances.of(chosen, train, settings.features())
            .entries(run.runId(), model, version, now)
            .stream()
            .map(FeatureImportanceTable.Entry::toRow)
            .toList();
    lakehouse
        .appendOnce(FeatureImportanceTable.SPEC, rows, "train/" + model + "/" + version, 1)
        .ifPresent(v -> run.output(Tables.FEATURE_IMPORTANCE, v));
  }
}
