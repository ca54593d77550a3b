package dev.sluice.jobs.decide;

import static java.util.Objects.requireNonNull;

import dev.sluice.common.Columns;
import dev.sluice.common.Tables;
import dev.sluice.common.dataset.DatasetSpec;
import dev.sluice.common.decide.DecisionHistory;
import dev.sluice.common.decide.RetrainRules;
import dev.sluice.common.engine.JobSession;
import dev.sluice.common.features.Snapshots;
import dev.sluice.common.lakehouse.Lakehouse;
import dev.sluice.common.monitor.DriftHistory;
import dev.sluice.common.registry.ModelVersion;
import dev.sluice.common.registry.Registry;
import dev.sluice.common.run.JobMain;
import dev.sluice.common.run.JobResult;
import dev.sluice.common.run.JobRun;
import dev.sluice.common.settings.DecideSettings;
import dev.sluice.common.table.Check;
import dev.sluice.common.table.DriftMetricsTable;
import dev.sluice.common.table.JobRunsTable;
import dev.sluice.common.table.RetrainDecisionsTable;
import dev.sluice.common.train.Metrics;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeSet;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * Decides whether the champion's model should be retrained, from the monitored windows' drift
 * against the training baseline, its performance on delayed labels, the age of its snapshot and the
 * rows that arrived since, with persistence and cooldown; every decision, retrain or not, is
 * appended to {@code retrain_decisions}. A dry run is recorded as such and never counts as a
 * retrain.
 */
public final class DecideJob {
  static final String JOB = "decide";

  private final DecideSettings settings;
  private final DatasetSpec spec;
  private final Lakehouse lakehouse;
  private final Registry registry;

  /** The decision. */
  public record DecideResult(
      String model, long champion, String mode, boolean retrain, String reason, List<String> rules)
      implements JobResult {
    public DecideResult {
      rules = List.copyOf(rules);
    }

    @Override
    public String summary() {
      StringBuilder text =
          new StringBuilder(
              "== sluice decide: " + model + " (champion v" + champion + ", " + mode + ") ==\n");
      rules.forEach(rule -> text.append("  ").append(rule).append('\n'));
      text.append("decision       ")
          .append(outcome().orElseThrow())
          .append(" (")
          .append(reason)
          .append(")\n");
      return text.toString();
    }

    @Override
    public Optional<String> outcome() {
      return Optional.of(retrain ? "RETRAIN" : "NO_RETRAIN");
    }
  }

  /** The job_runs details of the new_rows count and of the table versions it was counted on. */
  private static final String NEW_ROWS = "new_rows";

  private static final String NEW_ROWS_INPUTS = "new_rows_inputs";

  public DecideJob(SparkSession spark, DecideSettings settings) {
    this(JobSession.of(spark), settings);
  }

  /** The job with a session that starts when a step first needs Spark. */
  public DecideJob(JobSession session, DecideSettings settings) {
    requireNonNull(session, "session is null");
    this.settings = requireNonNull(settings, "settings is null");
    this.spec = settings.dataset();
    this.lakehouse = new Lakehouse(session, settings.lakehouse());
    this.registry = new Registry(lakehouse);
  }

  public static void main(String[] args) {
    JobMain.run(
        JOB,
        args,
        DecideSettings::load,
        (session, settings) -> new DecideJob(session, settings).run());
  }

  public DecideResult run() {
    return JobRun.record(
        lakehouse, JOB, spec.name(), settings.settingsHash(), this::execute, result -> false);
  }

