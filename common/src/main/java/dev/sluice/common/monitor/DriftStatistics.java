package dev.sluice.common.monitor;

/**
 * Distribution-shift statistics on binned counts: the inputs are the histograms themselves, so
 * every value stored in a drift table can be recomputed from the bins stored beside it.
 */
public final class DriftStatistics {
  /** Proportion given to an empty bin so that logarithms stay finite (the usual PSI convention). */
  public static final double EMPTY_BIN_PROPORTION = 1e-4;

  private DriftStatistics() {}

  /**
   * Population stability index: sum over bins of (actual - expected) * ln(actual / expected), on
   * proportions, with empty bins given {@link #EMPTY_BIN_PROPORTION}.
   */
  public static double psi(long[] expected, long[] actual) {
    checkSameBins(expected, actual);
    double[] e = smoothedProportions(expected);
    double[] a = smoothedProportions(actual);
    double psi = 0;
    for (int i = 0; i < e.length; i++) {
      psi += (a[i] - e[i]) * Math.log(a[i] / e[i]);
    }
    return psi;
  }

  /** Jensen-Shannon divergence in bits (0 for equal distributions, at most 1). */
  public static double jensenShannon(long[] p, long[] q) {
    checkSameBins(p, q);
    double[] a = proportions(p);
    double[] b = proportions(q);
    double divergence = 0;
    for (int i = 0; i < a.length; i++) {
      double m = (a[i] + b[i]) / 2;
      divergence += term(a[i], m) / 2 + term(b[i], m) / 2;
    }
    return divergence;
  }

  private static double term(double p, double m) {
    return p == 0 ? 0 : p * Math.log(p / m) / Math.log(2);
  }

  /**
   * Kolmogorov-Smirnov distance of two samples binned on the same ordered bins: the largest gap
   * between their cumulative proportions at the bin edges (a lower bound of the exact statistic on
   * the raw values).
   */
  public static double ksDistance(long[] expected, long[] actual) {
    checkSameBins(expected, actual);
    double[] e = proportions(expected);
    double[] a = proportions(actual);
    double ce = 0;
    double ca = 0;
    double max = 0;
    for (int i = 0; i < e.length; i++) {
      ce += e[i];
      ca += a[i];
      max = Math.max(max, Math.abs(ce - ca));
    }
    return max;
  }

  /**
   * Pearson's chi-square statistic of {@code actual} counts against {@code expected}'s proportions.
   */
  public static double chiSquare(long[] expected, long[] actual) {
    checkSameBins(expected, actual);
    double[] e = smoothedProportions(expected);
    long n = 0;
    for (long count : actual) {
      n += count;
    }
    double statistic = 0;
    for (int i = 0; i < e.length; i++) {
      double wanted = e[i] * n;
      statistic += (actual[i] - wanted) * (actual[i] - wanted) / wanted;
    }
    return statistic;
  }

  /**
   * Pearson's chi-square statistic of homogeneity of two samples (a 2 x bins contingency table):
   * both samples' sampling noise counts, unlike {@link #chiSquare}. Bins empty in both samples are
   * left out; {@link #nonEmptyBins} minus 1 is the degrees of freedom.
   */
  public static double chiSquareTwoSample(long[] a, long[] b) {
    checkSameBins(a, b);
    double na = sum(a);
    double nb = sum(b);
    if (na == 0 || nb == 0) {
      return 0;
    }
    double statistic = 0;
    for (int i = 0; i < a.length; i++) {
      double column = a[i] + b[i];
      if (column == 0) {
        continue;
      }
      double wantedA = column * na / (na + nb);
      double wantedB = column * nb / (na + nb);
      statistic += (a[i] - wantedA) * (a[i] - wantedA) / wantedA;
      statistic += (b[i] - wantedB) * (b[i] - wantedB) / wantedB;
    }
    return statistic;
  }

  /** Bins holding a row of either histogram. */
  public static int nonEmptyBins(long[] a, long[] b) {
    checkSameBins(a, b);
    int bins = 0;
    for (int i = 0; i < a.length; i++) {
      if (a[i] + b[i] > 0) {
        bins++;
      }
    }
    return bins;
  }

  /**
   * Asymptotic p-value of a two-sample Kolmogorov-Smirnov distance {@code d} of samples of sizes n
   * and m: Q_KS((sqrt(ne) + 0.12 + 0.11 / sqrt(ne)) d) with ne = n m / (n + m) (Numerical Recipes
   * 14.3). On binned samples the distance is a lower bound, so the p-value errs high
   * (conservative).
   */
  public static double ksPValue(double d, long n, long m) {
    if (n == 0 || m == 0 || d <= 0) {
      return 1.0;
    }
    double ne = Math.sqrt((double) n * m / (n + m));
    double lambda = (ne + 0.12 + 0.11 / ne) * d;
    if (lambda < 0.2) {
      return 1.0;
    }
    double sum = 0;
    double sign = 1;
    for (int k = 1; k <= 100; k++) {
      double term = sign * Math.exp(-2.0 * k * k * lambda * lambda);
      sum += term;
      if (Math.abs(term) < 1e-16) {
        break;
      }
      sign = -sign;
    }
    return Math.max(0, Math.min(1, 2 * sum));
  }

