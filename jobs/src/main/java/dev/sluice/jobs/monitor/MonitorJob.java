package dev.sluice.jobs.monitor;

import static java.util.Objects.requireNonNull;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;

import dev.sluice.common.Columns;
import dev.sluice.common.Errors;
import dev.sluice.common.Tables;
import dev.sluice.common.dataset.DatasetSpec;
import dev.sluice.common.dataset.TaskType;
import dev.sluice.common.lakehouse.Lakehouse;
import dev.sluice.common.lakehouse.ModelTables;
import dev.sluice.common.monitor.Baseline;
import dev.sluice.common.monitor.DriftHistory;
import dev.sluice.common.monitor.DriftTests;
import dev.sluice.common.monitor.Fairness;
import dev.sluice.common.monitor.Performance;
import dev.sluice.common.monitor.ScoringWindow;
import dev.sluice.common.registry.ModelVersion;
import dev.sluice.common.registry.Registry;
import dev.sluice.common.run.JobMain;
import dev.sluice.common.run.JobResult;
import dev.sluice.common.run.JobRun;
import dev.sluice.common.run.Steps;
import dev.sluice.common.settings.MonitorSettings;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;

/**
 * Monitors every scoring window (a scoring run's rows) of a model version: drift of every feature
 * and of the predictions against the training baseline stored with the version and against the
 * version's previous window (PSI plus a test chosen by kind and sample size, each row with both
 * histograms); and, as delayed labels arrive in {@code <dataset>_labels}, the window's performance
 * and per-group fairness. Drift is measured once per window; performance and fairness once per
 * window and count of labelled rows.
 */
public final class MonitorJob {
  static final String JOB = "monitor";
  private static final Logger LOG = LogManager.getLogger(MonitorJob.class);

  private final SparkSession spark;
  private final MonitorSettings settings;
  private final DatasetSpec spec;
  private final Lakehouse lakehouse;
  private final Registry registry;
  private final Steps steps;