  private DecideResult execute(JobRun run) {
    String model = spec.name();
    ModelVersion record =
        registry.resolve(
            model, OptionalLong.empty(), Registry.Fallback.CHAMPION, "decide on retraining", "");
    long champion = record.version();
    String snapshotTable = record.snapshotTable();
    long snapshotVersion = record.snapshotVersion();

    // Windows in the order they were scored: the rules look at the latest.
    Map<String, Set<String>> windows = new LinkedHashMap<>();
    for (DriftMetricsTable.Entry row : DriftHistory.againstBaseline(lakehouse, model, champion)) {
      Set<String> drifted = windows.computeIfAbsent(row.windowId(), k -> new TreeSet<>());
      // The prediction's drift counts as a feature's: a model whose outputs shift persistently is
      // retrained even when no single input shifted enough.
      if (row.featureDrift()) {
        drifted.add(row.feature());
      }
    }
    long newRows = settings.rules().minNewRows() > 0 ? newlyLabelled(run, record) : 0;
    // A retrain that produced no candidate (nothing new to train on) starts no cooldown.
    Optional<Instant> newestTrainedAt =
        registry.latestVersion(model).stream()
            .boxed()
            .flatMap(v -> registry.version(model, v).stream())
            .map(ModelVersion::createdAt)
            .findFirst();
    Optional<Instant> lastRetrain = DecisionHistory.lastRetrain(lakehouse, model, newestTrainedAt);
    Instant now = Instant.now();
    RetrainRules.Decision decision =
        RetrainRules.decide(
            settings.rules(),
            new RetrainRules.Facts(
                new ArrayList<>(windows.values()),
                lakehouse.log().commitTime(snapshotTable, snapshotVersion),
                newRows,
                lastRetrain,
                now,
                performance(model, champion, record)));
    String mode =
        settings.dryRun() ? RetrainDecisionsTable.MODE_DRY_RUN : RetrainDecisionsTable.MODE_ENABLED;
    List<Check> rules = new ArrayList<>();
    List<String> lines = new ArrayList<>();
    for (RetrainRules.Rule rule : decision.rules()) {
      rules.add(
          new Check(rule.name(), rule.value(), rule.threshold(), rule.fired(), rule.detail()));
      lines.add(
          String.format(
              "%-5s %s = %.4f (threshold %.4f) %s",
              rule.fired() ? "FIRED" : "-",
              rule.name(),
              rule.value(),
              rule.threshold(),
              rule.detail()));
    }
    String verdict =
        decision.retrain() ? RetrainDecisionsTable.RETRAIN : RetrainDecisionsTable.NO_RETRAIN;
    RetrainDecisionsTable.Entry entry =
        new RetrainDecisionsTable.Entry(
            now, run.runId(), model, champion, mode, rules, verdict, decision.reason());
    run.detail("decision", verdict).detail("mode", mode);
    Optional<RetrainDecisionsTable.Entry> last = DecisionHistory.lastDecision(lakehouse, model);
    if (last.isPresent() && DecisionHistory.repeats(last.get(), entry)) {
      run.detail(
          "skip_reason",
          "the same decision on the same evidence as the one of " + last.get().decidedAt());
    } else {
      run.output(
          RetrainDecisionsTable.NAME,
          lakehouse.append(RetrainDecisionsTable.SPEC, List.of(entry.toRow())));
    }
    return new DecideResult(model, champion, mode, decision.retrain(), decision.reason(), lines);
  }

  /**
   * The rows labelled now that the champion's snapshot does not hold: rows ingested with their
   * label, and rows to score whose delayed label has arrived, as features reads them.
   */
  private long newlyLabelled(JobRun run, ModelVersion champion) {
    String labels = Tables.labels(spec.name());
    OptionalLong labelsVersion =
        lakehouse.hasData(labels) ? lakehouse.version(labels) : OptionalLong.empty();
    // Its inputs' versions: a run on the same ones takes the count of the run that made it, and
    // starts no Spark.
    String inputs =
        champion.rawTable()
            + "@"
            + lakehouse.version(champion.rawTable()).orElse(-1)
            + ";"
            + labels
            + "@"
            + labelsVersion.orElse(-1)
            + ";"
            + champion.snapshotTable()
            + "@"
            + champion.snapshotVersion();
    run.detail(NEW_ROWS_INPUTS, inputs);
    Optional<Long> counted =
        lakehouse.rows(JobRunsTable.NAME).stream()
            .map(JobRunsTable.Entry::from)
            .filter(
                past ->
                    past.job().equals(JOB)
                        && inputs.equals(past.details().get(NEW_ROWS_INPUTS))
                        && past.details().containsKey(NEW_ROWS))
            .map(past -> Long.parseLong(past.details().get(NEW_ROWS)))
            .findFirst();
    long rows = counted.orElseGet(() -> countNewlyLabelled(champion, labelsVersion));
    run.detail(NEW_ROWS, rows);
    return rows;
  }

  private long countNewlyLabelled(ModelVersion champion, OptionalLong labelsVersion) {
    Optional<Dataset<Row>> labels =
        labelsVersion.isPresent()
            ? Optional.of(
                Snapshots.latestLabels(
                    lakehouse.readVersion(Tables.labels(spec.name()), labelsVersion.getAsLong()),
                    spec))
            : Optional.empty();
    Dataset<Row> known = Snapshots.knownLabels(lakehouse.read(champion.rawTable()), labels, spec);
    Dataset<Row> trained =
        lakehouse
            .readVersion(champion.snapshotTable(), champion.snapshotVersion())
            .select(Columns.ROW_ID);
    return known.select(Columns.ROW_ID).join(trained, Columns.ROW_ID, "left_anti").count();
  }

  /**
   * The champion's metric on the latest window (by scoring time, then most labels) with enough
   * labelled rows.
   */
  private Optional<RetrainRules.Observed> performance(
      String model, long champion, ModelVersion record) {
    String metric = settings.performanceMetric();
    Map<String, Double> test = record.testMetrics();
    return DecisionHistory.latestPerformance(
            lakehouse, model, champion, metric, settings.minLabelledRows())
        .map(
            row ->
                new RetrainRules.Observed(
                    metric,
                    row.value(),
                    test.getOrDefault(metric, Double.NaN),
                    Metrics.largerIsBetter(metric),
                    row.windowId(),
                    row.labelledRows()));
  }
}
