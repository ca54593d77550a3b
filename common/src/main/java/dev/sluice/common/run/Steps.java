package dev.sluice.common.run;

import static java.util.Objects.requireNonNull;

import dev.sluice.common.engine.JobSession;
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

  private final JobSession session;
  private final String job;

  public Steps(JobSession session, String job) {
    this.session = requireNonNull(session, "session is null");
    this.job = requireNonNull(job, "job is null");
  }

  /**
   * Runs a step; its Spark jobs carry its name when the session has started by then (a step that
   * starts the session runs its jobs unnamed).
   */
  public <T> T run(String step, Supplier<T> body) {
    SparkContext context = session.started() ? session.spark().sparkContext() : null;
    String previous = context == null ? null : context.getLocalProperty(DESCRIPTION);
    if (context != null) {
      context.setJobDescription(job + ": " + step);
    }
    long start = System.nanoTime();
    T result;
    try {
      result = body.get();
    } finally {
      if (context != null) {
        context.setJobDescription(previous);
      }
      LOG.info("{}: {} took {} ms", job, step, (System.nanoTime() - start) / 1_000_000);
    }
    Failpoint.after(job, step);
    return result;
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
