package dev.sluice.common.quality;

import static org.apache.spark.sql.functions.approx_count_distinct;
import static org.apache.spark.sql.functions.array;
import static org.apache.spark.sql.functions.avg;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.desc;
import static org.apache.spark.sql.functions.explode;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.row_number;
import static org.apache.spark.sql.functions.stddev_samp;
import static org.apache.spark.sql.functions.struct;

import dev.sluice.common.dataset.ColumnRole;
import dev.sluice.common.dataset.ColumnSpec;
import dev.sluice.common.dataset.DatasetSpec;
import dev.sluice.common.lakehouse.SharedTables;
import dev.sluice.common.settings.IngestSettings.ProfileSettings;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.expressions.Window;

/**
 * Profiles a batch in one aggregate whatever its width, which a write can compute as it goes: every
 * column's counts and moments, quantiles of numeric columns and exact value counts of the others
 * ({@link ColumnSketches}). Only a column with too many values to count in memory takes a grouped
 * query over the batch for its top values and exact distinct count.
 */
public final class Profiler {
  private final DatasetSpec spec;
  private final ProfileSettings settings;

  public Profiler(DatasetSpec spec, ProfileSettings settings) {
    this.spec = spec;
    this.settings = settings;
  }

  /** Where the profile belongs: batch, table and the table version holding the batch. */
  public record Target(String batchId, String table, Long tableVersion, Timestamp profiledAt) {}

  /**
   * The aggregates a profile is built from, one row of them over a batch: the row count; per column
   * its non-null count, an approximate distinct count unless it has top values, and min, max, mean
   * and standard deviation if numeric; last, the {@link ColumnSketches} of the numeric columns'
   * quantiles and the other columns' value counts. A write can compute them as it goes ({@code
   * Dataset.observe}), and {@link #profile(Row, Supplier, Target)} builds the profile from that row
   * without reading the batch again.
   */
  public List<Column> aggregates() {
    List<Column> aggregates = new ArrayList<>();
    aggregates.add(count(lit(1)));
    List<Column> numeric = new ArrayList<>();
    List<Column> counted = new ArrayList<>();
    for (ColumnSpec column : spec.columns()) {
      Column c = col(quoted(column.name()));
      aggregates.add(count(c));
      if (hasTopValues(column)) {
        counted.add(c);
      } else {
        aggregates.add(approx_count_distinct(c));
      }
      if (column.type().isNumeric()) {
        Column x = c.cast("double");
        aggregates.add(min(x));
        aggregates.add(max(x));
        aggregates.add(avg(x));
        aggregates.add(stddev_samp(x));
        numeric.add(x);
      }
    }
    aggregates.add(
        ColumnSketches.of(numeric, counted, relativeError(), settings.valuesCountedInWrite()));
    List<Column> named = new ArrayList<>();
    for (int i = 0; i < aggregates.size(); i++) {
      named.add(aggregates.get(i).as("a" + i));
    }
    return named;
  }

  /**
   * The quantiles' relative error, as {@code percentile_approx} takes it: the inverse of a whole
   * accuracy.
   */
  private double relativeError() {
    long accuracy = Math.min(Integer.MAX_VALUE, Math.round(1.0 / settings.quantileRelativeError()));
    return 1.0 / accuracy;
  }

  /**
   * Profile rows of {@code rows} (raw-table rows of one batch) in the {@code data_profiles} schema:
   * one aggregate query, plus a grouped count of the columns whose values are too many to count in
   * the aggregate.
   */
  public List<Row> profile(Dataset<Row> rows, Target target) {
    List<Column> aggregates = aggregates();
    Row totals =
        rows.agg(aggregates.get(0), aggregates.subList(1, aggregates.size()).toArray(Column[]::new))
            .first();
    return profile(totals, () -> rows, target);
  }

