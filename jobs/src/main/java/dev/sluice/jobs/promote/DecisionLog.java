package dev.sluice.jobs.promote;

import static java.util.Objects.requireNonNull;

import dev.sluice.common.lakehouse.Lakehouse;
import dev.sluice.common.run.JobRun;
import dev.sluice.common.table.Check;
import dev.sluice.common.table.PromotionLogTable;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalLong;

/**
 * The append-only record of promote's decisions: a row of {@code promotion_log} per decision key.
 */
final class DecisionLog {
  /**
   * What a decision is about: the run, its key, the two versions, the mode and the test rows'
   * snapshot.
   */
  record Decided(
      JobRun run,
      String key,
      String model,
      long challenger,
      OptionalLong champion,
      String mode,
      String snapshotTable,
      long snapshotVersion) {}

  private final Lakehouse lakehouse;
  private final String metric;

  DecisionLog(Lakehouse lakehouse, String metric) {
    this.lakehouse = requireNonNull(lakehouse, "lakehouse is null");
    this.metric = requireNonNull(metric, "metric is null");
  }

  /** Appends the decision's row (once per key) and returns the job's result. */
  PromoteResult write(
      Decided decided, String verdict, String reason, Gate.Decision decision, long testRows) {
    JobRun run = decided.run();
    String key = decided.key();
    String model = decided.model();
    long challenger = decided.challenger();
    OptionalLong champion = decided.champion();
    String mode = decided.mode();
    run.detail("verdict", verdict);
    List<Check> checks = new ArrayList<>();
    List<String> lines = new ArrayList<>();
    if (decision != null) {
      for (Gate.Check check : decision.checks()) {
        checks.add(
            new Check(
                check.name(), check.value(), check.threshold(), check.passed(), check.detail()));
        lines.add(
            String.format(
                "%-4s %s = %.5f (threshold %.5f) %s",
                check.passed() ? "ok" : "FAIL",
                check.name(),
                check.value(),
                check.threshold(),
                check.detail()));
      }
    }
    Optional<double[]> interval = decision == null ? Optional.empty() : decision.interval();
    PromotionLogTable.Entry entry =
        new PromotionLogTable.Entry(
            Instant.now(),
            run.runId(),
            model,
            challenger,
            champion,
            mode,
            metric,
            decision == null
                ? OptionalDouble.empty()
                : OptionalDouble.of(decision.challengerMetric()),
            decision == null || decision.championMetric().isEmpty()
                ? OptionalDouble.empty()
                : OptionalDouble.of(decision.championMetric().get()),
            interval.isEmpty() ? OptionalDouble.empty() : OptionalDouble.of(interval.get()[0]),
            interval.isEmpty() ? OptionalDouble.empty() : OptionalDouble.of(interval.get()[1]),
            checks,
            verdict,
            reason,
            testRows,
            Optional.of(decided.snapshotTable()),
            OptionalLong.of(decided.snapshotVersion()),
            key);
    lakehouse
        .appendOnce(PromotionLogTable.SPEC, List.of(entry.toRow()), key, 1)
        .ifPresent(v -> run.output(PromotionLogTable.NAME, v));
    return new PromoteResult(model, challenger, champion, mode, verdict, reason, lines, false);
  }
}
