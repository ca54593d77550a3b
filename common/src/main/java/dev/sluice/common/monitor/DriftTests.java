package dev.sluice.common.monitor;

import static java.util.Objects.requireNonNull;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Which statistics judge a feature's drift and how: PSI for every feature, plus one test chosen by
 * the feature's kind and the smaller sample's size (small samples get a significance test, large
 * ones a distance, since with many rows any test finds a negligible shift significant).
 *
 * @param psiThreshold PSI above it is drift
 * @param smallSampleRows a comparison whose smaller sample has at most this many rows is small
 * @param numericSmall test of numeric features on small samples
 * @param numericLarge test of numeric features on large samples
 * @param categoricalSmall test of categorical features on small samples
 * @param categoricalLarge test of categorical features on large samples
 * @param alpha significance level of the p-value tests
 * @param wassersteinThreshold normalised Wasserstein distance above it is drift
 * @param jensenShannonThreshold Jensen-Shannon divergence (bits) above it is drift
 * @param requireAgreement a feature drifts only when PSI and its test both say so; else PSI alone
 */
public record DriftTests(
    double psiThreshold,
    long smallSampleRows,
    Method numericSmall,
    Method numericLarge,
    Method categoricalSmall,
    Method categoricalLarge,
    double alpha,
    double wassersteinThreshold,
    double jensenShannonThreshold,
    boolean requireAgreement) {

  /** A drift statistic, named in {@code drift_metrics.method} by {@link #tableName()}. */
  public enum Method {
    PSI(true, true),
    KS(true, false),
    WASSERSTEIN(true, false),
    CHI_SQUARE(true, true),
    JENSEN_SHANNON(true, true);

    private final boolean numeric;
    private final boolean categorical;

    Method(boolean numeric, boolean categorical) {
      this.numeric = numeric;
      this.categorical = categorical;
    }

    public String tableName() {
      return name().toLowerCase(Locale.ROOT);
    }

    /** Whether it applies to a feature of this kind (KS and Wasserstein need ordered bins). */
    public boolean appliesTo(boolean numericFeature) {
      return numericFeature ? numeric : categorical;
    }
  }

  /** One statistic of one comparison: what was computed, with what, and the verdict. */
  public record Measurement(
      Method method,
      Map<String, String> parameters,
      double value,
      double threshold,
      boolean drift) {
    public Measurement {
      requireNonNull(method, "method is null");
      parameters = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(parameters));
    }
  }

  public DriftTests {
    requireNonNull(numericSmall, "numericSmall is null");
    requireNonNull(numericLarge, "numericLarge is null");
    requireNonNull(categoricalSmall, "categoricalSmall is null");
    requireNonNull(categoricalLarge, "categoricalLarge is null");
  }

  /** The test for a feature of this kind when the smaller of the two samples has {@code rows}. */
  public Method choose(boolean numeric, long rows) {
    boolean small = rows <= smallSampleRows;
    return numeric
        ? (small ? numericSmall : numericLarge)
        : (small ? categoricalSmall : categoricalLarge);
  }

  /**
   * PSI and the chosen test of {@code window} against {@code reference}, both counted on the same
   * bins ({@code edges} of a numeric feature; ignored for a categorical one).
   */
  public List<Measurement> measure(
      boolean numeric, double[] edges, long[] reference, long[] window) {
    long referenceRows = java.util.Arrays.stream(reference).sum();
    long windowRows = java.util.Arrays.stream(window).sum();
    Measurement psi = of(Method.PSI, edges, reference, window, referenceRows, windowRows);
    Method test = choose(numeric, Math.min(referenceRows, windowRows));
    return List.of(psi, of(test, edges, reference, window, referenceRows, windowRows));
  }

  /** The feature's verdict from its measurements: see {@link #requireAgreement()}. */
  public boolean drifted(List<Measurement> measurements) {
    return requireAgreement
        ? measurements.stream().allMatch(Measurement::drift)
        : measurements.stream().anyMatch(m -> m.method() == Method.PSI && m.drift());
  }

  private Measurement of(
      Method method, double[] edges, long[] reference, long[] window, long n, long m) {
    Map<String, String> parameters = new LinkedHashMap<>();
    return switch (method) {
      case PSI -> {
        double value = DriftStatistics.psi(reference, window);
        parameters.put("empty_bin_proportion", text(DriftStatistics.EMPTY_BIN_PROPORTION));
        parameters.put("drift_when", "value > threshold");
        yield new Measurement(method, parameters, value, psiThreshold, value > psiThreshold);
      }
      case KS -> {
        double distance = DriftStatistics.ksDistance(reference, window);
        double p = DriftStatistics.ksPValue(distance, n, m);
        parameters.put("statistic", text(distance));
        parameters.put("statistic_is", "largest gap of the cumulative proportions at bin edges");
        parameters.put("p_value_of", "asymptotic two-sample KS with Stephens' correction");
        parameters.put("drift_when", "value < threshold");
        yield new Measurement(method, parameters, p, alpha, p < alpha);
      }
      case CHI_SQUARE -> {
        double statistic = DriftStatistics.chiSquareTwoSample(reference, window);
        int degrees = Math.max(1, DriftStatistics.nonEmptyBins(reference, window) - 1);
        double p = DriftStatistics.chiSquarePValue(statistic, degrees);
        parameters.put("statistic", text(statistic));
        parameters.put("degrees_of_freedom", String.valueOf(degrees));
        parameters.put("p_value_of", "two-sample chi-square of homogeneity, non-empty bins");
        parameters.put("drift_when", "value < threshold");
        yield new Measurement(method, parameters, p, alpha, p < alpha);
      }
      case WASSERSTEIN -> {
        double value = DriftStatistics.wasserstein(edges, reference, window);
        parameters.put("normalised_by", "span of the bin points (first to last edge)");
        parameters.put("drift_when", "value > threshold");
        yield new Measurement(
            method, parameters, value, wassersteinThreshold, value > wassersteinThreshold);
      }
      case JENSEN_SHANNON -> {
        double value = DriftStatistics.jensenShannon(reference, window);
        parameters.put("unit", "bits");
        parameters.put("drift_when", "value > threshold");
        yield new Measurement(
            method, parameters, value, jensenShannonThreshold, value > jensenShannonThreshold);
      }
    };
  }

  private static String text(double value) {
    return String.valueOf(value);
  }
}
