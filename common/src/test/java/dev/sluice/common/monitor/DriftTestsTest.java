package dev.sluice.common.monitor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.common.monitor.DriftTests.Measurement;
import dev.sluice.common.monitor.DriftTests.Method;
import dev.sluice.common.settings.MonitorSettings;
import dev.sluice.common.testing.TestSpecs;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * The drift verdicts on simulated windows: binned here exactly as {@link Histograms} bins in Spark
 * (bin i holds edges[i-1] <= x < edges[i]; levels, then __other__, then null), so no Spark is
 * needed to run hundreds of comparisons.
 */
class DriftTestsTest {
  private static final DriftTests DEFAULTS =
      MonitorSettings.from(TestSpecs.load(TestSpecs.TINY, Map.of())).tests();
  private static final String[] LEVELS = {"a", "b", "c", "d", "e"};
  private static final double[] LEVEL_SHARES = {0.3, 0.25, 0.2, 0.15, 0.1};
  private static final int BINS = 10;
  private static final int SMALL_WINDOW = 1000;
  private static final int LARGE_WINDOW = 20_000;

  /** One window of three features: x1 and x2 standard normal (shiftable), c categorical. */
  private record Sample(double[] x1, double[] x2, String[] c) {}

  private static Sample sample(Random random, int rows, double x1Shift, double aShare) {
    double[] x1 = new double[rows];
    double[] x2 = new double[rows];
    String[] c = new String[rows];
    // Level a drawn first with the probability that makes its share aShare, the rest as trained.
    double aFirst = (aShare - LEVEL_SHARES[0]) / (1 - LEVEL_SHARES[0]);
    for (int i = 0; i < rows; i++) {
      x1[i] = random.nextGaussian() + x1Shift;
      x2[i] = random.nextGaussian();
      c[i] = random.nextDouble() < aFirst ? "a" : level(random.nextDouble());
    }
    return new Sample(x1, x2, c);
  }

  private static String level(double u) {
    double cumulative = 0;
    for (int i = 0; i < LEVELS.length; i++) {
      cumulative += LEVEL_SHARES[i];
      if (u < cumulative) {
        return LEVELS[i];
      }
    }
    return LEVELS[LEVELS.length - 1];
  }

  private static double[] edges(double[] values) {
    double[] sorted = values.clone();
    Arrays.sort(sorted);
    double[] edges = new double[BINS - 1];
    for (int i = 1; i < BINS; i++) {
      edges[i - 1] = sorted[(int) ((long) i * sorted.length / BINS)];
    }
    return edges;
  }

  private static long[] numericCounts(double[] values, double[] edges) {
    long[] counts = new long[edges.length + 2];
    for (double x : values) {
      int bin = edges.length;
      for (int i = 0; i < edges.length; i++) {
        if (x < edges[i]) {
          bin = i;
          break;
        }
      }
      counts[bin]++;
    }
    return counts;
  }

  private static long[] categoricalCounts(String[] values) {
    long[] counts = new long[LEVELS.length + 2];
    for (String value : values) {
      counts[Arrays.asList(LEVELS).indexOf(value)]++;
    }
    return counts;
  }

  /** The training baseline: 50,000 rows from the training distribution. */
  private static final Sample TRAINING = sample(new Random(1), 50_000, 0, LEVEL_SHARES[0]);

  private static final double[] X1_EDGES = edges(TRAINING.x1());
  private static final double[] X2_EDGES = edges(TRAINING.x2());

  /**
   * The features whose verdict is drift; every measurement of every feature goes to {@code all}.
   */
  private static TreeSet<String> flagged(Sample window, List<Measurement> all) {
    TreeSet<String> flagged = new TreeSet<>();
    Map<String, List<Measurement>> byFeature =
        Map.of(
            "x1",
            DEFAULTS.measure(
                true,
                X1_EDGES,
                numericCounts(TRAINING.x1(), X1_EDGES),
                numericCounts(window.x1(), X1_EDGES)),
            "x2",
            DEFAULTS.measure(
                true,
                X2_EDGES,
                numericCounts(TRAINING.x2(), X2_EDGES),
                numericCounts(window.x2(), X2_EDGES)),
            "c",
            DEFAULTS.measure(
                false,
                new double[0],
                categoricalCounts(TRAINING.c()),
                categoricalCounts(window.c())));
    byFeature.forEach(
        (feature, measurements) -> {
          all.addAll(measurements);
          if (DEFAULTS.drifted(measurements)) {
            flagged.add(feature);
          }
        });
    return flagged;
  }

