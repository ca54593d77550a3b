package dev.sluice.common.lakehouse;

import static dev.sluice.common.lakehouse.Fields.optional;
import static dev.sluice.common.lakehouse.Fields.required;
import static org.apache.spark.sql.types.DataTypes.DoubleType;
import static org.apache.spark.sql.types.DataTypes.LongType;
import static org.apache.spark.sql.types.DataTypes.StringType;
import static org.apache.spark.sql.types.DataTypes.TimestampType;
import static org.apache.spark.sql.types.DataTypes.createArrayType;
import static org.apache.spark.sql.types.DataTypes.createMapType;
import static org.apache.spark.sql.types.DataTypes.createStructType;

import dev.sluice.common.Columns;
import dev.sluice.common.Tables;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/** The tables every data set shares, with their documented columns. */
public final class SharedTables {
  private SharedTables() {}

  public static final StructField DATASET =
      required(
          Columns.DATASET, StringType, "Data set the row belongs to (its data-set file's name).");
  public static final StructField BATCH_ID =
      required(
          Columns.BATCH_ID,
          StringType,
          "Ingest batch: a hash of the batch's file names and contents.");
  public static final StructField SOURCE =
      required(
          Columns.SOURCE,
          StringType,
          "Named source list the batch was ingested from (e.g. train, test).");
  public static final StructField SOURCE_FILE =
      required(Columns.SOURCE_FILE, StringType, "Full path of the file the row was read from.");
  public static final StructField LINE_NUMBER =
      required(Columns.LINE_NUMBER, LongType, "1-based line number of the row in its source file.");
  public static final StructField INGESTED_AT =
      required(
          Columns.INGESTED_AT, TimestampType, "When the ingest run that wrote the row started.");
  public static final StructField ROW_ID =
      required(
          Columns.ROW_ID,
          StringType,
          "Stable row identifier: the id column when the data set has one, else <batch prefix>-<line number>.");

  public static final TableSpec QUARANTINE =
      new TableSpec(
          Tables.QUARANTINE,
          "Rows that failed validation at ingest, with the reasons; never dropped, never in a raw table.",
          createStructType(
              new StructField[] {
                DATASET,
                BATCH_ID,
                SOURCE,
                SOURCE_FILE,
                LINE_NUMBER,
                required(Columns.RAW_LINE, StringType, "The line exactly as read from the file."),
                required(
                    Columns.REASONS,
                    createArrayType(StringType, false),
                    "Why the row was rejected: FIELD_COUNT, BAD_QUOTING, BAD_JSON, TYPE_MISMATCH:<column>,"
                        + " OUT_OF_RANGE:<column>, UNKNOWN_VALUE:<column>, MISSING_VALUE:<column>,"
                        + " MISSING_LABEL, UNKNOWN_LABEL."),
                INGESTED_AT
              }),
          List.of(Columns.DATASET));

  private static final StructType QUANTILE =
      createStructType(
          new StructField[] {
            optional("probability", DoubleType, "Quantile probability."),
            optional("value", DoubleType, "Approximate quantile value.")
          });
  private static final StructType FREQUENCY =
      createStructType(
          new StructField[] {
            optional("value", StringType, "A value of the column."),
            optional("count", LongType, "Rows with that value.")
          });

  public static final TableSpec DATA_PROFILES =
      new TableSpec(
          Tables.DATA_PROFILES,
          "Per-column statistics of every accepted ingest batch: one row per batch and column.",
          createStructType(
              new StructField[] {
                DATASET,
                BATCH_ID,
                required("table_name", StringType, "Table the batch was written to."),
                optional(
                    "table_version", LongType, "Delta version of that table holding the batch."),
                required("column_name", StringType, "Profiled column."),
                required(
                    "column_role",
                    StringType,
                    "Role from the data-set spec: numeric, categorical, ..."),
                required("column_type", StringType, "Stored type of the column."),
                required("row_count", LongType, "Rows in the batch."),
                required("null_count", LongType, "Rows where the column is null."),
                required(
                    "distinct_count",
                    LongType,
                    "Distinct non-null values: exact for columns with top values, approximate"
                        + " (HLL sketch, about 1.6% relative standard error) for numeric, id and"
                        + " timestamp columns."),
                optional("min", DoubleType, "Smallest value (numeric columns)."),
                optional("max", DoubleType, "Largest value (numeric columns)."),
                optional("mean", DoubleType, "Mean (numeric columns)."),
                optional("stddev", DoubleType, "Sample standard deviation (numeric columns)."),
                optional(
                    "quantiles",
                    createArrayType(QUANTILE, false),
                    "Approximate quantiles (numeric columns)."),
                optional(
                    "top_values",
                    createArrayType(FREQUENCY, false),
                    "Most frequent values with their counts, most frequent first (non-numeric columns)."),
                required("profiled_at", TimestampType, "When the profile was computed.")
              }),
          List.of());

  public static final TableSpec JOB_RUNS =
      new TableSpec(
          Tables.JOB_RUNS,
          "One row per job run, succeeded or failed: what it read and wrote, and what it cost.",
          createStructType(
              new StructField[] {
                required("run_id", StringType, "Unique id of the run."),
                required("job", StringType, "Job name: ingest, features, train, ..."),
                optional(Columns.DATASET, StringType, "Data set the run worked on."),
                required("started_at", TimestampType, "Start of the run."),
                required("ended_at", TimestampType, "End of the run."),
                required("status", StringType, "SUCCEEDED, SKIPPED (nothing to do) or FAILED."),
                optional("error", StringType, "The error message of a failed run."),
                required(
                    "input_versions",
                    createMapType(StringType, LongType, false),
                    "Table name to the Delta version read."),
                required(
                    "output_versions",
                    createMapType(StringType, LongType, false),
                    "Table name to the Delta version written."),
                required("rows_in", LongType, "Rows (or lines) read."),
                required("rows_out", LongType, "Rows written to the job's main output."),
                required("app_id", StringType, "Spark application id."),
                required("master", StringType, "Spark master URL."),
                required("settings_hash", StringType, "Hash of the effective settings."),
                required(
                    "executor_run_time_ms", LongType, "Total task run time over all executors."),
                required(
                    "executor_cpu_time_ms", LongType, "Total task CPU time over all executors."),
                required("shuffle_read_bytes", LongType, "Shuffle bytes read by all tasks."),
                required("shuffle_write_bytes", LongType, "Shuffle bytes written by all tasks."),
                required("failed_tasks", LongType, "Task attempts that failed (retried or not)."),
                required(
                    "details",
                    createMapType(StringType, StringType, true),
                    "Job-specific facts, e.g. batch id, quarantine counts by reason, skip reason.")
              }),
          List.of(),
          // Every job run appends a commit; Delta's default checkpoint every 10 commits costs the
          // job that makes one a replay of the log, about 10 s on a cold JVM. No job reads this
          // table, so its readers replay up to 100 small commit files instead. Column statistics
          // (for file skipping, useless on one-row files) cost each job 1.4 s of planning and
          // code generation on its cold JVM; the row count is still kept.
          Map.of("delta.checkpointInterval", "100", "delta.dataSkippingNumIndexedCols", "0"));
}
