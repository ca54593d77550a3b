package dev.sluice.jobs.train;

import dev.sluice.common.run.JobLauncher;
import dev.sluice.common.run.JobResult;
import dev.sluice.common.settings.TrainSettings;
import java.util.function.Function;
import org.apache.spark.sql.SparkSession;

/** {@link TrainJob} as a {@link JobLauncher} service. */
public final class TrainLauncher implements JobLauncher {
  @Override
  public String name() {
    return "train";
  }

  @Override
  public Function<SparkSession, JobResult> prepare(String[] args) {
    TrainSettings settings = TrainSettings.load(args);
    return spark -> new TrainJob(spark, settings).run();
  }
}
