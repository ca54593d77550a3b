package dev.sluice.common.monitor;

import static java.util.Objects.requireNonNull;
import static org.apache.spark.sql.functions.array;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.desc;
import static org.apache.spark.sql.functions.explode;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.struct;

import dev.sluice.common.table.ModelBaselinesTable;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * The binned distribution of one column: numeric edges or categorical levels, and the counts per
 * bin.
 */
public record Baseline(
    String feature, boolean numeric, double[] edges, List<String> levels, long[] counts) {
  public static final String PREDICTION = "__prediction__";

  public Baseline {
    requireNonNull(feature, "feature is null");
    levels = List.copyOf(levels);
  }

  /** The bin of each row's value of this baseline's column in {@code rows}. */
  public Column bin(Column value) {
    return numeric
        ? Histograms.numericBin(value.cast("double"), edges)
        : Histograms.categoricalBin(value.cast("string"), levels);
  }

  public int binCount() {
    return numeric ? edges.length + 2 : levels.size() + 2;
  }

  /** Counts of {@code rows} on this baseline's bins. */
  public long[] countsOf(Dataset<Row> rows, Column value) {
    return Histograms.counts(rows, bin(value), binCount());
  }

  /**
   * Counts of {@code rows} on the bins of every baseline at once, {@code values.get(i)} being the
   * column binned by {@code baselines.get(i)}: one Spark job whatever the number of baselines.
   */
  public static long[][] countsOf(
      Dataset<Row> rows, List<Baseline> baselines, List<Column> values) {
    long[][] counts = new long[baselines.size()][];
    if (baselines.isEmpty()) {
      return counts;
    }
    Column[] bins = new Column[baselines.size()];
    for (int i = 0; i < bins.length; i++) {
      bins[i] = struct(lit(i).as("i"), baselines.get(i).bin(values.get(i)).as("bin"));
      counts[i] = new long[baselines.get(i).binCount()];
    }
    for (Row row :
        rows.select(explode(array(bins)).as("b"))
            .groupBy(col("b.i"), col("b.bin"))
            .count()
            .collectAsList()) {
      counts[row.getInt(0)][row.getInt(1)] = row.getLong(2);
    }
    return counts;
  }

  /** A numeric baseline on the quantiles of {@code column} in {@code rows}. */
  public static Baseline numeric(Dataset<Row> rows, String feature, Column value, int bins) {
    Dataset<Row> values = rows.select(value.cast("double").as("v"));
    double[] edges = Histograms.quantileEdges(values, "v", bins, 0.001);
    Baseline empty = new Baseline(feature, true, edges, List.of(), new long[0]);
    return new Baseline(feature, true, edges, List.of(), empty.countsOf(values, col("v")));
  }

  /** A numeric baseline on fixed edges (e.g. a probability's 0.1 steps). */
  public static Baseline fixed(Dataset<Row> rows, String feature, Column value, double[] edges) {
    Baseline empty = new Baseline(feature, true, edges, List.of(), new long[0]);
    return new Baseline(feature, true, edges, List.of(), empty.countsOf(rows, value));
  }

  /** A categorical baseline on the most frequent levels of {@code column} in {@code rows}. */
  public static Baseline categorical(
      Dataset<Row> rows, String feature, Column value, int maxLevels) {
    List<String> levels = new ArrayList<>();
    for (Row row :
        rows.select(value.cast("string").as("v"))
            .where(col("v").isNotNull())
            .groupBy("v")
            .count()
            .orderBy(desc("count"), col("v"))
            .limit(maxLevels)
            .collectAsList()) {
      levels.add(row.getString(0));
    }
    Baseline empty = new Baseline(feature, false, new double[0], levels, new long[0]);
    return new Baseline(feature, false, new double[0], levels, empty.countsOf(rows, value));
  }

  /** A baseline as {@code model_baselines} stores it. */
  public static Baseline fromRow(Row row) {
    return of(ModelBaselinesTable.Entry.from(row));
  }

  /** A baseline as a {@code model_baselines} row holds it. */
  public static Baseline of(ModelBaselinesTable.Entry entry) {
    return new Baseline(
        entry.feature(),
        ModelBaselinesTable.NUMERIC.equals(entry.kind()),
        entry.edges().stream().mapToDouble(Double::doubleValue).toArray(),
        entry.levels(),
        entry.counts().stream().mapToLong(Long::longValue).toArray());
  }

  /**
   * A readable label per bin: "[a, b)" ranges or levels, then the top bin or __other__, then
   * __null__.
   */
  public List<String> binLabels() {
    List<String> labels = new ArrayList<>();
    if (numeric) {
      for (int i = 0; i <= edges.length; i++) {
        String low = i == 0 ? "-inf" : String.valueOf(edges[i - 1]);
        String high = i == edges.length ? "+inf" : String.valueOf(edges[i]);
        labels.add("[" + low + ", " + high + ")");
      }
    } else {
      labels.addAll(levels);
      labels.add(Histograms.OTHER);
    }
    labels.add("__null__");
    return labels;
  }
}