  /**
   * Wasserstein-1 distance of two numeric histograms on the same edges, each bin's rows placed at
   * one point (an interior bin at its midpoint, the open bottom and top bins at the first and last
   * edge; nulls left out), divided by the span of those points so that it is unitless: 0 for equal
   * histograms, 1 when all rows moved from the lowest point to the highest.
   */
  public static double wasserstein(double[] edges, long[] a, long[] b) {
    checkSameBins(a, b);
    if (a.length != edges.length + 2) {
      throw new IllegalArgumentException(
          "a histogram on " + edges.length + " edges has " + (edges.length + 2) + " bins");
    }
    if (edges.length < 2) {
      return 0;
    }
    int points = edges.length + 1;
    double[] at = new double[points];
    at[0] = edges[0];
    for (int i = 1; i < edges.length; i++) {
      at[i] = (edges[i - 1] + edges[i]) / 2;
    }
    at[edges.length] = edges[edges.length - 1];
    double na = 0;
    double nb = 0;
    for (int i = 0; i < points; i++) {
      na += a[i];
      nb += b[i];
    }
    if (na == 0 || nb == 0) {
      return 0;
    }
    double ca = 0;
    double cb = 0;
    double distance = 0;
    for (int i = 0; i < points - 1; i++) {
      ca += a[i] / na;
      cb += b[i] / nb;
      distance += Math.abs(ca - cb) * (at[i + 1] - at[i]);
    }
    return distance / (at[points - 1] - at[0]);
  }

  private static double sum(long[] counts) {
    double total = 0;
    for (long count : counts) {
      total += count;
    }
    return total;
  }

  /**
   * Upper-tail probability of the chi-square distribution: P(X >= statistic) with the given degrees
   * of freedom.
   */
  public static double chiSquarePValue(double statistic, int degreesOfFreedom) {
    if (statistic <= 0) {
      return 1.0;
    }
    return regularizedGammaQ(degreesOfFreedom / 2.0, statistic / 2.0);
  }

  /**
   * Q(s, x) = 1 - P(s, x), by series below s + 1 and by continued fraction above (Numerical Recipes
   * 6.2).
   */
  static double regularizedGammaQ(double s, double x) {
    if (x < s + 1) {
      double sum = 1.0 / s;
      double term = sum;
      for (int k = 1; k < 1000; k++) {
        term *= x / (s + k);
        sum += term;
        if (Math.abs(term) < Math.abs(sum) * 1e-15) {
          break;
        }
      }
      return 1 - sum * Math.exp(-x + s * Math.log(x) - logGamma(s));
    }
    double b = x + 1 - s;
    double c = 1 / 1e-300;
    double d = 1 / b;
    double h = d;
    for (int i = 1; i < 1000; i++) {
      double an = -i * (i - s);
      b += 2;
      d = an * d + b;
      d = Math.abs(d) < 1e-300 ? 1e-300 : d;
      c = b + an / c;
      c = Math.abs(c) < 1e-300 ? 1e-300 : c;
      d = 1 / d;
      double delta = d * c;
      h *= delta;
      if (Math.abs(delta - 1) < 1e-15) {
        break;
      }
    }
    return Math.exp(-x + s * Math.log(x) - logGamma(s)) * h;
  }

  /** ln Γ(x) by the Lanczos approximation (g = 7, n = 9), accurate to about 15 digits for x > 0. */
  static double logGamma(double x) {
    double[] c = {
      0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313,
      -176.61502916214059, 12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6,
      1.5056327351493116e-7
    };
    if (x < 0.5) {
      return Math.log(Math.PI / Math.abs(Math.sin(Math.PI * x))) - logGamma(1 - x);
    }
    x -= 1;
    double a = c[0];
    double t = x + 7.5;
    for (int i = 1; i < 9; i++) {
      a += c[i] / (x + i);
    }
    return 0.5 * Math.log(2 * Math.PI) + (x + 0.5) * Math.log(t) - t + Math.log(a);
  }

  static double[] proportions(long[] counts) {
    long total = 0;
    for (long count : counts) {
      total += count;
    }
    double[] proportions = new double[counts.length];
    for (int i = 0; i < counts.length; i++) {
      proportions[i] = total == 0 ? 0 : (double) counts[i] / total;
    }
    return proportions;
  }

  static double[] smoothedProportions(long[] counts) {
    double[] proportions = proportions(counts);
    for (int i = 0; i < proportions.length; i++) {
      proportions[i] = Math.max(proportions[i], EMPTY_BIN_PROPORTION);
    }
    return proportions;
  }

  private static void checkSameBins(long[] a, long[] b) {
    if (a.length != b.length) {
      throw new IllegalArgumentException(
          "histograms have " + a.length + " and " + b.length + " bins");
    }
  }
}
