package dev.sluice.jobs.train;

import static java.util.Objects.requireNonNull;
import static org.apache.spark.ml.functions.vector_to_array;
import static org.apache.spark.sql.functions.array;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.desc;
import static org.apache.spark.sql.functions.explode;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.row_number;
import static org.apache.spark.sql.functions.struct;

import dev.sluice.common.Columns;
import dev.sluice.common.Errors;
import dev.sluice.common.Tables;
import dev.sluice.common.dataset.DatasetSpec;
import dev.sluice.common.dataset.TaskType;
import dev.sluice.common.features.FeaturePipeline;
import dev.sluice.common.features.FeaturePipeline.Encoding;
import dev.sluice.common.features.Snapshots;
import dev.sluice.common.lakehouse.Lakehouse;
import dev.sluice.common.lakehouse.ModelTables;
import dev.sluice.common.monitor.Baseline;
import dev.sluice.common.monitor.Histograms;
import dev.sluice.common.registry.ModelVersion;
import dev.sluice.common.registry.Registry;
import dev.sluice.common.run.JobMain;
import dev.sluice.common.run.JobRun;
import dev.sluice.common.run.Steps;
import dev.sluice.common.settings.TrainSettings;
import dev.sluice.common.settings.TrainSettings.EstimatorSettings;
import dev.sluice.common.train.Estimators;
import dev.sluice.common.train.Metrics;
import dev.sluice.common.train.Refit;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import org.apache.spark.ml.Estimator;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.param.ParamPair;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.storage.StorageLevel;

/**
 * Trains a data set's model on a pinned snapshot version: cross-validates every configured
 * estimator over its grid (every fold's metric to {@code cv_results}), refits each estimator's best
 * parameters on the train split, evaluates on validation and test ({@code model_metrics}), and
 * registers the best one as a new version of the model with its {@code PipelineModel} (feature
 * stages included). Training the same snapshot with the same settings and seed again registers
 * nothing.
 */
public final class TrainJob {
  static final String JOB = "train";

  /** Bins of a positive-class probability's baseline: tenths. */
  private static final double[] PROBABILITY_EDGES = {0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9};

  /** Relative error of the baseline's quantile edges, as {@link Baseline#numeric} uses. */
  private static final double QUANTILE_ERROR = 0.001;

  private final SparkSession spark;
  private final TrainSettings settings;
  private final DatasetSpec spec;
  private final Lakehouse lakehouse;
  private final Registry registry;
  private final Steps steps;

  public TrainJob(SparkSession spark, TrainSettings settings) {
    this.spark = requireNonNull(spark, "spark is null");
    this.settings = requireNonNull(settings, "settings is null");
    this.spec = settings.dataset();
    this.lakehouse = new Lakehouse(spark, settings.lakehouse());
    this.registry = new Registry(lakehouse);
    this.steps = new Steps(spark.sparkContext(), JOB);
  }

