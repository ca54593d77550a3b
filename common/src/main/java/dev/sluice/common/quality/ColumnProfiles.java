package dev.sluice.common.quality;

import dev.sluice.common.dataset.ColumnRole;
import dev.sluice.common.dataset.ColumnSpec;
import dev.sluice.common.dataset.DatasetSpec;
import dev.sluice.common.dataset.ValueType;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.Serializable;
import java.sql.Date;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import org.apache.datasketches.hll.HllSketch;
import org.apache.datasketches.hll.TgtHllType;
import org.apache.datasketches.hll.Union;
import org.apache.datasketches.kll.KllDoublesSketch;
import org.apache.datasketches.kll.KllSketch;
import org.apache.datasketches.memory.Memory;
import org.apache.datasketches.quantilescommon.QuantileSearchCriteria;
import org.apache.spark.sql.Row;

/**
 * The statistics a profile reports, kept row by row over a batch's accepted values by whoever has
 * them in hand (the parse that writes them, or a pass over rows read back) and merged across tasks:
 * per column the non-null count; for numeric columns min, max, mean, sample standard deviation and
 * quantiles (of the values as doubles); for columns with top values their exact value counts; for
 * the others an approximate distinct count.
 *
 * <p>Each statistic follows the Spark aggregate it replaces, so a profile reads the same either
 * way: {@code avg} (a sum over a count), {@code stddev_samp} (Spark's running mean and squared
 * deviations, and their merge), {@code cast(x as string)} for counted values. The sketches are
 * Apache DataSketches', as Spark's own {@code hll_sketch_agg} and {@code kll_sketch_agg_double}
 * use: the distinct count is an HLL sketch's estimate (lgK {@value #DISTINCT_LG_K}, about 1.6%
 * relative standard error once merged), values hashed as {@code hll_sketch_agg} hashes them
 * (integers as longs, strings as UTF-8); quantiles come from a KLL sketch of the layout's k,
 * answered as {@code percentile_approx} answers (the value at rank {@code ceil(q * n)}; exact while
 * a task's values and a merge's fit in k). NaN counts in min and max but not in quantiles.
 * Computing them here costs a fraction of Spark's aggregates over the same rows, which turn every
 * row into an aggregation buffer update per aggregate (1 M rows, warm: about 2.6 s of a 5 s parse).
 */
public final class ColumnProfiles implements Serializable {
  private static final long serialVersionUID = 1L;

  /**
   * The HLL sketch's log2 of buckets: 4,096 one-byte buckets (4 KB per column and task), 1.6%
   * relative standard error after a merge (1.3% for one task's sketch), the default of Spark's
   * {@code hll_sketch_agg}. 11 would raise the error to 2.3%; 13 would double the bytes for 1.15%.
   */
  static final int DISTINCT_LG_K = 12;

  /** KLL's smallest k (its m), of rank error 0.30: a larger relative error gets this k. */
  private static final int MIN_QUANTILE_K = 8;

  private static final long MICROS_PER_SECOND = 1_000_000L;
  private static final int NANOS_PER_MICRO = 1_000;

  private final Layout layout;
  private long rows;
  private final long[] nonNull;
  // Numeric columns, by column index (unused slots stay 0 or null).
  private final double[] min;
  private final double[] max;
  private final double[] sum;
  private final double[] momentN;
  private final double[] momentAvg;
  private final double[] momentM2;
  private final ValueCounts[] counts;
  // Sketches are not Serializable: writeObject writes their own serialized form.
  private transient KllDoublesSketch[] quantiles;
  private transient HllSketch[] distinct;

  /**
   * What to keep of each column of a spec: settings shared by every task's profiles. {@code
   * quantileK} is the KLL sketches' k.
   */
  public record Layout(List<ColumnSpec> columns, int quantileK, int valueLimit)
      implements Serializable {
    public Layout {
      columns = List.copyOf(columns);
      if (quantileK < MIN_QUANTILE_K || quantileK > KllSketch.MAX_K) {
        throw new IllegalArgumentException(
            String.format(
                "quantileK must be in [%d, %d], got %d",
                MIN_QUANTILE_K, KllSketch.MAX_K, quantileK));
      }
    }

    /**
     * The layout of {@code spec}'s columns with quantiles to {@code quantileRelativeError}: the
     * smallest KLL k whose rank error (at 99% confidence) is within it, at most KLL's largest k
     * (65,535: about 0.005%).
     */
    public static Layout of(DatasetSpec spec, double quantileRelativeError, int valueLimit) {
      if (!(quantileRelativeError > 0 && quantileRelativeError < 1)) {
        throw new IllegalArgumentException(
            "quantileRelativeError must be in (0, 1), got " + quantileRelativeError);
      }
      int k = Math.max(MIN_QUANTILE_K, KllSketch.getKFromEpsilon(quantileRelativeError, false));
      return new Layout(spec.columns(), k, valueLimit);
    }

    /** Profiles of no row yet. */
    public ColumnProfiles empty() {
      return new ColumnProfiles(this);
    }
  }

