package dev.sluice.jobs.promote;

import static java.util.Objects.requireNonNull;

import dev.sluice.common.Errors;
import dev.sluice.common.lakehouse.Lakehouse;
import dev.sluice.common.registry.Registry;
import dev.sluice.common.run.JobRun;
import dev.sluice.common.table.AliasLogTable;
import dev.sluice.common.table.PromotionLogTable;
import java.time.Instant;
import java.util.List;
import java.util.OptionalLong;

/**
 * The aliases promote moves after it logs a decision: the champion, to a promoted or rolled-back
 * version, and the challenger, off a version the gate decided. The log row comes first, so a run
 * that stopped between the two commits leaves a decision whose move the next run completes.
 */
final class Aliases {
  /** Verdicts that move the champion to the decided version. */
  static final String PROMOTED = "PROMOTED";

  static final String ROLLED_BACK = "ROLLED_BACK";

  private final Lakehouse lakehouse;
  private final Registry registry;

  Aliases(Lakehouse lakehouse, Registry registry) {
    this.lakehouse = requireNonNull(lakehouse, "lakehouse is null");
    this.registry = requireNonNull(registry, "registry is null");
  }

  /** Points the champion alias at {@code version}, for the verdict's reason. */
  void moveChampion(JobRun run, String model, long version, String verdict, String reason) {
    registry.setAlias(
        model,
        Registry.CHAMPION,
        OptionalLong.of(version),
        (verdict.equals(ROLLED_BACK) ? "rolled back: " : "promoted by the gate: ") + reason,
        run.runId(),
        Instant.now());
    run.output(AliasLogTable.NAME, lakehouse.version(AliasLogTable.NAME).getAsLong());
  }

  /** Takes the challenger alias off {@code version} once a verdict decided it. */
  void clearChallenger(JobRun run, String model, long version, String verdict) {
    OptionalLong challenger = registry.alias(model, Registry.CHALLENGER);
    if (challenger.isPresent() && challenger.getAsLong() == version) {
      registry.setAlias(
          model,
          Registry.CHALLENGER,
          OptionalLong.empty(),
          "decided: " + verdict,
          run.runId(),
          Instant.now());
      run.output(AliasLogTable.NAME, lakehouse.version(AliasLogTable.NAME).getAsLong());
    }
  }

  /**
   * The decision logged under {@code key}, its alias moves completed: a run that logged a promotion
   * or rollback and stopped before the champion moved has it moved now (the champion it was decided
   * against is still the champion, or the key would differ).
   */
  PromoteResult completeLogged(
      JobRun run, String key, String model, long version, OptionalLong champion, String mode) {
    // The log is small (a row per decision): read on the driver, no Spark job.
    PromotionLogTable.Entry previous =
        lakehouse.rows(PromotionLogTable.NAME).stream()
            .map(PromotionLogTable.Entry::from)
            .filter(decided -> key.equals(decided.decisionKey()))
            .findFirst()
            .orElseThrow(
                () ->
                    Errors.invariantBroken(
                        "promotion_log records the decision " + key + " but holds no row for it"));
    run.detail("verdict", previous.verdict());
    boolean unfinished =
        List.of(PROMOTED, ROLLED_BACK).contains(previous.verdict())
            && (champion.isEmpty() || champion.getAsLong() != version);
    if (unfinished) {
      run.detail("completed", "champion alias");
      moveChampion(run, model, version, previous.verdict(), previous.reason());
    }
    if (!previous.verdict().equals("WOULD_PROMOTE") && !previous.verdict().equals("DISABLED")) {
      clearChallenger(run, model, version, previous.verdict());
    }
    return new PromoteResult(
        model,
        version,
        champion,
        mode,
        previous.verdict(),
        previous.reason(),
        List.of(),
        !unfinished);
  }
}
