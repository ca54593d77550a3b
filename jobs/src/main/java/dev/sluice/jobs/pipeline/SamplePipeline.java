package dev.sluice.jobs.pipeline;

import dev.sluice.common.run.JobMain;
import dev.sluice.common.run.JobResult;
import dev.sluice.common.settings.DecideSettings;
import dev.sluice.common.settings.FeaturesSettings;
import dev.sluice.common.settings.IngestSettings;
import dev.sluice.common.settings.MonitorSettings;
import dev.sluice.common.settings.PromoteSettings;
import dev.sluice.common.settings.ScoreSettings;
import dev.sluice.common.settings.TrainSettings;
import dev.sluice.jobs.decide.DecideJob;
import dev.sluice.jobs.features.FeaturesJob;
import dev.sluice.jobs.ingest.IngestJob;
import dev.sluice.jobs.monitor.MonitorJob;
import dev.sluice.jobs.promote.PromoteJob;
import dev.sluice.jobs.score.ScoreJob;
import dev.sluice.jobs.train.TrainJob;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Stream;
import org.apache.spark.sql.SparkSession;

/**
 * Builds a lakehouse for the notebooks in one JVM: ingest (the data set's train and test sources),
 * features, train, promote, score (test), monitor and decide, in that order, on one session, with
 * the settings arguments every job is given. It is the pipeline of {@code scripts/run-pipeline.sh}
 * without a JVM and a session per job: a small sample's tables in a fraction of the time. Every
 * job's settings are built before Spark starts.
 *
 * <p>This package is the one launcher: it chains the jobs, so it alone imports other job packages
 * (the layering rule exempts it). It builds each job rather than calling its {@code main}, which
 * would stop the shared session and exit the JVM on a failure.
 */
public final class SamplePipeline {
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
    IngestSettings train = IngestSettings.load(with(args, "--source", "train"));
    IngestSettings test = IngestSettings.load(with(args, "--source", "test"));
    FeaturesSettings features = FeaturesSettings.load(args);
    TrainSettings training = TrainSettings.load(args);
    PromoteSettings promote = PromoteSettings.load(args);
    ScoreSettings score = ScoreSettings.load(with(args, "--source", "test"));
    MonitorSettings monitor = MonitorSettings.load(args);
    DecideSettings decide = DecideSettings.load(args);
    return List.of(
        new Step("ingest --source train", spark -> new IngestJob(spark, train).run()),
        new Step("ingest --source test", spark -> new IngestJob(spark, test).run()),
        new Step("features", spark -> new FeaturesJob(spark, features).run()),
        new Step("train", spark -> new TrainJob(spark, training).run()),
        new Step("promote", spark -> new PromoteJob(spark, promote).run()),
        new Step("score --source test", spark -> new ScoreJob(spark, score).run()),
        new Step("monitor", spark -> new MonitorJob(spark, monitor).run()),
        new Step("decide", spark -> new DecideJob(spark, decide).run()));
  }

  /**
   * Runs the steps in order; a step that fails, or ends with a non-zero exit code, ends the run.
   */
  private static JobResult run(SparkSession spark, List<Step> steps) {
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
