package dev.sluice.jobs.promote;

import static java.util.Objects.requireNonNull;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.pmod;
import static org.apache.spark.sql.functions.xxhash64;

import dev.sluice.common.Columns;
import dev.sluice.common.Errors;
import dev.sluice.common.dataset.DatasetSpec;
import dev.sluice.common.dataset.TaskType;
import dev.sluice.common.engine.JobSession;
import dev.sluice.common.lakehouse.Lakehouse;
import dev.sluice.common.registry.ModelVersion;
import dev.sluice.common.registry.Registry;
import dev.sluice.common.run.JobMain;
import dev.sluice.common.run.JobRun;
import dev.sluice.common.run.Steps;
import dev.sluice.common.settings.PromoteSettings;
import dev.sluice.common.settings.PromoteSettings.Mode;
import dev.sluice.common.table.PromotionLogTable;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalLong;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * Decides whether the newest candidate replaces the champion: both models score the same frozen
 * test split of the challenger's snapshot, the {@link Gate} decides, the decision (promoted or not)
 * is appended to {@code promotion_log} and, when promoted, the champion alias moves in {@code
 * alias_log}; a decided challenger loses the challenger alias. A decision is made once per
 * challenger, champion, settings and mode; a run that finds its decision logged as promoted and the
 * alias not moved (the run that decided stopped in between) moves it. With {@code --rollback-to N}
 * it makes version N the champion without the gate ({@link Rollback}).
 */
public final class PromoteJob {
  static final String JOB = "promote";

  private final PromoteSettings settings;
  private final DatasetSpec spec;
  private final Lakehouse lakehouse;
  private final Registry registry;
  private final Steps steps;
  private final GateRows gateRows;
  private final DecisionLog decisionLog;
  private final Aliases aliases;

  public PromoteJob(SparkSession spark, PromoteSettings settings) {
    this(JobSession.of(spark), settings);
  }

  /** The job with a session that starts when a step first needs Spark. */
  public PromoteJob(JobSession session, PromoteSettings settings) {
    requireNonNull(session, "session is null");
    this.settings = requireNonNull(settings, "settings is null");
    this.spec = settings.dataset();
    this.lakehouse = new Lakehouse(session, settings.lakehouse());
    this.registry = new Registry(lakehouse);
    this.steps = new Steps(session, JOB);
    this.gateRows = new GateRows(settings.slices().columns());
    this.decisionLog = new DecisionLog(lakehouse, settings.metric());
    this.aliases = new Aliases(lakehouse, registry);
  }

  public static void main(String[] args) {
    JobMain.run(
        JOB,
        args,
        PromoteSettings::load,
        (session, settings) -> new PromoteJob(session, settings).run());
  }

  public PromoteResult run() {
    return JobRun.record(
        lakehouse,
        JOB,
        spec.name(),
        settings.settingsHash(),
        this::execute,
        PromoteResult::alreadyDecided);
  }

  private PromoteResult execute(JobRun run) {
    String model = spec.name();
    if (settings.rollbackTo().isPresent()) {
      return new Rollback(lakehouse, registry, decisionLog, aliases)
          .run(run, model, settings.rollbackTo().getAsLong(), settings.reason());
    }
    ModelVersion challengerModel =
        registry.resolve(
            model,
            settings.challengerVersion(),
            Registry.Fallback.LATEST,
            "promote",
            "--challenger");
    long challenger = challengerModel.version();
    OptionalLong champion = registry.alias(model, Registry.CHAMPION);
    String mode = settings.mode().name().toLowerCase(Locale.ROOT).replace('_', '-');
    String key =
        "promote/"
            + model
            + "/v"
            + challenger
            + "/champion="
            + (champion.isPresent() ? champion.getAsLong() : "none")
            + "/"
            + settings.settingsHash()
            + "/"
            + mode;
    run.detail("decision_key", key);
    if (lakehouse.committed(PromotionLogTable.NAME, key, 0)) {
      return aliases.completeLogged(run, key, model, challenger, champion, mode);
    }

    String snapshotTable = challengerModel.snapshotTable();
    long snapshotVersion = challengerModel.snapshotVersion();
    DecisionLog.Decided decided =
        new DecisionLog.Decided(
            run, key, model, challenger, champion, mode, snapshotTable, snapshotVersion);
    if (settings.mode() == Mode.DISABLED) {
      return decisionLog.write(decided, "DISABLED", "promotion is disabled", null, 0);
    }
    if (champion.isPresent() && champion.getAsLong() == challenger) {
      PromoteResult already =
          decisionLog.write(
              decided, "ALREADY_CHAMPION", "the challenger is already the champion", null, 0);
      aliases.clearChallenger(run, model, challenger, already.verdict());
      return already;
    }

    run.input(snapshotTable, snapshotVersion);
    Dataset<Row> test =
        lakehouse
            .readVersion(snapshotTable, snapshotVersion)
            .where(col(Columns.SPLIT).equalTo("test"))
            .cache();
    long testRows = test.count();
    if (testRows == 0) {
      throw Errors.emptyTestSplit(model, challenger, snapshotTable, snapshotVersion);
    }
    if (testRows > settings.bootstrap().maxRows()) {
      double fraction = (double) settings.bootstrap().maxRows() / testRows;
      long buckets = 1_000_000L;
      test =
          test.where(
              pmod(xxhash64(col(Columns.ROW_ID), lit(settings.bootstrap().seed())), lit(buckets))
                  .lt(lit((long) (fraction * buckets))));
    }
    boolean binary = spec.task() == TaskType.BINARY;
    Dataset<Row> frozen = test;
    GateRows.Scored challengerScored =
        steps.run("score challenger", () -> gateRows.score(challengerModel, frozen, binary));
    Optional<GateRows.Scored> championScored =
        champion.isPresent()
            ? Optional.of(
                steps.run(
                    "score champion",
                    () ->
                        gateRows.score(
                            registry.version(model, champion.getAsLong()).orElseThrow(),
                            frozen,
                            binary)))
            : Optional.empty();
    Gate.Decision decision =
        new Gate(settings, binary)
            .decide(
                new Gate.Rows(
                    challengerScored.labels(),
                    challengerScored.predictions(),
                    challengerScored.scores(),
                    championScored.map(GateRows.Scored::predictions),
                    championScored.map(GateRows.Scored::scores),
                    challengerScored.slices()));
    test.unpersist();

    String verdict;
    if (!decision.promote()) {
      verdict = "REJECTED";
    } else if (settings.mode() == Mode.DRY_RUN) {
      verdict = "WOULD_PROMOTE";
    } else {
      verdict = Aliases.PROMOTED;
    }
    PromoteResult result =
        steps.run(
            "log decision",
            () ->
                decisionLog.write(
                    decided,
                    verdict,
                    decision.reason(),
                    decision,
                    challengerScored.labels().length));
    if (verdict.equals(Aliases.PROMOTED)) {
      steps.run(
          "move champion alias",
          () -> aliases.moveChampion(run, model, challenger, verdict, decision.reason()));
    }
    if (settings.mode() == Mode.ENABLED) {
      aliases.clearChallenger(run, model, challenger, verdict);
    }
    return result;
  }
}