  public static void main(String[] args) {
    JobMain.run(
        JOB, args, TrainSettings::load, (spark, settings) -> new TrainJob(spark, settings).run());
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

  /** The chosen model of one estimator. */
  private record Fitted(
      EstimatorSettings estimator,
      ParamMap params,
      int paramIndex,
      CrossValidation.Outcome cv,
      PipelineModel model,
      Map<String, Double> validation,
      Map<String, Double> test,
      double fitSeconds) {}

  private TrainResult execute(JobRun run) {
    long started = System.nanoTime();
    String model = spec.name();
    String snapshotTable = Tables.snapshot(spec.name());
    long latest =
        lakehouse
            .version(snapshotTable)
            .orElseThrow(
                () -> Errors.noSnapshotTable(model, lakehouse.qualifiedName(snapshotTable)));
    long snapshotVersion = settings.snapshotVersion().orElse(latest);
    run.input(snapshotTable, snapshotVersion);
    String trainingKey =
        snapshotTable
            + "@"
            + snapshotVersion
            + ";training="
            + settings.trainingHash()
            + ";seed="
            + settings.seed();
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
    // Boosting over many iterations builds a lineage deep enough to overflow the driver's stack
    // unless it is
    // checkpointed; MLlib checkpoints every checkpointInterval iterations once a directory is set.
    String checkpoints = lakehouse.path(Tables.MODELS_FOLDER) + "/_checkpoints/" + run.runId();
    spark.sparkContext().setCheckpointDir(checkpoints);

    Dataset<Row> snapshot = lakehouse.readVersion(snapshotTable, snapshotVersion);
    Dataset<Row> train = split(snapshot, "train").persist(StorageLevel.MEMORY_AND_DISK());
    Dataset<Row> validation = split(snapshot, "validation").persist(StorageLevel.MEMORY_AND_DISK());
    Dataset<Row> test = split(snapshot, "test").persist(StorageLevel.MEMORY_AND_DISK());
    try {
      long trainRows = steps.run("read train split", train::count);
      if (trainRows == 0) {
        throw Errors.emptyTrainSplit(
            model, lakehouse.qualifiedName(snapshotTable), snapshotVersion);
      }
      run.rows(trainRows, 0);
      FeaturePipeline features = new FeaturePipeline(settings.features());
      Map<String, List<String>> levels =
          steps.run("learn categorical levels", () -> features.frequentLevels(train));
      int maxLevels = levels.values().stream().mapToInt(List::size).max().orElse(0);
      Map<Encoding, PipelineModel> featureModels = new EnumMap<>(Encoding.class);
      Map<Encoding, Dataset<Row>> prepared = new EnumMap<>(Encoding.class);
      int classCount = Snapshots.classIndex(spec).size();

      List<Fitted> fitted = new ArrayList<>();
      for (EstimatorSettings estimatorSettings : settings.estimators()) {
        Encoding encoding = Estimators.encoding(estimatorSettings.name());
        PipelineModel featureModel =
            featureModels.computeIfAbsent(
                encoding,
                e -> steps.run("fit features " + e, () -> features.fit(train, e, levels)));
        Dataset<Row> ready =
            prepared.computeIfAbsent(
                encoding,
                e ->
                    featureModel
                        .transform(train)
                        .select(Columns.ROW_ID, Columns.FEATURES, Columns.TARGET)
                        .persist(StorageLevel.MEMORY_AND_DISK()));
        fitted.add(
            steps.run(
                "cross-validate " + estimatorSettings.name(),
                () ->
                    fit(
                        estimatorSettings,
                        featureModel,
                        ready,
                        train,
                        validation,
                        test,
                        maxLevels,
                        classCount)));
      }
      prepared.values().forEach(Dataset::unpersist);

      Fitted best = fitted.get(0);
      boolean larger = Metrics.largerIsBetter(settings.metric());
      for (Fitted candidate : fitted) {
        double value = selection(candidate);
        if (larger ? value > selection(best) : value < selection(best)) {
          best = candidate;
        }
      }
      String artifact = lakehouse.path(Tables.MODELS_FOLDER) + "/" + model + "/v" + version;
      Fitted chosen = best;
      steps.run("save model", () -> save(chosen.model(), artifact));
      Instant now = Instant.now();
      steps.run("write results", () -> writeResults(run, model, version, fitted, chosen, now));
      steps.run(
          "register",
          () ->
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
                  version));
      run.output(Tables.MODEL_REGISTRY, lakehouse.version(Tables.MODEL_REGISTRY).getAsLong());
      steps.run("baseline", () -> writeBaselines(run, model, version, chosen.model(), train, now));
      run.detail("estimator", chosen.estimator().name()).detail("artifact", artifact);

      List<TrainResult.Entry> leaderboard = new ArrayList<>();
      for (Fitted f : fitted) {
        leaderboard.add(
            new TrainResult.Entry(
                f.estimator().name(),
                params(f.params()),
                f.cv().meanByParam()[f.paramIndex()],
                f.validation(),
                f.test(),
                f.fitSeconds(),
                f == chosen));
      }
      return new TrainResult(
          model,
          snapshotVersion,
          OptionalLong.of(version),
          false,
          settings.metric(),
          leaderboard,
          artifact,
          seconds(started));
    } finally {
      train.unpersist();
      validation.unpersist();
      test.unpersist();
      deleteQuietly(checkpoints);
    }
  }

