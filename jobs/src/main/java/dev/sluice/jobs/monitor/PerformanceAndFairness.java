package dev.sluice.jobs.monitor;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;

import dev.sluice.common.Columns;
import dev.sluice.common.Tables;
import dev.sluice.common.dataset.DatasetSpec;
import dev.sluice.common.lakehouse.Lakehouse;
import dev.sluice.common.monitor.Fairness;
import dev.sluice.common.monitor.Performance;
import dev.sluice.common.monitor.ScoringWindow;
import dev.sluice.common.registry.ModelVersion;
import dev.sluice.common.run.JobRun;
import dev.sluice.common.settings.MonitorSettings;
import dev.sluice.common.table.FairnessMetricsTable;
import dev.sluice.common.table.PerformanceMetricsTable;
import dev.sluice.common.table.PredictionsTable;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.OptionalLong;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * A version's performance on the delayed labels of its windows ({@code performance_metrics}) and
 * per-group fairness ({@code fairness_metrics}), written once per window and count of labelled
 * rows: a re-run adds nothing, new labels add rows.
 */
final class PerformanceAndFairness {
  private final Lakehouse lakehouse;
  private final MonitorSettings settings;
  private final DatasetSpec spec;
  private final WindowInputs windowInputs;

  /** One window's write: its predictions, the labels it saw, and the writer's transaction. */
  private record WindowWrite(
      ScoringWindow window,
      Dataset<Row> predictions,
      OptionalLong labelsAt,
      String key,
      long transaction,
      Instant now) {}

  PerformanceAndFairness(Lakehouse lakehouse, MonitorSettings settings, WindowInputs inputs) {
    this.lakehouse = lakehouse;
    this.settings = settings;
    this.spec = settings.dataset();
    this.windowInputs = inputs;
  }

  /**
   * Writes performance (windows with labels) and fairness of every window whose labelled rows
   * changed since they were last written; returns the windows with performance written now.
   */
  Map<String, Long> write(JobRun run, ModelVersion registered, List<ScoringWindow> windows) {
    String model = registered.model();
    long version = registered.version();
    String labelsTable = Tables.labels(spec.name());
    // A labels table no batch has landed in (the first ingest creates it empty) has none to count.
    OptionalLong labelsVersion =
        lakehouse.hasData(labelsTable) ? lakehouse.version(labelsTable) : OptionalLong.empty();
    // Read only when labels are to be counted or a window written: a run with neither starts no
    // Spark.
    Dataset<Row> predictions = null;
    Dataset<Row> targets = null;
    Map<String, Long> labelledRows = Map.of();
    if (labelsVersion.isPresent()) {
      predictions = predictions(model, version);
      run.input(labelsTable, labelsVersion.getAsLong());
      targets =
          Performance.latestTargets(
                  lakehouse.readVersion(labelsTable, labelsVersion.getAsLong()), spec)
              .cache();
      labelledRows = Performance.labelledRows(Performance.labelled(predictions, targets));
    }
    Map<String, Long> written = new LinkedHashMap<>();
    for (ScoringWindow window : windows) {
      String windowId = window.id();
      long labelled = labelledRows.getOrDefault(windowId, 0L);
      String key = "monitor/" + model + "/v" + version + "/" + windowId + "/labels";
      // One transaction per count of labelled rows: a re-run adds nothing, new labels add rows.
      long transaction = labelled + 1;
      boolean performance =
          labelled > 0 && !lakehouse.committed(Tables.PERFORMANCE_METRICS, key, transaction);
      boolean fairness =
          !settings.fairnessColumns().isEmpty()
              && window.inputTable().equals(Tables.raw(spec.name()))
              && !lakehouse.committed(Tables.FAIRNESS_METRICS, key, transaction);
      if (!performance && !fairness) {
        continue;
      }
      if (predictions == null) {
        predictions = predictions(model, version);
      }
      Instant now = Instant.now();
      OptionalLong labelsAt = labelled > 0 ? labelsVersion : OptionalLong.empty();
      WindowWrite write =
          new WindowWrite(
              window,
              predictions.where(col(PredictionsTable.SCORING_RUN_ID).equalTo(windowId)),
              labelsAt,
              key,
              transaction,
              now);
      if (performance) {
        performance(run, registered, write, targets);
        written.put(windowId, labelled);
      }
      if (fairness) {
        fairness(run, registered, write, targets);
      }
    }
    if (targets != null) {
      targets.unpersist();
    }
    return written;
  }

