package dev.sluice.jobs.features;

import dev.sluice.common.run.JobLauncher;
import dev.sluice.common.run.JobResult;
import dev.sluice.common.settings.FeaturesSettings;
import java.util.function.Function;
import org.apache.spark.sql.SparkSession;

/** {@link FeaturesJob} as a {@link JobLauncher} service. */
public final class FeaturesLauncher implements JobLauncher {
  @Override
  public String name() {
    return "features";
  }

  @Override
  public Function<SparkSession, JobResult> prepare(String[] args) {
    FeaturesSettings settings = FeaturesSettings.load(args);
    return spark -> new FeaturesJob(spark, settings).run();
  }
}
