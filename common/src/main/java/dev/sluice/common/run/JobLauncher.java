package dev.sluice.common.run;

import dev.sluice.common.Errors;
import java.util.ServiceLoader;
import java.util.function.Function;
import org.apache.spark.sql.SparkSession;

/**
 * A job as a service (Java's {@link ServiceLoader}, as Trino finds its plugins): its name, and the
 * job prepared from its command-line arguments. Preparing builds the job's settings, so a bad key
 * fails before any session starts; the job then runs on whatever session it is given. A launcher
 * that chains jobs (the sample pipeline) finds them by name and imports none of them.
 */
public interface JobLauncher {
  /** The job's name on the command line ({@code scripts/spark-submit <name>}). */
  String name();

  /** The job with its settings built from {@code args}, to run on a session. */
  Function<SparkSession, JobResult> prepare(String[] args);

  /** The launcher of the job called {@code name}, among those on the class path. */
  static JobLauncher named(String name) {
    for (JobLauncher launcher : ServiceLoader.load(JobLauncher.class)) {
      if (launcher.name().equals(name)) {
        return launcher;
      }
    }
    throw Errors.invariantBroken(
        "no job named " + name + " is registered as a JobLauncher service");
  }
}
