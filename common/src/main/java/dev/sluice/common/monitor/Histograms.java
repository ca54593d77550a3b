package dev.sluice.common.monitor;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.when;

import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * Binned counts of a column, computed the same way for the training baseline and for every
 * monitored window, so the two histograms always share their bins. The last bin of each histogram
 * counts nulls.
 */
public final class Histograms {
  public static final String OTHER = "__other__";

  private Histograms() {}

  /**
   * The bin of a numeric value: i for edges[i-1] <= x < edges[i], the edges count for the top bin,
   * null last.
   */
  public static Column numericBin(Column value, double[] edges) {
    Column bin = lit(edges.length);
    for (int i = edges.length - 1; i >= 0; i--) {
      bin = when(value.lt(edges[i]), lit(i)).otherwise(bin);
    }
    return when(value.isNull(), lit(edges.length + 1)).otherwise(bin);
  }

  /** The bin of a categorical value: its level's position, then "other", then null. */
  public static Column categoricalBin(Column value, List<String> levels) {
    Column bin = lit(levels.size());
    for (int i = levels.size() - 1; i >= 0; i--) {
      bin = when(value.equalTo(levels.get(i)), lit(i)).otherwise(bin);
    }
    return when(value.isNull(), lit(levels.size() + 1)).otherwise(bin);
  }

  /** Counts of {@code bins} bins from a column of bin indices. */
  public static long[] counts(Dataset<Row> rows, Column bin, int bins) {
    long[] counts = new long[bins];
    for (Row row : rows.select(bin.as("bin")).groupBy(col("bin")).count().collectAsList()) {
      counts[row.getInt(0)] = row.getLong(1);
    }
    return counts;
  }

  /**
   * Interior quantile edges of a numeric column, strictly increasing (repeated quantiles collapse).
   */
  public static double[] quantileEdges(
      Dataset<Row> rows, String column, int bins, double relativeError) {
    double[] probabilities = new double[bins - 1];
    for (int i = 1; i < bins; i++) {
      probabilities[i - 1] = (double) i / bins;
    }
    double[] quantiles = rows.stat().approxQuantile(column, probabilities, relativeError);
    return java.util.Arrays.stream(quantiles).distinct().sorted().toArray();
  }
}
