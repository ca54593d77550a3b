package dev.sluice.jobs.score;

import static java.util.Objects.requireNonNull;
import static org.apache.spark.ml.functions.vector_to_array;
import static org.apache.spark.sql.functions.array_max;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.element_at;
import static org.apache.spark.sql.functions.lit;

import com.typesafe.config.ConfigFactory;
import dev.sluice.common.Columns;
import dev.sluice.common.Errors;
import dev.sluice.common.Tables;
import dev.sluice.common.dataset.DatasetSpec;
import dev.sluice.common.features.FeatureSpec;
import dev.sluice.common.lakehouse.Lakehouse;
import dev.sluice.common.monitor.ScoringWindow;
import dev.sluice.common.parse.BatchFiles;
import dev.sluice.common.parse.BatchParser;
import dev.sluice.common.parse.LabelPolicy;
import dev.sluice.common.parse.SourceLines;
import dev.sluice.common.registry.ModelVersion;
import dev.sluice.common.registry.Registry;
import dev.sluice.common.run.JobMain;
import dev.sluice.common.run.JobRun;
import dev.sluice.common.run.Steps;
import dev.sluice.common.settings.DatasetSpecReader;
import dev.sluice.common.settings.FeatureSpecReader;
import dev.sluice.common.settings.ScoreSettings;
import dev.sluice.common.table.PredictionsTable;
import dev.sluice.common.table.QuarantineTable;
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
import org.apache.spark.sql.Column;
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

  private final SparkSession spark;
  private final ScoreSettings settings;
  private final DatasetSpec spec;
  private final Lakehouse lakehouse;
  private final Registry registry;
  private final Steps steps;

  public ScoreJob(SparkSession spark, ScoreSettings settings) {
    this.spark = requireNonNull(spark, "spark is null");
    this.settings = requireNonNull(settings, "settings is null");
    this.spec = settings.dataset();
    this.lakehouse = new Lakehouse(spark, settings.lakehouse());
    this.registry = new Registry(lakehouse);
    this.steps = new Steps(spark.sparkContext(), JOB);
  }

  public static void main(String[] args) {
    JobMain.run(
        JOB, args, ScoreSettings::load, (spark, settings) -> new ScoreJob(spark, settings).run());
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
    String inputTable;
    long inputVersion;
    Dataset<Row> input;
    String filter = "";
    if (!settings.files().isEmpty()) {
      // New files: parsed as ingest parses them; bad rows are quarantined, never scored. A label is
      // not needed to score: it may be blank, or its column left out.
      BatchFiles files =
          BatchFiles.resolve(
              spec.name(),
              "score",
              settings.files(),
              spark.sparkContext().hadoopConfiguration(),
              SourceLines.SplitSizing.of(spark));
      files.checkShape(spec, LabelPolicy.OPTIONAL, spark.sparkContext().hadoopConfiguration());
      BatchParser parser = new BatchParser(spec, LabelPolicy.OPTIONAL);
      SourceLines.Read lines =
          SourceLines.read(spark, files.paths(), files.lineIndexes(), files.readConfiguration());
      BatchParser.Batch batch =
          new BatchParser.Batch(
              files.batchId(), "score", Timestamp.from(run.startedAt()), files.fileKeys());
      // Two passes over the lines, each parsing them: the quarantined ones are a few rows written
      // now, the accepted ones are scored as they are parsed.
      lakehouse.create(QuarantineTable.SPEC);
      lakehouse
          .appendOnce(
              parser.quarantined(spark, lines, batch),
              QuarantineTable.NAME,
              "score/" + spec.name() + "/" + files.batchId(),
              1,
              false)
          .ifPresent(v -> run.output(QuarantineTable.NAME, v));
      inputTable = "files:" + files.batchId();
      inputVersion = 0;
      input = parser.accepted(spark, lines, batch);
      run.detail("batch_id", files.batchId());
    } else {
      String rawTable = Tables.raw(spec.name());
      inputTable = rawTable;
      long latest =
          lakehouse
              .version(rawTable)
              .orElseThrow(() -> Errors.noInputTable(lakehouse.qualifiedName(rawTable)));
      inputVersion = settings.inputVersion().orElse(latest);
      run.input(inputTable, inputVersion);
      input = lakehouse.readVersion(inputTable, inputVersion);
      if (!settings.batchId().isEmpty()) {
        input = input.where(col(Columns.BATCH_ID).equalTo(settings.batchId()));
        filter = Columns.BATCH_ID + " = '" + settings.batchId() + "'";
      }
      if (!settings.source().isEmpty()) {
        input = input.where(col(Columns.SOURCE).equalTo(settings.source()));
        filter +=
            (filter.isEmpty() ? "" : " AND ") + Columns.SOURCE + " = '" + settings.source() + "'";
      }
    }
    run.detail("model_version", version);
    checkColumns(input, registered, model, version, inputTable);
    String key = ScoringWindow.scoringKey(model, version, inputTable, inputVersion, filter);
    run.detail("scoring_key", key);
    if (lakehouse.transactionVersion(PredictionsTable.NAME, key).isPresent()) {
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
        predictions(pipeline.transform(input), classes, model, version, window);
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

  private static Dataset<Row> predictions(
      Dataset<Row> scored, List<String> classes, String model, long version, ScoringWindow window) {
    boolean classification = !classes.isEmpty();
    Column probabilities =
        classification
            ? vector_to_array(col(Columns.PROBABILITY), "float64")
            : lit(null).cast("array<double>");
    Column predictedClass = lit(null).cast("string");
    if (classification) {
      // Class index to name, as the model's class_labels list them.
      predictedClass =
          element_at(
              org.apache.spark.sql.functions.array(
                  classes.stream().map(c -> lit(c)).toArray(Column[]::new)),
              col(Columns.PREDICTION).cast("int").plus(1));
    }
    Column score =
        !classification
            ? lit(null).cast("double")
            : classes.size() == 2 ? probabilities.getItem(1) : array_max(probabilities);
    return scored.select(
        col(Columns.ROW_ID).as(PredictionsTable.ROW_ID),
        col(Columns.BATCH_ID).as(PredictionsTable.BATCH_ID),
        col(Columns.PREDICTION).as(PredictionsTable.PREDICTION),
        predictedClass.as(PredictionsTable.PREDICTED_CLASS),
        score.as(PredictionsTable.SCORE),
        probabilities.as(PredictionsTable.PROBABILITIES),
        lit(model).as(PredictionsTable.MODEL_NAME),
        lit(version).as(PredictionsTable.MODEL_VERSION),
        lit(window.inputTable()).as(PredictionsTable.INPUT_TABLE),
        lit(window.inputVersion()).as(PredictionsTable.INPUT_VERSION),
        lit(window.id()).as(PredictionsTable.SCORING_RUN_ID),
        lit(window.scoredAt()).as(PredictionsTable.SCORED_AT));
  }

  private static double seconds(long startedNanos) {
    return (System.nanoTime() - startedNanos) / 1e9;
  }
}
