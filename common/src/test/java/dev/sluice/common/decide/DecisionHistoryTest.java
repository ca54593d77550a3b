package dev.sluice.common.decide;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.common.table.PerformanceMetricsTable;
import dev.sluice.common.table.RetrainDecisionsTable;
import java.time.Instant;
import java.util.List;
import java.util.OptionalDouble;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class DecisionHistoryTest {
  private static final Instant T0 = Instant.parse("2026-03-01T00:00:00Z");

  private static Instant hours(long hours) {
    return T0.plusSeconds(hours * 3600);
  }

  private static RetrainDecisionsTable.Entry decision(
      Instant at, String model, String mode, String verdict) {
    return new RetrainDecisionsTable.Entry(at, "run", model, 1, mode, List.of(), verdict, "why");
  }

  private static PerformanceMetricsTable.Entry performance(
      String model,
      long version,
      String window,
      Instant scoredAt,
      long labelledRows,
      String metric,
      double value) {
    return new PerformanceMetricsTable.Entry(
        model,
        version,
        window,
        scoredAt,
        OptionalLong.of(3),
        1000,
        labelledRows,
        metric,
        value,
        OptionalDouble.of(0.9),
        1,
        2,
        3,
        hours(100),
        "run");
  }

  @Test
  void theLastRetrainIsTheLatestEnabledRetrainOfTheModel() {
    List<RetrainDecisionsTable.Entry> decisions =
        List.of(
            decision(hours(1), "m", RetrainDecisionsTable.MODE_ENABLED, "RETRAIN"),
            decision(hours(3), "m", RetrainDecisionsTable.MODE_ENABLED, "RETRAIN"),
            decision(hours(2), "m", RetrainDecisionsTable.MODE_ENABLED, "RETRAIN"),
            // Later, but none of them counts: a dry run, no retrain, another model.
            decision(hours(4), "m", RetrainDecisionsTable.MODE_DRY_RUN, "RETRAIN"),
            decision(hours(5), "m", RetrainDecisionsTable.MODE_ENABLED, "NO_RETRAIN"),
            decision(hours(6), "other", RetrainDecisionsTable.MODE_ENABLED, "RETRAIN"));

    assertThat(DecisionHistory.lastRetrain(decisions, "m")).contains(hours(3));
    assertThat(DecisionHistory.lastRetrain(decisions, "none")).isEmpty();
    assertThat(DecisionHistory.lastRetrain(List.of(), "m")).isEmpty();
  }

  @Test
  void thePerformanceIsTheLatestWindowsRowWithMostLabelsAndEnoughOfThem() {
    PerformanceMetricsTable.Entry early = performance("m", 2, "w1", hours(1), 500, "auc", 0.1);
    PerformanceMetricsTable.Entry fewer = performance("m", 2, "w2", hours(2), 200, "auc", 0.2);
    PerformanceMetricsTable.Entry most = performance("m", 2, "w2", hours(2), 300, "auc", 0.3);
    List<PerformanceMetricsTable.Entry> rows =
        List.of(
            early,
            most,
            fewer,
            // Later windows the filter leaves out: too few labels, another metric, version, model.
            performance("m", 2, "w3", hours(3), 99, "auc", 0.4),
            performance("m", 2, "w3", hours(3), 500, "f1", 0.5),
            performance("m", 1, "w3", hours(3), 500, "auc", 0.6),
            performance("other", 2, "w3", hours(3), 500, "auc", 0.7));

    assertThat(DecisionHistory.latestPerformance(rows, "m", 2, "auc", 100)).contains(most);
    // The minimum itself is enough.
    assertThat(DecisionHistory.latestPerformance(rows, "m", 2, "auc", 300)).contains(most);
    // Above the second window's labels, the first window is the latest with enough of them.
    assertThat(DecisionHistory.latestPerformance(rows, "m", 2, "auc", 301)).contains(early);
    assertThat(DecisionHistory.latestPerformance(rows, "m", 2, "auc", 501)).isEmpty();
    assertThat(DecisionHistory.latestPerformance(List.of(), "m", 2, "auc", 0)).isEmpty();
  }
}
