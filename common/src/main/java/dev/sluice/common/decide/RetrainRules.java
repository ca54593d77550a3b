package dev.sluice.common.decide;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The retraining rules on plain facts: windows' drifted features, the champion's data, the last
 * retrain. Pure.
 */
public final class RetrainRules {
  /** The rule settings. 0 disables the age and new-rows rules. */
  public record Settings(
      int k, int n, double maxSnapshotAgeDays, long minNewRows, double cooldownHours) {}

  /** What the rules look at. */
  public record Facts(
      List<Set<String>> driftedByWindow,
      Instant snapshotCreatedAt,
      long newRowsSinceSnapshot,
      Optional<Instant> lastRetrain,
      Instant now) {
    public Facts {
      driftedByWindow = List.copyOf(driftedByWindow);
      requireNonNull(snapshotCreatedAt, "snapshotCreatedAt is null");
      requireNonNull(lastRetrain, "lastRetrain is null");
      requireNonNull(now, "now is null");
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
              "accepted rows since the champion's snapshot"));
    }
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
              "hours since the last retrain"));
      if (cooling) {
        return new Decision(false, rules, "fired " + fired + " but within the cooldown");
      }
    }
    return new Decision(true, rules, "fired " + fired);
  }
}
