package dev.sluice.jobs.infer;

import dev.sluice.common.run.JobLauncher;
import dev.sluice.common.run.JobResult;
import dev.sluice.common.settings.InferSettings;
import java.util.function.Function;
import org.apache.spark.sql.SparkSession;

/** {@link InferJob} as a {@link JobLauncher} service. */
public final class InferLauncher implements JobLauncher {
  @Override
  public String name() {
    return InferJob.JOB;
  }

  @Override
  public Function<SparkSession, JobResult> prepare(String[] args) {
    InferSettings settings = InferSettings.load(args);
    return spark -> new InferJob(spark.sparkContext().hadoopConfiguration(), settings).run();
  }
}
