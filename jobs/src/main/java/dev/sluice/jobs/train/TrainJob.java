package dev.sluice.jobs.train;

import static java.util.Objects.requireNonNull;

import dev.sluice.common.Errors;
import dev.sluice.common.Tables;
import dev.sluice.common.dataset.DatasetSpec;
import dev.sluice.common.engine.JobSession;
import dev.sluice.common.lakehouse.Lakehouse;
import dev.sluice.common.registry.Registry;
import dev.sluice.common.run.JobMain;
import dev.sluice.common.run.JobRun;
import dev.sluice.common.run.Steps;
import dev.sluice.common.settings.TrainSettings;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.List;
import java.util.OptionalLong;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.sql.SparkSession;

/**
 * Trains a data set's model on a pinned snapshot version: cross-validates every configured
 * estimator over its grid (every fold's metric to {@code cv_results}), refits each estimator's best
 * parameters on the train split, evaluates on validation and test ({@code model_metrics}), and
 * registers the best one as a new version of the model with its {@code PipelineModel} (feature
 * stages included) and its feature importances ({@code feature_importance}). Training the same
 * snapshot with the same settings and seed again registers nothing.
 */
public final class TrainJob {
  static final String JOB = "train";

  private final TrainSettings settings;
  private final DatasetSpec spec;
  private final Lakehouse lakehouse;
  private final Registry registry;
  private final Steps steps;

  public TrainJob(SparkSession spark, TrainSettings settings) {
    this(JobSession.of(spark), settings);
  }

  /** The job with a session that starts when a step first needs Spark. */
  public TrainJob(JobSession session, TrainSettings settings) {
    requireNonNull(session, "session is null");
    this.settings = requireNonNull(settings, "settings is null");
    this.spec = settings.dataset();
    this.lakehouse = new Lakehouse(session, settings.lakehouse());
    this.registry = new Registry(lakehouse);
    this.steps = new Steps(session, JOB);
  }

  public static void main(String[] args) {
    JobMain.run(
        JOB,
        args,
        TrainSettings::load,
        (session, settings) -> new TrainJob(session, settings).run());
  }

  public TrainResult run() {
    return JobRun.record(
        lakehouse,
        JOB,
        spec.name(),
        settings.settingsHash(),
        this::execute,
        TrainResult::alreadyTrained);
  }

  private TrainResult execute(JobRun run) {
    long started = System.nanoTime();
    String model = spec.name();
    String snapshotTable = Tables.snapshot(spec.name());
    long latest = latestVersion(model, snapshotTable);
    long snapshotVersion = settings.snapshotVersion().orElse(latest);
    run.input(snapshotTable, snapshotVersion);
    String trainingKey = trainingKey(snapshotTable, snapshotVersion);
    OptionalLong existing = registry.versionFor(model, trainingKey);
    if (existing.isPresent()) {
      run.detail("skip_reason", "already registered as version " + existing.getAsLong());
      return new TrainResult(
          model,
          snapshotVersion,
          existing,
          true,
          settings.metric(),
          List.of(),
          "",
          seconds(started));
    }
    long version = registry.nextVersion(model);
    run.detail("model_version", version);
    String checkpoints = checkpointDirectory(run);
    // A step of its own: weighing the train split's rows by class counts them.
    try (TrainingSplits splits =
        steps.run(
            "split snapshot",
            () ->
                TrainingSplits.persisted(
                    lakehouse.readVersion(snapshotTable, snapshotVersion),
                    settings.classWeight()))) {
      long trainRows = steps.run("read train split", splits.train()::count);
      if (trainRows == 0) {
        throw Errors.emptyTrainSplit(
            model, lakehouse.qualifiedName(snapshotTable), snapshotVersion);
      }
      run.rows(trainRows, 0);
      EstimatorSearch search = new EstimatorSearch(settings, steps);
      List<Fitted> fitted = search.fitAll(splits);
      Fitted chosen = search.best(fitted);

      String artifact = lakehouse.path(Tables.MODELS_FOLDER) + "/" + model + "/v" + version;
      steps.run("save model", () -> save(chosen.model(), artifact));
      Instant now = Instant.now();
      steps.run(
          "write results",
          () ->
              new Leaderboard(lakehouse, settings).write(run, model, version, fitted, chosen, now));
      // Before registering, each written once per version: a version the registry lists has its
      // importances and its drift baselines, whenever a run stopped before it.
      steps.run(
          "importance",
          () ->
              new Importances(lakehouse, settings)
                  .write(run, model, version, chosen.model(), splits.train(), now));
      steps.run(
          "baseline",
          () ->
              new Baselines(lakehouse, settings)
                  .write(run, model, version, chosen.model(), splits.train(), now));
      steps.run(
          "register",
          () ->
              new Registration(lakehouse, registry, settings)
                  .register(
                      run,
                      model,
                      version,
                      chosen,
                      snapshotTable,
                      snapshotVersion,
                      trainingKey,
                      artifact,
                      now));
      run.output(Tables.MODEL_REGISTRY, lakehouse.version(Tables.MODEL_REGISTRY).getAsLong());
      run.detail("estimator", chosen.estimator().name()).detail("artifact", artifact);
      return new TrainResult(
          model,
          snapshotVersion,
          OptionalLong.of(version),
          false,
          settings.metric(),
          Leaderboard.entries(fitted, chosen),
          artifact,
          seconds(started));
    } finally {
      deleteQuietly(checkpoints);
    }
  }

  /** The newest version of the snapshot table, which must exist even when a version is pinned. */
  private long latestVersion(String model, String snapshotTable) {
    return lakehouse
        .version(snapshotTable)
        .orElseThrow(() -> Errors.noSnapshotTable(model, lakehouse.qualifiedName(snapshotTable)));
  }

  /** What a registered version was trained from: the same key means nothing new to train. */
  private String trainingKey(String snapshotTable, long snapshotVersion) {
    return snapshotTable
        + "@"
        + snapshotVersion
        + ";training="
        + settings.trainingHash()
        + ";seed="
        + settings.seed();
  }

  /**
   * This run's checkpoint directory, set on the context: boosting over many iterations builds a
   * lineage deep enough to overflow the driver's stack unless it is checkpointed, and MLlib
   * checkpoints every checkpointInterval iterations once a directory is set.
   */
  private String checkpointDirectory(JobRun run) {
    String checkpoints = lakehouse.path(Tables.MODELS_FOLDER) + "/_checkpoints/" + run.runId();
    lakehouse.spark().sparkContext().setCheckpointDir(checkpoints);
    return checkpoints;
  }

  /**
   * Checkpoints are scratch space of this run; failing to delete them must not fail a trained
   * model.
   */
  private void deleteQuietly(String path) {
    try {
      org.apache.hadoop.fs.Path dir = new org.apache.hadoop.fs.Path(path);
      dir.getFileSystem(lakehouse.session().hadoopConfiguration()).delete(dir, true);
    } catch (IOException e) {
      org.apache.logging.log4j.LogManager.getLogger(TrainJob.class)
          .warn("Could not delete checkpoint directory {}: {}", path, e.toString());
    }
  }

  private static void save(PipelineModel model, String path) {
    try {
      model.write().overwrite().save(path);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot save the model to " + path, e);
    }
  }

  private static double seconds(long startedNanos) {
    return (System.nanoTime() - startedNanos) / 1e9;
  }
}
