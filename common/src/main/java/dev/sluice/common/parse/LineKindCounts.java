package dev.sluice.common.parse;

import java.io.Serializable;
import java.util.EnumMap;
import java.util.Map;
import org.apache.spark.SparkContext;
import org.apache.spark.util.LongAccumulator;

/**
 * How many lines of each kind a parse produced, counted by its tasks on the way of the action that
 * consumes the parsed rows (the raw table's write), so no separate pass counts them.
 *
 * <p>Each task counts in local variables and adds its totals to one Spark accumulator per kind when
 * it has read its last line. Spark merges a result task's accumulators once, from its successful
 * attempt, so retried tasks are not counted twice. Read the counts after that action and before any
 * other action computes the same rows: each computation adds to them.
 */
public final class LineKindCounts implements Serializable {
  private static final long serialVersionUID = 1L;

  private final LongAccumulator[] byKind;

  private LineKindCounts(LongAccumulator[] byKind) {
    this.byKind = byKind;
  }

  /** New counts, at zero, registered with the context under {@code name}. */
  public static LineKindCounts register(SparkContext context, String name) {
    LongAccumulator[] byKind = new LongAccumulator[LineKind.values().length];
    for (LineKind kind : LineKind.values()) {
      byKind[kind.ordinal()] = context.longAccumulator(name + " " + kind.name());
    }
    return new LineKindCounts(byKind);
  }

  /** Adds one task's counts, indexed by {@link LineKind#ordinal()}. */
  void add(long[] counts) {
    for (int i = 0; i < counts.length; i++) {
      if (counts[i] != 0) {
        byKind[i].add(counts[i]);
      }
    }
  }

  /** The counts so far, for every kind (zero included). */
  public Map<LineKind, Long> value() {
    Map<LineKind, Long> value = new EnumMap<>(LineKind.class);
    for (LineKind kind : LineKind.values()) {
      value.put(kind, byKind[kind.ordinal()].value());
    }
    return value;
  }
}
