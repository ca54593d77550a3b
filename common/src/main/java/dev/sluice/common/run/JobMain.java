package dev.sluice.common.run;

import dev.sluice.common.Sessions;
import dev.sluice.common.SluiceException;
import dev.sluice.common.engine.JobSession;
import java.util.function.BiFunction;
import java.util.function.Function;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.apache.spark.sql.SparkSession;

/**
 * The shared body of every job's {@code main}: settings first (a bad key fails before Spark
 * starts), then the job with a session that starts when the job first needs Spark (a run with
 * nothing to do needs none), its summary on standard output and an exit code that tells success
 * from failure.
 */
public final class JobMain {
  private static final Logger LOG = LogManager.getLogger(JobMain.class);

  private JobMain() {}

  public static <S> void run(
      String job,
      String[] args,
      Function<String[], S> settingsLoader,
      BiFunction<JobSession, S, ? extends JobResult> body) {
    long loading = System.nanoTime();
    S settings;
    try {
      settings = settingsLoader.apply(args);
    } catch (SluiceException e) {
      System.err.println("sluice " + job + ": " + e.getMessage());
      System.exit(e.kind().exitCode());
      return;
    }
    LOG.info(
        "{}: the JVM started {} ms before main; settings took {} ms",
        job,
        System.currentTimeMillis()
            - java.lang.management.ManagementFactory.getRuntimeMXBean().getStartTime()
            - (System.nanoTime() - loading) / 1_000_000,
        (System.nanoTime() - loading) / 1_000_000);
    int exitCode;
    JobSession session =
        JobSession.onFirstUse(
            () -> {
              long starting = System.nanoTime();
              SparkSession spark = Sessions.forJob(job);
              LOG.info(
                  "{}: the Spark session took {} ms",
                  job,
                  (System.nanoTime() - starting) / 1_000_000);
              return spark;
            });
    try {
      JobResult result = body.apply(session, settings);
      System.out.println(result.summary());
      exitCode = result.exitCode();
    } catch (SluiceException e) {
      LOG.error("{} failed", job, e);
      System.err.println("sluice " + job + " failed: " + e.getMessage());
      exitCode = e.kind().exitCode();
    } catch (Exception | Error e) {
      LOG.error("{} failed", job, e);
      System.err.println(
          "sluice "
              + job
              + " failed: "
              + Failures.unreachable(e).map(Throwable::getMessage).orElseGet(e::toString));
      exitCode = 1;
    } finally {
      session.stop();
    }
    if (exitCode != 0) {
      System.exit(exitCode);
    }
  }
}
