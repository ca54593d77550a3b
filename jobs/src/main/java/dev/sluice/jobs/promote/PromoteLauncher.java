package dev.sluice.jobs.promote;

import dev.sluice.common.run.JobLauncher;
import dev.sluice.common.run.JobResult;
import dev.sluice.common.settings.PromoteSettings;
import java.util.function.Function;
import org.apache.spark.sql.SparkSession;

/** {@link PromoteJob} as a {@link JobLauncher} service. */
public final class PromoteLauncher implements JobLauncher {
  @Override
  public String name() {
    return "promote";
  }

  @Override
  public Function<SparkSession, JobResult> prepare(String[] args) {
    PromoteSettings settings = PromoteSettings.load(args);
    return spark -> new PromoteJob(spark, settings).run();
  }
}
