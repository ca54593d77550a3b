package dev.sluice.common.quality;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Encoder;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.expressions.Aggregator;
import org.apache.spark.sql.functions;
import org.apache.spark.unsafe.types.UTF8String;

/**
 * Exact counts of a string column's values, as an aggregate a write can compute as it goes ({@code
 * Dataset.observe}): a profile's top values and distinct count without a grouped query after the
 * write. The counts live in each task's memory, so they stop at {@code limit} distinct values: past
 * it the aggregate gives up ({@link Counted#overflowed}) and the caller counts that column by a
 * grouped query instead. The counts are exact, so the result does not depend on how the rows were
 * split into tasks or in which order the tasks' counts were merged.
 */
public final class ValueCounts extends Aggregator<String, ValueCounts.Counts, ValueCounts.Counted> {
  private final int limit;

  ValueCounts(int limit) {
    if (limit < 1) {
      throw new IllegalArgumentException("limit must be at least 1, got " + limit);
    }
    this.limit = limit;
  }

  /** The aggregate of {@code column}'s values as strings, giving up past {@code limit} values. */
  public static Column of(Column column, int limit) {
    return functions.udaf(new ValueCounts(limit), Encoders.STRING()).apply(column.cast("string"));
  }

  /** A task's counts: by non-null value, the nulls, and whether {@code limit} was passed. */
  public static final class Counts implements Serializable {
    private static final long serialVersionUID = 1L;
    private HashMap<String, Long> byValue = new HashMap<>();
    private long nulls;
    private boolean overflowed;
  }

  @Override
  public Counts zero() {
    return new Counts();
  }

  @Override
  public Counts reduce(Counts counts, String value) {
    if (value == null) {
      counts.nulls++;
    } else if (!counts.overflowed) {
      counts.byValue.merge(value, 1L, Long::sum);
      overflowIfPastLimit(counts);
    }
    return counts;
  }

  @Override
  public Counts merge(Counts a, Counts b) {
    a.nulls += b.nulls;
    a.overflowed |= b.overflowed;
    if (!a.overflowed) {
      b.byValue.forEach((value, count) -> a.byValue.merge(value, count, Long::sum));
    }
    overflowIfPastLimit(a);
    return a;
  }

  private void overflowIfPastLimit(Counts counts) {
    if (counts.overflowed || counts.byValue.size() > limit) {
      counts.overflowed = true;
      counts.byValue = new HashMap<>();
    }
  }

  @Override
  public Counted finish(Counts counts) {
    Counted counted = new Counted();
    counted.setCounts(counts.overflowed ? null : counts.byValue);
    counted.setNulls(counts.nulls);
    counted.setOverflowed(counts.overflowed);
    return counted;
  }

  @Override
  public Encoder<Counts> bufferEncoder() {
    return Encoders.javaSerialization(Counts.class);
  }

  @Override
  public Encoder<Counted> outputEncoder() {
    return Encoders.bean(Counted.class);
  }

  /**
   * The result, a struct of {@code counts} (map of non-null value to count, null once overflowed),
   * {@code nulls} and {@code overflowed}.
   */
  public static final class Counted implements Serializable {
    private static final long serialVersionUID = 1L;
    private Map<String, Long> counts;
    private long nulls;
    private boolean overflowed;

    public Map<String, Long> getCounts() {
      return counts;
    }

    public void setCounts(Map<String, Long> counts) {
      this.counts = counts;
    }

    public long getNulls() {
      return nulls;
    }

    public void setNulls(long nulls) {
      this.nulls = nulls;
    }

    public boolean isOverflowed() {
      return overflowed;
    }

    public void setOverflowed(boolean overflowed) {
      this.overflowed = overflowed;
    }
  }

  /**
   * The top {@code k} values of a result struct as {@code (value, count)} rows, most frequent
   * first, ties by value in Spark's string order with the null last (as the grouped query orders
   * them); empty when the aggregate overflowed.
   */
  public static java.util.Optional<Top> top(Row counted, int k) {
    if (counted.getBoolean(counted.fieldIndex("overflowed"))) {
      return java.util.Optional.empty();
    }
    Map<String, Long> byValue = counted.getJavaMap(counted.fieldIndex("counts"));
    long nulls = counted.getLong(counted.fieldIndex("nulls"));
    List<Map.Entry<String, Long>> entries = new ArrayList<>(byValue.entrySet());
    if (nulls > 0) {
      entries.add(new java.util.AbstractMap.SimpleImmutableEntry<>(null, nulls));
    }
    entries.sort(
        Map.Entry.<String, Long>comparingByValue(Comparator.reverseOrder())
            .thenComparing(
                Map.Entry::getKey,
                Comparator.nullsLast(
                    Comparator.comparing((String s) -> UTF8String.fromString(s)))));
    List<Row> top = new ArrayList<>();
    for (Map.Entry<String, Long> entry : entries.subList(0, Math.min(k, entries.size()))) {
      top.add(RowFactory.create(entry.getKey(), entry.getValue()));
    }
    return java.util.Optional.of(new Top(top, byValue.size()));
  }

  /**
   * A column's top values as {@code (value, count)} rows and its exact count of non-null values.
   */
  public record Top(List<Row> values, long distinct) {}
}