  /**
   * Windows measured now with the features that drifted against the baseline and against the
   * previous window, and the labelled rows of windows whose performance was written now.
   */
  public record MonitorResult(
      String model,
      long version,
      Map<String, List<String>> drifted,
      Map<String, List<String>> driftedFromPrevious,
      Map<String, Long> labelled)
      implements JobResult {
    public MonitorResult {
      // Windows in the order they were scored.
      drifted = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(drifted));
      driftedFromPrevious =
          java.util.Collections.unmodifiableMap(new LinkedHashMap<>(driftedFromPrevious));
      labelled = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(labelled));
    }

    @Override
    public String summary() {
      StringBuilder text = new StringBuilder();
      text.append("== sluice monitor: ").append(model).append(" v").append(version).append(" ==\n");
      if (drifted.isEmpty()) {
        text.append("no new scoring window\n");
      }
      drifted.forEach(
          (window, features) -> {
            text.append("window ")
                .append(window)
                .append(": ")
                .append(
                    features.isEmpty()
                        ? "no drift from baseline"
                        : "drift from baseline in " + features);
            List<String> previous = driftedFromPrevious.get(window);
            if (previous != null) {
              text.append(
                  previous.isEmpty()
                      ? "; none from previous window"
                      : "; from previous window in " + previous);
            }
            text.append('\n');
          });
      labelled.forEach(
          (window, rows) ->
              text.append("window ")
                  .append(window)
                  .append(": performance on ")
                  .append(rows)
                  .append(" labelled rows\n"));
      return text.toString();
    }
  }

  public MonitorJob(SparkSession spark, MonitorSettings settings) {
    this.spark = requireNonNull(spark, "spark is null");
    this.settings = requireNonNull(settings, "settings is null");
    this.spec = settings.dataset();
    this.lakehouse = new Lakehouse(spark, settings.lakehouse());
    this.registry = new Registry(lakehouse);
    this.steps = new Steps(spark.sparkContext(), JOB);
  }

  public static void main(String[] args) {
    JobMain.run(
        JOB,
        args,
        MonitorSettings::load,
        (spark, settings) -> new MonitorJob(spark, settings).run());
  }

  public MonitorResult run() {
    return JobRun.record(
        lakehouse,
        JOB,
        spec.name(),
        settings.settingsHash(),
        this::execute,
        result -> result.drifted().isEmpty() && result.labelled().isEmpty());
  }

  private MonitorResult execute(JobRun run) {
    String model = spec.name();
    ModelVersion registered =
        registry.resolve(
            model,
            settings.modelVersion(),
            Registry.Fallback.CHAMPION,
            "monitor",
            "--model-version");
    long version = registered.version();
    run.detail("model_version", version);
    if (!lakehouse.exists(Tables.MODEL_BASELINES) || !lakehouse.exists(Tables.PREDICTIONS)) {
      return new MonitorResult(model, version, Map.of(), Map.of(), Map.of());
    }
    // A row per feature and version: read on the driver, no Spark job.
    List<Baseline> baselines =
        lakehouse.rows(Tables.MODEL_BASELINES).stream()
            .filter(
                row ->
                    model.equals(row.getAs("model_name"))
                        && row.<Long>getAs("model_version") == version)
            .map(Baseline::fromRow)
            .toList();
    if (baselines.isEmpty()) {
      throw Errors.noTrainingBaseline(model, version);
    }
    // Score records each window in its commit: listed from the table's transactions, no Spark
    // job. Predictions scored before windows were recorded are grouped instead.
    List<ScoringWindow> windows =
        ScoringWindow.fromTransactions(lakehouse.transactions(Tables.PREDICTIONS), model, version)
            .orElseGet(
                () -> {
                  LOG.info(
                      "{}: some scoring windows of {} version {} are not recorded in the"
                          + " predictions' transactions; listing them from the predictions",
                      JOB,
                      model,
                      version);
                  return ScoringWindow.fromPredictions(
                      lakehouse.read(Tables.PREDICTIONS), model, version);
                });
    Map<String, List<String>> drifted = new LinkedHashMap<>();
    Map<String, List<String>> driftedFromPrevious = new LinkedHashMap<>();
    Map<String, long[]> previousCounts = Map.of();
    // Every window's measurement is a writer's transaction: read once, not once per window (a
    // lookup lists the table's log, each window again).
    Map<String, Long> measured = lakehouse.transactions(Tables.DRIFT_METRICS);
    for (int i = 0; i < windows.size(); i++) {
      ScoringWindow window = windows.get(i);
      String windowId = window.id();
      String key = "monitor/" + model + "/v" + version + "/" + windowId;
      if (measured.containsKey(key)) {
        previousCounts = Map.of();
        continue;
      }
      if (i > 0 && previousCounts.isEmpty()) {
        previousCounts = storedCounts(model, version, windows.get(i - 1).id());
      }
      Map<String, long[]> counts =
          steps.run("window " + windowId + ": histograms", () -> counts(window, baselines));
      Timestamp now = Timestamp.from(Instant.now());
      List<Row> rows = new ArrayList<>();
      drifted.put(
          windowId,
          compare(rows, model, version, window, baselines, counts, null, Map.of(), now, run));
      if (i > 0) {
        driftedFromPrevious.put(
            windowId,
            compare(
                rows,
                model,
                version,
                window,
                baselines,
                counts,
                windows.get(i - 1).id(),
                previousCounts,
                now,
                run));
      }
      lakehouse
          .appendOnce(ModelTables.DRIFT_METRICS, rows, key, 1)
          .ifPresent(v -> run.output(Tables.DRIFT_METRICS, v));
      previousCounts = counts;
    }
    run.detail("windows", drifted.size());
    Map<String, Long> labelled =
        steps.run(
            "performance and fairness", () -> performanceAndFairness(run, registered, windows));
    run.detail("windows_with_new_labels", labelled.size());
    return new MonitorResult(model, version, drifted, driftedFromPrevious, labelled);
  }

  /**
   * The window's rows per bin of every baseline (features only when its inputs are readable): one
   * Spark job for the prediction's bins, one for every feature's, whatever the number of features.
   */
  private Map<String, long[]> counts(ScoringWindow window, List<Baseline> baselines) {
    String windowId = window.id();
    // Not cached: the prediction histogram and the join each read only the columns they need
    // (score; row_id), cheaper than caching every column of the window's predictions (1 M rows:
    // histograms 17.0 s with the cache, 11.3 s without).
    Dataset<Row> predictions =
        lakehouse.read(Tables.PREDICTIONS).where(col("scoring_run_id").equalTo(windowId));
    Optional<Dataset<Row>> inputs = inputs(window, predictions);
    List<Baseline> features = new ArrayList<>();
    List<Column> featureValues = new ArrayList<>();
    List<Baseline> prediction = new ArrayList<>();
    List<Column> predictionValues = new ArrayList<>();
    for (Baseline baseline : baselines) {
      if (baseline.feature().equals(Baseline.PREDICTION)) {
        prediction.add(baseline);
        predictionValues.add(
            spec.task() == TaskType.BINARY ? col("score") : col(Columns.PREDICTION));
      } else if (inputs.isPresent()) {
        features.add(baseline);
        featureValues.add(col("`" + baseline.feature() + "`"));
      }
    }
    Map<String, long[]> measured = countsByFeature(predictions, prediction, predictionValues);
    inputs.ifPresent(rows -> measured.putAll(countsByFeature(rows, features, featureValues)));
    // In the baselines' order, as the drift rows list them.
    Map<String, long[]> counts = new LinkedHashMap<>();
    for (Baseline baseline : baselines) {
      if (measured.containsKey(baseline.feature())) {
        counts.put(baseline.feature(), measured.get(baseline.feature()));
      }
    }
    return counts;
  }

  /** Each baseline's counts of {@code rows} by its feature, in one Spark job. */
  private static Map<String, long[]> countsByFeature(
      Dataset<Row> rows, List<Baseline> baselines, List<Column> values) {
    long[][] counts = Baseline.countsOf(rows, baselines, values);
    Map<String, long[]> byFeature = new HashMap<>();
    for (int i = 0; i < baselines.size(); i++) {
      byFeature.put(baselines.get(i).feature(), counts[i]);
    }
    return byFeature;
  }

  /**
   * The scored input rows of a window (with their predictions); windows scored from files have only
   * their predictions.
   */
  private Optional<Dataset<Row>> inputs(ScoringWindow window, Dataset<Row> predictions) {
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
                    col("score"),
                    col("probabilities"),
                    col("scoring_run_id"),
                    col("scored_at")),
                Columns.ROW_ID));
  }

  /** A window's counts as its baseline rows in {@code drift_metrics} stored them. */
  private Map<String, long[]> storedCounts(String model, long version, String windowId) {
    Map<String, long[]> counts = new HashMap<>();
    Optional<Dataset<Row>> history = DriftHistory.againstBaseline(lakehouse, model, version);
    if (history.isEmpty()) {
      return counts;
    }
    for (Row row :
        history
            .get()
            .where(col("window_id").equalTo(windowId))
            .select("feature", "window_counts")
            .collectAsList()) {
      List<Long> values = row.getList(1);
      counts.put(row.getString(0), values.stream().mapToLong(Long::longValue).toArray());
    }
    return counts;
  }

  /**
   * Adds the drift rows of a window against a reference ({@code referenceId} null: the baseline)
   * and returns the features that drifted.
   */
  private List<String> compare(
      List<Row> rows,
      String model,
      long version,
      ScoringWindow window,
      List<Baseline> baselines,
      Map<String, long[]> counts,
      String referenceId,
      Map<String, long[]> referenceCounts,
      Timestamp now,
      JobRun run) {
    List<String> flagged = new ArrayList<>();
    for (Baseline baseline : baselines) {
      long[] windowCounts = counts.get(baseline.feature());
      long[] reference =
          referenceId == null ? baseline.counts() : referenceCounts.get(baseline.feature());
      if (windowCounts == null || reference == null) {
        continue;
      }
      List<DriftTests.Measurement> measurements =
          settings.tests().measure(baseline.numeric(), baseline.edges(), reference, windowCounts);
      boolean drift = settings.tests().drifted(measurements);
      if (drift) {
        flagged.add(baseline.feature());
      }
      for (DriftTests.Measurement measurement : measurements) {
        rows.add(
            RowFactory.create(
                model,
                version,
                window.id(),
                window.scoredAt(),
                referenceId == null
                    ? ModelTables.REFERENCE_BASELINE
                    : ModelTables.REFERENCE_PREVIOUS_WINDOW,
                referenceId,
                baseline.feature(),
                baseline.numeric() ? "numeric" : "categorical",
                measurement.method().tableName(),
                measurement.parameters(),
                Arrays.stream(reference).sum(),
                Arrays.stream(windowCounts).sum(),
                measurement.value(),
                measurement.threshold(),
                measurement.drift() ? "DRIFT" : "OK",
                drift,
                baseline.binLabels().toArray(String[]::new),
                Arrays.stream(reference).boxed().toArray(Long[]::new),
                Arrays.stream(windowCounts).boxed().toArray(Long[]::new),
                now,
                run.runId()));
      }
    }
    return flagged;
  }

  /**
   * Writes performance (windows with labels) and fairness of every window whose labelled rows
   * changed since they were last written; returns the windows with performance written now.
   */
  private Map<String, Long> performanceAndFairness(
      JobRun run, ModelVersion registered, List<ScoringWindow> windows) {
    String model = registered.model();
    long version = registered.version();
    String labelsTable = Tables.labels(spec.name());
    OptionalLong labelsVersion = lakehouse.version(labelsTable);
    Dataset<Row> predictions =
        lakehouse
            .read(Tables.PREDICTIONS)
            .where(col("model_name").equalTo(model).and(col("model_version").equalTo(version)));
    Dataset<Row> targets = null;
    Map<String, Long> labelledRows = Map.of();
    if (labelsVersion.isPresent()) {
      run.input(labelsTable, labelsVersion.getAsLong());
      targets =
          Performance.latestTargets(
                  lakehouse.readVersion(labelsTable, labelsVersion.getAsLong()), spec)
              .cache();
      labelledRows = Performance.labelledRows(Performance.labelled(predictions, targets));
    }
    Map<String, Double> testMetrics = registered.testMetrics();
    int classCount = registered.classLabels().size();
    Map<String, Long> written = new LinkedHashMap<>();
    Map<String, Long> performanceWritten = lakehouse.transactions(Tables.PERFORMANCE_METRICS);
    Map<String, Long> fairnessWritten = lakehouse.transactions(Tables.FAIRNESS_METRICS);
    for (ScoringWindow window : windows) {
      String windowId = window.id();
      long labelled = labelledRows.getOrDefault(windowId, 0L);
      String key = "monitor/" + model + "/v" + version + "/" + windowId + "/labels";
      // One transaction per count of labelled rows: a re-run adds nothing, new labels add rows.
      long transaction = labelled + 1;
      boolean performance = labelled > 0 && before(performanceWritten, key, transaction);
      boolean fairness =
          !settings.fairnessColumns().isEmpty()
              && window.inputTable().equals(Tables.raw(spec.name()))
              && before(fairnessWritten, key, transaction);
      if (!performance && !fairness) {
        continue;
      }
      Timestamp now = Timestamp.from(Instant.now());
      Long labelsAt = labelsVersion.isPresent() && labelled > 0 ? labelsVersion.getAsLong() : null;
      Dataset<Row> windowPredictions = predictions.where(col("scoring_run_id").equalTo(windowId));
      if (performance) {
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
                        RowFactory.create(
                            model,
                            version,
                            windowId,
                            window.scoredAt(),
                            labelsAt,
                            windowRows,
                            result.labelledRows(),
                            metric,
                            value,
                            testMetrics.get(metric),
                            result.delayHoursMin(),
                            result.delayHoursMean(),
                            result.delayHoursMax(),
                            now,
                            run.runId())));
        lakehouse
            .appendOnce(ModelTables.PERFORMANCE_METRICS, rows, key, transaction)
            .ifPresent(v -> run.output(Tables.PERFORMANCE_METRICS, v));
        written.put(windowId, labelled);
      }
      if (fairness) {
        Dataset<Row> inputs = inputs(window, windowPredictions).orElseThrow();
        Dataset<Row> rowsWithTargets =
            targets == null
                ? inputs.withColumn(Columns.TARGET, lit(null).cast("double"))
                : inputs.join(
                    targets.select(Columns.ROW_ID, Columns.TARGET), Columns.ROW_ID, "left");
        List<Row> rows = new ArrayList<>();
        for (Fairness.GroupMetric metric :
            Fairness.compute(rowsWithTargets, settings.fairnessColumns(), spec.task())) {
          rows.add(
              RowFactory.create(
                  model,
                  version,
                  windowId,
                  window.scoredAt(),
                  labelsAt,
                  metric.column(),
                  metric.group(),
                  metric.referenceGroup(),
                  metric.rows(),
                  metric.labelledRows(),
                  metric.metric(),
                  metric.value(),
                  metric.referenceValue(),
                  metric.ratio(),
                  now,
                  run.runId()));
        }
        lakehouse
            .appendOnce(ModelTables.FAIRNESS_METRICS, rows, key, transaction)
            .ifPresent(v -> run.output(Tables.FAIRNESS_METRICS, v));
      }
    }
    if (targets != null) {
      targets.unpersist();
    }
    return written;
  }

  /** Whether writer {@code key}'s last transaction in {@code written} is before this one. */
  private static boolean before(Map<String, Long> written, String key, long transaction) {
    Long done = written.get(key);
    return done == null || done < transaction;
  }
}
