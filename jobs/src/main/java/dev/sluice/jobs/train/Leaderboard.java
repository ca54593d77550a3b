package dev.sluice.jobs.train;

import static dev.sluice.jobs.train.Fitted.params;

import dev.sluice.common.Tables;
import dev.sluice.common.dataset.DatasetSpec;
import dev.sluice.common.lakehouse.Lakehouse;
import dev.sluice.common.run.JobRun;
import dev.sluice.common.settings.TrainSettings;
import dev.sluice.common.table.CvResultsTable;
import dev.sluice.common.table.ModelMetricsTable;
import dev.sluice.common.train.Estimators;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.sql.Row;

/**
 * What the search found, for every estimator: each fold's metric to {@code cv_results}, the
 * validation and test metrics to {@code model_metrics}, and the result's leaderboard.
 */
final class Leaderboard {
  private final Lakehouse lakehouse;
  private final TrainSettings settings;
  private final DatasetSpec spec;

  Leaderboard(Lakehouse lakehouse, TrainSettings settings) {
    this.lakehouse = lakehouse;
    this.settings = settings;
    this.spec = settings.dataset();
  }

  /** The result's lines, one per estimator, in the search's order. */
  static List<TrainResult.Entry> entries(List<Fitted> fitted, Fitted chosen) {
    List<TrainResult.Entry> leaderboard = new ArrayList<>();
    for (Fitted f : fitted) {
      leaderboard.add(
          new TrainResult.Entry(
              f.estimator().name(),
              params(f.params()),
              f.cvMetric(),
              f.validation(),
              f.test(),
              f.fitSeconds(),
              f == chosen));
    }
    return leaderboard;
  }

  /** Appends the search's rows once per model version: a retried run adds nothing. */
  void write(
      JobRun run, String model, long version, List<Fitted> fitted, Fitted chosen, Instant now) {
    List<Row> cvRows = new ArrayList<>();
    List<Row> metricRows = new ArrayList<>();
    for (Fitted f : fitted) {
      ParamMap[] grid =
          Estimators.grid(
              Estimators.create(f.estimator().name(), spec.task(), settings.seed(), ""),
              f.estimator().grid(),
              "");
      for (CrossValidation.FoldResult fold : f.cv().folds()) {
        cvRows.add(
            new CvResultsTable.Entry(
                    run.runId(),
                    model,
                    version,
                    f.estimator().name(),
                    fold.paramIndex(),
                    params(grid[fold.paramIndex()]),
                    fold.fold(),
                    settings.metric(),
                    fold.value(),
                    fold.trainRows(),
                    fold.validationRows(),
                    fold.fitSeconds(),
                    now)
                .toRow());
      }
      for (Map.Entry<String, Map<String, Double>> split :
          Map.of("validation", f.validation(), "test", f.test()).entrySet()) {
        for (Map.Entry<String, Double> metric : split.getValue().entrySet()) {
          metricRows.add(
              new ModelMetricsTable.Entry(
                      run.runId(),
                      model,
                      version,
                      f.estimator().name(),
                      params(f.params()),
                      f == chosen,
                      split.getKey(),
                      metric.getKey(),
                      metric.getValue(),
                      f.fitSeconds(),
                      now)
                  .toRow());
        }
      }
    }
    String appId = "train/" + model + "/" + version;
    lakehouse
        .appendOnce(CvResultsTable.SPEC, cvRows, appId, 1)
        .ifPresent(v -> run.output(Tables.CV_RESULTS, v));
    lakehouse
        .appendOnce(ModelMetricsTable.SPEC, metricRows, appId, 1)
        .ifPresent(v -> run.output(Tables.MODEL_METRICS, v));
  }
}
