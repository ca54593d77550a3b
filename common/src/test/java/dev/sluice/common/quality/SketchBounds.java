package dev.sluice.common.quality;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import org.apache.datasketches.kll.KllSketch;

/** The bounds tests hold a profile's sketches to, from the sketches' documented errors. */
final class SketchBounds {
  private SketchBounds() {}

  /**
   * Three standard errors of a merged HLL sketch's distinct count (1.04 / sqrt(buckets) each, 1.6%
   * at lgK 12): 4.9%. The hash is fixed, so a count either holds or fails every run.
   */
  static final double DISTINCT_ERROR = 3 * 1.04 / Math.sqrt(1 << ColumnProfiles.DISTINCT_LG_K);

  /**
   * Twice the rank error DataSketches documents for a KLL sketch of the layout's k, at 99%
   * confidence: the sketch's compaction draws from a random generator with no public seed, so a
   * test at the bound itself would fail about one run in a hundred; the error is a sum of
   * independent bounded terms, so twice the bound leaves a failure too rare to see.
   */
  static double rankError(ColumnProfiles.Layout layout) {
    return 2 * KllSketch.getNormalizedRankError(layout.quantileK(), false);
  }

  /**
   * Asserts that each answer is one of {@code values} (the non-null values the sketch was given)
   * that sits, among its equals, within {@code rankError * n} of the rank {@code percentile_approx}
   * answers with: {@code ceil(q * n)}, counting from 1.
   */
  static void assertQuantiles(
      double[] values, double[] probabilities, double[] answers, double rankError) {
    double[] sorted = values.clone();
    Arrays.sort(sorted);
    int n = sorted.length;
    assertThat(answers).hasSameSizeAs(probabilities);
    for (int i = 0; i < probabilities.length; i++) {
      double answer = answers[i];
      long rank = Math.max(1, (long) Math.ceil(probabilities[i] * n));
      // Ranks of the answer's equals: first (from 1) to last.
      int first = lowerBound(sorted, answer) + 1;
      int last = lowerBound(sorted, Math.nextUp(answer));
      assertThat(last).as("answer %s is one of the values", answer).isGreaterThanOrEqualTo(first);
      long off = rank < first ? first - rank : rank > last ? rank - last : 0;
      assertThat((double) off)
          .as(
              "rank of the answer %s at q=%s, ranks %s to %s of %s",
              answer, probabilities[i], first, last, n)
          .isLessThanOrEqualTo(rankError * n);
    }
  }

  /** Index of the first value at or above {@code x}. */
  private static int lowerBound(double[] sorted, double x) {
    int low = 0;
    int high = sorted.length;
    while (low < high) {
      int mid = (low + high) >>> 1;
      if (sorted[mid] < x) {
        low = mid + 1;
      } else {
        high = mid;
      }
    }
    return low;
  }
}
