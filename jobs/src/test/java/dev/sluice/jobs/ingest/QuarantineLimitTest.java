package dev.sluice.jobs.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.common.parse.LineKind;
import dev.sluice.common.settings.IngestSettings.QuarantinePolicy;
import java.util.Map;
import org.junit.jupiter.api.Test;

class QuarantineLimitTest {
  private static BatchCounts counts(long accepted, long quarantined) {
    return BatchCounts.of(
        Map.of(LineKind.ACCEPTED, accepted, LineKind.QUARANTINED, quarantined, LineKind.BLANK, 7L));
  }

  @Test
  void aRateLimitRejectsOnlyAShareAboveIt() {
    QuarantineLimit limit = new QuarantineLimit(QuarantinePolicy.QUARANTINE, 0.1);

    // Blank lines are no data rows: 10 of 100 is 0.1, not above it; 11 of 100 is.
    assertThat(limit.exceededBy(counts(90, 10))).isFalse();
    assertThat(limit.exceededBy(counts(89, 11))).isTrue();
    assertThat(limit.exceededBy(counts(0, 0))).isFalse();
  }

  @Test
  void failFastRejectsAnyQuarantinedRow() {
    QuarantineLimit limit = new QuarantineLimit(QuarantinePolicy.FAIL_FAST, 0.5);

    assertThat(limit.exceededBy(counts(99, 1))).isTrue();
    assertThat(limit.exceededBy(counts(100, 0))).isFalse();
  }

  @Test
  void theErrorNamesTheFiveMostFrequentReasons() {
    BatchCounts counts =
        counts(89, 11).withReasons(Map.of("a", 1L, "b", 5L, "c", 3L, "d", 2L, "e", 4L, "f", 6L));

    assertThat(new QuarantineLimit(QuarantinePolicy.QUARANTINE, 0.1).error("b1", counts))
        .hasMessageStartingWith(
            "Rejected batch b1: 11 of 100 data rows (11.00%) failed validation, above the allowed"
                + " 10.00% (sluice.ingest.quarantine.max-rate). Top reasons: f=6, b=5, e=4, c=3,"
                + " d=2. Nothing was written.");
    assertThat(new QuarantineLimit(QuarantinePolicy.FAIL_FAST, 0.1).error("b1", counts))
        .hasMessageContaining("above the allowed 0.00%");
  }
}
