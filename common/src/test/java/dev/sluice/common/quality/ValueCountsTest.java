package dev.sluice.common.quality;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;

class ValueCountsTest {
  private static ValueCounts counted(String... values) {
    ValueCounts counts = new ValueCounts(2);
    for (String value : values) {
      counts.add(value);
    }
    return counts;
  }

  @Test
  void countsValuesAndNullsAcrossMergedTasks() {
    ValueCounts a = counted("x", null);
    a.merge(counted("y", "x"));

    assertThat(a.overflowed()).isFalse();
    assertThat(a.byValue()).isEqualTo(Map.of("x", 2L, "y", 1L));
    assertThat(a.nulls()).isEqualTo(1);
  }

  @Test
  void aTaskPastTheLimitGivesUpButStillCountsNulls() {
    ValueCounts task = counted("a", "b", "c", null, "a");

    assertThat(task.overflowed()).isTrue();
    assertThat(task.byValue()).isEmpty();
    assertThat(task.nulls()).isEqualTo(1);
    assertThat(task.top(10)).isEmpty();
  }

  @Test
  void tasksWithinTheLimitOverflowOnceMergedPastIt() {
    ValueCounts a = counted("a", "b");
    a.merge(counted("a"));
    assertThat(a.overflowed()).isFalse();
    a.merge(counted("c"));
    assertThat(a.overflowed()).isTrue();
    // An overflowed side overflows the merge, whichever side it is.
    ValueCounts empty = counted();
    empty.merge(a);
    assertThat(empty.overflowed()).isTrue();
  }

  @Test
  void topValuesByCountThenSparksStringOrderWithTheNullLast() {
    ValueCounts counts = new ValueCounts(10);
    // U+FF61 sorts before U+1F600 in UTF-8 bytes (Spark), after it in UTF-16 (Java's String).
    for (String value : new String[] {"\uD83D\uDE00", "\uFF61", null, "b", "b", "a", "a"}) {
      counts.add(value);
    }

    ValueCounts.Top top = counts.top(5).orElseThrow();

    assertThat(top.values())
        .extracting(Row::toString)
        .containsExactly("[a,2]", "[b,2]", "[\uFF61,1]", "[\uD83D\uDE00,1]", "[null,1]");
    assertThat(top.distinct()).isEqualTo(4);
    assertThat(counts.top(1).orElseThrow().values())
        .extracting(Row::toString)
        .containsExactly("[a,2]");
  }
}
