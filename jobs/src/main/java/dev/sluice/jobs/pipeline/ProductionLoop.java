package dev.sluice.jobs.pipeline;

import dev.sluice.common.Errors;
import dev.sluice.common.engine.JobSession;
import dev.sluice.common.lakehouse.Lakehouse;
import dev.sluice.common.registry.Registry;
import dev.sluice.common.run.JobLauncher;
import dev.sluice.common.run.JobMain;
import dev.sluice.common.run.JobResult;
import dev.sluice.common.settings.DatasetSpecReader;
import dev.sluice.common.settings.LakehouseSettings;
import dev.sluice.common.settings.LoadedSettings;
import dev.sluice.common.settings.SettingsLoader;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Stream;
import org.apache.spark.sql.SparkSession;

/**
 * One run of a data set's production loop, every job on one session in one JVM ({@code
 * scripts/loop.sh} takes the data set's lock, then starts it): ingest the new landing batches,
 * score the pending batches with the champion, ingest the new landing labels, monitor, decide; on
 * RETRAIN: features, train, reproduce (the newest version), report, promote, and score the pending
 * batches again. Every job's settings are built before Spark starts; each job is found by name
 * among the {@link JobLauncher} services, none imported.
 *
 * <p>Each job's summary goes to standard output as the job ends, a {@code loop: <step> ok (N s)}
 * line to standard error. The exit code is the {@link Outcome}'s; a step that fails ends the run
 * with its job's failure.
 */
public final class ProductionLoop {
  private static final String USAGE =
      "loop --config conf/application.conf --config conf/datasets/<name>.conf"
          + " [--set key=value]... [--no-retrain]";
  private static final String NO_RETRAIN = "--no-retrain";

  private ProductionLoop() {}

  /** How a run ended, and the exit code that stands for it. */
  enum Outcome {
    NOTHING_RETRAINED(0, "nothing retrained"),
    PROMOTED(10, "retrained and promoted"),
    REJECTED(11, "retrained, the challenger was rejected: the champion stays"),
    NOT_REPRODUCED(12, "the retrained version did not reproduce: nothing promoted");

    final int code;
    final String meaning;

    Outcome(int code, String meaning) {
      this.code = code;
      this.meaning = meaning;
    }
  }

  /** Every job of a run, prepared; {@code retrain} false decides in dry-run mode. */
  record Plan(
      String model,
      LakehouseSettings lakehouse,
      boolean retrain,
      Function<SparkSession, JobResult> ingestBatches,
      Function<SparkSession, JobResult> scorePending,
      Function<SparkSession, JobResult> ingestLabels,
      Function<SparkSession, JobResult> monitor,
      Function<SparkSession, JobResult> decide,
      Function<SparkSession, JobResult> features,
      Function<SparkSession, JobResult> train,
      Function<SparkSession, JobResult> reproduce,
      Function<SparkSession, JobResult> report,
      Function<SparkSession, JobResult> promote) {}

  public static void main(String[] args) {
    JobMain.run("loop", args, ProductionLoop::plan, ProductionLoop::run);
  }

  static Plan plan(String[] arguments) {
    boolean retrain = !Arrays.asList(arguments).contains(NO_RETRAIN);
    String[] args = Stream.of(arguments).filter(a -> !a.equals(NO_RETRAIN)).toArray(String[]::new);
    LoadedSettings loaded = SettingsLoader.load(args, Map.of(), USAGE);
    String[] decideArgs = retrain ? args : append(args, "--set", "sluice.decide.mode=dry-run");
    return new Plan(
        DatasetSpecReader.read(loaded.config()).name(),
        LakehouseSettings.from(loaded.config()),
        retrain,
        prepare("ingest", prepend(args, "--kind", "unlabelled", "--from-landing")),
        prepare("score", prepend(args, "--pending")),
        prepare("ingest", prepend(args, "--kind", "labels", "--from-landing")),
        prepare("monitor", args),
        prepare("decide", decideArgs),
        prepare("features", args),
        prepare("train", args),
        prepare("reproduce", args),
        prepare("report", args),
        prepare("promote", args));
  }

  private static Function<SparkSession, JobResult> prepare(String job, String[] args) {
    return JobLauncher.named(job).prepare(args);
  }

