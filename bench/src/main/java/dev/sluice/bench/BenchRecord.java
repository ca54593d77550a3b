package dev.sluice.bench;

import static org.apache.spark.sql.functions.col;

import com.typesafe.config.ConfigFactory;
import dev.sluice.common.Sessions;
import dev.sluice.common.Tables;
import dev.sluice.common.lakehouse.Lakehouse;
import dev.sluice.common.settings.LakehouseSettings;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;

/**
 * Records the measurements scripts/bench.sh took: completes each Sluice run with its task metrics
 * from the {@code job_runs} of the lakehouse it ran in, appends every measurement to {@code
 * benchmarks}, and prints the markdown summary (min and median over repetitions, Sluice / bare).
 *
 * <p>Usage: {@code BenchRecord <measurements.tsv> <results lakehouse root>}
 */
public final class BenchRecord {
  private static final String[] HEADER = {
    "bench_id",
    "size",
    "repetition",
    "step",
    "variant",
    "wall_seconds",
    "started_ms",
    "ended_ms",
    "peak_rss_kb",
    "process_cpu_seconds",
    "load_average",
    "job_seconds",
    "run_ms",
    "cpu_ms",
    "shuffle_read",
    "shuffle_write",
    "lake",
    "cores",
    "master",
    "git_commit"
  };
  private static final double MIB = 1024.0 * 1024.0;

  private BenchRecord() {}

  public static void main(String[] args) throws IOException {
    if (args.length != 2) {
      System.err.println("usage: BenchRecord <measurements.tsv> <results lakehouse root>");
      System.exit(2);
    }
    List<String> lines = Files.readAllLines(Path.of(args[0]), StandardCharsets.UTF_8);
    if (!Arrays.equals(lines.get(0).split("\t", -1), HEADER)) {
      throw new IllegalArgumentException(
          args[0] + " does not start with the header " + String.join(",", HEADER));
    }
    try (SparkSession spark = Sessions.forJob("bench-record")) {
      Timestamp now = Timestamp.from(Instant.now());
      List<Row> rows = new ArrayList<>();
      for (String line : lines.subList(1, lines.size())) {
        rows.add(measurement(spark, line.split("\t", -1), now));
      }
      Lakehouse results =
          new Lakehouse(
              spark,
              LakehouseSettings.from(
                  ConfigFactory.parseMap(Map.of("sluice.lakehouse.root", args[1]))
                      .withFallback(ConfigFactory.defaultReference())
                      .resolve()));
      results.create(BenchmarkTable.SPEC);
      results.append(
          spark.createDataFrame(rows, BenchmarkTable.SPEC.schema()), BenchmarkTable.NAME);
      System.out.println(
          markdown(spark.createDataFrame(rows, BenchmarkTable.SPEC.schema()).collectAsList()));
      System.out.println(
          "Recorded " + rows.size() + " measurements in " + results.path(BenchmarkTable.NAME));
    }
  }

  /** One benchmarks row; a Sluice run takes its job time and task metrics from job_runs. */
  private static Row measurement(SparkSession spark, String[] f, Timestamp now) {
    long size = Long.parseLong(f[1]);
    String step = f[3];
    String variant = f[4];
    double wall = Double.parseDouble(f[5]);
    int cores = Integer.parseInt(f[17]);
    Double jobSeconds = nullableDouble(f[11]);
    Long runMs = nullableLong(f[12]);
    Long cpuMs = nullableLong(f[13]);
    Long shuffleRead = nullableLong(f[14]);
    Long shuffleWrite = nullableLong(f[15]);
    String runId = null;
    if (!variant.equals(BenchmarkTable.BARE)) {
      List<Row> runs =
          spark
              .read()
              .format("delta")
              .load(f[16] + "/" + Tables.JOB_RUNS)
              .where(
                  col("job")
                      .equalTo(step)
                      .and(col("started_at").geq(new Timestamp(Long.parseLong(f[6]))))
                      .and(col("ended_at").leq(new Timestamp(Long.parseLong(f[7])))))
              .collectAsList();
      if (runs.size() != 1) {
        throw new IllegalStateException(
            "Expected one " + step + " run in " + f[16] + " during the measurement, found " + runs);
      }
      Row run = runs.get(0);
      runId = run.getAs("run_id");
      jobSeconds =
          (((Timestamp) run.getAs("ended_at")).getTime()
                  - ((Timestamp) run.getAs("started_at")).getTime())
              / 1000.0;
      runMs = run.getAs("executor_run_time_ms");
      cpuMs = run.getAs("executor_cpu_time_ms");
      shuffleRead = run.getAs("shuffle_read_bytes");
      shuffleWrite = run.getAs("shuffle_write_bytes");
    }
    Long rss = nullableLong(f[8]);
    Double processCpu = nullableDouble(f[9]);
    Double load = nullableDouble(f[10]);
    return RowFactory.create(
        f[0],
        now,
        size,
        Integer.parseInt(f[2]),
        step,
        variant,
        wall,
        jobSeconds,
        cores,
        size / wall / cores,
        rss == null ? null : rss * 1024,
        processCpu,
        load,
        runMs,
        cpuMs,
        shuffleRead,
        shuffleWrite,
        runId,
        f[18],
        f[19].isEmpty() ? null : f[19]);
  }

