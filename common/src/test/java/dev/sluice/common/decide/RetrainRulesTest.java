package dev.sluice.common.decide;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.common.decide.RetrainRules.Facts;
import dev.sluice.common.decide.RetrainRules.Settings;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RetrainRulesTest {
  private static final Instant NOW = Instant.parse("2026-11-23T12:00:00Z");
  private static final Settings TWO_OF_THREE = new Settings(2, 3, 0, 0, 24);

  private static Facts drift(List<Set<String>> windows, Optional<Instant> lastRetrain) {
    return new Facts(windows, NOW.minusSeconds(3600), 0, lastRetrain, NOW);
  }

  @Test
  void twoOfTheLastThreeWindowsFire() {
    RetrainRules.Decision decision =
        RetrainRules.decide(
            TWO_OF_THREE,
            drift(List.of(Set.of(), Set.of("x1"), Set.of(), Set.of("x1")), Optional.empty()));
    assertThat(decision.retrain()).isTrue();
    assertThat(decision.rules().get(0).value()).isEqualTo(2.0);
    assertThat(decision.reason()).isEqualTo("fired [drift_persistence]");
  }

  @Test
  void driftOutsideTheLastNWindowsDoesNotCount() {
    // x1 drifted in windows 1 and 2 of 5; the last three hold it once.
    RetrainRules.Decision decision =
        RetrainRules.decide(
            TWO_OF_THREE,
            drift(
                List.of(Set.of("x1"), Set.of("x1"), Set.of(), Set.of("x1"), Set.of()),
                Optional.empty()));
    assertThat(decision.retrain()).isFalse();
    assertThat(decision.reason()).isEqualTo("no rule fired");
  }

  @Test
  void differentFeaturesDoNotAddUp() {
    RetrainRules.Decision decision =
        RetrainRules.decide(
            TWO_OF_THREE,
            drift(List.of(Set.of("x1"), Set.of("x2"), Set.of("c")), Optional.empty()));
    assertThat(decision.retrain()).isFalse();
  }

  @Test
  void cooldownHoldsAFiredRuleBack() {
    List<Set<String>> persistent = List.of(Set.of("x1"), Set.of("x1"), Set.of("x1"));
    RetrainRules.Decision cooling =
        RetrainRules.decide(
            TWO_OF_THREE, drift(persistent, Optional.of(NOW.minusSeconds(23 * 3600))));
    assertThat(cooling.retrain()).isFalse();
    assertThat(cooling.reason()).isEqualTo("fired [drift_persistence] but within the cooldown");
    RetrainRules.Decision after =
        RetrainRules.decide(
            TWO_OF_THREE, drift(persistent, Optional.of(NOW.minusSeconds(25 * 3600))));
    assertThat(after.retrain()).isTrue();
  }

  @Test
  void staleSnapshotAndNewRows() {
    Settings settings = new Settings(2, 3, 30, 1000, 24);
    Facts old = new Facts(List.of(), NOW.minusSeconds(31L * 24 * 3600), 10, Optional.empty(), NOW);
    assertThat(RetrainRules.decide(settings, old).reason()).isEqualTo("fired [snapshot_age_days]");
    Facts grown = new Facts(List.of(), NOW.minusSeconds(3600), 1000, Optional.empty(), NOW);
    assertThat(RetrainRules.decide(settings, grown).reason()).isEqualTo("fired [new_rows]");
    Facts quiet = new Facts(List.of(), NOW.minusSeconds(3600), 999, Optional.empty(), NOW);
    assertThat(RetrainRules.decide(settings, quiet).retrain()).isFalse();
  }

  private static Facts labelled(double value, double testValue, boolean largerIsBetter) {
    return new Facts(
        List.of(),
        NOW.minusSeconds(3600),
        0,
        Optional.empty(),
        NOW,
        Optional.of(new RetrainRules.Observed("m", value, testValue, largerIsBetter, "w7", 500)));
  }

  @Test
  void performanceBelowTheFloorOrDroppedFromTheTestMetricFires() {
    Settings floor =
        new Settings(
            2, 3, 0, 0, 24, java.util.OptionalDouble.of(0.85), java.util.OptionalDouble.empty());
    assertThat(RetrainRules.decide(floor, labelled(0.84, 0.86, true)).reason())
        .isEqualTo("fired [performance_floor]");
    assertThat(RetrainRules.decide(floor, labelled(0.85, 0.86, true)).retrain()).isFalse();
    // rmse: smaller is better, so the floor is a ceiling.
    assertThat(RetrainRules.decide(floor, labelled(0.86, 0.5, false)).retrain()).isTrue();

    Settings drop =
        new Settings(
            2, 3, 0, 0, 24, java.util.OptionalDouble.empty(), java.util.OptionalDouble.of(0.05));
    RetrainRules.Decision dropped = RetrainRules.decide(drop, labelled(0.80, 0.90, true));
    assertThat(dropped.reason()).isEqualTo("fired [performance_drop]");
    assertThat(dropped.rules().get(1).value())
        .isCloseTo(0.10, org.assertj.core.api.Assertions.within(1e-12));
    assertThat(RetrainRules.decide(drop, labelled(0.86, 0.90, true)).retrain()).isFalse();
    // An error that grew by 0.1 is a drop of 0.1.
    assertThat(RetrainRules.decide(drop, labelled(0.6, 0.5, false)).retrain()).isTrue();
  }

  @Test
  void withoutLabelledWindowsThePerformanceRulesAreReportedNotFired() {
    Settings both =
        new Settings(
            2, 3, 0, 0, 24, java.util.OptionalDouble.of(0.85), java.util.OptionalDouble.of(0.05));
    RetrainRules.Decision decision = RetrainRules.decide(both, drift(List.of(), Optional.empty()));
    assertThat(decision.retrain()).isFalse();
    assertThat(decision.rules())
        .extracting(RetrainRules.Rule::name, RetrainRules.Rule::fired, RetrainRules.Rule::detail)
        .containsExactly(
            org.assertj.core.api.Assertions.tuple(
                "drift_persistence",
                false,
                "most windows of the last 0 in which one feature drifted; persistent: []"),
            org.assertj.core.api.Assertions.tuple(
                "performance_floor", false, "no window with enough labelled rows yet"),
            org.assertj.core.api.Assertions.tuple(
                "performance_drop", false, "no window with enough labelled rows yet"));
  }
}
