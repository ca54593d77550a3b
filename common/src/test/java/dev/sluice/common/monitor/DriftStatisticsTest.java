package dev.sluice.common.monitor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class DriftStatisticsTest {
  @Test
  void psiOfTwoBins() {
    // Proportions 0.5/0.5 against 0.8/0.2: (0.8-0.5)ln(0.8/0.5) + (0.2-0.5)ln(0.2/0.5).
    double expected = 0.3 * Math.log(1.6) + (-0.3) * Math.log(0.4);
    assertThat(DriftStatistics.psi(new long[] {50, 50}, new long[] {80, 20}))
        .isCloseTo(expected, within(1e-12));
    assertThat(DriftStatistics.psi(new long[] {10, 30}, new long[] {20, 60})).isZero();
  }

  @Test
  void psiGivesEmptyBinsASmallProportion() {
    // Expected 1.0/0.0 (smoothed to 1e-4), actual 0.5/0.5.
    double expected = (0.5 - 1.0) * Math.log(0.5 / 1.0) + (0.5 - 1e-4) * Math.log(0.5 / 1e-4);
    assertThat(DriftStatistics.psi(new long[] {10, 0}, new long[] {5, 5}))
        .isCloseTo(expected, within(1e-12));
  }

  @Test
  void jensenShannonIsZeroForEqualAndOneForDisjoint() {
    assertThat(DriftStatistics.jensenShannon(new long[] {1, 3}, new long[] {2, 6})).isZero();
    assertThat(DriftStatistics.jensenShannon(new long[] {5, 0}, new long[] {0, 5}))
        .isCloseTo(1.0, within(1e-12));
    // p = (0.5, 0.5), q = (1, 0), m = (0.75, 0.25): (0.5 log2(0.5/0.75) + 0.5 log2(0.5/0.25)) / 2 +
    // log2(1/0.75) / 2.
    double expected = (0.5 * log2(0.5 / 0.75) + 0.5 * log2(0.5 / 0.25)) / 2 + log2(1 / 0.75) / 2;
    assertThat(DriftStatistics.jensenShannon(new long[] {1, 1}, new long[] {4, 0}))
        .isCloseTo(expected, within(1e-12));
  }

  @Test
  void ksDistanceIsTheLargestCumulativeGap() {
    // CDFs (0.25, 0.5, 1.0) and (0.0, 0.75, 1.0): gaps 0.25, 0.25, 0.
    assertThat(DriftStatistics.ksDistance(new long[] {1, 1, 2}, new long[] {0, 3, 1}))
        .isCloseTo(0.25, within(1e-12));
  }

  @Test
  void chiSquareAndItsPValue() {
    // Expected 50/50 of 100 rows, observed 60/40: (10^2/50) * 2 = 4.
    assertThat(DriftStatistics.chiSquare(new long[] {500, 500}, new long[] {60, 40}))
        .isCloseTo(4.0, within(1e-9));
    // With 1 degree of freedom P(X >= 4) = erfc(sqrt(2)) = 0.0455002638963584.
    assertThat(DriftStatistics.chiSquarePValue(4.0, 1))
        .isCloseTo(0.0455002638963584, within(1e-10));
    // With 2 degrees of freedom P(X >= x) = exp(-x/2).
    assertThat(DriftStatistics.chiSquarePValue(3.0, 2)).isCloseTo(Math.exp(-1.5), within(1e-12));
    assertThat(DriftStatistics.chiSquarePValue(0.5, 2)).isCloseTo(Math.exp(-0.25), within(1e-12));
    assertThat(DriftStatistics.chiSquarePValue(0, 3)).isEqualTo(1.0);
  }

  @Test
  void twoSampleChiSquareCountsBothSamplesAndSkipsEmptyBins() {
    // Column totals 30 and 30 of 60 rows, 30 per sample: 15 expected per cell; each cell is 5 off.
    assertThat(DriftStatistics.chiSquareTwoSample(new long[] {10, 20}, new long[] {20, 10}))
        .isCloseTo(4 * 25.0 / 15, within(1e-12));
    // 10 and 40 rows with equal proportions: no difference at all; the empty middle bin is skipped.
    assertThat(DriftStatistics.chiSquareTwoSample(new long[] {5, 0, 5}, new long[] {20, 0, 20}))
        .isZero();
    assertThat(DriftStatistics.nonEmptyBins(new long[] {5, 0, 5}, new long[] {20, 0, 20}))
        .isEqualTo(2);
  }

  @Test
  void ksPValueIsTheKolmogorovTailWithStephensCorrection() {
    // n = m = 8: sqrt(ne) = sqrt(64 / 16) = 2, lambda = (2 + 0.12 + 0.11 / 2) * 0.5 = 1.0875.
    double lambda = 1.0875;
    double expected =
        2
            * (Math.exp(-2 * lambda * lambda)
                - Math.exp(-8 * lambda * lambda)
                + Math.exp(-18 * lambda * lambda));
    assertThat(DriftStatistics.ksPValue(0.5, 8, 8)).isCloseTo(expected, within(1e-12));
    assertThat(DriftStatistics.ksPValue(0.0, 8, 8)).isEqualTo(1.0);
    assertThat(DriftStatistics.ksPValue(0.5, 0, 8)).isEqualTo(1.0);
  }

  @Test
  void wassersteinMovesMassBetweenBinPointsOverTheirSpan() {
    // Edges 0, 1, 2: points 0 (bottom bin), 0.5, 1.5, 2 (top bin); span 2. Null bin last.
    double[] edges = {0, 1, 2};
    assertThat(
            DriftStatistics.wasserstein(
                edges, new long[] {1, 0, 0, 0, 0}, new long[] {0, 0, 0, 1, 0}))
        .isCloseTo(1.0, within(1e-12));
    // All rows move from 0.5 to 1.5: distance 1 of span 2; nulls (7 rows) are left out.
    assertThat(
            DriftStatistics.wasserstein(
                edges, new long[] {0, 2, 0, 0, 7}, new long[] {0, 0, 2, 0, 0}))
        .isCloseTo(0.5, within(1e-12));
    assertThatThrownBy(
            () -> DriftStatistics.wasserstein(edges, new long[] {1, 1}, new long[] {1, 1}))
        .hasMessage("a histogram on 3 edges has 5 bins");
  }

  @Test
  void logGammaMatchesFactorials() {
    assertThat(DriftStatistics.logGamma(5)).isCloseTo(Math.log(24), within(1e-12));
    assertThat(DriftStatistics.logGamma(0.5)).isCloseTo(0.5 * Math.log(Math.PI), within(1e-12));
  }

  @Test
  void histogramsMustShareTheirBins() {
    assertThatThrownBy(() -> DriftStatistics.psi(new long[] {1}, new long[] {1, 2}))
        .hasMessage("histograms have 1 and 2 bins");
  }

  private static double log2(double x) {
    return Math.log(x) / Math.log(2);
  }
}
