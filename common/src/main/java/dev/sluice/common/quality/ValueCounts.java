package dev.sluice.common.quality;

import dev.sluice.common.table.DataProfilesTable.Frequency;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.spark.sql.Row;
import org.apache.spark.unsafe.types.UTF8String;

/**
 * Exact counts of a column's values: a profile's top values and distinct count without a grouped
 * query. The counts live in memory, so they stop at {@code limit} distinct values: past it they
 * give up ({@link #overflowed}) and the caller counts that column by a grouped query instead. The
 * counts are exact, so the result does not depend on how the rows were split into tasks or in which
 * order the tasks' counts were merged.
 */
public final class ValueCounts implements Serializable {
  private static final long serialVersionUID = 1L;
  private final int limit;
  // Counts in one-element arrays, incremented in place: no boxed count per value.
  private HashMap<String, long[]> byValue = new HashMap<>();
  private long nulls;
  private boolean overflowed;

  public ValueCounts(int limit) {
    if (limit < 1) {
      throw new IllegalArgumentException("limit must be at least 1, got " + limit);
    }
    this.limit = limit;
  }

  /** Counts a value; null counts as a null. */
  public void add(String value) {
    if (value == null) {
      nulls++;
    } else if (!overflowed) {
      long[] count = byValue.get(value);
      if (count != null) {
        count[0]++;
      } else {
        byValue.put(value, new long[] {1});
        overflowIfPastLimit();
      }
    }
  }

  /** Adds {@code other}'s counts; {@code other} is not changed. */
  public void merge(ValueCounts other) {
    nulls += other.nulls;
    overflowed |= other.overflowed;
    if (!overflowed) {
      other.byValue.forEach(
          (value, count) -> {
            long[] mine = byValue.get(value);
            if (mine != null) {
              mine[0] += count[0];
            } else {
              byValue.put(value, new long[] {count[0]});
            }
          });
    }
    overflowIfPastLimit();
  }

  private void overflowIfPastLimit() {
    if (overflowed || byValue.size() > limit) {
      giveUp();
    }
  }

  /** Stops counting, as past the limit: the caller counts the column's values another way. */
  public void giveUp() {
    overflowed = true;
    byValue = new HashMap<>();
  }

  /** Whether more than {@code limit} distinct values came, and the counts were dropped. */
  public boolean overflowed() {
    return overflowed;
  }

  /** Nulls counted. */
  public long nulls() {
    return nulls;
  }

  /** Count by non-null value; empty once overflowed. */
  public Map<String, Long> byValue() {
    Map<String, Long> counts = new HashMap<>();
    byValue.forEach((value, count) -> counts.put(value, count[0]));
    return Collections.unmodifiableMap(counts);
  }

  /**
   * The top {@code k} values with their counts, most frequent first, ties by value in Spark's
   * string order (UTF-8 bytes) with the null last, as a grouped query orders them; empty when the
   * counts overflowed.
   */
  public Optional<Top> top(int k) {
    if (overflowed) {
      return Optional.empty();
    }
    List<Map.Entry<String, Long>> entries = new ArrayList<>(byValue().entrySet());
    if (nulls > 0) {
      entries.add(new java.util.AbstractMap.SimpleImmutableEntry<>(null, nulls));
    }
    entries.sort(
        Map.Entry.<String, Long>comparingByValue(Comparator.reverseOrder())
            .thenComparing(
                Map.Entry::getKey,
                Comparator.nullsLast(
                    Comparator.comparing((String s) -> UTF8String.fromString(s)))));
    List<Frequency> top = new ArrayList<>();
    for (Map.Entry<String, Long> entry : entries.subList(0, Math.min(k, entries.size()))) {
      top.add(new Frequency(Optional.ofNullable(entry.getKey()), entry.getValue()));
    }
    return Optional.of(new Top(top, byValue.size()));
  }

  /** A column's top values with their counts and its exact count of non-null values. */
  public record Top(List<Frequency> frequencies, long distinct) {
    public Top {
      frequencies = List.copyOf(frequencies);
    }

    /** The top values as {@code (value, count)} rows of {@code data_profiles.top_values}. */
    public List<Row> values() {
      return frequencies.stream().map(Frequency::toRow).toList();
    }
  }
}
