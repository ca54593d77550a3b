package dev.sluice.jobs.train;

import dev.sluice.common.run.JobResult;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;

/** What one training run did: the leaderboard of estimators and the version it registered. */
public record TrainResult(
    String model,
    long snapshotVersion,
    OptionalLong registeredVersion,
    boolean alreadyTrained,
    String selectionMetric,
    List<Entry> leaderboard,
    String artifactPath,
    double seconds)
    implements JobResult {
  public TrainResult {
    leaderboard = List.copyOf(leaderboard);
  }

  /** One estimator's line: its chosen parameters and how it did. */
  public record Entry(
      String estimator,
      Map<String, String> params,
      double cvMetric,
      Map<String, Double> validation,
      Map<String, Double> test,
      double fitSeconds,
      boolean registered) {
    public Entry {
      params = Map.copyOf(params);
      validation = Map.copyOf(validation);
      test = Map.copyOf(test);
    }
  }

  @Override
  public String summary() {
    StringBuilder text = new StringBuilder();
    text.append("== sluice train: ")
        .append(model)
        .append(" on snapshot v")
        .append(snapshotVersion)
        .append(" ==\n");
    if (alreadyTrained) {
      text.append("already trained: version ")
          .append(registeredVersion.getAsLong())
          .append(" holds this snapshot, settings and seed; nothing registered\n");
      return text.toString();
    }
    text.append(
        String.format(
            "%-20s %-10s %-10s %-10s %-9s %s%n",
            "estimator", "cv " + shortName(selectionMetric), "val", "test", "fit s", "params"));
    for (Entry entry : leaderboard) {
      text.append(
          String.format(
              "%-20s %-10.4f %-10.4f %-10.4f %-9.1f %s%s%n",
              entry.estimator(),
              entry.cvMetric(),
              entry.validation().getOrDefault(selectionMetric, Double.NaN),
              entry.test().getOrDefault(selectionMetric, Double.NaN),
              entry.fitSeconds(),
              new java.util.TreeMap<>(entry.params()),
              entry.registered() ? "  <- registered" : ""));
    }
    leaderboard.stream()
        .filter(Entry::registered)
        .findFirst()
        .ifPresent(
            best ->
                text.append("test metrics   ")
                    .append(new java.util.TreeMap<>(best.test()))
                    .append('\n'));
    text.append("registered     ")
        .append(model)
        .append(" version ")
        .append(registeredVersion.getAsLong())
        .append(" at ")
        .append(artifactPath)
        .append('\n');
    text.append(String.format("time           %.1f s%n", seconds));
    return text.toString();
  }

  private static String shortName(String metric) {
    return metric.length() > 7 ? metric.substring(0, 7) : metric;
  }
}
