package dev.sluice.jobs.promote;

import static java.util.Objects.requireNonNull;

import dev.sluice.common.lakehouse.Lakehouse;
import dev.sluice.common.registry.ModelVersion;
import dev.sluice.common.registry.Registry;
import dev.sluice.common.run.JobRun;
import dev.sluice.common.table.PromotionLogTable;
import java.util.List;
import java.util.OptionalLong;

/**
 * {@code promote --rollback-to N --reason TEXT}: makes a registered version the champion without
 * the gate, logged as a {@code ROLLED_BACK} decision with its reason, then the alias moved. A
 * version that is the champion already writes nothing.
 */
final class Rollback {
  static final String MODE = "rollback";

  private final Lakehouse lakehouse;
  private final Registry registry;
  private final DecisionLog decisionLog;
  private final Aliases aliases;

  Rollback(Lakehouse lakehouse, Registry registry, DecisionLog decisionLog, Aliases aliases) {
    this.lakehouse = requireNonNull(lakehouse, "lakehouse is null");
    this.registry = requireNonNull(registry, "registry is null");
    this.decisionLog = requireNonNull(decisionLog, "decisionLog is null");
    this.aliases = requireNonNull(aliases, "aliases is null");
  }

  PromoteResult run(JobRun run, String model, long version, String reason) {
    ModelVersion target =
        registry.resolve(
            model,
            OptionalLong.of(version),
            Registry.Fallback.LATEST,
            "roll back to",
            "--rollback-to");
    OptionalLong champion = registry.alias(model, Registry.CHAMPION);
    if (champion.isPresent() && champion.getAsLong() == version) {
      run.detail("skip_reason", "v" + version + " is the champion");
      return new PromoteResult(
          model, version, champion, MODE, "ALREADY_CHAMPION", reason, List.of(), true);
    }
    String key =
        "rollback/"
            + model
            + "/v"
            + version
            + "/champion="
            + (champion.isPresent() ? champion.getAsLong() : "none");
    run.detail("decision_key", key);
    if (lakehouse.committed(PromotionLogTable.NAME, key, 0)) {
      return aliases.completeLogged(run, key, model, version, champion, MODE);
    }
    PromoteResult result =
        decisionLog.write(
            new DecisionLog.Decided(
                run,
                key,
                model,
                version,
                champion,
                MODE,
                target.snapshotTable(),
                target.snapshotVersion()),
            Aliases.ROLLED_BACK,
            reason,
            null,
            0);
    aliases.moveChampion(run, model, version, Aliases.ROLLED_BACK, reason);
    aliases.clearChallenger(run, model, version, Aliases.ROLLED_BACK);
    return result;
  }
}
