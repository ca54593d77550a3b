package dev.sluice.common.quality;

import java.io.Serializable;
import java.util.Arrays;

/**
 * A Greenwald-Khanna quantile summary over primitive arrays: the algorithm, constants and answers
 * of Spark's {@code percentile_approx} ({@code QuantileSummaries} behind {@code
 * ApproximatePercentile}), without a boxed double per inserted value and an object per kept sample.
 * Values are buffered, then sorted and inserted 50,000 at a time; the summary is compressed once it
 * holds 10,000 samples, and before a merge, a query or serialization. A value's rank in the answer
 * is within {@code relativeError * count} of the asked rank, whatever the order values came in and
 * summaries were merged.
 */
public final class QuantileSketch implements Serializable {
  private static final long serialVersionUID = 1L;
  static final int HEAD_SIZE = 50_000;
  static final int COMPRESS_THRESHOLD = 10_000;

  private final double relativeError;
  // The kept samples, by value: value, g (minimum rank jump from the previous sample), delta (rank
  // uncertainty).
  private double[] values = new double[0];
  private long[] gs = new long[0];
  private long[] deltas = new long[0];
  private int size;
  // Values inserted into the samples (not counting the head).
  private long count;
  private transient double[] head;
  private int headSize;
  private boolean compressed = true;

  public QuantileSketch(double relativeError) {
    if (!(relativeError > 0 && relativeError < 1)) {
      throw new IllegalArgumentException("relativeError must be in (0, 1), got " + relativeError);
    }
    this.relativeError = relativeError;
  }

  /** Adds a value. */
  public void insert(double x) {
    if (head == null) {
      head = new double[HEAD_SIZE];
    }
    head[headSize++] = x;
    compressed = false;
    if (headSize >= HEAD_SIZE) {
      insertHead();
      if (size >= COMPRESS_THRESHOLD) {
        compress();
      }
    }
  }

  /** Values added, head included. */
  public long count() {
    return count + headSize;
  }

  /** Adds {@code other}'s values (their summary); {@code other} is compressed, not changed. */
  public void merge(QuantileSketch other) {
    compressIfNeeded();
    other.compressIfNeeded();
    if (other.count == 0) {
      return;
    }
    if (count == 0) {
      values = other.values.clone();
      gs = other.gs.clone();
      deltas = other.deltas.clone();
      size = other.size;
      count = other.count;
      compressed = true;
      return;
    }
    double mergedError = Math.max(relativeError, other.relativeError);
    long mergedCount = count + other.count;
    long selfExtra = (long) Math.floor(2 * other.relativeError * other.count);
    long otherExtra = (long) Math.floor(2 * relativeError * count);
    int total = size + other.size;
    double[] v = new double[total];
    long[] g = new long[total];
    long[] d = new long[total];
    int self = 0;
    int that = 0;
    int out = 0;
    while (self < size && that < other.size) {
      if (values[self] < other.values[that]) {
        v[out] = values[self];
        g[out] = gs[self];
        d[out] = deltas[self] + (that > 0 ? selfExtra : 0);
        self++;
      } else {
        v[out] = other.values[that];
        g[out] = other.gs[that];
        d[out] = other.deltas[that] + (self > 0 ? otherExtra : 0);
        that++;
      }
      out++;
    }
    for (; self < size; self++, out++) {
      v[out] = values[self];
      g[out] = gs[self];
      d[out] = deltas[self];
    }
    for (; that < other.size; that++, out++) {
      v[out] = other.values[that];
      g[out] = other.gs[that];
      d[out] = other.deltas[that];
    }
    values = v;
    gs = g;
    deltas = d;
    size = out;
    count = mergedCount;
    compressSamples(2 * mergedError * mergedCount);
    compressed = true;
  }