  /**
   * Checkpoints are scratch space of this run; failing to delete them must not fail a trained
   * model.
   */
  private void deleteQuietly(String path) {
    try {
      org.apache.hadoop.fs.Path dir = new org.apache.hadoop.fs.Path(path);
      dir.getFileSystem(spark.sparkContext().hadoopConfiguration()).delete(dir, true);
    } catch (IOException e) {
      org.apache.logging.log4j.LogManager.getLogger(TrainJob.class)
          .warn("Could not delete checkpoint directory {}: {}", path, e.toString());
    }
  }

  private double selection(Fitted fitted) {
    return fitted.validation().isEmpty()
        ? fitted.cv().meanByParam()[fitted.paramIndex()]
        : fitted.validation().get(settings.metric());
  }

  @SuppressWarnings({"rawtypes", "unchecked"})
  private Fitted fit(
      EstimatorSettings estimatorSettings,
      PipelineModel featureModel,
      Dataset<Row> prepared,
      Dataset<Row> train,
      Dataset<Row> validation,
      Dataset<Row> test,
      int maxLevels,
      int classCount) {
    String path = TrainSettings.PATH + ".estimators";
    Estimator estimator =
        Estimators.create(estimatorSettings.name(), spec.task(), settings.seed(), path);
    if (Estimators.hasMaxBins(estimatorSettings.name())) {
      // Trees split on category indices: a bin per kept level plus __missing__, __other__ and
      // unknown.
      int bins =
          Math.max(
              (Integer) estimator.getDefault(estimator.getParam("maxBins")).get(), maxLevels + 3);
      estimator.set(estimator.getParam("maxBins"), bins);
    }
    ParamMap[] grid =
        Estimators.grid(
            estimator,
            estimatorSettings.grid(),
            TrainSettings.PATH + ".grids." + estimatorSettings.name());
    CrossValidation.Outcome cv =
        new CrossValidation(
                spec.task(),
                settings.metric(),
                classCount,
                settings.folds(),
                settings.seed(),
                settings.parallelism())
            .run(estimator, grid, prepared);
    ParamMap bestParams = grid[cv.bestIndex()];
    long start = System.nanoTime();
    PipelineModel model = Refit.pipeline(featureModel, estimator, bestParams, train);
    double fitSeconds = (System.nanoTime() - start) / 1e9;
    Map<String, Double> validationMetrics = evaluate(model, validation, classCount);
    Map<String, Double> testMetrics = evaluate(model, test, classCount);
    return new Fitted(
        estimatorSettings,
        bestParams,
        cv.bestIndex(),
        cv,
        model,
        validationMetrics,
        testMetrics,
        fitSeconds);
  }

  private Map<String, Double> evaluate(PipelineModel model, Dataset<Row> rows, int classCount) {
    Dataset<Row> predictions = model.transform(rows).persist(StorageLevel.MEMORY_AND_DISK());
    try {
      if (predictions.isEmpty()) {
        return Map.of();
      }
      return Metrics.evaluate(spec.task(), predictions, settings.taskMetrics(), classCount);
    } finally {
      predictions.unpersist();
    }
  }

  private static Dataset<Row> split(Dataset<Row> snapshot, String name) {
    return snapshot.where(col(Columns.SPLIT).equalTo(name));
  }

  private static Map<String, String> params(ParamMap params) {
    Map<String, String> out = new LinkedHashMap<>();
    for (ParamPair<?> pair : params.toList()) {
      out.put(pair.param().name(), String.valueOf(pair.value()));
    }
    return out;
  }

  private static void save(PipelineModel model, String path) {
    try {
      model.write().overwrite().save(path);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot save the model to " + path, e);
    }
  }

