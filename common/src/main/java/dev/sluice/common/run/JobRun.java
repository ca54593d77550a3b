package dev.sluice.common.run;

import static java.util.Objects.requireNonNull;

import dev.sluice.common.engine.JobSession;
import dev.sluice.common.lakehouse.Lakehouse;
import dev.sluice.common.table.JobRunsTable;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.apache.spark.SparkContext;

/**
 * One run of a job as it goes: what it read and wrote and what it cost. {@link #finish} appends its
 * row to {@code job_runs}, whether the run succeeded or failed.
 */
public final class JobRun {
  private static final Logger LOG = LogManager.getLogger(JobRun.class);

  /** The application id of a run that needed no Spark session (it had nothing to do). */
  public static final String NO_APPLICATION = "none";

  private static final String MASTER = "spark.master";

  /** How a run ended. */
  public enum Status {
    SUCCEEDED,
    SKIPPED,
    FAILED
  }

  private final Lakehouse lakehouse;
  private final String job;
  private final String dataset;
  private final String settingsHash;
  private final String runId = UUID.randomUUID().toString();

  /**
   * To the millisecond, as the run's end: every engine then computes the same wall time from the
   * two (Trino reads timestamps as milliseconds, Spark keeps microseconds).
   */
  private final Instant startedAt = Instant.now().truncatedTo(ChronoUnit.MILLIS);

  private final TaskMetricsListener metrics = new TaskMetricsListener();
  private final Map<String, Long> inputVersions = new LinkedHashMap<>();
  private final Map<String, Long> outputVersions = new LinkedHashMap<>();
  private final Map<String, String> details = new LinkedHashMap<>();
  private long rowsIn;
  private long rowsOut;

  private JobRun(Lakehouse lakehouse, String job, String dataset, String settingsHash) {
    this.lakehouse = requireNonNull(lakehouse, "lakehouse is null");
    this.job = requireNonNull(job, "job is null");
    this.dataset = dataset;
    this.settingsHash = requireNonNull(settingsHash, "settingsHash is null");
  }

  /** Starts measuring a run; {@code dataset} may be null for jobs not tied to one data set. */
  public static JobRun start(Lakehouse lakehouse, String job, String dataset, String settingsHash) {
    JobRun run = new JobRun(lakehouse, job, dataset, settingsHash);
    lakehouse.session().whenStarted(spark -> spark.sparkContext().addSparkListener(run.metrics));
    return run;
  }

  /**
   * Runs a job's body as one recorded run: the run's row is appended to {@code job_runs} whether
   * the body succeeds (SKIPPED when {@code skipped} says it had nothing to do) or fails; a failure
   * to record never hides the job's own error.
   */
  public static <R> R record(
      Lakehouse lakehouse,
      String job,
      String dataset,
      String settingsHash,
      java.util.function.Function<JobRun, R> body,
      java.util.function.Predicate<R> skipped) {
    JobRun run = start(lakehouse, job, dataset, settingsHash);
    R result;
    try {
      result = body.apply(run);
    } catch (RuntimeException e) {
      try {
        run.finish(Status.FAILED, e);
      } catch (RuntimeException recording) {
        e.addSuppressed(recording);
      }
      throw e;
    }
    run.finish(skipped.test(result) ? Status.SKIPPED : Status.SUCCEEDED, null);
    return result;
  }

  public String runId() {
    return runId;
  }

  public Instant startedAt() {
    return startedAt;
  }

  public JobRun input(String table, long version) {
    inputVersions.put(table, version);
    return this;
  }

  public JobRun output(String table, long version) {
    outputVersions.put(table, version);
    return this;
  }

  public JobRun rows(long in, long out) {
    this.rowsIn = in;
    this.rowsOut = out;
    return this;
  }

  public JobRun detail(String key, Object value) {
    details.put(key, String.valueOf(value));
    return this;
  }

  public TaskMetricsListener metrics() {
    return metrics;
  }

  /** Appends the run's row to {@code job_runs} and stops measuring. */
  public JobRunsTable.Entry finish(Status status, Throwable error) {
    long recording = System.nanoTime();
    JobSession session = lakehouse.session();
    Optional<SparkContext> spark =
        session.started() ? Optional.of(session.spark().sparkContext()) : Optional.empty();
    spark.ifPresent(context -> context.removeSparkListener(metrics));
    JobRunsTable.Entry entry =
        new JobRunsTable.Entry(
            runId,
            job,
            Optional.ofNullable(dataset),
            startedAt,
            Instant.now().truncatedTo(ChronoUnit.MILLIS),
            status.name(),
            error == null ? Optional.empty() : Optional.of(String.valueOf(error.getMessage())),
            inputVersions,
            outputVersions,
            rowsIn,
            rowsOut,
            spark.map(SparkContext::applicationId).orElse(NO_APPLICATION),
            spark.map(SparkContext::master).orElseGet(() -> session.conf().get(MASTER, "")),
            settingsHash,
            metrics.runTimeMs(),
            metrics.cpuTimeMs(),
            metrics.shuffleReadBytes(),
            metrics.shuffleWriteBytes(),
            metrics.failedTasks(),
            details);
    lakehouse.append(JobRunsTable.SPEC, List.of(entry.toRow()));
    LOG.info(
        "{}: recording the run in {} took {} ms",
        job,
        JobRunsTable.NAME,
        (System.nanoTime() - recording) / 1_000_000);
    return entry;
  }
}
