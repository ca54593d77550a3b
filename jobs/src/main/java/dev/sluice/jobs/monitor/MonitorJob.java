package dev.sluice.jobs.monitor;

import static java.util.Objects.requireNonNull;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.min;

import dev.sluice.common.Columns;
import dev.sluice.common.Errors;
import dev.sluice.common.Tables;
import dev.sluice.common.dataset.DatasetSpec;
import dev.sluice.common.dataset.TaskType;
import dev.sluice.common.lakehouse.Lakehouse;
import dev.sluice.common.lakehouse.ModelTables;
import dev.sluice.common.monitor.Baseline;
import dev.sluice.common.monitor.DriftStatistics;
import dev.sluice.common.registry.Registry;
import dev.sluice.common.run.JobMain;
import dev.sluice.common.run.JobResult;
import dev.sluice.common.run.JobRun;
import dev.sluice.common.run.Steps;
import dev.sluice.common.settings.MonitorSettings;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;

/**
 * Measures drift of every scoring window (a scoring run's rows) of a model version against the
 * training baseline stored with the version: per feature and for the predictions, a PSI verdict
 * plus a binned KS distance (numeric) or a chi-square p-value (categorical) for information, each
 * row with both histograms. A window is measured once.
 */
public final class MonitorJob {
  static final String JOB = "monitor";

  private final SparkSession spark;
  private final MonitorSettings settings;
  private final DatasetSpec spec;
  private final Lakehouse lakehouse;
  private final Registry registry;
  private final Steps steps;

  /** Windows measured now and the features that drifted in each. */
  public record MonitorResult(String model, long version, Map<String, List<String>> drifted)
      implements JobResult {
    public MonitorResult {
      // Windows in the order they were scored.
      drifted = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(drifted));
    }