  /**
   * The values at {@code quantiles} (each in [0, 1]), in their order; null when no value was added.
   */
  public double[] query(double[] quantiles) {
    compressIfNeeded();
    if (size == 0) {
      return null;
    }
    long widest = Long.MIN_VALUE;
    for (int i = 0; i < size; i++) {
      widest = Math.max(widest, deltas[i] + gs[i]);
    }
    double targetError = widest / 2;
    Integer[] order = new Integer[quantiles.length];
    for (int i = 0; i < order.length; i++) {
      if (!(quantiles[i] >= 0 && quantiles[i] <= 1)) {
        throw new IllegalArgumentException("quantile must be in [0, 1], got " + quantiles[i]);
      }
      order[i] = i;
    }
    Arrays.sort(order, (a, b) -> Double.compare(quantiles[a], quantiles[b]));
    double[] result = new double[quantiles.length];
    int index = 0;
    long minRank = gs[0];
    for (int pos : order) {
      double quantile = quantiles[pos];
      if (quantile <= relativeError) {
        result[pos] = values[0];
      } else if (quantile >= 1 - relativeError) {
        result[pos] = values[size - 1];
      } else {
        long rank = (long) Math.ceil(quantile * count);
        int i = index;
        long rankAt = minRank;
        boolean found = false;
        while (i < size - 1) {
          long maxRank = rankAt + deltas[i];
          if (maxRank - targetError <= rank && rank <= rankAt + targetError) {
            found = true;
            break;
          }
          i++;
          rankAt += gs[i];
        }
        if (found) {
          index = i;
          minRank = rankAt;
          result[pos] = values[i];
        } else {
          index = size - 1;
          minRank = 0;
          result[pos] = values[size - 1];
        }
      }
    }
    return result;
  }

  private void compressIfNeeded() {
    if (!compressed) {
      compress();
    }
  }

  private void compress() {
    insertHead();
    compressSamples(2 * relativeError * count);
    compressed = true;
  }

  /** Sorts the head and inserts it into the samples, each new sample with g = 1. */
  private void insertHead() {
    if (headSize == 0) {
      return;
    }
    Arrays.sort(head, 0, headSize);
    int total = size + headSize;
    double[] v = new double[total];
    long[] g = new long[total];
    long[] d = new long[total];
    long currentCount = count;
    int sample = 0;
    int out = 0;
    for (int op = 0; op < headSize; op++) {
      double x = head[op];
      while (sample < size && values[sample] <= x) {
        v[out] = values[sample];
        g[out] = gs[sample];
        d[out] = deltas[sample];
        sample++;
        out++;
      }
      currentCount++;
      boolean edge = out == 0 || (sample == size && op == headSize - 1);
      v[out] = x;
      g[out] = 1;
      d[out] = edge ? 0 : (long) Math.floor(2 * relativeError * currentCount);
      out++;
    }
    for (; sample < size; sample++, out++) {
      v[out] = values[sample];
      g[out] = gs[sample];
      d[out] = deltas[sample];
    }
    values = v;
    gs = g;
    deltas = d;
    size = out;
    count = currentCount;
    headSize = 0;
    compressed = false;
  }

  /**
   * GK's COMPRESS: from the largest sample down, folds a sample into the next larger kept one while
   * their combined g and delta stay under {@code threshold}; the smallest and largest stay.
   */
  private void compressSamples(double threshold) {
    if (size == 0) {
      return;
    }
    // Kept samples fill the arrays from the end, then move to the front.
    int kept = size;
    double headValue = values[size - 1];
    long headG = gs[size - 1];
    long headDelta = deltas[size - 1];
    for (int i = size - 2; i >= 1; i--) {
      if (gs[i] + headG + headDelta < threshold) {
        headG += gs[i];
      } else {
        kept--;
        values[kept] = headValue;
        gs[kept] = headG;
        deltas[kept] = headDelta;
        headValue = values[i];
        headG = gs[i];
        headDelta = deltas[i];
      }
    }
    kept--;
    values[kept] = headValue;
    gs[kept] = headG;
    deltas[kept] = headDelta;
    if (values[0] <= headValue && size > 1) {
      kept--;
      // Every write above went to index 1 or higher: values[0] is intact.
      values[kept] = values[0];
      gs[kept] = gs[0];
      deltas[kept] = deltas[0];
    }
    int n = size - kept;
    System.arraycopy(values, kept, values, 0, n);
    System.arraycopy(gs, kept, gs, 0, n);
    System.arraycopy(deltas, kept, deltas, 0, n);
    size = n;
  }

  /**
   * What Java serialization writes: a compressed copy with arrays cut to size. The sketch itself is
   * not changed, so another thread may serialize it (Spark's heartbeat reports accumulators) while
   * its owner reads it.
   */
  private Object writeReplace() {
    QuantileSketch copy = new QuantileSketch(relativeError);
    copy.values = Arrays.copyOf(values, size);
    copy.gs = Arrays.copyOf(gs, size);
    copy.deltas = Arrays.copyOf(deltas, size);
    copy.size = size;
    copy.count = count;
    copy.compressed = compressed;
    if (headSize > 0) {
      copy.head = Arrays.copyOf(head, HEAD_SIZE);
      copy.headSize = headSize;
    }
    if (!copy.compressed) {
      copy.compress();
    }
    // Java serialization writes the copy as it is: it calls this again only for another class.
    return copy;
  }
}