  private void writeResults(
      JobRun run, String model, long version, List<Fitted> fitted, Fitted chosen, Instant now) {
    Timestamp at = Timestamp.from(now);
    List<Row> cvRows = new ArrayList<>();
    List<Row> metricRows = new ArrayList<>();
    for (Fitted f : fitted) {
      ParamMap[] grid =
          Estimators.grid(
              Estimators.create(f.estimator().name(), spec.task(), settings.seed(), ""),
              f.estimator().grid(),
              "");
      for (CrossValidation.FoldResult fold : f.cv().folds()) {
        cvRows.add(
            RowFactory.create(
                run.runId(),
                model,
                version,
                f.estimator().name(),
                fold.paramIndex(),
                params(grid[fold.paramIndex()]),
                fold.fold(),
                settings.metric(),
                fold.value(),
                fold.trainRows(),
                fold.validationRows(),
                fold.fitSeconds(),
                at));
      }
      for (Map.Entry<String, Map<String, Double>> split :
          Map.of("validation", f.validation(), "test", f.test()).entrySet()) {
        for (Map.Entry<String, Double> metric : split.getValue().entrySet()) {
          metricRows.add(
              RowFactory.create(
                  run.runId(),
                  model,
                  version,
                  f.estimator().name(),
                  params(f.params()),
                  f == chosen,
                  split.getKey(),
                  metric.getKey(),
                  metric.getValue(),
                  f.fitSeconds(),
                  at));
        }
      }
    }
    String appId = "train/" + model + "/" + version;
    lakehouse
        .appendOnce(ModelTables.CV_RESULTS, cvRows, appId, 1)
        .ifPresent(v -> run.output(Tables.CV_RESULTS, v));
    lakehouse
        .appendOnce(ModelTables.MODEL_METRICS, metricRows, appId, 1)
        .ifPresent(v -> run.output(Tables.MODEL_METRICS, v));
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
            chosen.cv().meanByParam()[chosen.paramIndex()],
            chosen.validation(),
            chosen.test(),
            spec.task() == TaskType.REGRESSION ? List.of() : Snapshots.classIndex(spec),
            artifact,
            "candidate",
            trainingKey)
        .toRow();
  }

  /**
   * The training baseline of the registered version: binned distributions of every feature and of
   * the predictions on the train split, stored once with the version so drift is never measured
   * against a table that changed since.
   */
  private void writeBaselines(
      JobRun run,
      String model,
      long version,
      PipelineModel chosen,
      Dataset<Row> train,
      Instant now) {
    // Three passes over the cached train split whatever the number of features: every numeric
    // feature's quantile edges, every categorical feature's level counts, then every bin count.
    List<String> numeric = settings.features().numeric().stream().map(f -> f.name()).toList();
    List<String> categorical =
        settings.features().categorical().stream().map(f -> f.name()).toList();
    Map<String, double[]> edges = quantileEdges(train, numeric, settings.baselineBins());
    Map<String, List<String>> levels =
        frequentLevels(train, categorical, settings.baselineMaxLevels());
    List<Baseline> empty = new ArrayList<>();
    List<Column> values = new ArrayList<>();
    for (String feature : numeric) {
      empty.add(new Baseline(feature, true, edges.get(feature), List.of(), new long[0]));
      values.add(col("`" + feature + "`"));
    }
    for (String feature : categorical) {
      empty.add(new Baseline(feature, false, new double[0], levels.get(feature), new long[0]));
      values.add(col("`" + feature + "`"));
    }
    switch (spec.task()) {
      case BINARY -> {
        empty.add(
            new Baseline(Baseline.PREDICTION, true, PROBABILITY_EDGES, List.of(), new long[0]));
        values.add(vector_to_array(col(Columns.PROBABILITY), "float64").getItem(1));
      }
      case MULTICLASS -> {
        int classes = Snapshots.classIndex(spec).size();
        List<String> indices = new ArrayList<>();
        for (Row row :
            chosen
                .transform(train)
                .select(col(Columns.PREDICTION).cast("string").as("v"))
                .groupBy("v")
                .count()
                .orderBy(desc("count"), col("v"))
                .limit(classes)
                .collectAsList()) {
          indices.add(row.getString(0));
        }
        empty.add(new Baseline(Baseline.PREDICTION, false, new double[0], indices, new long[0]));
        values.add(col(Columns.PREDICTION));
      }
      case REGRESSION -> {
        Dataset<Row> predicted =
            chosen.transform(train).select(col(Columns.PREDICTION).cast("double").as("v"));
        empty.add(
            new Baseline(
                Baseline.PREDICTION,
                true,
                Histograms.quantileEdges(predicted, "v", settings.baselineBins(), QUANTILE_ERROR),
                List.of(),
                new long[0]));
        values.add(col(Columns.PREDICTION));
      }
    }
    long[][] counts = Baseline.countsOf(chosen.transform(train), empty, values);
    List<Baseline> baselines = new ArrayList<>();
    for (int i = 0; i < empty.size(); i++) {
      Baseline b = empty.get(i);
      baselines.add(new Baseline(b.feature(), b.numeric(), b.edges(), b.levels(), counts[i]));
    }
    long rows = train.count();
    List<Row> out = new ArrayList<>();
    for (Baseline baseline : baselines) {
      out.add(
          RowFactory.create(
              model,
              version,
              baseline.feature(),
              baseline.numeric() ? "numeric" : "categorical",
              java.util.Arrays.stream(baseline.edges()).boxed().toArray(Double[]::new),
              baseline.levels().toArray(String[]::new),
              java.util.Arrays.stream(baseline.counts()).boxed().toArray(Long[]::new),
              rows,
              Timestamp.from(now)));
    }
    lakehouse
        .appendOnce(ModelTables.MODEL_BASELINES, out, "baseline/" + model + "/" + version, 1)
        .ifPresent(v -> run.output(Tables.MODEL_BASELINES, v));
  }

  /** Interior quantile edges of every numeric column, in one pass. */
  private static Map<String, double[]> quantileEdges(
      Dataset<Row> rows, List<String> columns, int bins) {
    Map<String, double[]> edges = new LinkedHashMap<>();
    if (columns.isEmpty()) {
      return edges;
    }
    double[] probabilities = new double[bins - 1];
    for (int i = 1; i < bins; i++) {
      probabilities[i - 1] = (double) i / bins;
    }
    String[] names = new String[columns.size()];
    Column[] casts = new Column[columns.size()];
    for (int i = 0; i < names.length; i++) {
      names[i] = "v" + i;
      casts[i] = col("`" + columns.get(i) + "`").cast("double").as(names[i]);
    }
    double[][] quantiles =
        rows.select(casts).stat().approxQuantile(names, probabilities, QUANTILE_ERROR);
    for (int i = 0; i < names.length; i++) {
      edges.put(
          columns.get(i), java.util.Arrays.stream(quantiles[i]).distinct().sorted().toArray());
    }
    return edges;
  }

  /** The most frequent non-null levels of every categorical column, in one pass. */
  private static Map<String, List<String>> frequentLevels(
      Dataset<Row> rows, List<String> columns, int maxLevels) {
    Map<String, List<String>> levels = new LinkedHashMap<>();
    columns.forEach(c -> levels.put(c, new ArrayList<>()));
    if (columns.isEmpty()) {
      return levels;
    }
    Column[] pairs =
        columns.stream()
            .map(c -> struct(lit(c).as("c"), col("`" + c + "`").cast("string").as("v")))
            .toArray(Column[]::new);
    List<Row> counted =
        rows.select(explode(array(pairs)).as("p"))
            .where(col("p.v").isNotNull())
            .groupBy(col("p.c").as("c"), col("p.v").as("v"))
            .count()
            .withColumn(
                "rank", row_number().over(Window.partitionBy("c").orderBy(desc("count"), col("v"))))
            .where(col("rank").leq(maxLevels))
            .orderBy("c", "rank")
            .collectAsList();
    for (Row row : counted) {
      levels.get(row.getString(0)).add(row.getString(1));
    }
    return levels;
  }

  /**
   * The raw version a snapshot was built from, read from the features job's tag on that snapshot
   * commit.
   */
  private OptionalLong rawVersionOf(String snapshotTable, long snapshotVersion) {
    return lakehouse
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

  private static double seconds(long startedNanos) {
    return (System.nanoTime() - startedNanos) / 1e9;
  }
}