  /** Per size and step: min and median of each variant's times and their ratio. */
  static String markdown(List<Row> rows) {
    Map<String, List<Row>> groups = new LinkedHashMap<>();
    for (Row row : rows) {
      groups
          .computeIfAbsent(
              row.<Long>getAs("size") + "\t" + row.getAs("step"), k -> new ArrayList<>())
          .add(row);
    }
    StringBuilder out = new StringBuilder();
    out.append(
        "| size | step | bare s (min / median) | Sluice s (min / median) | Sluice / bare wall"
            + " | CPU s bare / Sluice | Sluice / bare CPU | in-job s bare / Sluice"
            + " | Sluice rows/s/core | fixed cost s | peak RSS MiB bare / Sluice"
            + " | task s bare / Sluice | shuffle MiB bare / Sluice |\n");
    out.append("|---|---|---|---|---|---|---|---|---|---|---|---|---|\n");
    for (Map.Entry<String, List<Row>> group : groups.entrySet()) {
      String[] key = group.getKey().split("\t");
      long size = Long.parseLong(key[0]);
      List<Row> bare = variant(group.getValue(), BenchmarkTable.BARE);
      List<Row> sluice = variant(group.getValue(), BenchmarkTable.SLUICE);
      List<Row> noop = variant(group.getValue(), BenchmarkTable.SLUICE_NOOP);
      double sluiceWall = median(sluice, "wall_seconds");
      out.append(
          String.format(
              "| %,d | %s | %s | %s | %s | %s / %s | %s | %s / %s | %s | %s | %s / %s | %s / %s"
                  + " | %s / %s |%n",
              size,
              key[1],
              minMedian(bare),
              minMedian(sluice),
              format(sluiceWall / median(bare, "wall_seconds"), "%.2f"),
              format(median(bare, "process_cpu_seconds"), "%.1f"),
              format(median(sluice, "process_cpu_seconds"), "%.1f"),
              format(
                  median(sluice, "process_cpu_seconds") / median(bare, "process_cpu_seconds"),
                  "%.2f"),
              format(median(bare, "job_seconds"), "%.1f"),
              format(median(sluice, "job_seconds"), "%.1f"),
              sluice.isEmpty()
                  ? "-"
                  : String.format(
                      "%,.0f", size / sluiceWall / sluice.get(0).<Integer>getAs("cores")),
              format(median(noop, "wall_seconds"), "%.1f"),
              format(max(bare, "peak_rss_bytes") / MIB, "%.0f"),
              format(max(sluice, "peak_rss_bytes") / MIB, "%.0f"),
              format(median(bare, "executor_run_time_ms") / 1000, "%.1f"),
              format(median(sluice, "executor_run_time_ms") / 1000, "%.1f"),
              format(
                  (median(bare, "shuffle_read_bytes") + median(bare, "shuffle_write_bytes")) / MIB,
                  "%.1f"),
              format(
                  (median(sluice, "shuffle_read_bytes") + median(sluice, "shuffle_write_bytes"))
                      / MIB,
                  "%.1f")));
    }
    return out.toString();
  }

  private static List<Row> variant(List<Row> rows, String variant) {
    return rows.stream().filter(r -> r.getAs("variant").equals(variant)).toList();
  }

  private static String minMedian(List<Row> rows) {
    if (rows.isEmpty()) {
      return "-";
    }
    return String.format("%.1f / %.1f", min(rows, "wall_seconds"), median(rows, "wall_seconds"));
  }

  private static double[] values(List<Row> rows, String column) {
    return rows.stream()
        .filter(r -> !r.isNullAt(r.fieldIndex(column)))
        .mapToDouble(r -> ((Number) r.getAs(column)).doubleValue())
        .sorted()
        .toArray();
  }

  /** The median of a column over rows, NaN when none has a value. */
  private static double median(List<Row> rows, String column) {
    double[] values = values(rows, column);
    if (values.length == 0) {
      return Double.NaN;
    }
    int middle = values.length / 2;
    return values.length % 2 == 1 ? values[middle] : (values[middle - 1] + values[middle]) / 2;
  }

  private static double min(List<Row> rows, String column) {
    double[] values = values(rows, column);
    return values.length == 0 ? Double.NaN : values[0];
  }

  private static double max(List<Row> rows, String column) {
    double[] values = values(rows, column);
    return values.length == 0 ? Double.NaN : values[values.length - 1];
  }

  private static String format(double value, String pattern) {
    return Double.isNaN(value) ? "-" : String.format(pattern, value);
  }

  private static Double nullableDouble(String value) {
    return value.isEmpty() ? null : Double.valueOf(value);
  }

  private static Long nullableLong(String value) {
    return value.isEmpty() ? null : Long.valueOf(value);
  }
}
