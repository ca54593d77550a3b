package dev.sluice.jobs.score;

import static java.util.Objects.requireNonNull;
import static org.apache.spark.sql.functions.col;

import com.typesafe.config.ConfigFactory;
import dev.sluice.common.Columns;
import dev.sluice.common.Errors;
import dev.sluice.common.dataset.DatasetSpec;
import dev.sluice.common.engine.JobSession;
import dev.sluice.common.features.FeatureSpec;
import dev.sluice.common.lakehouse.Lakehouse;
import dev.sluice.common.monitor.ScoringWindow;
import dev.sluice.common.registry.ModelVersion;
import dev.sluice.common.registry.Registry;
import dev.sluice.common.run.JobMain;
import dev.sluice.common.run.JobRun;
import dev.sluice.common.run.Steps;
import dev.sluice.common.settings.DatasetSpecReader;
import dev.sluice.common.settings.FeatureSpecReader;
import dev.sluice.common.settings.ScoreSettings;
import dev.sluice.common.table.PredictionsTable;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * Scores rows of a data set's raw table (a pinned version, optionally one batch or source) with the
 * champion or a pinned model version, and appends the predictions with their lineage. The input
 * schema is checked against the columns the model was trained on first. Scoring the same input
 * version with the same model version again writes nothing.
 */
public final class ScoreJob {
  static final String JOB = "score";
  private static final Logger LOG = LogManager.getLogger(ScoreJob.class);

  private final ScoreSettings settings;
  private final DatasetSpec spec;
  private final Lakehouse lakehouse;
  private final Registry registry;
  private final Steps steps;

  public ScoreJob(SparkSession spark, ScoreSettings settings) {
    this(JobSession.of(spark), settings);
  }

  /** The job with a session that starts when a step first needs Spark. */
  public ScoreJob(JobSession session, ScoreSettings settings) {
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
        ScoreSettings::load,
        (session, settings) -> new ScoreJob(session, settings).run());
  }

  public ScoreResult run() {
    return JobRun.record(
        lakehouse,
        JOB,
        spec.name(),
        settings.settingsHash(),
        this::execute,
        ScoreResult::alreadyScored);
  }

  private ScoreResult execute(JobRun run) {
    long started = System.nanoTime();
    String model = spec.name();
    ModelVersion registered =
        registry.resolve(
            model,
            settings.modelVersion(),
            Registry.Fallback.CHAMPION,
            "score with",
            "--model-version");
    long version = registered.version();
    ScoreInput scoreInput = new ScoreInput(lakehouse, settings);
    ScoreInput.Selected selected = scoreInput.select(run);
    String inputTable = selected.table();
    long inputVersion = selected.version();
    String filter = selected.filter();
    run.detail("model_version", version);
    String key = ScoringWindow.scoringKey(model, version, inputTable, inputVersion, filter);
    run.detail("scoring_key", key);
    if (selected.nothingPending() || lakehouse.committed(PredictionsTable.NAME, key, 0)) {
      return new ScoreResult(
          model,
          version,
          inputTable,
          inputVersion,
          filter,
          0,
          true,
          java.util.OptionalLong.empty(),
          seconds(started));
    }
    Dataset<Row> input = scoreInput.rows(selected, run);
    checkColumns(input, registered, model, version, inputTable);

    PipelineModel pipeline = PipelineModel.load(registered.artifactPath());
    List<String> classes = registered.classLabels();
    // The time every row of the window carries, at the precision Spark stores.
    ScoringWindow window =
        new ScoringWindow(
            run.runId(),
            inputTable,
            inputVersion,
            Timestamp.from(Instant.now().truncatedTo(ChronoUnit.MICROS)));
    Dataset<Row> predictions =
        PredictionRows.of(pipeline.transform(input), classes, model, version, window);
    lakehouse.create(PredictionsTable.SPEC);
    // The window is recorded in the rows' own commit, so monitor lists windows without reading
    // predictions.
    Optional<Long> written =
        steps.run(
            "score and write",
            () ->
                lakehouse.appendOnce(
                    predictions,
                    PredictionsTable.NAME,
                    key,
                    1,
                    false,
                    rows -> window.marks(model, version, rows)));
    // The commit's own row count: counting this run's rows would scan every prediction ever made.
    long rows =
        written
            .map(
                v ->
                    lakehouse
                        .log()
                        .writtenRows(PredictionsTable.NAME, v)
                        .orElseGet(
                            () ->
                                lakehouse
                                    .readVersion(PredictionsTable.NAME, v)
                                    .where(
                                        col(PredictionsTable.SCORING_RUN_ID).equalTo(run.runId()))
                                    .count()))
            .orElse(0L);
    written.ifPresent(v -> run.output(PredictionsTable.NAME, v));
    run.rows(rows, rows);
    return new ScoreResult(
        model,
        version,
        inputTable,
        inputVersion,
        filter,
        rows,
        false,
        written.map(java.util.OptionalLong::of).orElseGet(java.util.OptionalLong::empty),
        seconds(started));
  }

  /**
   * Fails when a column the model was trained on is missing, naming the model; extra columns are
   * only logged, since the model never reads them.
   */
  private void checkColumns(
      Dataset<Row> input, ModelVersion registered, String model, long version, String inputTable) {
    var trained = ConfigFactory.parseString("sluice = " + registered.settingsJson()).resolve();
    DatasetSpec trainedSpec =
        DatasetSpecReader.read(trained.withFallback(ConfigFactory.defaultReference()));
    FeatureSpec features =
        FeatureSpecReader.read(trained.withFallback(ConfigFactory.defaultReference()), trainedSpec);
    Set<String> present = new HashSet<>(List.of(input.columns()));
    for (String column : features.columns()) {
      if (!present.contains(column)) {
        throw Errors.missingTrainedColumn(
            lakehouse.qualifiedName(inputTable), column, model, version);
      }
    }
    Set<String> extra = new HashSet<>(present);
    extra.removeAll(trainedSpec.columnNames());
    extra.removeAll(Columns.LINEAGE);
    if (!extra.isEmpty()) {
      LOG.warn(
          "Ignoring columns {} of {}: model {} v{} was not trained on them",
          extra,
          inputTable,
          model,
          version);
    }
  }

  private static double seconds(long startedNanos) {
    return (System.nanoTime() - startedNanos) / 1e9;
  }
}
