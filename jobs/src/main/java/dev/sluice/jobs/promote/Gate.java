package dev.sluice.jobs.promote;

import static java.util.Objects.requireNonNull;

import dev.sluice.common.settings.PromoteSettings;
import dev.sluice.common.train.Metrics;
import dev.sluice.common.train.PointMetrics;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.Random;

/**
 * The promotion decision on paired predictions of the same test rows: absolute guardrails on the
 * challenger, a paired bootstrap interval of (challenger - champion) in the metric's better
 * direction, and per-slice drops. Pure: arrays in, a decision out.
 */
final class Gate {
  /**
   * Paired predictions of the test rows; the champion's arrays are empty when there is no champion.
   */
  record Rows(
      double[] labels,
      double[] challengerPredictions,
      double[] challengerScores,
      Optional<double[]> championPredictions,
      Optional<double[]> championScores,
      Map<String, String[]> slices) {
    Rows {
      requireNonNull(labels, "labels is null");
      slices = Map.copyOf(slices);
    }

    int size() {
      return labels.length;
    }
  }

  /** One guardrail: what was measured, against what, and whether it passed. */
  record Check(String name, double value, double threshold, boolean passed, String detail) {}

  record Decision(
      boolean promote,
      List<Check> checks,
      double challengerMetric,
      Optional<Double> championMetric,
      Optional<double[]> interval,
      String reason) {
    Decision {
      checks = List.copyOf(checks);
    }
  }

  private final PromoteSettings settings;
  private final boolean binary;

  Gate(PromoteSettings settings, boolean binary) {
    this.settings = settings;
    this.binary = binary;
  }

  Decision decide(Rows rows) {
    String metric = settings.metric();
    boolean larger = Metrics.largerIsBetter(metric);
    int[] all = PointMetrics.ones(rows.size());
    double challenger =
        PointMetrics.compute(
            metric,
            binary,
            rows.labels(),
            rows.challengerPredictions(),
            rows.challengerScores(),
            all);
    List<Check> checks = new ArrayList<>();
    settings
        .minMetric()
        .ifPresent(
            min ->
                checks.add(
                    new Check("min_" + metric, challenger, min, challenger >= min, "challenger")));
    settings
        .maxMetric()
        .ifPresent(
            max ->
                checks.add(
                    new Check("max_" + metric, challenger, max, challenger <= max, "challenger")));

    Optional<Double> champion = Optional.empty();
    Optional<double[]> interval = Optional.empty();
    if (rows.championPredictions().isPresent()) {
      double[] championPredictions = rows.championPredictions().get();
      double[] championScores = rows.championScores().orElse(championPredictions);
      double championValue =
          PointMetrics.compute(
              metric, binary, rows.labels(), championPredictions, championScores, all);
      champion = Optional.of(championValue);
      double[] bounds = bootstrap(rows, championPredictions, championScores, larger);
      interval = Optional.of(bounds);
      checks.add(
          new Check(
              "improvement_ci_low",
              bounds[0],
              settings.minImprovement(),
              bounds[0] > settings.minImprovement(),
              String.format(
                  "%s challenger %.5f vs champion %.5f; %.0f%% interval of the improvement [%.5f, %.5f]",
                  metric,
                  challenger,
                  championValue,
                  100 * settings.bootstrap().confidence(),
                  bounds[0],
                  bounds[1])));
      checks.addAll(sliceChecks(rows, championPredictions, championScores, larger));
    }
    List<String> failed = checks.stream().filter(c -> !c.passed()).map(Check::name).toList();
    String reason =
        failed.isEmpty()
            ? (champion.isEmpty()
                ? "no champion yet and every guardrail passed"
                : "every check passed")
            : "failed: " + String.join(", ", failed);
    return new Decision(failed.isEmpty(), checks, challenger, champion, interval, reason);
  }

  /**
   * Percentile interval of the improvement over paired resamples (the same rows drawn for both
   * models).
   */
  private double[] bootstrap(
      Rows rows, double[] championPredictions, double[] championScores, boolean larger) {
    PromoteSettings.Bootstrap bootstrap = settings.bootstrap();
    Random random = new Random(bootstrap.seed());
    int n = rows.size();
    double[] improvements = new double[bootstrap.resamples()];
    int[] weights = new int[n];
    for (int b = 0; b < improvements.length; b++) {
      Arrays.fill(weights, 0);
      for (int i = 0; i < n; i++) {
        weights[random.nextInt(n)]++;
      }
      double a =
          PointMetrics.compute(
              settings.metric(),
              binary,
              rows.labels(),
              rows.challengerPredictions(),
              rows.challengerScores(),
              weights);
      double c =
          PointMetrics.compute(
              settings.metric(),
              binary,
              rows.labels(),
              championPredictions,
              championScores,
              weights);
      improvements[b] = larger ? a - c : c - a;
    }
    Arrays.sort(improvements);
    double tail = (1 - bootstrap.confidence()) / 2;
    int low = (int) Math.floor(tail * (improvements.length - 1));
    int high = (int) Math.ceil((1 - tail) * (improvements.length - 1));
    return new double[] {improvements[low], improvements[high]};
  }

  private List<Check> sliceChecks(
      Rows rows, double[] championPredictions, double[] championScores, boolean larger) {
    List<Check> checks = new ArrayList<>();
    for (String column : settings.slices().columns()) {
      String[] groups = rows.slices().get(column);
      Map<String, List<Integer>> members = new LinkedHashMap<>();
      for (int i = 0; i < groups.length; i++) {
        members.computeIfAbsent(String.valueOf(groups[i]), k -> new ArrayList<>()).add(i);
      }
      for (Map.Entry<String, List<Integer>> group : members.entrySet()) {
        if (group.getValue().size() < settings.slices().minRows()) {
          continue;
        }
        int[] weights = new int[rows.size()];
        group.getValue().forEach(i -> weights[i] = 1);
        double a =
            PointMetrics.compute(
                settings.metric(),
                binary,
                rows.labels(),
                rows.challengerPredictions(),
                rows.challengerScores(),
                weights);
        double c =
            PointMetrics.compute(
                settings.metric(),
                binary,
                rows.labels(),
                championPredictions,
                championScores,
                weights);
        if (Double.isNaN(a) || Double.isNaN(c)) {
          continue;
        }
        double drop = larger ? c - a : a - c;
        OptionalDouble allowed = settings.slices().allowedDrop(c);
        if (allowed.isEmpty()) {
          continue;
        }
        checks.add(
            new Check(
                "slice_drop:" + column + "=" + group.getKey(),
                drop,
                allowed.getAsDouble(),
                drop <= allowed.getAsDouble(),
                String.format(
                    "%d rows; challenger %.5f vs champion %.5f", group.getValue().size(), a, c)));
      }
    }
    return checks;
  }
}