  /**
   * Profile rows from {@code totals}, the row of {@link #aggregates()} over a batch, which {@code
   * rows} gives: {@code rows} is asked for and read only by a grouped count of the columns whose
   * values were too many to count in the aggregate.
   */
  public List<Row> profile(Row totals, Supplier<Dataset<Row>> rows, Target target) {
    List<ColumnSpec> columns = spec.columns();
    ColumnSketches.Sketches sketches =
        ColumnSketches.Sketches.from((byte[]) totals.get(totals.length() - 1));
    Map<String, ValueCounts.Top> top = new HashMap<>();
    List<ColumnSpec> overflowed = new ArrayList<>();
    int counted = 0;
    for (ColumnSpec column : columns) {
      if (hasTopValues(column)) {
        sketches
            .counts(counted++)
            .top(settings.topK())
            .ifPresentOrElse(t -> top.put(column.name(), t), () -> overflowed.add(column));
      }
    }
    if (!overflowed.isEmpty()) {
      top.putAll(topValues(rows.get(), overflowed));
    }
    double[] probabilities =
        settings.quantiles().stream().mapToDouble(Double::doubleValue).toArray();

    List<Row> out = new ArrayList<>();
    long rowCount = totals.getLong(0);
    int i = 1;
    int numeric = 0;
    for (ColumnSpec column : columns) {
      long nonNull = totals.getLong(i++);
      long distinct =
          hasTopValues(column) ? top.get(column.name()).distinct() : totals.getLong(i++);
      Double minimum = null;
      Double maximum = null;
      Double mean = null;
      Double stddev = null;
      List<Row> quantiles = null;
      if (column.type().isNumeric()) {
        minimum = nullableDouble(totals, i++);
        maximum = nullableDouble(totals, i++);
        mean = nullableDouble(totals, i++);
        stddev = nullableDouble(totals, i++);
        double[] values = sketches.quantiles(numeric++).query(probabilities);
        quantiles = new ArrayList<>();
        for (int q = 0; q < probabilities.length; q++) {
          quantiles.add(
              RowFactory.create(settings.quantiles().get(q), values == null ? null : values[q]));
        }
      }
      out.add(
          RowFactory.create(
              spec.name(),
              target.batchId(),
              target.table(),
              target.tableVersion(),
              column.name(),
              column.role().name().toLowerCase(java.util.Locale.ROOT),
              column.type().name().toLowerCase(java.util.Locale.ROOT),
              rowCount,
              rowCount - nonNull,
              distinct,
              minimum,
              maximum,
              mean,
              stddev,
              quantiles == null ? null : quantiles.toArray(Row[]::new),
              hasTopValues(column) ? top.get(column.name()).values().toArray(Row[]::new) : null,
              target.profiledAt()));
    }
    return out;
  }

  /**
   * The top values and exact distinct count of {@code columns}, by one grouped count of every
   * (column, value) pair over {@code rows}. The groups of a column are its distinct values, so
   * their number is its exact distinct count.
   */
  private Map<String, ValueCounts.Top> topValues(Dataset<Row> rows, List<ColumnSpec> columns) {
    Map<String, ValueCounts.Top> top = new HashMap<>();
    List<Column> pairs = new ArrayList<>();
    for (ColumnSpec column : columns) {
      pairs.add(
          struct(lit(column.name()).as("c"), col(quoted(column.name())).cast("string").as("v")));
    }
    List<Row> counted =
        rows.select(explode(array(pairs.toArray(Column[]::new))).as("p"))
            .groupBy(col("p.c").as("c"), col("p.v").as("v"))
            .count()
            .withColumn(
                "rank",
                row_number()
                    .over(
                        Window.partitionBy("c").orderBy(desc("count"), col("v").asc_nulls_last())))
            .withColumn("distinct", count(col("v")).over(Window.partitionBy("c")))
            .where(col("rank").leq(settings.topK()))
            .orderBy("c", "rank")
            .collectAsList();
    Map<String, List<Row>> values = new HashMap<>();
    Map<String, Long> distinct = new HashMap<>();
    for (Row row : counted) {
      values
          .computeIfAbsent(row.getString(0), k -> new ArrayList<>())
          .add(RowFactory.create(row.isNullAt(1) ? null : row.getString(1), row.getLong(2)));
      distinct.put(row.getString(0), row.getLong(4));
    }
    for (ColumnSpec column : columns) {
      // An empty batch has no groups: no top values, and no distinct value.
      top.put(
          column.name(),
          new ValueCounts.Top(
              values.getOrDefault(column.name(), List.of()),
              distinct.getOrDefault(column.name(), 0L)));
    }
    return top;
  }

  private static boolean hasTopValues(ColumnSpec column) {
    return !column.type().isNumeric()
        && column.role() != ColumnRole.ID
        && column.role() != ColumnRole.TIMESTAMP;
  }

  private static Double nullableDouble(Row row, int i) {
    return row.isNullAt(i) ? null : row.getDouble(i);
  }

  private static String quoted(String name) {
    return "`" + name + "`";
  }

  /** The schema the rows of {@link #profile} follow. */
  public static org.apache.spark.sql.types.StructType schema() {
    return SharedTables.DATA_PROFILES.schema();
  }
}
