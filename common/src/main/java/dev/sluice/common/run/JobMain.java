package dev.sluice.common.run;

import dev.sluice.common.Sessions;
import dev.sluice.common.SluiceException;
import java.util.function.BiFunction;
import java.util.function.Function;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.apache.spark.sql.SparkSession;

/**
 * The shared body of every job's {@code main}: settings first (a bad key fails before Spark
 * starts), then the session, the job, its summary on standard output and an exit code that tells
 * success from failure.
 */
public final class JobMain {
  private static final Logger LOG = LogManager.getLogger(JobMain.class);

  private JobMain() {}

  public static <S> void run(
      String job,
      String[] args,
      Function<String[], S> settingsLoader,
      BiFunction<SparkSession, S, ? extends JobResult> body) {
    long loading = System.nanoTime();
    S settings;
    try {
      settings = settingsLoader.apply(args);
    } catch (SluiceException e) {
      System.err.println("sluice " + job + ": " + e.getMessage());
      System.exit(e.kind().exitCode());
      return;
    }
    int exitCode;
    long starting = System.nanoTime();
    SparkSession spark = Sessions.forJob(job);
    LOG.info(
        "{}: the JVM started {} ms before main; settings took {} ms, the Spark session {} ms",
        job,
        System.currentTimeMillis()
            - java.lang.management.ManagementFactory.getRuntimeMXBean().getStartTime()
            - (System.nanoTime() - loading) / 1_000_000,
        (starting - loading) / 1_000_000,
        (System.nanoTime() - starting) / 1_000_000);
    try {
      JobResult result = body.apply(spark, settings);
      System.out.println(result.summary());
      exitCode = result.exitCode();
    } catch (SluiceException e) {
      LOG.error("{} failed", job, e);
      System.err.println("sluice " + job + " failed: " + e.getMessage());
      exitCode = e.kind().exitCode();
    } catch (Exception | Error e) {
      LOG.error("{} failed", job, e);
      System.err.println("sluice " + job + " failed: " + e);
      exitCode = 1;
    } finally {
      spark.stop();
    }
    if (exitCode != 0) {
      System.exit(exitCode);
    }
  }
}
