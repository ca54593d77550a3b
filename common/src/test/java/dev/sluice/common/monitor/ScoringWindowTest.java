package dev.sluice.common.monitor;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ScoringWindowTest {
  private static final ScoringWindow EARLY =
      new ScoringWindow(
          "run-b", "adult_raw", 3, Timestamp.from(Instant.parse("2026-11-30T10:00:00.000001Z")));
  private static final ScoringWindow LATE =
      new ScoringWindow(
          "run-a", "files:0f3a", 0, Timestamp.from(Instant.parse("2026-11-30T11:00:00Z")));

  /** The transactions one scoring commit records: its key and its window. */
  private static Map<String, Long> scored(
      Map<String, Long> transactions, String model, long version, ScoringWindow window, long rows) {
    transactions.put(
        ScoringWindow.scoringKey(model, version, window.inputTable(), window.inputVersion(), ""),
        1L);
    transactions.putAll(window.marks(model, version, rows));
    return transactions;
  }

  @Test
  void windowsAreListedFromTheirTransactionsInScoringOrderWithTheirExactTimes() {
    Map<String, Long> transactions = new HashMap<>();
    scored(transactions, "m", 1, LATE, 10);
    scored(transactions, "m", 1, EARLY, -1);
    // Another version's and another model's windows, and other writers, are not this version's.
    scored(transactions, "m", 2, new ScoringWindow("run-c", "t", 1, LATE.scoredAt()), 5);
    scored(transactions, "m1", 1, new ScoringWindow("run-d", "t", 1, LATE.scoredAt()), 5);
    transactions.put("monitor/m/v1/run-a", 1L);

    // Rows unknown (-1) still make a window; the microsecond survives.
    assertThat(ScoringWindow.fromTransactions(transactions, "m", 1))
        .hasValue(java.util.List.of(EARLY, LATE));
    assertThat(ScoringWindow.fromTransactions(transactions, "m", 3)).hasValue(java.util.List.of());
  }

  @Test
  void aWindowWithoutRowsIsNotListed() {
    Map<String, Long> transactions = scored(new HashMap<>(), "m", 1, EARLY, 0);
    scored(transactions, "m", 1, LATE, 7);
    assertThat(ScoringWindow.fromTransactions(transactions, "m", 1))
        .hasValue(java.util.List.of(LATE));
  }

  @Test
  void windowsAreNotListedFromTransactionsWhenAScoringDidNotRecordItsWindow() {
    Map<String, Long> transactions = scored(new HashMap<>(), "m", 1, EARLY, 3);
    // A scoring before windows were recorded: its key only.
    transactions.put(ScoringWindow.scoringKey("m", 1, "adult_raw", 9, "source = 'x'"), 1L);
    assertThat(ScoringWindow.fromTransactions(transactions, "m", 1)).isEmpty();

    // A window no scoring key pairs with.
    Map<String, Long> unpaired = new HashMap<>(EARLY.marks("m", 1, 3));
    assertThat(ScoringWindow.fromTransactions(unpaired, "m", 1)).isEmpty();
  }

  @Test
  void aWindowSluiceDidNotWriteIsNotTrusted() {
    for (String written :
        new String[] {
          "not json",
          "{\"id\":\"r\",\"input_table\":\"t\",\"input_version\":1}",
          "{\"id\":\"r\",\"input_table\":\"t\",\"input_version\":\"x\",\"scored_at\":\"2026-11-30T10:00:00Z\"}",
          "{\"id\":\"r\",\"input_table\":\"t\",\"input_version\":1,\"scored_at\":\"yesterday\"}"
        }) {
      Map<String, Long> transactions = new HashMap<>();
      transactions.put(ScoringWindow.scoringKey("m", 1, "t", 1, ""), 1L);
      transactions.put("window/m/v1/" + written, 4L);
      assertThat(ScoringWindow.fromTransactions(transactions, "m", 1)).as(written).isEmpty();
    }
  }
}
