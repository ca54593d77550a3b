package dev.sluice.jobs.report;

import dev.sluice.common.run.JobLauncher;
import dev.sluice.common.run.JobResult;
import dev.sluice.common.settings.ReportSettings;
import java.util.function.Function;
import org.apache.spark.sql.SparkSession;

/** {@link ReportJob} as a {@link JobLauncher} service. */
public final class ReportLauncher implements JobLauncher {
  @Override
  public String name() {
    return "report";
  }

  @Override
  public Function<SparkSession, JobResult> prepare(String[] args) {
    ReportSettings settings = ReportSettings.load(args);
    return spark -> new ReportJob(spark, settings).run();
  }
}
