package dev.sluice.common.quality;

import static org.apache.spark.sql.functions.array;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.desc;
import static org.apache.spark.sql.functions.explode;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.row_number;
import static org.apache.spark.sql.functions.struct;

import dev.sluice.common.dataset.ColumnSpec;
import dev.sluice.common.dataset.DatasetSpec;
import dev.sluice.common.settings.IngestSettings.ProfileSettings;
import dev.sluice.common.table.DataProfilesTable;
import dev.sluice.common.table.DataProfilesTable.Frequency;
import dev.sluice.common.table.DataProfilesTable.Quantile;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalLong;
import java.util.function.Supplier;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.expressions.Window;

/**
 * Builds a batch's profile rows from its {@link ColumnProfiles}: kept by the parse that writes the
 * batch ({@link ProfileAccumulator}), or by one pass over rows read back. Only a column with too
 * many values to count in memory takes a grouped query over the batch for its top values and exact
 * distinct count.
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

  /** What the batch's {@link ColumnProfiles} keep, per the spec and settings. */
  public ColumnProfiles.Layout layout() {
    return ColumnProfiles.Layout.of(
        spec, settings.quantileRelativeError(), settings.valuesCountedInWrite());
  }

  /**
   * Profile rows of {@code rows} (raw-table rows of one batch) in the {@code data_profiles} schema:
   * one pass keeps their {@link ColumnProfiles}, and a grouped count takes the columns whose values
   * are too many to count in memory.
   */
  public List<Row> profile(Dataset<Row> rows, Target target) {
    return profile(profiles(rows), () -> rows, target);
  }

  /** The {@link ColumnProfiles} of {@code rows}, by one pass over them. */
  public ColumnProfiles profiles(Dataset<Row> rows) {
    ColumnProfiles.Layout layout = layout();
    return rows.select(
            spec.columns().stream().map(c -> col(quoted(c.name()))).toArray(Column[]::new))
        .javaRDD()
        .aggregate(
            layout.empty(),
            (profiles, row) -> {
              profiles.add(row);
              return profiles;
            },
            (a, b) -> {
              a.merge(b);
              return a;
            });
  }

  /**
   * Profile rows from {@code profiles} of a batch, which {@code rows} gives: {@code rows} is asked
   * for and read only by a grouped count of the columns whose values were too many to count in
   * memory.
   */
  public List<Row> profile(ColumnProfiles profiles, Supplier<Dataset<Row>> rows, Target target) {
    List<ColumnSpec> columns = spec.columns();
    Map<String, ValueCounts.Top> top = new HashMap<>();
    List<ColumnSpec> overflowed = new ArrayList<>();
    for (int i = 0; i < columns.size(); i++) {
      ColumnSpec column = columns.get(i);
      if (ColumnProfiles.hasTopValues(column)) {
        profiles
            .counts(i)
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
    long rowCount = profiles.rows();
    for (int i = 0; i < columns.size(); i++) {
      ColumnSpec column = columns.get(i);
      boolean hasTop = ColumnProfiles.hasTopValues(column);
      long distinct = hasTop ? top.get(column.name()).distinct() : profiles.approximateDistinct(i);
      boolean numeric = column.type().isNumeric();
      Optional<List<Quantile>> quantiles = Optional.empty();
      if (numeric) {
        double[] values = profiles.quantiles(i, probabilities);
        List<Quantile> ranked = new ArrayList<>();
        for (int q = 0; q < probabilities.length; q++) {
          ranked.add(
              new Quantile(
                  settings.quantiles().get(q),
                  values == null ? OptionalDouble.empty() : OptionalDouble.of(values[q])));
        }
        quantiles = Optional.of(ranked);
      }
      out.add(
          new DataProfilesTable.Entry(
                  spec.name(),
                  target.batchId(),
                  target.table(),
                  target.tableVersion() == null
                      ? OptionalLong.empty()
                      : OptionalLong.of(target.tableVersion()),
                  column.name(),
                  column.role().name().toLowerCase(Locale.ROOT),
                  column.type().name().toLowerCase(Locale.ROOT),
                  rowCount,
                  rowCount - profiles.nonNull(i),
                  distinct,
                  numeric ? optional(profiles.min(i)) : OptionalDouble.empty(),
                  numeric ? optional(profiles.max(i)) : OptionalDouble.empty(),
                  numeric ? optional(profiles.mean(i)) : OptionalDouble.empty(),
                  numeric ? optional(profiles.stddev(i)) : OptionalDouble.empty(),
                  quantiles,
                  hasTop ? Optional.of(top.get(column.name()).frequencies()) : Optional.empty(),
                  target.profiledAt().toInstant())
              .toRow());
    }
    return out;
  }

  private static OptionalDouble optional(Double value) {
    return value == null ? OptionalDouble.empty() : OptionalDouble.of(value);
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
    Map<String, List<Frequency>> values = new HashMap<>();
    Map<String, Long> distinct = new HashMap<>();
    for (Row row : counted) {
      values
          .computeIfAbsent(row.getString(0), k -> new ArrayList<>())
          .add(
              new Frequency(
                  row.isNullAt(1) ? Optional.empty() : Optional.of(row.getString(1)),
                  row.getLong(2)));
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

  private static String quoted(String name) {
    return "`" + name + "`";
  }

  /** The schema the rows of {@link #profile} follow. */
  public static org.apache.spark.sql.types.StructType schema() {
    return DataProfilesTable.SCHEMA;
  }
}
