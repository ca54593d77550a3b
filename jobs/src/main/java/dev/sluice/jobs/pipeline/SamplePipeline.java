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
 * Builds a lakehouse for the notebooks in one JVM: ingest (every source the data-set file names),
 * features, train, promote, score (the held-out test split), monitor and decide, in that order, on
 * one session, with the settings arguments every job is given. It is the pipeline of {@code
 * scripts/run-pipeline.sh} without a JVM and a session per job: a small sample's tables in a
 * fraction of the time. Every job's settings are built before Spark starts.
 *
 * <p>It finds each job by name among the {@link JobLauncher} services and imports none of them. It
 * builds each job rather than calling its {@code main}, which would stop the shared session and
 * exit the JVM on a failure.
 */
public final class SamplePipeline {
  private static final String USAGE =
      "sample-pipeline --config conf/application.conf --config conf/datasets/<name>.conf"
          + " [--set key=value]...";

  private SamplePipeline() {}

  /** One job of the pipeline, its settings already built. */
  private record Step(String name, Function<SparkSession, JobResult> run) {}

  public static void main(String[] args) {
    JobMain.run("sample-pipeline", args, SamplePipeline::steps, SamplePipeline::run);
  }

  private static String[] with(String[] args, String... more) {
    return Stream.concat(Stream.of(more), Stream.of(args)).toArray(String[]::new);
  }

  private static List<Step> steps(String[] args) {
    List<Step> steps = new ArrayList<>();
    DatasetSpec spec = DatasetSpecReader.read(SettingsLoader.load(args, Map.of(), USAGE).config());
    for (String source : spec.sources().keySet()) {
      steps.add(step("ingest", with(args, "--source", source)));
    }
    steps.add(step("features", args));
    steps.add(step("train", args));
    steps.add(step("promote", args));
    steps.add(step("score", with(args, "--split", "test")));
    steps.add(step("monitor", args));
    steps.add(step("decide", args));
    return steps;
  }

  /** The job called {@code job}, its settings built from {@code args}. */
  private static Step step(String job, String[] args) {
    String name =
        args.length > 1 && args[0].startsWith("--") && !args[0].equals("--config")
            ? job + " " + args[0] + " " + args[1]
            : job;
    return new Step(name, JobLauncher.named(job).prepare(args));
  }

  /**
   * Runs the steps in order; a step that fails, or ends with a non-zero exit code, ends the run.
   */
  private static JobResult run(JobSession session, List<Step> steps) {
    SparkSession spark = session.spark();
    List<String> summaries = new ArrayList<>();
    int exitCode = 0;
    for (Step step : steps) {
      long started = System.nanoTime();
      JobResult result = step.run().apply(spark);
      exitCode = result.exitCode();
      summaries.add(
          String.format(
              "%s (%.1f s, exit code %d)%n%s",
              step.name(), (System.nanoTime() - started) / 1e9, exitCode, result.summary()));
      if (exitCode != 0) {
        break;
      }
    }
    String summary = String.join("\n", summaries);
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
