package dev.sluice.jobs.score;

import dev.sluice.common.run.JobLauncher;
import dev.sluice.common.run.JobResult;
import dev.sluice.common.settings.ScoreSettings;
import java.util.function.Function;
import org.apache.spark.sql.SparkSession;

/** {@link ScoreJob} as a {@link JobLauncher} service. */
public final class ScoreLauncher implements JobLauncher {
  @Override
  public String name() {
    return "score";
  }

  @Override
  public Function<SparkSession, JobResult> prepare(String[] args) {
    ScoreSettings settings = ScoreSettings.load(args);
    return spark -> new ScoreJob(spark, settings).run();
  }
}
