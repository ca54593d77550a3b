package dev.sluice.jobs.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.common.parse.LineKind;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BatchCountsTest {
  @Test
  void kindsWithoutLinesAreLeftOutAndSkippedLinesAreSummed() {
    BatchCounts counts =
        BatchCounts.of(
            Map.of(
                LineKind.ACCEPTED, 5L,
                LineKind.QUARANTINED, 2L,
                LineKind.BLANK, 3L,
                LineKind.COMMENT, 0L,
                LineKind.HEADER, 1L));

    assertThat(counts.byKind())
        .isEqualTo(Map.of("ACCEPTED", 5L, "QUARANTINED", 2L, "BLANK", 3L, "HEADER", 1L));
    assertThat(counts.dataRows()).isEqualTo(7);
    assertThat(counts.skipped()).isEqualTo(4);
    assertThat(counts.skippedByKind())
        .containsExactly(Map.entry("BLANK", 3L), Map.entry("HEADER", 1L));
    assertThat(counts.total()).isEqualTo(11);
    assertThat(counts.reasons()).isEmpty();
  }

  @Test
  void noLineReadCountsNothing() {
    assertThat(BatchCounts.NONE.total()).isZero();
    assertThat(BatchCounts.NONE.skippedByKind()).isEmpty();
  }
}
