package dev.sluice.common.monitor;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.common.table.DriftMetricsTable;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import org.junit.jupiter.api.Test;

class DriftHistoryTest {
  private static final Instant FIRST = Instant.parse("2026-03-01T10:00:00.000001Z");
  private static final Instant SECOND = Instant.parse("2026-03-01T11:00:00Z");

  private static DriftMetricsTable.Entry row(
      String model,
      long version,
      String window,
      Instant scoredAt,
      String reference,
      String method,
      String feature) {
    return new DriftMetricsTable.Entry(
        model,
        version,
        window,
        scoredAt,
        reference,
        reference.equals(DriftMetricsTable.REFERENCE_BASELINE)
            ? Optional.empty()
            : Optional.of("w0"),
        feature,
        "numeric",
        method,
        Map.of(),
        10,
        10,
        0.5,
        OptionalDouble.of(0.2),
        "DRIFT",
        true,
        List.of("b1"),
        List.of(10L),
        List.of(10L),
        SECOND,
        "run-1");
  }

  private static DriftMetricsTable.Entry baseline(String window, Instant scoredAt, String feature) {
    return row("m", 2, window, scoredAt, DriftMetricsTable.REFERENCE_BASELINE, "psi", feature);
  }

  @Test
  void thePsiRowsAgainstTheBaselineOfOneVersionInScoringThenFeatureOrder() {
    // Written newest window first, features unordered. Spark orders strings by UTF-8 bytes, so
    // U+FFFD comes before an emoji (U+1F600); String.compareTo would put the emoji's surrogate
    // pair (U+D83D U+DE00) first.
    DriftMetricsTable.Entry laterB = baseline("w2", SECOND, "b");
    DriftMetricsTable.Entry laterA = baseline("w2", SECOND, "a");
    DriftMetricsTable.Entry firstReplacement = baseline("w1", FIRST, "\uFFFD");
    DriftMetricsTable.Entry firstEmoji = baseline("w1", FIRST, "\uD83D\uDE00");
    DriftMetricsTable.Entry firstA = baseline("w1", FIRST, "a");
    List<DriftMetricsTable.Entry> rows = new ArrayList<>();
    rows.add(laterB);
    rows.add(laterA);
    rows.add(firstEmoji);
    rows.add(firstReplacement);
    rows.add(firstA);
    // What the filter leaves out: another model, another version, the previous window, the test.
    rows.add(row("other", 2, "w1", FIRST, DriftMetricsTable.REFERENCE_BASELINE, "psi", "a"));
    rows.add(row("m", 1, "w1", FIRST, DriftMetricsTable.REFERENCE_BASELINE, "psi", "a"));
    rows.add(row("m", 2, "w2", SECOND, DriftMetricsTable.REFERENCE_PREVIOUS_WINDOW, "psi", "a"));
    rows.add(row("m", 2, "w1", FIRST, DriftMetricsTable.REFERENCE_BASELINE, "ks", "a"));

    assertThat(DriftHistory.againstBaseline(rows, "m", 2))
        .containsExactly(firstA, firstReplacement, firstEmoji, laterA, laterB);
  }

  @Test
  void nothingMonitoredHasNoRows() {
    assertThat(DriftHistory.againstBaseline(List.of(), "m", 2)).isEmpty();
  }
}
