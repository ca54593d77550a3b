package dev.sluice.common.decide;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.common.table.Check;
import dev.sluice.common.table.PerformanceMetricsTable;
import dev.sluice.common.table.RetrainDecisionsTable;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
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

    Optional<Instant> trained = Optional.of(hours(7));
    assertThat(DecisionHistory.lastRetrain(decisions, "m", trained)).contains(hours(3));
    assertThat(DecisionHistory.lastRetrain(decisions, "none", trained)).isEmpty();
    assertThat(DecisionHistory.lastRetrain(List.of(), "m", trained)).isEmpty();
    // A retrain counts only once a version was trained after it: the newest at hour 2.5 leaves
    // the decisions of hours 1 and 2; none, no decision.
    assertThat(DecisionHistory.lastRetrain(decisions, "m", Optional.of(hours(2).plusSeconds(1800))))
        .contains(hours(2));
    assertThat(DecisionHistory.lastRetrain(decisions, "m", Optional.empty())).isEmpty();
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

  @Test
  void aDecisionRepeatsTheLastOnlyOnTheSameEvidenceWhateverTheClock() {
    Check drift = new Check("drift_persistence", 1, 2, false, "");
    RetrainDecisionsTable.Entry last =
        new RetrainDecisionsTable.Entry(
            hours(1),
            "run-1",
            "m",
            1,
            RetrainDecisionsTable.MODE_ENABLED,
            List.of(drift, new Check("snapshot_age_days", 1.5, 30, false, "")),
            "NO_RETRAIN",
            "no rule fired");
    RetrainDecisionsTable.Entry later =
        new RetrainDecisionsTable.Entry(
            hours(9),
            "run-2",
            "m",
            1,
            RetrainDecisionsTable.MODE_ENABLED,
            List.of(drift, new Check("snapshot_age_days", 1.9, 30, false, "")),
            "NO_RETRAIN",
            "no rule fired");
    assertThat(DecisionHistory.repeats(last, later)).isTrue();
    RetrainDecisionsTable.Entry drifted =
        new RetrainDecisionsTable.Entry(
            hours(9),
            "run-2",
            "m",
            1,
            RetrainDecisionsTable.MODE_ENABLED,
            List.of(new Check("drift_persistence", 2, 2, true, ""), later.rules().get(1)),
            "RETRAIN",
            "fired [drift_persistence]");
    assertThat(DecisionHistory.repeats(last, drifted)).isFalse();
    RetrainDecisionsTable.Entry newChampion =
        new RetrainDecisionsTable.Entry(
            hours(9),
            "run-2",
            "m",
            2,
            RetrainDecisionsTable.MODE_ENABLED,
            later.rules(),
            "NO_RETRAIN",
            "no rule fired");
    assertThat(DecisionHistory.repeats(last, newChampion)).isFalse();
  }
}
