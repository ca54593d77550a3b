package dev.sluice.common.table;

import static dev.sluice.common.lakehouse.Fields.optional;
import static dev.sluice.common.lakehouse.Fields.required;
import static java.util.Objects.requireNonNull;
import static org.apache.spark.sql.types.DataTypes.LongType;
import static org.apache.spark.sql.types.DataTypes.StringType;
import static org.apache.spark.sql.types.DataTypes.TimestampType;
import static org.apache.spark.sql.types.DataTypes.createMapType;

import dev.sluice.common.lakehouse.TableSpec;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/** {@code job_runs}: one row per job run, succeeded or failed. */
public final class JobRunsTable {
  private JobRunsTable() {}

  public static final String NAME = "job_runs";
  public static final String COMMENT =
      "One row per job run, succeeded or failed: what it read and wrote, and what it cost.";

  public static final String RUN_ID = SharedColumns.RUN_ID;
  public static final String JOB = "job";
  public static final String DATASET = SharedColumns.DATASET;
  public static final String STARTED_AT = "started_at";
  public static final String ENDED_AT = "ended_at";
  public static final String STATUS = "status";
  public static final String ERROR = "error";
  public static final String INPUT_VERSIONS = "input_versions";
  public static final String OUTPUT_VERSIONS = "output_versions";
  public static final String ROWS_IN = "rows_in";
  public static final String ROWS_OUT = "rows_out";
  public static final String APP_ID = "app_id";
  public static final String MASTER = "master";
  public static final String SETTINGS_HASH = "settings_hash";
  public static final String EXECUTOR_RUN_TIME_MS = "executor_run_time_ms";
  public static final String EXECUTOR_CPU_TIME_MS = "executor_cpu_time_ms";
  public static final String SHUFFLE_READ_BYTES = "shuffle_read_bytes";
  public static final String SHUFFLE_WRITE_BYTES = "shuffle_write_bytes";
  public static final String FAILED_TASKS = "failed_tasks";
  public static final String DETAILS = "details";

  public static final StructType SCHEMA =
      new StructType(
          new StructField[] {
            required(RUN_ID, StringType, "Unique id of the run."),
            required(JOB, StringType, "Job name: ingest, features, train, ..."),
            optional(DATASET, StringType, "Data set the run worked on."),
            required(STARTED_AT, TimestampType, "Start of the run."),
            required(ENDED_AT, TimestampType, "End of the run."),
            required(STATUS, StringType, "SUCCEEDED, SKIPPED (nothing to do) or FAILED."),
            optional(ERROR, StringType, "The error message of a failed run."),
            required(
                INPUT_VERSIONS,
                createMapType(StringType, LongType, false),
                "Table name to the Delta version read."),
            required(
                OUTPUT_VERSIONS,
                createMapType(StringType, LongType, false),
                "Table name to the Delta version written."),
            required(ROWS_IN, LongType, "Rows (or lines) read."),
            required(ROWS_OUT, LongType, "Rows written to the job's main output."),
            required(APP_ID, StringType, "Spark application id."),
            required(MASTER, StringType, "Spark master URL."),
            required(SETTINGS_HASH, StringType, "Hash of the effective settings."),
            required(EXECUTOR_RUN_TIME_MS, LongType, "Total task run time over all executors."),
            required(EXECUTOR_CPU_TIME_MS, LongType, "Total task CPU time over all executors."),
            required(SHUFFLE_READ_BYTES, LongType, "Shuffle bytes read by all tasks."),
            required(SHUFFLE_WRITE_BYTES, LongType, "Shuffle bytes written by all tasks."),
            required(FAILED_TASKS, LongType, "Task attempts that failed (retried or not)."),
            required(
                DETAILS,
                createMapType(StringType, StringType, true),
                "Job-specific facts, e.g. batch id, quarantine counts by reason, skip reason.")
          });

