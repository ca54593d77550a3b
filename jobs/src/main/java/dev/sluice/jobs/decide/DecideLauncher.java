package dev.sluice.jobs.decide;

import dev.sluice.common.run.JobLauncher;
import dev.sluice.common.run.JobResult;
import dev.sluice.common.settings.DecideSettings;
import java.util.function.Function;
import org.apache.spark.sql.SparkSession;

/** {@link DecideJob} as a {@link JobLauncher} service. */
public final class DecideLauncher implements JobLauncher {
  @Override
  public String name() {
    return "decide";
  }

  @Override
  public Function<SparkSession, JobResult> prepare(String[] args) {
    DecideSettings settings = DecideSettings.load(args);
    return spark -> new DecideJob(spark, settings).run();
  }
}
