package dev.sluice.jobs.decide;

import static java.util.Objects.requireNonNull;
import static org.apache.spark.sql.functions.col;

import dev.sluice.common.Tables;
import dev.sluice.common.dataset.DatasetSpec;
import dev.sluice.common.decide.RetrainRules;
import dev.sluice.common.lakehouse.Lakehouse;
import dev.sluice.common.lakehouse.ModelTables;
import dev.sluice.common.monitor.Baseline;
import dev.sluice.common.monitor.DriftHistory;
import dev.sluice.common.registry.ModelVersion;
import dev.sluice.common.registry.Registry;
import dev.sluice.common.run.JobMain;
import dev.sluice.common.run.JobResult;
import dev.sluice.common.run.JobRun;
import dev.sluice.common.settings.DecideSettings;
import dev.sluice.common.train.Metrics;
import java.sql.Timestamp;
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
import org.apache.spark.sql.RowFactory;
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

  private final SparkSession spark;
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
          .append(retrain ? "RETRAIN" : "NO_RETRAIN")
          .append(" (")
          .append(reason)
          .append(")\n");
      return text.toString();
    }
  }

  public DecideJob(SparkSession spark, DecideSettings settings) {
    this.spark = requireNonNull(spark, "spark is null");
    this.settings = requireNonNull(settings, "settings is null");
    this.spec = settings.dataset();
    this.lakehouse = new Lakehouse(spark, settings.lakehouse());
    this.registry = new Registry(lakehouse);
  }

  public static void main(String[] args) {
    JobMain.run(
        JOB, args, DecideSettings::load, (spark, settings) -> new DecideJob(spark, settings).run());
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
    String rawTable = record.rawTable();
    OptionalLong rawVersion = record.rawVersion();

    Map<String, Set<String>> windows = new LinkedHashMap<>();
    Optional<Dataset<Row>> history = DriftHistory.againstBaseline(lakehouse, model, champion);
    if (history.isPresent()) {
      for (Row row :
          history
              .get()
              .orderBy("window_scored_at", "feature")
              .select("window_id", "feature", "feature_drift")
              .collectAsList()) {
        Set<String> drifted = windows.computeIfAbsent(row.getString(0), k -> new TreeSet<>());
        if (row.getBoolean(2) && !Baseline.PREDICTION.equals(row.getString(1))) {
          drifted.add(row.getString(1));
        }
      }
    }
    long newRows =
        rawVersion.isEmpty()
            ? 0
            : lakehouse.read(rawTable).count()
                - lakehouse.readVersion(rawTable, rawVersion.getAsLong()).count();
    Optional<Instant> lastRetrain = Optional.empty();
    if (lakehouse.exists(Tables.RETRAIN_DECISIONS)) {
      List<Row> last =
          lakehouse
              .read(Tables.RETRAIN_DECISIONS)
              .where(
                  col("model_name")
                      .equalTo(model)
                      .and(col("decision").equalTo("RETRAIN"))
                      .and(col("mode").equalTo("enabled")))
              .orderBy(col("decided_at").desc())
              .limit(1)
              .select("decided_at")
              .collectAsList();
      lastRetrain = last.stream().findFirst().map(r -> r.getTimestamp(0).toInstant());
    }
    Instant now = Instant.now();
    RetrainRules.Decision decision =
        RetrainRules.decide(
            settings.rules(),
            new RetrainRules.Facts(
                new ArrayList<>(windows.values()),
                lakehouse.commitTime(snapshotTable, snapshotVersion),
                newRows,
                lastRetrain,
                now,
                performance(model, champion, record)));
    String mode = settings.dryRun() ? "dry-run" : "enabled";
    List<Row> rules = new ArrayList<>();
    List<String> lines = new ArrayList<>();
    for (RetrainRules.Rule rule : decision.rules()) {
      rules.add(
          RowFactory.create(
              rule.name(), rule.value(), rule.threshold(), rule.fired(), rule.detail()));
      lines.add(
          String.format(
              "%-5s %s = %.4f (threshold %.4f) %s",
              rule.fired() ? "FIRED" : "-",
              rule.name(),
              rule.value(),
              rule.threshold(),
              rule.detail()));
    }
    Row row =
        RowFactory.create(
            Timestamp.from(now),
            run.runId(),
            model,
            champion,
            mode,
            rules.toArray(Row[]::new),
            decision.retrain() ? "RETRAIN" : "NO_RETRAIN",
            decision.reason());
    run.output(
        Tables.RETRAIN_DECISIONS, lakehouse.append(ModelTables.RETRAIN_DECISIONS, List.of(row)));
    run.detail("decision", decision.retrain() ? "RETRAIN" : "NO_RETRAIN").detail("mode", mode);
    return new DecideResult(model, champion, mode, decision.retrain(), decision.reason(), lines);
  }

  /**
   * The champion's metric on the latest window (by scoring time, then most labels) with enough
   * labelled rows.
   */
  private Optional<RetrainRules.Observed> performance(
      String model, long champion, ModelVersion record) {
    if (!lakehouse.exists(Tables.PERFORMANCE_METRICS)) {
      return Optional.empty();
    }
    String metric = settings.performanceMetric();
    Map<String, Double> test = record.testMetrics();
    return lakehouse
        .read(Tables.PERFORMANCE_METRICS)
        .where(
            col("model_name")
                .equalTo(model)
                .and(col("model_version").equalTo(champion))
                .and(col("metric").equalTo(metric))
                .and(col("labelled_rows").geq(settings.minLabelledRows())))
        .orderBy(col("window_scored_at").desc(), col("labelled_rows").desc())
        .limit(1)
        .select("value", "window_id", "labelled_rows")
        .collectAsList()
        .stream()
        .findFirst()
        .map(
            row ->
                new RetrainRules.Observed(
                    metric,
                    row.getDouble(0),
                    test.getOrDefault(metric, Double.NaN),
                    Metrics.largerIsBetter(metric),
                    row.getString(1),
                    row.getLong(2)));
  }
}
