package dev.sluice.jobs.ingest;

import dev.sluice.common.engine.JobSession;
import dev.sluice.common.run.JobLauncher;
import dev.sluice.common.run.JobResult;
import dev.sluice.common.settings.IngestSettings;
import java.util.function.Function;
import org.apache.spark.sql.SparkSession;

/** {@link IngestJob} as a {@link JobLauncher} service. */
public final class IngestLauncher implements JobLauncher {
  @Override
  public String name() {
    return "ingest";
  }

  @Override
  public Function<SparkSession, JobResult> prepare(String[] args) {
    IngestSettings settings = IngestSettings.load(args);
    return spark -> IngestJob.run(JobSession.of(spark), settings);
  }
}
