package dev.sluice.common.decide;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.Set;

/**
 * The retraining rules on plain facts: windows' drifted features, the champion's data, the last
 * retrain. Pure.
 */
public final class RetrainRules {
  /**
   * The rule settings. 0 disables the age and new-rows rules; an empty floor or drop disables that
   * performance rule.
   */
  public record Settings(
      int k,
      int n,
      double maxSnapshotAgeDays,
      long minNewRows,
      double cooldownHours,
      OptionalDouble performanceFloor,
      OptionalDouble maxPerformanceDrop) {
    public Settings {
      requireNonNull(performanceFloor, "performanceFloor is null");
      requireNonNull(maxPerformanceDrop, "maxPerformanceDrop is null");
    }

    /** Without the performance rules. */
    public Settings(
        int k, int n, double maxSnapshotAgeDays, long minNewRows, double cooldownHours) {
      this(
          k,
          n,
          maxSnapshotAgeDays,
          minNewRows,
          cooldownHours,
          OptionalDouble.empty(),
          OptionalDouble.empty());
    }
  }

  /** The champion's metric on the latest labelled window, and on its test split at training. */
  public record Observed(
      String metric,
      double value,
      double testValue,
      boolean largerIsBetter,
      String windowId,
      long labelledRows) {
    public Observed {
      requireNonNull(metric, "metric is null");
      requireNonNull(windowId, "windowId is null");
    }
  }

  /** What the rules look at. */
  public record Facts(
      List<Set<String>> driftedByWindow,
      Instant snapshotCreatedAt,
      long newRowsSinceSnapshot,
      Optional<Instant> lastRetrain,
      Instant now,
      Optional<Observed> performance) {
    public Facts {
      requireNonNull(performance, "performance is null");
      driftedByWindow = List.copyOf(driftedByWindow);
      requireNonNull(snapshotCreatedAt, "snapshotCreatedAt is null");
      requireNonNull(lastRetrain, "lastRetrain is null");
      requireNonNull(now, "now is null");
    }

    /** Without labelled windows. */
    public Facts(
        List<Set<String>> driftedByWindow,
        Instant snapshotCreatedAt,
        long newRowsSinceSnapshot,
        Optional<Instant> lastRetrain,
        Instant now) {
      this(
          driftedByWindow,
          snapshotCreatedAt,
          newRowsSinceSnapshot,
          lastRetrain,
          now,
          Optional.empty());
    }
  }

  /** One rule's evaluation. */
  public record Rule(String name, double value, double threshold, boolean fired, String detail) {}

  /** The decision and its evidence. */
  public record Decision(boolean retrain, List<Rule> rules, String reason) {
    public Decision {
      rules = List.copyOf(rules);
    }
  }

  private RetrainRules() {}

  /**
   * The floor and the drop from the test metric, each "worse" in the metric's better direction.
   * Without a labelled window the enabled rules are reported, not fired.
   */
  private static void performanceRules(
      Settings settings, Optional<Observed> performance, List<Rule> rules) {
    if (settings.performanceFloor().isPresent()) {
      double floor = settings.performanceFloor().getAsDouble();
      rules.add(
          performance
              .map(
                  p ->
                      new Rule(
                          "performance_floor",
                          p.value(),
                          floor,
                          p.largerIsBetter() ? p.value() < floor : p.value() > floor,
                          p.metric()
                              + " on window "
                              + p.windowId()
                              + " ("
                              + p.labelledRows()
                              + " labelled rows)"))
              .orElseGet(
                  () ->
                      new Rule(
                          "performance_floor",
                          Double.NaN,
                          floor,
                          false,
                          "no window with enough labelled rows yet")));
    }
    if (settings.maxPerformanceDrop().isPresent()) {
      double maxDrop = settings.maxPerformanceDrop().getAsDouble();
      rules.add(
          performance
              .map(
                  p -> {
                    double drop =
                        p.largerIsBetter() ? p.testValue() - p.value() : p.value() - p.testValue();
                    return new Rule(
                        "performance_drop",
                        drop,
                        maxDrop,
                        drop > maxDrop,
                        p.metric()
                            + " "
                            + p.value()
                            + " on window "
                            + p.windowId()
                            + " against "
                            + p.testValue()
                            + " on the test split");
                  })
              .orElseGet(
                  () ->
                      new Rule(
                          "performance_drop",
                          Double.NaN,
                          maxDrop,
                          false,
                          "no window with enough labelled rows yet")));
    }
  }

  /**
   * Retrain when any rule fires, unless the last retrain is within the cooldown. Drift persists
   * when some feature drifted in at least k of the last n windows (windows oldest first).
   */
  public static Decision decide(Settings settings, Facts facts) {
    List<Rule> rules = new ArrayList<>();
    List<Set<String>> recent =
        facts
            .driftedByWindow()
            .subList(
                Math.max(0, facts.driftedByWindow().size() - settings.n()),
                facts.driftedByWindow().size());
    Map<String, Long> counts =
        recent.stream()
            .flatMap(Set::stream)
            .collect(
                java.util.stream.Collectors.groupingBy(
                    f -> f, java.util.TreeMap::new, java.util.stream.Collectors.counting()));
    long worst = counts.values().stream().mapToLong(Long::longValue).max().orElse(0);
    String features =
        counts.entrySet().stream()
            .filter(e -> e.getValue() >= settings.k())
            .map(Map.Entry::getKey)
            .toList()
            .toString();
    rules.add(
        new Rule(
            "drift_persistence",
            worst,
            settings.k(),
            worst >= settings.k(),
            "most windows of the last "
                + recent.size()
                + " in which one feature drifted; persistent: "
                + features));
    if (settings.maxSnapshotAgeDays() > 0) {
      double age =
          Duration.between(facts.snapshotCreatedAt(), facts.now()).toMinutes() / (60.0 * 24);
      rules.add(
          new Rule(
              "snapshot_age_days",
              age,
              settings.maxSnapshotAgeDays(),
              age > settings.maxSnapshotAgeDays(),
              "age of the champion's training snapshot"));
    }
    if (settings.minNewRows() > 0) {
      rules.add(
          new Rule(
              "new_rows",
              facts.newRowsSinceSnapshot(),
              settings.minNewRows(),
              facts.newRowsSinceSnapshot() >= settings.minNewRows(),
              "labelled rows the champion's snapshot does not hold"));
    }
    performanceRules(settings, facts.performance(), rules);
    List<String> fired = rules.stream().filter(Rule::fired).map(Rule::name).toList();
    if (fired.isEmpty()) {
      return new Decision(false, rules, "no rule fired");
    }
    if (facts.lastRetrain().isPresent()) {
      double hours = Duration.between(facts.lastRetrain().get(), facts.now()).toMinutes() / 60.0;
      boolean cooling = hours < settings.cooldownHours();
      rules.add(
          new Rule(
              "cooldown_hours",
              hours,
              settings.cooldownHours(),
              cooling,
              "hours since the last retrain that trained a version"));
      if (cooling) {
        return new Decision(false, rules, "fired " + fired + " but within the cooldown");
      }
    }
    return new Decision(true, rules, "fired " + fired);
  }
}
