package dev.sluice.jobs.monitor;

import dev.sluice.common.run.JobLauncher;
import dev.sluice.common.run.JobResult;
import dev.sluice.common.settings.MonitorSettings;
import java.util.function.Function;
import org.apache.spark.sql.SparkSession;

/** {@link MonitorJob} as a {@link JobLauncher} service. */
public final class MonitorLauncher implements JobLauncher {
  @Override
  public String name() {
    return "monitor";
  }

  @Override
  public Function<SparkSession, JobResult> prepare(String[] args) {
    MonitorSettings settings = MonitorSettings.load(args);
    return spark -> new MonitorJob(spark, settings).run();
  }
}