  /**
   * Whether a column's profile has top values (with an exact distinct count): columns that are
   * neither numeric nor an id or timestamp.
   */
  public static boolean hasTopValues(ColumnSpec column) {
    return !column.type().isNumeric()
        && column.role() != ColumnRole.ID
        && column.role() != ColumnRole.TIMESTAMP;
  }

  private ColumnProfiles(Layout layout) {
    this.layout = layout;
    int n = layout.columns().size();
    nonNull = new long[n];
    min = new double[n];
    max = new double[n];
    sum = new double[n];
    momentN = new double[n];
    momentAvg = new double[n];
    momentM2 = new double[n];
    quantiles = new KllDoublesSketch[n];
    counts = new ValueCounts[n];
    distinct = new HllSketch[n];
    for (int i = 0; i < n; i++) {
      ColumnSpec column = layout.columns().get(i);
      if (column.type().isNumeric()) {
        min[i] = Double.NaN;
        max[i] = Double.NaN;
        quantiles[i] = KllDoublesSketch.newHeapInstance(layout.quantileK());
      }
      if (hasTopValues(column)) {
        counts[i] = new ValueCounts(layout.valueLimit());
        if (column.type() == ValueType.TIMESTAMP) {
          // Its string form depends on the session's time zone: a grouped query counts it.
          counts[i].giveUp();
        }
      } else {
        // HLL_8: one byte a bucket, the fastest to update.
        distinct[i] = new HllSketch(DISTINCT_LG_K, TgtHllType.HLL_8);
      }
    }
  }

  /**
   * Adds one row's values, in the spec's column order, as the parser makes them and a Spark row of
   * the raw table holds them: Integer, Long, Double, String, Boolean, java.sql.Date or
   * java.sql.Timestamp, or null.
   */
  public void add(Object[] values) {
    rows++;
    List<ColumnSpec> columns = layout.columns();
    for (int i = 0; i < columns.size(); i++) {
      Object value = values[i];
      if (counts[i] != null) {
        counts[i].add(value == null ? null : asString(value));
      }
      if (value == null) {
        continue;
      }
      nonNull[i]++;
      if (distinct[i] != null) {
        addDistinct(distinct[i], value);
      }
      if (quantiles[i] != null) {
        double x = ((Number) value).doubleValue();
        min[i] = nonNull[i] == 1 ? x : smaller(min[i], x);
        max[i] = nonNull[i] == 1 ? x : larger(max[i], x);
        sum[i] += x;
        double n = momentN[i] + 1.0;
        double delta = x - momentAvg[i];
        double deltaN = delta / n;
        momentAvg[i] += deltaN;
        momentM2[i] += delta * (delta - deltaN);
        momentN[i] = n;
        quantiles[i].update(x);
      }
    }
  }

  /** Adds one row of the spec's columns, in its order (a row of the raw table's data columns). */
  public void add(Row row) {
    Object[] values = new Object[row.length()];
    for (int i = 0; i < values.length; i++) {
      values[i] = row.get(i);
    }
    add(values);
  }

  /** Adds {@code other}'s rows (of the same layout); {@code other} is not changed. */
  public void merge(ColumnProfiles other) {
    if (!other.layout.equals(layout)) {
      throw new IllegalArgumentException("Profiles of another layout: " + other.layout);
    }
    rows += other.rows;
    for (int i = 0; i < nonNull.length; i++) {
      long before = nonNull[i];
      nonNull[i] += other.nonNull[i];
      if (counts[i] != null) {
        counts[i].merge(other.counts[i]);
      }
      if (distinct[i] != null) {
        distinct[i] = union(distinct[i], other.distinct[i]);
      }
      if (quantiles[i] != null && other.nonNull[i] > 0) {
        min[i] = before == 0 ? other.min[i] : smaller(min[i], other.min[i]);
        max[i] = before == 0 ? other.max[i] : larger(max[i], other.max[i]);
        sum[i] += other.sum[i];
        double n1 = momentN[i];
        double n2 = other.momentN[i];
        double n = n1 + n2;
        double delta = other.momentAvg[i] - momentAvg[i];
        double deltaN = n == 0.0 ? 0.0 : delta / n;
        momentAvg[i] += deltaN * n2;
        momentM2[i] += other.momentM2[i] + delta * deltaN * n1 * n2;
        momentN[i] = n;
        quantiles[i].merge(other.quantiles[i]);
      }
    }
  }

  /** An independent copy: later changes to either do not reach the other. */
  public ColumnProfiles copy() {
    ColumnProfiles copy = layout.empty();
    copy.merge(this);
    return copy;
  }

  /** Rows added. */
  public long rows() {
    return rows;
  }

  /** Non-null values of column {@code i}. */
  public long nonNull(int i) {
    return nonNull[i];
  }

  /** Approximate distinct non-null values of column {@code i}, which has no top values. */
  public long approximateDistinct(int i) {
    return Math.round(distinct[i].getEstimate());
  }

