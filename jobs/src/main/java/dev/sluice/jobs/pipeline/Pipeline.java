package dev.sluice.jobs.pipeline;

import dev.sluice.common.dataset.DatasetSpec;
import dev.sluice.common.engine.JobSession;
import dev.sluice.common.run.JobLauncher;
import dev.sluice.common.run.JobMain;
import dev.sluice.common.run.JobResult;
import dev.sluice.common.settings.DatasetSpecReader;
import dev.sluice.common.settings.SettingsLoader;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Stream;
import org.apache.spark.sql.SparkSession;

/**
 * The whole pipeline of a data set in one JVM and one session ({@code scripts/run-pipeline.sh}, and
 * the notebooks' small lakehouse): ingest (every source the data-set file names, a batch each),
 * features, train, promote, report (the newest version), score (the held-out test split), monitor
 * and decide, each with the settings arguments it is given. Every job's settings are built before
 * Spark starts.
 *
 * <p>It finds each job by name among the {@link JobLauncher} services and imports none of them.
 * Each job's summary goes to standard output as the job ends, a {@code >>> <step>} line to standard
 * error as it starts; a job that fails, or ends with a non-zero exit code, ends the run.
 */
public final class Pipeline {
  private static final String USAGE =
      "pipeline --config conf/application.conf --config conf/datasets/<name>.conf"
          + " [--set key=value]...";

  private Pipeline() {}

  /** One job of the pipeline, its settings already built. */
  private record Step(String name, Function<SparkSession, JobResult> run) {}

  public static void main(String[] args) {
    JobMain.run("pipeline", args, Pipeline::steps, Pipeline::run);
  }

  private static String[] with(String[] args, String... more) {
    return Stream.concat(Stream.of(more), Stream.of(args)).toArray(String[]::new);
  }

  private static List<Step> steps(String[] args) {
    List<Step> steps = new ArrayList<>();
    DatasetSpec spec = DatasetSpecReader.read(SettingsLoader.load(args, Map.of(), USAGE).config());
    String name = spec.name();
    for (String source : spec.sources().keySet()) {
      steps.add(step("ingest " + name + ": " + source, "ingest", with(args, "--source", source)));
    }
    steps.add(step("features " + name, "features", args));
    steps.add(step("train " + name, "train", args));
    steps.add(step("promote " + name, "promote", args));
    steps.add(step("report " + name + ": the newest version", "report", args));
    steps.add(
        step(
            "score " + name + ": the held-out test split with the champion",
            "score",
            with(args, "--split", "test")));
    steps.add(
        step(
            "monitor " + name + ": drift of the scored windows against the training baseline",
            "monitor",
            args));
    steps.add(step("decide " + name + ": retrain or not, with the evidence", "decide", args));
    return steps;
  }

  /** The job called {@code job}, its settings built from {@code args}. */
  private static Step step(String name, String job, String[] args) {
    return new Step(name, JobLauncher.named(job).prepare(args));
  }

  /**
   * Runs the steps in order; a step that fails, or ends with a non-zero exit code, ends the run.
   */
  private static JobResult run(JobSession session, List<Step> steps) {
    SparkSession spark = session.spark();
    List<String> timings = new ArrayList<>();
    int exitCode = 0;
    for (Step step : steps) {
      System.err.println();
      System.err.println(">>> " + step.name());
      long started = System.nanoTime();
      JobResult result = step.run().apply(spark);
      System.out.println(result.summary());
      exitCode = result.exitCode();
      timings.add(
          String.format(
              "  %-28s %.1f s%s",
              step.name().replaceAll(":.*", ""),
              (System.nanoTime() - started) / 1e9,
              exitCode == 0 ? "" : ", exit code " + exitCode));
      if (exitCode != 0) {
        break;
      }
    }
    String summary = "== sluice pipeline ==\n" + String.join("\n", timings) + "\n";
    int code = exitCode;
    return new JobResult() {
      @Override
      public String summary() {
        return summary;
      }

      @Override
      public int exitCode() {
        return code;
      }
    };
  }
}