  private static String[] prepend(String[] args, String... first) {
    return Stream.concat(Stream.of(first), Stream.of(args)).toArray(String[]::new);
  }

  private static String[] append(String[] args, String... last) {
    return Stream.concat(Stream.of(args), Stream.of(last)).toArray(String[]::new);
  }

  static LoopResult run(JobSession session, Plan plan) {
    Run run = new Run(session.spark());
    Registry registry = new Registry(new Lakehouse(session, plan.lakehouse()));
    run.step("ingest batches", plan.ingestBatches());
    boolean champion = registry.alias(plan.model(), Registry.CHAMPION).isPresent();
    run.scorePending("score pending", champion, plan.scorePending());
    run.step("ingest labels", plan.ingestLabels());
    if (!champion) {
      System.err.println(
          "loop: monitor needs a champion: train and promote a first version"
              + " (scripts/run-pipeline.sh)");
    }
    run.step("monitor", plan.monitor());
    String decision = run.step("decide", plan.decide()).outcome().orElseThrow();
    if (!decision.equals("RETRAIN") || !plan.retrain()) {
      if (!plan.retrain()) {
        System.err.println("loop: retrain skipped (" + NO_RETRAIN + ")");
      }
      return run.result(plan.model(), Outcome.NOTHING_RETRAINED);
    }
    run.step("features", plan.features());
    run.step("train", plan.train());
    if (run.step("reproduce", plan.reproduce()).outcome().orElseThrow().equals("MISMATCH")) {
      System.err.println(
          "loop: reproduce: the newest version's metrics differ from its record; nothing promoted");
      return run.result(plan.model(), Outcome.NOT_REPRODUCED);
    }
    run.step("report", plan.report());
    boolean promoted =
        run.step("promote", plan.promote()).outcome().orElseThrow().equals("PROMOTED");
    run.scorePending("score pending after promote", champion || promoted, plan.scorePending());
    return run.result(plan.model(), promoted ? Outcome.PROMOTED : Outcome.REJECTED);
  }

  /** The steps of one run on one session, timed, each summary printed as the step ends. */
  private static final class Run {
    private final SparkSession spark;
    private final List<String> timings = new ArrayList<>();

    Run(SparkSession spark) {
      this.spark = spark;
    }

    JobResult step(String label, Function<SparkSession, JobResult> job) {
      long started = System.nanoTime();
      JobResult result;
      try {
        result = job.apply(spark);
      } catch (RuntimeException | Error e) {
        System.err.printf("loop: %s failed after %s%n", label, seconds(started));
        throw e;
      }
      System.out.println(result.summary());
      // A mismatch is reproduce's outcome, not a failure: the run branches on it.
      if (result.exitCode() != 0 && !label.equals("reproduce")) {
        System.err.printf(
            "loop: %s ended with exit code %d after %s%n",
            label, result.exitCode(), seconds(started));
        throw Errors.job(label + " ended with exit code " + result.exitCode(), null);
      }
      String took = seconds(started);
      timings.add(String.format("  %-28s %s", label, took));
      System.err.printf("loop: %s %s (%s)%n", label, result.outcome().orElse("ok"), took);
      return result;
    }

    /** The batches no version has scored yet, with the champion; none yet is no failure. */
    void scorePending(String label, boolean champion, Function<SparkSession, JobResult> score) {
      if (champion) {
        step(label, score);
      } else {
        timings.add(String.format("  %-28s skipped: no champion yet", label));
        System.err.printf("loop: %s skipped: no champion yet, nothing scores the batches%n", label);
      }
    }

    LoopResult result(String model, Outcome outcome) {
      return new LoopResult(model, timings, outcome);
    }

    private static String seconds(long started) {
      return String.format("%.1f s", (System.nanoTime() - started) / 1e9);
    }
  }

  /** The steps a run took, with their seconds, and how it ended. */
  record LoopResult(String model, List<String> timings, Outcome end) implements JobResult {
    LoopResult {
      timings = List.copyOf(timings);
    }

    @Override
    public String summary() {
      return "== sluice loop: "
          + model
          + " ==\n"
          + String.join("\n", timings)
          + "\noutcome        "
          + end.meaning
          + " (exit "
          + end.code
          + ")\n";
    }

    @Override
    public int exitCode() {
      return end.code;
    }
  }
}
