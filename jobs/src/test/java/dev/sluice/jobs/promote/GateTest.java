package dev.sluice.jobs.promote;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.common.settings.PromoteSettings;
import dev.sluice.common.testing.TestSpecs;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;

class GateTest {
  private static final int N = 400;

  private final PromoteSettings settings =
      PromoteSettings.from(
          TestSpecs.load(
              TestSpecs.TINY,
              Map.of(
                  "sluice.promote.slices.columns", "[sex]",
                  "sluice.promote.slices.min-rows", "50",
                  "sluice.promote.min-metric", "0.6")));

  private final double[] labels = new double[N];
  private final String[] sex = new String[N];

  GateTest() {
    for (int i = 0; i < N; i++) {
      labels[i] = i % 2;
      sex[i] = i < N / 2 ? "Male" : "Female";
    }
  }

  /** Scores that rank positives above negatives with the given noise: more noise, lower AUC. */
  private double[] scores(double noise, long seed, int from, int to) {
    Random random = new Random(seed);
    double[] scores = new double[N];
    for (int i = 0; i < N; i++) {
      double spread = i >= from && i < to ? noise : 0.2;
      scores[i] = labels[i] + spread * random.nextGaussian();
    }
    return scores;
  }

  private static double[] predictions(double[] scores) {
    double[] predictions = new double[scores.length];
    for (int i = 0; i < scores.length; i++) {
      predictions[i] = scores[i] > 0.5 ? 1 : 0;
    }
    return predictions;
  }

  private Gate.Decision decide(double[] challenger, double[] champion) {
    return decide(settings, challenger, champion);
  }

  private Gate.Decision decide(PromoteSettings settings, double[] challenger, double[] champion) {
    return new Gate(settings, true)
        .decide(
            new Gate.Rows(
                labels,
                predictions(challenger),
                challenger,
                Optional.ofNullable(champion).map(GateTest::predictions),
                Optional.ofNullable(champion),
                Map.of("sex", sex)));
  }

  @Test
  void aClearlyBetterChallengerIsPromoted() {
    Gate.Decision decision = decide(scores(0.3, 1, 0, N), scores(1.5, 2, 0, N));
    assertThat(decision.promote()).isTrue();
    assertThat(decision.interval().get()[0]).isPositive();
    assertThat(decision.reason()).isEqualTo("every check passed");
  }

  @Test
  void onAreaUnderPrTheBetterRankingChallengerWinsEitherWay() {
    PromoteSettings areaUnderPR =
        PromoteSettings.from(
            TestSpecs.load(
                TestSpecs.TINY,
                Map.of(
                    "sluice.train.metric", "areaUnderPR",
                    "sluice.promote.min-metric", "0.6")));
    double[] sharp = scores(0.3, 1, 0, N);
    double[] blurred = scores(1.5, 2, 0, N);
    Gate.Decision promoted = decide(areaUnderPR, sharp, blurred);
    assertThat(promoted.promote()).isTrue();
    assertThat(promoted.checks())
        .extracting(Gate.Check::name)
        .contains("min_areaUnderPR", "improvement_ci_low");
    assertThat(promoted.interval().get()[0]).isPositive();
    Gate.Decision rejected = decide(areaUnderPR, blurred, sharp);
    assertThat(rejected.promote()).isFalse();
    assertThat(rejected.interval().get()[1]).isNegative();
  }

  @Test
  void aWorseChallengerIsRejected() {
    Gate.Decision decision = decide(scores(1.5, 2, 0, N), scores(0.3, 1, 0, N));
    assertThat(decision.promote()).isFalse();
    assertThat(decision.interval().get()[1]).isNegative();
    assertThat(decision.reason()).startsWith("failed: improvement_ci_low");
  }

  @Test
  void aChallengerWithinNoiseIsNotPromoted() {
    double[] same = scores(0.8, 3, 0, N);
    Gate.Decision decision = decide(same, same.clone());
    assertThat(decision.promote()).isFalse();
    assertThat(decision.interval().get()).containsExactly(0.0, 0.0);
  }

  @Test
  void aSliceRegressionBlocksAnOverallImprovement() {
    // Better than the champion on Male rows, much worse on Female rows (rows 200..399).
    double[] challenger = scores(0.05, 4, N / 2, N);
    for (int i = N / 2; i < N; i++) {
      challenger[i] = labels[i] + 0.9 * new Random(i).nextGaussian();
    }
    double[] champion = scores(0.6, 5, 0, N / 2);
    Gate.Decision decision = decide(challenger, champion);
    assertThat(decision.checks())
        .filteredOn(c -> c.name().equals("slice_drop:sex=Female"))
        .singleElement()
        .satisfies(c -> assertThat(c.passed()).isFalse());
    assertThat(decision.promote()).isFalse();
  }

  @Test
  void withoutAChampionOnlyTheAbsoluteGuardrailsCount() {
    assertThat(decide(scores(0.3, 1, 0, N), null).promote()).isTrue();
    Gate.Decision useless = decide(scores(50, 1, 0, N), null);
    assertThat(useless.promote()).isFalse();
    assertThat(useless.reason()).isEqualTo("failed: min_areaUnderROC");
  }
}
