package dev.sluice.bench;

import static org.apache.spark.ml.functions.vector_to_array;
import static org.apache.spark.sql.functions.array;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.explode;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.pmod;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.when;
import static org.apache.spark.sql.functions.xxhash64;

import dev.sluice.common.Columns;
import dev.sluice.common.Sessions;
import dev.sluice.common.Tables;
import dev.sluice.common.dataset.ColumnSpec;
import dev.sluice.common.dataset.DatasetSpec;
import dev.sluice.common.features.FeatureSpec;
import dev.sluice.common.features.SplitSpec;
import dev.sluice.common.lakehouse.Lakehouse;
import dev.sluice.common.monitor.Baseline;
import dev.sluice.common.monitor.DriftStatistics;
import dev.sluice.common.run.TaskMetricsListener;
import dev.sluice.common.settings.TrainSettings;
import dev.sluice.common.settings.TrainSettings.EstimatorSettings;
import dev.sluice.common.train.Estimators;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.ml.Estimator;
import org.apache.spark.ml.Pipeline;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.PipelineStage;
import org.apache.spark.ml.evaluation.BinaryClassificationEvaluator;
import org.apache.spark.ml.feature.Imputer;
import org.apache.spark.ml.feature.OneHotEncoder;
import org.apache.spark.ml.feature.StandardScaler;
import org.apache.spark.ml.feature.StringIndexer;
import org.apache.spark.ml.feature.VectorAssembler;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.tuning.CrossValidator;
import org.apache.spark.ml.tuning.CrossValidatorModel;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * The floor each Sluice job is measured against: the same step written as plainly as Spark allows,
 * with no validation, lineage, ledger or idempotence. Each step reads the input the Sluice job read
 * (Sluice's raw table, snapshot, model and predictions in the same lakehouse), so both do the same
 * work on the same rows, and writes to its own folder. Prints one {@code bench:} line with its time
 * and the task metrics the Sluice jobs record in {@code job_runs}.
 *
 * <p>Usage: {@code Bare <ingest|features|train|score|monitor> <output folder> <input file or ->
 * <train job settings arguments...>}
 */
public final class Bare {
  private final SparkSession spark;
  private final TrainSettings settings;
  private final DatasetSpec spec;
  private final Lakehouse lakehouse;
  private final String out;
  private final String[] settingsArgs;

  private Bare(SparkSession spark, TrainSettings settings, String out, String[] settingsArgs) {
    this.spark = spark;
    this.settings = settings;
    this.spec = settings.dataset();
    this.lakehouse = new Lakehouse(spark, settings.lakehouse());
    this.out = out;
    this.settingsArgs = settingsArgs;
  }

  public static void main(String[] args) throws IOException {
    if (args.length < 3) {
      System.err.println(
          "usage: Bare <ingest|features|train|score|monitor> <output folder> <input file or ->"
              + " <settings arguments...>");
      System.exit(2);
    }
    String step = args[0];
    String[] settingsArgs = Arrays.copyOfRange(args, 3, args.length);
    TrainSettings settings = TrainSettings.load(settingsArgs);
    try (SparkSession spark = Sessions.forJob("bare-" + step)) {
      TaskMetricsListener metrics = new TaskMetricsListener();
      spark.sparkContext().addSparkListener(metrics);
      Bare bare = new Bare(spark, settings, args[1], settingsArgs);
      long start = System.nanoTime();
      switch (step) {
        case "ingest" -> bare.ingest(args[2]);
        case "features" -> bare.features();
        case "train" -> bare.train();
        case "score" -> bare.score();
        case "monitor" -> bare.monitor();
        default -> throw new IllegalArgumentException("unknown step " + step);
      }
      double seconds = (System.nanoTime() - start) / 1e9;
      spark.sparkContext().removeSparkListener(metrics);
      System.out.printf(
          "bench: step=%s seconds=%.3f run_ms=%d cpu_ms=%d shuffle_read=%d" + " shuffle_write=%d%n",
          step,
          seconds,
          metrics.runTimeMs(),
          metrics.cpuTimeMs(),
          metrics.shuffleReadBytes(),
          metrics.shuffleWriteBytes());
    }
  }

  /** Spark's CSV reader with the spec's schema straight into a Delta table. */
  private void ingest(String file) {
    StructType schema = new StructType();
    for (ColumnSpec column : spec.columns()) {
      schema = schema.add(column.name(), column.type().isNumeric() ? "double" : "string");
    }
    spark
        .read()
        .schema(schema)
        .option("sep", spec.csv().delimiter())
        .option("nullValue", spec.nullTokens().get(0))
        .csv(file)
        .write()
        .format("delta")
        .mode("append")
        .save(out + "/raw");
  }

  /** Target and hashed split added to the raw table, written as the snapshot. */
  private void features() {
    Dataset<Row> raw = lakehouse.read(Tables.raw(spec.name()));
    Column label = col(quote(spec.label().column()));
    String positive = spec.label().positiveClass();
    SplitSpec split = dev.sluice.common.settings.FeaturesSettings.load(settingsArgs).split();
    Column u = pmod(xxhash64(col(Columns.ROW_ID), lit(split.seed())), lit(10_000L)).divide(1e4);
    raw.withColumn(Columns.TARGET, when(label.startsWith(positive), 1.0).otherwise(0.0))
        .withColumn(
            Columns.SPLIT,
            when(u.lt(split.train()), "train")
                .when(u.lt(split.train() + split.validation()), "validation")
                .otherwise("test"))
        .write()
        .format("delta")
        .mode("overwrite")
        .save(out + "/snapshot");
  }

  /**
   * MLlib's CrossValidator over the whole pipeline (indexing, one-hot, imputing, scaling and the
   * estimator) with the same grid and folds, then the test metric and a saved model.
   */
  @SuppressWarnings({"rawtypes", "unchecked"})
  private void train() {
    Dataset<Row> snapshot = lakehouse.read(Tables.snapshot(spec.name()));
    Dataset<Row> train = snapshot.where(col(Columns.SPLIT).equalTo("train"));
    Dataset<Row> test = snapshot.where(col(Columns.SPLIT).equalTo("test"));
    EstimatorSettings only = settings.estimators().get(0);
    Estimator estimator = Estimators.create(only.name(), spec.task(), settings.seed(), "");
    ParamMap[] grid = Estimators.grid(estimator, only.grid(), "");
    Pipeline pipeline = new Pipeline().setStages(stages(settings.features(), estimator));
    BinaryClassificationEvaluator evaluator =
        new BinaryClassificationEvaluator()
            .setLabelCol(Columns.TARGET)
            .setMetricName(settings.metric());
    CrossValidatorModel model =
        new CrossValidator()
            .setEstimator(pipeline)
            .setEstimatorParamMaps(grid)
            .setEvaluator(evaluator)
            .setNumFolds(settings.folds())
            .setParallelism(settings.parallelism())
            .setSeed(settings.seed())
            .fit(train);
    double metric = evaluator.evaluate(model.transform(test));
    System.out.printf("bench: bare train test %s %.4f%n", settings.metric(), metric);
    try {
      ((PipelineModel) model.bestModel()).write().overwrite().save(out + "/model");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static PipelineStage[] stages(FeatureSpec features, Estimator estimator) {
    List<PipelineStage> stages = new ArrayList<>();
    List<String> vectorInputs = new ArrayList<>();
    for (FeatureSpec.CategoricalFeature feature : features.categorical()) {
      stages.add(
          new StringIndexer()
              .setInputCol(feature.name())
              .setOutputCol(feature.name() + "_index")
              .setHandleInvalid("keep"));
      stages.add(
          new OneHotEncoder()
              .setInputCol(feature.name() + "_index")
              .setOutputCol(feature.name() + "_onehot"));
      vectorInputs.add(feature.name() + "_onehot");
    }
    String[] numeric =
        features.numeric().stream().map(FeatureSpec.NumericFeature::name).toArray(String[]::new);
    String[] imputed = Arrays.stream(numeric).map(n -> n + "_imputed").toArray(String[]::new);
    stages.add(new Imputer().setInputCols(numeric).setOutputCols(imputed).setStrategy("median"));
    VectorAssembler numbers =
        new VectorAssembler().setInputCols(imputed).setOutputCol("numeric_vector");
    stages.add(numbers);
    stages.add(new StandardScaler().setInputCol("numeric_vector").setOutputCol("numeric_scaled"));
    vectorInputs.add("numeric_scaled");
    stages.add(
        new VectorAssembler()
            .setInputCols(vectorInputs.toArray(String[]::new))
            .setOutputCol(Columns.FEATURES));
    stages.add((PipelineStage) estimator);
    return stages.toArray(PipelineStage[]::new);
  }

  /** The registered model's {@code transform} over the raw table, written to Delta. */
  private void score() {
    PipelineModel model =
        PipelineModel.load(lakehouse.path(Tables.MODELS_FOLDER) + "/" + spec.name() + "/v1");
    model
        .transform(lakehouse.read(Tables.raw(spec.name())))
        .select(
            col(Columns.ROW_ID),
            col(Columns.PREDICTION),
            vector_to_array(col(Columns.PROBABILITY), "float64").as("probabilities"))
        .write()
        .format("delta")
        .mode("append")
        .save(out + "/predictions");
  }

  /**
   * One grouped count of every feature's baseline bin over the scored rows, the PSI per feature on
   * the driver, written to Delta.
   */
  private void monitor() {
    List<Baseline> baselines =
        lakehouse
            .read(Tables.MODEL_BASELINES)
            .where(col("model_version").equalTo(1L))
            .collectAsList()
            .stream()
            .map(Baseline::fromRow)
            .filter(b -> !b.feature().equals(Baseline.PREDICTION))
            .toList();
    Dataset<Row> scored =
        lakehouse
            .read(Tables.raw(spec.name()))
            .join(lakehouse.read(Tables.PREDICTIONS).select(Columns.ROW_ID), Columns.ROW_ID);
    Column[] bins =
        baselines.stream()
            .map(
                b ->
                    struct(
                        lit(b.feature()).as("feature"), b.bin(col(quote(b.feature()))).as("bin")))
            .toArray(Column[]::new);
    List<Row> counted =
        scored
            .select(explode(array(bins)).as("b"))
            .groupBy(col("b.feature"), col("b.bin"))
            .count()
            .collectAsList();
    Map<String, long[]> actual = new HashMap<>();
    for (Baseline b : baselines) {
      actual.put(b.feature(), new long[b.binCount()]);
    }
    for (Row row : counted) {
      actual.get(row.getString(0))[((Number) row.get(1)).intValue()] = row.getLong(2);
    }
    List<Row> drift = new ArrayList<>();
    for (Baseline b : baselines) {
      drift.add(
          org.apache.spark.sql.RowFactory.create(
              b.feature(), DriftStatistics.psi(b.counts(), actual.get(b.feature()))));
    }
    spark
        .createDataFrame(
            drift,
            new StructType(
                new StructField[] {
                  DataTypes.createStructField("feature", DataTypes.StringType, false),
                  DataTypes.createStructField("psi", DataTypes.DoubleType, false)
                }))
        .write()
        .format("delta")
        .mode("append")
        .save(out + "/drift");
  }

  private static String quote(String name) {
    return "`" + name + "`";
  }
}
