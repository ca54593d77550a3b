package dev.sluice.jobs.train;

import static dev.sluice.jobs.train.Fitted.params;

import dev.sluice.common.Tables;
import dev.sluice.common.dataset.DatasetSpec;
import dev.sluice.common.dataset.TaskType;
import dev.sluice.common.features.Snapshots;
import dev.sluice.common.lakehouse.Lakehouse;
import dev.sluice.common.registry.ModelVersion;
import dev.sluice.common.registry.Registry;
import dev.sluice.common.run.JobRun;
import dev.sluice.common.settings.TrainSettings;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import org.apache.spark.sql.Row;

/**
 * Registers the chosen model as a candidate version, with what reproduces it: the snapshot and the
 * raw version it was built from, the feature spec, the settings and the seed.
 */
final class Registration {
  private final Lakehouse lakehouse;
  private final Registry registry;
  private final TrainSettings settings;
  private final DatasetSpec spec;

  Registration(Lakehouse lakehouse, Registry registry, TrainSettings settings) {
    this.lakehouse = lakehouse;
    this.registry = registry;
    this.settings = settings;
    this.spec = settings.dataset();
  }

  void register(
      JobRun run,
      String model,
      long version,
      Fitted chosen,
      String snapshotTable,
      long snapshotVersion,
      String trainingKey,
      String artifact,
      Instant now) {
    registry.register(
        registryRow(
            run,
            model,
            version,
            chosen,
            snapshotTable,
            snapshotVersion,
            trainingKey,
            artifact,
            now),
        model,
        version);
    // The newest version carries the challenger alias until the gate decides it.
    registry.setAlias(
        model,
        Registry.CHALLENGER,
        java.util.OptionalLong.of(version),
        "trained: the newest version, not yet decided by the gate",
        run.runId(),
        now);
  }

  private Row registryRow(
      JobRun run,
      String model,
      long version,
      Fitted chosen,
      String snapshotTable,
      long snapshotVersion,
      String trainingKey,
      String artifact,
      Instant now) {
    return new ModelVersion(
            model,
            version,
            now,
            run.runId(),
            chosen.estimator().name(),
            params(chosen.params()),
            spec.task().name().toLowerCase(java.util.Locale.ROOT),
            snapshotTable,
            snapshotVersion,
            Tables.raw(spec.name()),
            rawVersionOf(snapshotTable, snapshotVersion),
            settings.features().hash(),
            settings.settingsHash(),
            settings.settingsJson(),
            settings.seed(),
            settings.sourceCommit().isEmpty()
                ? Optional.empty()
                : Optional.of(settings.sourceCommit()),
            settings.metric(),
            chosen.cvMetric(),
            chosen.validation(),
            chosen.test(),
            spec.task() == TaskType.REGRESSION ? List.of() : Snapshots.classIndex(spec),
            artifact,
            "candidate",
            trainingKey)
        .toRow();
  }

  /**
   * The raw version a snapshot was built from, read from the features job's tag on that snapshot
   * commit.
   */
  private OptionalLong rawVersionOf(String snapshotTable, long snapshotVersion) {
    return lakehouse
        .log()
        .tagAt(snapshotTable, snapshotVersion)
        .flatMap(
            tag ->
                java.util.Arrays.stream(tag.split(";"))
                    .filter(part -> part.startsWith("raw="))
                    .map(part -> Long.valueOf(part.substring("raw=".length())))
                    .findFirst())
        .map(OptionalLong::of)
        .orElse(OptionalLong.empty());
  }
}