  /**
   * Every job run appends a commit; Delta's default checkpoint every 10 commits costs the job that
   * makes one a replay of the log, about 10 s on a cold JVM. No job reads this table, so its
   * readers replay up to 100 small commit files instead. Column statistics (for file skipping,
   * useless on one-row files) cost each job 1.4 s of planning and code generation on its cold JVM;
   * the row count is still kept. Like every log, it is append-only.
   */
  public static final Map<String, String> PROPERTIES =
      Map.of(
          "delta.checkpointInterval",
          "100",
          "delta.dataSkippingNumIndexedCols",
          "0",
          "delta.appendOnly",
          "true");

  public static final TableSpec SPEC = new TableSpec(NAME, COMMENT, SCHEMA, List.of(), PROPERTIES);

  /**
   * One run. The data set is empty for a job not tied to one, the error for a run that did not
   * fail; versions and details keep the order they were recorded in.
   */
  public record Entry(
      String runId,
      String job,
      Optional<String> dataset,
      Instant startedAt,
      Instant endedAt,
      String status,
      Optional<String> error,
      Map<String, Long> inputVersions,
      Map<String, Long> outputVersions,
      long rowsIn,
      long rowsOut,
      String appId,
      String master,
      String settingsHash,
      long executorRunTimeMs,
      long executorCpuTimeMs,
      long shuffleReadBytes,
      long shuffleWriteBytes,
      long failedTasks,
      Map<String, String> details) {
    public Entry {
      requireNonNull(runId, "runId is null");
      requireNonNull(job, "job is null");
      requireNonNull(dataset, "dataset is null");
      requireNonNull(startedAt, "startedAt is null");
      requireNonNull(endedAt, "endedAt is null");
      requireNonNull(status, "status is null");
      requireNonNull(error, "error is null");
      inputVersions = Rows.ordered(requireNonNull(inputVersions, "inputVersions is null"));
      outputVersions = Rows.ordered(requireNonNull(outputVersions, "outputVersions is null"));
      requireNonNull(appId, "appId is null");
      requireNonNull(master, "master is null");
      requireNonNull(settingsHash, "settingsHash is null");
      details = Rows.ordered(requireNonNull(details, "details is null"));
    }

    public Row toRow() {
      return Rows.builder(SCHEMA)
          .set(RUN_ID, runId)
          .set(JOB, job)
          .set(DATASET, dataset)
          .set(STARTED_AT, startedAt)
          .set(ENDED_AT, endedAt)
          .set(STATUS, status)
          .set(ERROR, error)
          .set(INPUT_VERSIONS, inputVersions)
          .set(OUTPUT_VERSIONS, outputVersions)
          .set(ROWS_IN, rowsIn)
          .set(ROWS_OUT, rowsOut)
          .set(APP_ID, appId)
          .set(MASTER, master)
          .set(SETTINGS_HASH, settingsHash)
          .set(EXECUTOR_RUN_TIME_MS, executorRunTimeMs)
          .set(EXECUTOR_CPU_TIME_MS, executorCpuTimeMs)
          .set(SHUFFLE_READ_BYTES, shuffleReadBytes)
          .set(SHUFFLE_WRITE_BYTES, shuffleWriteBytes)
          .set(FAILED_TASKS, failedTasks)
          .set(DETAILS, details)
          .build();
    }

    public static Entry from(Row row) {
      return new Entry(
          row.getAs(RUN_ID),
          row.getAs(JOB),
          Rows.optional(row, DATASET),
          Rows.instant(row, STARTED_AT),
          Rows.instant(row, ENDED_AT),
          row.getAs(STATUS),
          Rows.optional(row, ERROR),
          Rows.map(row, INPUT_VERSIONS),
          Rows.map(row, OUTPUT_VERSIONS),
          row.<Long>getAs(ROWS_IN),
          row.<Long>getAs(ROWS_OUT),
          row.getAs(APP_ID),
          row.getAs(MASTER),
          row.getAs(SETTINGS_HASH),
          row.<Long>getAs(EXECUTOR_RUN_TIME_MS),
          row.<Long>getAs(EXECUTOR_CPU_TIME_MS),
          row.<Long>getAs(SHUFFLE_READ_BYTES),
          row.<Long>getAs(SHUFFLE_WRITE_BYTES),
          row.<Long>getAs(FAILED_TASKS),
          Rows.map(row, DETAILS));
    }
  }
}