  /** Smallest value of numeric column {@code i}; null when it has none. */
  public Double min(int i) {
    return nonNull[i] == 0 ? null : min[i];
  }

  /** Largest value of numeric column {@code i}; null when it has none. */
  public Double max(int i) {
    return nonNull[i] == 0 ? null : max[i];
  }

  /** Mean of numeric column {@code i}; null when it has no value. */
  public Double mean(int i) {
    return nonNull[i] == 0 ? null : sum[i] / nonNull[i];
  }

  /** Sample standard deviation of numeric column {@code i}; null under two values. */
  public Double stddev(int i) {
    return momentN[i] < 2.0 ? null : Math.sqrt(momentM2[i] / (momentN[i] - 1.0));
  }

  /** Values of numeric column {@code i} at {@code probabilities}; null when it has none. */
  public double[] quantiles(int i, double[] probabilities) {
    if (quantiles[i].isEmpty()) {
      return null;
    }
    return quantiles[i].getQuantiles(probabilities, QuantileSearchCriteria.INCLUSIVE);
  }

  /** Value counts of column {@code i}, which has top values. */
  public ValueCounts counts(int i) {
    return counts[i];
  }

  /** Spark's ordering of doubles for min: NaN above every number. */
  private static double smaller(double a, double b) {
    return Double.isNaN(a) ? b : Double.isNaN(b) ? a : Math.min(a, b);
  }

  /** Spark's ordering of doubles for max: NaN above every number. */
  private static double larger(double a, double b) {
    return Double.isNaN(a) || Double.isNaN(b) ? Double.NaN : Math.max(a, b);
  }

  /** A value as {@code cast(value as string)} spells it, for the types with top values. */
  private static String asString(Object value) {
    if (value instanceof String s) {
      return s;
    }
    if (value instanceof Date d) {
      return d.toLocalDate().toString();
    }
    if (value instanceof Boolean b) {
      return b.toString();
    }
    throw new IllegalArgumentException(
        "No string form for a counted value of " + value.getClass().getName());
  }

  /**
   * Adds a value to a distinct count: integers as longs and strings as their UTF-8 bytes (as {@code
   * hll_sketch_agg} hashes them), doubles by their bits (-0.0 as 0.0), dates by epoch day and
   * timestamps by epoch microsecond (what Spark stores of them).
   */
  private static void addDistinct(HllSketch sketch, Object value) {
    if (value instanceof Integer || value instanceof Long) {
      sketch.update(((Number) value).longValue());
    } else if (value instanceof Double x) {
      sketch.update(x.doubleValue());
    } else if (value instanceof String s) {
      sketch.update(s);
    } else if (value instanceof Timestamp t) {
      Instant instant = t.toInstant();
      sketch.update(
          Math.addExact(
              Math.multiplyExact(instant.getEpochSecond(), MICROS_PER_SECOND),
              instant.getNano() / NANOS_PER_MICRO));
    } else if (value instanceof Date d) {
      sketch.update(d.toLocalDate().toEpochDay());
    } else if (value instanceof Boolean b) {
      sketch.update(b ? 1L : 0L);
    } else {
      throw new IllegalArgumentException(
          "No distinct count for a value of " + value.getClass().getName());
    }
  }

  /**
   * The distinct count of both sketches' values: {@code mine} itself when {@code theirs} is empty,
   * a copy of {@code theirs} when {@code mine} is (a single task's sketch keeps its more exact
   * estimator), else their HLL union; {@code theirs} is not changed.
   */
  private static HllSketch union(HllSketch mine, HllSketch theirs) {
    if (theirs.isEmpty()) {
      return mine;
    }
    if (mine.isEmpty()) {
      return theirs.copy();
    }
    Union union = new Union(DISTINCT_LG_K);
    union.update(mine);
    union.update(theirs);
    return union.getResult(TgtHllType.HLL_8);
  }

  /**
   * Writes the fields, then each column's sketches in DataSketches' own serialized form. Only reads
   * the sketches: Spark's heartbeat may serialize a task's accumulator while the task reads it.
   */
  private void writeObject(ObjectOutputStream out) throws IOException {
    out.defaultWriteObject();
    for (int i = 0; i < quantiles.length; i++) {
      out.writeObject(quantiles[i] == null ? null : quantiles[i].toByteArray());
      out.writeObject(distinct[i] == null ? null : distinct[i].toCompactByteArray());
    }
  }

  private void readObject(ObjectInputStream in) throws IOException, ClassNotFoundException {
    in.defaultReadObject();
    int n = layout.columns().size();
    quantiles = new KllDoublesSketch[n];
    distinct = new HllSketch[n];
    for (int i = 0; i < n; i++) {
      byte[] quantileBytes = (byte[]) in.readObject();
      if (quantileBytes != null) {
        quantiles[i] = KllDoublesSketch.heapify(Memory.wrap(quantileBytes));
      }
      byte[] distinctBytes = (byte[]) in.readObject();
      if (distinctBytes != null) {
        distinct[i] = HllSketch.heapify(distinctBytes);
      }
    }
  }
}
