package dev.sluice.common.quality;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class ValueCountsTest {
  private final ValueCounts counts = new ValueCounts(2);

  @Test
  void countsValuesAndNullsAcrossMergedTasks() {
    ValueCounts.Counts a = counts.reduce(counts.reduce(counts.zero(), "x"), null);
    ValueCounts.Counts b = counts.reduce(counts.reduce(counts.zero(), "y"), "x");

    ValueCounts.Counted counted = counts.finish(counts.merge(a, b));

    assertThat(counted.isOverflowed()).isFalse();
    assertThat(counted.getCounts()).isEqualTo(Map.of("x", 2L, "y", 1L));
    assertThat(counted.getNulls()).isEqualTo(1);
  }

  @Test
  void aTaskPastTheLimitGivesUpButStillCountsNulls() {
    ValueCounts.Counts task = counts.zero();
    for (String value : new String[] {"a", "b", "c", null, "a"}) {
      task = counts.reduce(task, value);
    }

    ValueCounts.Counted counted = counts.finish(task);

    assertThat(counted.isOverflowed()).isTrue();
    assertThat(counted.getCounts()).isNull();
    assertThat(counted.getNulls()).isEqualTo(1);
  }

  @Test
  void tasksWithinTheLimitOverflowOnceMergedPastIt() {
    ValueCounts.Counts a = counts.reduce(counts.reduce(counts.zero(), "a"), "b");
    ValueCounts.Counts b = counts.reduce(counts.zero(), "c");
    ValueCounts.Counts same = counts.reduce(counts.zero(), "a");

    assertThat(counts.finish(counts.merge(a, same)).isOverflowed()).isFalse();
    assertThat(counts.finish(counts.merge(a, b)).isOverflowed()).isTrue();
    // An overflowed side overflows the merge, whichever side it is.
    ValueCounts.Counts overflowed = counts.merge(counts.reduce(counts.zero(), "a"), b);
    overflowed = counts.merge(overflowed, counts.reduce(counts.zero(), "z"));
    assertThat(counts.finish(counts.merge(counts.zero(), overflowed)).isOverflowed()).isTrue();
  }
}
