package dev.sluice.common.quality;

import org.apache.spark.SparkContext;
import org.apache.spark.util.AccumulatorV2;

/**
 * A batch's {@link ColumnProfiles}, gathered from the tasks of the action that computes its rows
 * (the raw table's write), so no pass of its own profiles them. Each task adds its partition's
 * profiles once, when it has read its last row, and Spark merges a result task's accumulators once,
 * from its successful attempt. Read the value after that action and before any other action
 * computes the same rows. Not named, so Spark's UI does not render it.
 */
public final class ProfileAccumulator extends AccumulatorV2<ColumnProfiles, ColumnProfiles> {
  private static final long serialVersionUID = 1L;
  private final ColumnProfiles.Layout layout;
  private ColumnProfiles profiles;

  private ProfileAccumulator(ColumnProfiles.Layout layout) {
    this.layout = layout;
  }

  /** A new accumulator of no rows, registered with the context. */
  public static ProfileAccumulator register(SparkContext context, ColumnProfiles.Layout layout) {
    ProfileAccumulator accumulator = new ProfileAccumulator(layout);
    context.register(accumulator);
    return accumulator;
  }

  /** The layout tasks build their partition's profiles with. */
  public ColumnProfiles.Layout layout() {
    return layout;
  }

  @Override
  public boolean isZero() {
    return profiles == null;
  }

  @Override
  public AccumulatorV2<ColumnProfiles, ColumnProfiles> copy() {
    ProfileAccumulator copy = new ProfileAccumulator(layout);
    if (profiles != null) {
      copy.profiles = layout.empty();
      copy.profiles.merge(profiles);
    }
    return copy;
  }

  @Override
  public void reset() {
    profiles = null;
  }

  /**
   * Adds a partition's profiles; the accumulator keeps them (no copy), so the task must not change
   * them after.
   */
  @Override
  public void add(ColumnProfiles partition) {
    if (profiles == null) {
      profiles = partition;
    } else {
      profiles.merge(partition);
    }
  }

  @Override
  public void merge(AccumulatorV2<ColumnProfiles, ColumnProfiles> other) {
    ColumnProfiles theirs = other.value();
    if (theirs != null) {
      add(theirs);
    }
  }

  /** The profiles of every row added so far; null before any task added. */
  @Override
  public ColumnProfiles value() {
    return profiles;
  }
}
