package dev.sluice.common.run;

import java.util.function.Supplier;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.apache.spark.SparkContext;

/**
 * Runs a named step of a job: the name shows in the Spark UI and in the log, with the step's
 * duration.
 */
public final class Steps {
  private static final Logger LOG = LogManager.getLogger(Steps.class);
  private static final String DESCRIPTION = "spark.job.description";

  private final SparkContext context;
  private final String job;

  public Steps(SparkContext context, String job) {
    this.context = context;
    this.job = job;
  }

  public <T> T run(String step, Supplier<T> body) {
    String previous = context.getLocalProperty(DESCRIPTION);
    context.setJobDescription(job + ": " + step);
    long start = System.nanoTime();
    try {
      return body.get();
    } finally {
      context.setJobDescription(previous);
      LOG.info("{}: {} took {} ms", job, step, (System.nanoTime() - start) / 1_000_000);
    }
  }

  public void run(String step, Runnable body) {
    run(
        step,
        () -> {
          body.run();
          return null;
        });
  }
}