    @Override
    public String summary() {
      StringBuilder text = new StringBuilder();
      text.append("== sluice monitor: ").append(model).append(" v").append(version).append(" ==\n");
      if (drifted.isEmpty()) {
        text.append("no new scoring window\n");
      }
      drifted.forEach(
          (window, features) ->
              text.append("window ")
                  .append(window)
                  .append(": ")
                  .append(features.isEmpty() ? "no drift" : "drift in " + features)
                  .append('\n'));
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
        result -> result.drifted().isEmpty());
  }

  private MonitorResult execute(JobRun run) {
    String model = spec.name();
    long version =
        settings.modelVersion().isPresent()
            ? settings.modelVersion().getAsLong()
            : registry
                .alias(model, Registry.CHAMPION)
                .orElseThrow(
                    () ->
                        Errors.data(
                            "Cannot monitor '"
                                + model
                                + "': it has no champion. Pass --model-version N."));
    if (!lakehouse.exists(Tables.MODEL_BASELINES) || !lakehouse.exists(Tables.PREDICTIONS)) {
      return new MonitorResult(model, version, Map.of());
    }
    List<Baseline> baselines =
        lakehouse
            .read(Tables.MODEL_BASELINES)
            .where(col("model_name").equalTo(model).and(col("model_version").equalTo(version)))
            .collectAsList()
            .stream()
            .map(Baseline::fromRow)
            .toList();
    if (baselines.isEmpty()) {
      throw Errors.data(
          "Cannot monitor "
              + model
              + " version "
              + version
              + ": it has no training baseline. Retrain it.");
    }
    List<Row> windows =
        lakehouse
            .read(Tables.PREDICTIONS)
            .where(col("model_name").equalTo(model).and(col("model_version").equalTo(version)))
            .groupBy("scoring_run_id", "input_table", "input_version")
            .agg(min("scored_at").as("scored_at"))
            .orderBy("scored_at")
            .collectAsList();
    Map<String, List<String>> drifted = new LinkedHashMap<>();
    run.detail("model_version", version);
    for (Row window : windows) {
      String windowId = window.getString(0);
      String key = "monitor/" + model + "/v" + version + "/" + windowId;
      if (lakehouse.transactionVersion(Tables.DRIFT_METRICS, key).isPresent()) {
        continue;
      }
      List<String> flagged = new ArrayList<>();
      List<Row> rows =
          steps.run(
              "window " + windowId, () -> measure(run, model, version, window, baselines, flagged));
      lakehouse.create(ModelTables.DRIFT_METRICS);
      lakehouse
          .appendOnce(
              spark.createDataFrame(rows, ModelTables.DRIFT_METRICS.schema()),
              Tables.DRIFT_METRICS,
              key,
              1,
              false)
          .ifPresent(v -> run.output(Tables.DRIFT_METRICS, v));
      drifted.put(windowId, flagged);
    }
    run.detail("windows", drifted.size());
    return new MonitorResult(model, version, drifted);
  }

  private List<Row> measure(
      JobRun run,
      String model,
      long version,
      Row window,
      List<Baseline> baselines,
      List<String> flagged) {
    String windowId = window.getString(0);
    String inputTable = window.getString(1);
    long inputVersion = window.getLong(2);
    Dataset<Row> predictions =
        lakehouse.read(Tables.PREDICTIONS).where(col("scoring_run_id").equalTo(windowId)).cache();
    // Features come from the scored input rows; windows scored from files have only their
    // predictions.
    Dataset<Row> inputs =
        inputTable.equals(Tables.raw(spec.name()))
            ? lakehouse
                .readVersion(inputTable, inputVersion)
                .join(predictions.select(Columns.ROW_ID), Columns.ROW_ID)
            : null;
    Timestamp now = Timestamp.from(Instant.now());
    List<Row> rows = new ArrayList<>();
    for (Baseline baseline : baselines) {
      boolean prediction = baseline.feature().equals(Baseline.PREDICTION);
      if (!prediction && inputs == null) {
        continue;
      }
      Dataset<Row> source = prediction ? predictions : inputs;
      Column value =
          prediction
              ? (spec.task() == TaskType.BINARY ? col("score") : col(Columns.PREDICTION))
              : col("`" + baseline.feature() + "`");
      long[] counts = baseline.countsOf(source, value);
      long windowRows = java.util.Arrays.stream(counts).sum();
      long baselineRows = java.util.Arrays.stream(baseline.counts()).sum();
      double psi = DriftStatistics.psi(baseline.counts(), counts);
      boolean drift = psi > settings.psiThreshold();
      if (drift) {
        flagged.add(baseline.feature());
      }
      String kind = baseline.numeric() ? "numeric" : "categorical";
      rows.add(
          row(
              model,
              version,
              window,
              baseline,
              kind,
              "psi",
              Map.of("empty_bin_proportion", String.valueOf(DriftStatistics.EMPTY_BIN_PROPORTION)),
              baselineRows,
              windowRows,
              psi,
              settings.psiThreshold(),
              drift ? "DRIFT" : "OK",
              counts,
              now,
              run));
      if (baseline.numeric()) {
        rows.add(
            row(
                model,
                version,
                window,
                baseline,
                kind,
                "ks_binned",
                Map.of(),
                baselineRows,
                windowRows,
                DriftStatistics.ksDistance(baseline.counts(), counts),
                null,
                "INFO",
                counts,
                now,
                run));
      } else {
        int degrees = Math.max(1, baseline.binCount() - 1);
        rows.add(
            row(
                model,
                version,
                window,
                baseline,
                kind,
                "chi_square_p",
                Map.of("degrees_of_freedom", String.valueOf(degrees)),
                baselineRows,
                windowRows,
                DriftStatistics.chiSquarePValue(
                    DriftStatistics.chiSquare(baseline.counts(), counts), degrees),
                null,
                "INFO",
                counts,
                now,
                run));
      }
    }
    predictions.unpersist();
    return rows;
  }

  private static Row row(
      String model,
      long version,
      Row window,
      Baseline baseline,
      String kind,
      String method,
      Map<String, String> parameters,
      long baselineRows,
      long windowRows,
      double value,
      Double threshold,
      String verdict,
      long[] counts,
      Timestamp now,
      JobRun run) {
    return RowFactory.create(
        model,
        version,
        window.getString(0),
        window.getTimestamp(3),
        baseline.feature(),
        kind,
        method,
        parameters,
        baselineRows,
        windowRows,
        value,
        threshold,
        verdict,
        baseline.binLabels().toArray(String[]::new),
        java.util.Arrays.stream(baseline.counts()).boxed().toArray(Long[]::new),
        java.util.Arrays.stream(counts).boxed().toArray(Long[]::new),
        now,
        run.runId());
  }
}
