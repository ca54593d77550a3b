package dev.sluice.jobs.reproduce;

import dev.sluice.common.run.JobLauncher;
import dev.sluice.common.run.JobResult;
import dev.sluice.common.settings.ReproduceSettings;
import java.util.function.Function;
import org.apache.spark.sql.SparkSession;

/** {@link ReproduceJob} as a {@link JobLauncher} service. */
public final class ReproduceLauncher implements JobLauncher {
  @Override
  public String name() {
    return "reproduce";
  }

  @Override
  public Function<SparkSession, JobResult> prepare(String[] args) {
    ReproduceSettings settings = ReproduceSettings.load(args);
    return spark -> new ReproduceJob(spark, settings).run();
  }
}
