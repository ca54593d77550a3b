package dev.sluice.bench;

import static dev.sluice.common.lakehouse.Fields.optional;
import static dev.sluice.common.lakehouse.Fields.required;
import static org.apache.spark.sql.types.DataTypes.DoubleType;
import static org.apache.spark.sql.types.DataTypes.IntegerType;
import static org.apache.spark.sql.types.DataTypes.LongType;
import static org.apache.spark.sql.types.DataTypes.StringType;
import static org.apache.spark.sql.types.DataTypes.TimestampType;
import static org.apache.spark.sql.types.DataTypes.createStructType;

import dev.sluice.common.lakehouse.TableSpec;
import java.util.List;
import org.apache.spark.sql.types.StructField;

/** The {@code benchmarks} table scripts/bench.sh appends to: one row per timed spark-submit. */
public final class BenchmarkTable {
  private BenchmarkTable() {}

  /** The table's name under the results lakehouse root. */
  public static final String NAME = "benchmarks";

  /** A Sluice job doing the work. */
  public static final String SLUICE = "sluice";

  /** The same step written as plain Spark, the floor Sluice is measured against. */
  public static final String BARE = "bare";

  /**
   * A Sluice job re-run on the same input: it finds nothing to do, so it costs only the fixed part.
   */
  public static final String SLUICE_NOOP = "sluice_noop";

  public static final TableSpec SPEC =
      new TableSpec(
          NAME,
          "Benchmark measurements of scripts/bench.sh: one row per timed spark-submit of a Sluice job"
              + " or of its bare Spark equivalent.",
          createStructType(
              new StructField[] {
                required("bench_id", StringType, "One run of scripts/bench.sh."),
                required("recorded_at", TimestampType, "When the run's results were recorded."),
                required("size", LongType, "Rows of the generated Adult-like input file."),
                required("repetition", IntegerType, "1-based repetition of the step at this size."),
                required(
                    "step", StringType, "Pipeline step: ingest, features, train, score, monitor."),
                required(
                    "variant",
                    StringType,
                    "sluice (the job), bare (plain Spark doing the same step) or sluice_noop (the"
                        + " job re-run with nothing to do: its fixed cost)."),
                required(
                    "wall_seconds",
                    DoubleType,
                    "spark-submit start to exit, JVM and session start-up included."),
                optional(
                    "job_seconds",
                    DoubleType,
                    "Time inside the job: job_runs ended_at - started_at for Sluice, the timed"
                        + " body for bare."),
                required("cores", IntegerType, "Cores of the Spark master (local[N])."),
                required("rows_per_second_per_core", DoubleType, "size / wall_seconds / cores."),
                optional(
                    "peak_rss_bytes",
                    LongType,
                    "Peak resident memory of the driver JVM (in local mode also the executors),"
                        + " from /usr/bin/time."),
                optional(
                    "process_cpu_seconds",
                    DoubleType,
                    "User + system CPU time of the whole spark-submit process (JVM start-up, driver"
                        + " and, in local mode, executors): less sensitive than wall time to other"
                        + " load on the machine."),
                optional(
                    "load_average",
                    DoubleType,
                    "The machine's 1-minute load average when the measurement started."),
                optional(
                    "executor_run_time_ms",
                    LongType,
                    "Total Spark task run time (job_runs for Sluice, a listener for bare)."),
                optional("executor_cpu_time_ms", LongType, "Total Spark task CPU time."),
                optional("shuffle_read_bytes", LongType, "Shuffle bytes read by all tasks."),
                optional("shuffle_write_bytes", LongType, "Shuffle bytes written by all tasks."),
                optional("job_run_id", StringType, "The Sluice run's job_runs.run_id."),
                required("master", StringType, "Spark master URL."),
                optional("git_commit", StringType, "Commit of the code measured.")
              }),
          List.of());
}