  /** The predictions of one model version. */
  private Dataset<Row> predictions(String model, long version) {
    return lakehouse
        .read(Tables.PREDICTIONS)
        .where(
            col(PredictionsTable.MODEL_NAME)
                .equalTo(model)
                .and(col(PredictionsTable.MODEL_VERSION).equalTo(version)));
  }

  private void performance(
      JobRun run, ModelVersion registered, WindowWrite write, Dataset<Row> targets) {
    String model = registered.model();
    long version = registered.version();
    Map<String, Double> testMetrics = registered.testMetrics();
    int classCount = registered.classLabels().size();
    ScoringWindow window = write.window();
    String windowId = window.id();
    Dataset<Row> windowPredictions = write.predictions();
    OptionalLong labelsAt = write.labelsAt();
    Instant now = write.now();
    Performance.WindowPerformance result =
        Performance.evaluate(
            Performance.labelled(windowPredictions, targets),
            spec.task(),
            List.copyOf(testMetrics.keySet()),
            classCount);
    List<Row> rows = new ArrayList<>();
    long windowRows = windowPredictions.count();
    result
        .metrics()
        .forEach(
            (metric, value) ->
                rows.add(
                    new PerformanceMetricsTable.Entry(
                            model,
                            version,
                            windowId,
                            window.scoredAt().toInstant(),
                            labelsAt,
                            windowRows,
                            result.labelledRows(),
                            metric,
                            value,
                            optional(testMetrics.get(metric)),
                            result.delayHoursMin(),
                            result.delayHoursMean(),
                            result.delayHoursMax(),
                            now,
                            run.runId())
                        .toRow()));
    lakehouse
        .appendOnce(PerformanceMetricsTable.SPEC, rows, write.key(), write.transaction())
        .ifPresent(v -> run.output(Tables.PERFORMANCE_METRICS, v));
  }

  /** Fairness needs the window's inputs, so windows scored from files have none. */
  private void fairness(
      JobRun run, ModelVersion registered, WindowWrite write, Dataset<Row> targets) {
    String model = registered.model();
    long version = registered.version();
    ScoringWindow window = write.window();
    String windowId = window.id();
    OptionalLong labelsAt = write.labelsAt();
    Instant now = write.now();
    Dataset<Row> inputs = windowInputs.of(window, write.predictions()).orElseThrow();
    Dataset<Row> rowsWithTargets =
        targets == null
            ? inputs.withColumn(Columns.TARGET, lit(null).cast("double"))
            : inputs.join(targets.select(Columns.ROW_ID, Columns.TARGET), Columns.ROW_ID, "left");
    List<Row> rows = new ArrayList<>();
    for (Fairness.GroupMetric metric :
        Fairness.compute(rowsWithTargets, settings.fairnessColumns(), spec.task())) {
      rows.add(
          new FairnessMetricsTable.Entry(
                  model,
                  version,
                  windowId,
                  window.scoredAt().toInstant(),
                  labelsAt,
                  metric.column(),
                  metric.group(),
                  metric.referenceGroup(),
                  metric.rows(),
                  metric.labelledRows(),
                  metric.metric(),
                  optional(metric.value()),
                  optional(metric.referenceValue()),
                  optional(metric.ratio()),
                  now,
                  run.runId())
              .toRow());
    }
    lakehouse
        .appendOnce(FairnessMetricsTable.SPEC, rows, write.key(), write.transaction())
        .ifPresent(v -> run.output(Tables.FAIRNESS_METRICS, v));
  }

  private static OptionalDouble optional(Double value) {
    return value == null ? OptionalDouble.empty() : OptionalDouble.of(value);
  }
}