  @Test
  void defaultsChooseSignificanceTestsForSmallSamplesAndDistancesForLarge() {
    assertThat(DEFAULTS)
        .isEqualTo(
            new DriftTests(
                0.1,
                5000,
                Method.KS,
                Method.WASSERSTEIN,
                Method.CHI_SQUARE,
                Method.JENSEN_SHANNON,
                0.01,
                0.1,
                0.02,
                true));
    assertThat(DEFAULTS.choose(true, 5000)).isEqualTo(Method.KS);
    assertThat(DEFAULTS.choose(true, 5001)).isEqualTo(Method.WASSERSTEIN);
    assertThat(DEFAULTS.choose(false, 5000)).isEqualTo(Method.CHI_SQUARE);
    assertThat(DEFAULTS.choose(false, 5001)).isEqualTo(Method.JENSEN_SHANNON);
  }

  @Test
  void oneSdMeanShiftAndATwentyPointFrequencyShiftFlagExactlyThoseFeatures() {
    for (int rows : new int[] {SMALL_WINDOW, LARGE_WINDOW}) {
      List<Measurement> all = new ArrayList<>();
      Sample shifted = sample(new Random(rows), rows, 1.0, LEVEL_SHARES[0] + 0.2);
      assertThat(flagged(shifted, all)).as("window of %d rows", rows).containsExactly("c", "x1");
      Method numericTest = rows <= 5000 ? Method.KS : Method.WASSERSTEIN;
      Method categoricalTest = rows <= 5000 ? Method.CHI_SQUARE : Method.JENSEN_SHANNON;
      assertThat(all)
          .extracting(Measurement::method)
          .containsExactlyInAnyOrder(
              Method.PSI, numericTest, Method.PSI, numericTest, Method.PSI, categoricalTest);
    }
  }

  @Test
  void twentyResamplesOfTheTrainingDistributionRaiseAtMostOneAlarm() {
    for (int rows : new int[] {SMALL_WINDOW, LARGE_WINDOW}) {
      Random random = new Random(100 + rows);
      int alarms = 0;
      List<Measurement> all = new ArrayList<>();
      for (int i = 0; i < 20; i++) {
        if (!flagged(sample(random, rows, 0, LEVEL_SHARES[0]), all).isEmpty()) {
          alarms++;
        }
      }
      // At most 5% of 20 windows.
      assertThat(alarms).as("windows of %d rows with a false alarm", rows).isLessThanOrEqualTo(1);
      // Each statistic alone stays within 5% of its 60 comparisons as well.
      for (Method method : Method.values()) {
        long drifts = all.stream().filter(m -> m.method() == method && m.drift()).count();
        assertThat(drifts).as("%s alarms on %d rows", method, rows).isLessThanOrEqualTo(3);
      }
    }
  }

  @Test
  void withoutAgreementPsiAloneDecides() {
    DriftTests psiAlone =
        new DriftTests(
            0.1,
            5000,
            Method.KS,
            Method.WASSERSTEIN,
            Method.CHI_SQUARE,
            Method.JENSEN_SHANNON,
            0.01,
            0.1,
            0.02,
            false);
    Measurement psi = new Measurement(Method.PSI, Map.of(), 0.2, 0.1, true);
    Measurement ks = new Measurement(Method.KS, Map.of(), 0.5, 0.01, false);
    assertThat(psiAlone.drifted(List.of(psi, ks))).isTrue();
    assertThat(DEFAULTS.drifted(List.of(psi, ks))).isFalse();
  }

  @Test
  void aCategoricalFeatureCannotTakeANumericTest() {
    assertThatThrownBy(
            () ->
                MonitorSettings.from(
                    TestSpecs.load(
                        TestSpecs.TINY, Map.of("sluice.monitor.tests.categorical.small", "ks"))))
        .hasMessageContaining("sluice.monitor.tests.categorical.small")
        .hasMessageContaining("ks is not a test of categorical features");
  }
}
