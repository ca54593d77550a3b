package dev.sluice.jobs.monitor;

import static java.util.Objects.requireNonNull;

import dev.sluice.common.Errors;
import dev.sluice.common.Tables;
import dev.sluice.common.dataset.DatasetSpec;
import dev.sluice.common.engine.JobSession;
import dev.sluice.common.lakehouse.Lakehouse;
import dev.sluice.common.monitor.Baseline;
import dev.sluice.common.monitor.ScoringWindow;
import dev.sluice.common.registry.ModelVersion;
import dev.sluice.common.registry.Registry;
import dev.sluice.common.run.JobMain;
import dev.sluice.common.run.JobRun;
import dev.sluice.common.run.Steps;
import dev.sluice.common.settings.MonitorSettings;
import dev.sluice.common.table.ModelBaselinesTable;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.apache.spark.sql.SparkSession;

/**
 * Monitors every scoring window (a scoring run's rows) of a model version: drift of every feature
 * and of the predictions against the training baseline stored with the version and against the
 * version's previous window (PSI plus a test chosen by kind and sample size, each row with both
 * histograms); and, as delayed labels arrive in {@code <dataset>_labels}, the window's performance
 * and per-group fairness, for the windows of every version when it monitors the champion. Drift is
 * measured once per window; performance and fairness once per window and count of labelled rows.
 */
public final class MonitorJob {
  static final String JOB = "monitor";
  private static final Logger LOG = LogManager.getLogger(MonitorJob.class);

  private final MonitorSettings settings;
  private final DatasetSpec spec;
  private final Lakehouse lakehouse;
  private final Registry registry;
  private final Steps steps;

  public MonitorJob(SparkSession spark, MonitorSettings settings) {
    this(JobSession.of(spark), settings);
  }

  /** The job with a session that starts when a step first needs Spark. */
  public MonitorJob(JobSession session, MonitorSettings settings) {
    requireNonNull(session, "session is null");
    this.settings = requireNonNull(settings, "settings is null");
    this.spec = settings.dataset();
    this.lakehouse = new Lakehouse(session, settings.lakehouse());
    this.registry = new Registry(lakehouse);
    this.steps = new Steps(session, JOB);
  }

  public static void main(String[] args) {
    JobMain.run(
        JOB,
        args,
        MonitorSettings::load,
        (session, settings) -> new MonitorJob(session, settings).run());
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
    // Tables the first ingest created empty: nothing scored, or no baselines trained, yet.
    if (!lakehouse.hasData(Tables.MODEL_BASELINES) || !lakehouse.hasData(Tables.PREDICTIONS)) {
      return new MonitorResult(model, version, Map.of(), Map.of(), Map.of());
    }
    List<Baseline> baselines = baselines(model, version);
    Map<String, Long> transactions = lakehouse.log().transactions(Tables.PREDICTIONS);
    List<ScoringWindow> windows = windows(transactions, model, version);
    WindowInputs inputs = new WindowInputs(lakehouse, spec);
    DriftStep.Drift drift =
        new DriftStep(lakehouse, settings, steps, inputs)
            .measure(run, model, version, baselines, windows);
    run.detail("windows", drift.againstBaseline().size());
    PerformanceAndFairness performance = new PerformanceAndFairness(lakehouse, settings, inputs);
    Map<String, Long> labelled =
        new LinkedHashMap<>(
            steps.run(
                "performance and fairness", () -> performance.write(run, registered, windows)));
    if (settings.modelVersion().isEmpty()) {
      labelled.putAll(
          steps.run(
              "performance of earlier versions",
              () -> earlierVersions(run, registered, transactions, performance)));
    }
    run.detail("windows_with_new_labels", labelled.size());
    return new MonitorResult(
        model, version, drift.againstBaseline(), drift.againstPrevious(), labelled);
  }

  /**
   * Performance and fairness of the windows every other version scored: labels that arrive after a
   * version stopped scoring (a new champion took over) still measure the rows it scored.
   */
  private Map<String, Long> earlierVersions(
      JobRun run,
      ModelVersion champion,
      Map<String, Long> transactions,
      PerformanceAndFairness performance) {
    Map<String, Long> labelled = new LinkedHashMap<>();
    for (ModelVersion other :
        registry
            .versions(champion.model())
            .filter(v -> v.version() != champion.version())
            .toList()) {
      List<ScoringWindow> windows = windows(transactions, other.model(), other.version());
      if (!windows.isEmpty()) {
        labelled.putAll(performance.write(run, other, windows));
      }
    }
    return labelled;
  }

  /** The version's training baselines, a row per feature: read on the driver, no Spark job. */
  private List<Baseline> baselines(String model, long version) {
    List<Baseline> baselines =
        lakehouse.rows(Tables.MODEL_BASELINES).stream()
            .map(ModelBaselinesTable.Entry::from)
            .filter(entry -> model.equals(entry.modelName()) && entry.modelVersion() == version)
            .map(Baseline::of)
            .toList();
    if (baselines.isEmpty()) {
      throw Errors.noTrainingBaseline(model, version);
    }
    return baselines;
  }

  /**
   * The version's scoring windows in the order they were scored. Score records each window in its
   * commit: listed from the table's transactions, no Spark job. Predictions scored before windows
   * were recorded are grouped instead.
   */
  private List<ScoringWindow> windows(Map<String, Long> transactions, String model, long version) {
    return ScoringWindow.fromTransactions(transactions, model, version)
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
  }
}
