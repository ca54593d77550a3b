package dev.sluice.common.train.xgboost;

import dev.sluice.common.Columns;
import dev.sluice.common.dataset.TaskType;
import java.util.Arrays;
import java.util.OptionalInt;
import ml.dmlc.xgboost4j.java.XGBoostError;
import ml.dmlc.xgboost4j.scala.spark.XGBoostClassifier;
import ml.dmlc.xgboost4j.scala.spark.XGBoostEstimator;
import ml.dmlc.xgboost4j.scala.spark.XGBoostModel;
import ml.dmlc.xgboost4j.scala.spark.XGBoostRegressor;
import org.apache.spark.SparkContext;
import org.apache.spark.ml.Estimator;
import org.apache.spark.ml.Model;
import org.apache.spark.ml.attribute.Attribute;
import org.apache.spark.ml.attribute.AttributeGroup;
import org.apache.spark.ml.attribute.NominalAttribute;
import org.apache.spark.ml.param.Params;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.StructType;

/**
 * How Sluice sets up XGBoost's Spark estimators: the objective by task, the workers, the feature
 * types, early stopping on held-out rows and the rounds an early-stopped fit kept.
 */
public final class XGBoostSetup {
  /** XGBoost's round count parameter. */
  public static final String ROUNDS = "numRound";

  /** XGBoost's histogram method: the fast one on CPUs, named so a new default cannot change it. */
  private static final String TREE_METHOD = "hist";

  /** XGBoost's early-stopping patience and best round (a booster attribute). */
  private static final String EARLY_STOPPING_ROUNDS = "numEarlyStoppingRounds";

  private static final String BEST_ITERATION = "best_iteration";

  /** XGBoost's feature types: categorical, quantitative. */
  private static final String CATEGORICAL = "c";

  private static final String QUANTITATIVE = "q";

  /** Where a local session's XGBoost tracker listens: its workers are threads of the driver. */
  private static final String LOOPBACK = "127.0.0.1";

  private XGBoostSetup() {}

  /**
   * XGBoost for {@code task}. {@code missing} is set explicitly to NaN: the assembler's sparse
   * vectors then become dense rows whose absent entries are real zeros (without it XGBoost refuses
   * sparse vectors, since it cannot tell a zero from a missing value), and only NaN is missing.
   */
  @SuppressWarnings("rawtypes")
  public static Estimator create(TaskType task, long seed) {
    if (task.isClassification()) {
      XGBoostClassifier classifier = new XGBoostClassifier();
      classifier.setObjective(task == TaskType.BINARY ? "binary:logistic" : "multi:softprob");
      classifier.setTreeMethod(TREE_METHOD);
      classifier.setMissing(Float.NaN);
      classifier.setSeed(seed);
      return classifier.setFeaturesCol(Columns.FEATURES).setLabelCol(Columns.TARGET);
    }
    XGBoostRegressor regressor = new XGBoostRegressor();
    regressor.setObjective("reg:squarederror");
    regressor.setTreeMethod(TREE_METHOD);
    regressor.setMissing(Float.NaN);
    regressor.setSeed(seed);
    return regressor.setFeaturesCol(Columns.FEATURES).setLabelCol(Columns.TARGET);
  }

  /**
   * Sets what every fit needs beyond its grid: the class count of a multiclass task (the classifier
   * would infer it from the largest label in the training rows, one too few when the last class is
   * absent from them), the workers and the feature types of the {@code featured} rows.
   */
  @SuppressWarnings("rawtypes")
  public static void prepare(Estimator estimator, int classCount, Dataset<Row> featured) {
    if (estimator instanceof XGBoostClassifier classifier
        && classifier.getObjective().startsWith("multi:")) {
      classifier.setNumClass(classCount);
    }
    distribute(estimator, featured.sparkSession().sparkContext());
    describe(estimator, featured.schema());
  }

  /**
   * Makes a fit of {@code copy} (an estimator copied with its parameters) evaluate every round on
   * {@code heldOut} and stop after {@code rounds} rounds without improvement; nothing for 0 or for
   * another estimator. The evaluation set is not a parameter, so it is set on the copy: copy()
   * drops it.
   */
  @SuppressWarnings("rawtypes")
  public static void stopEarly(Estimator copy, Dataset<Row> heldOut, int rounds) {
    if (rounds > 0 && copy instanceof XGBoostEstimator<?, ?> xgboost) {
      xgboost.setEvalDataset(heldOut);
      copy.set(copy.getParam(EARLY_STOPPING_ROUNDS), rounds);
    }
  }

  /**
   * The rounds a fitted model kept when it stopped early: its best round's number plus one (XGBoost
   * records the best round in the booster, and keeps boosting the few rounds after it that showed
   * no improvement); empty when it did not stop early.
   */
  public static OptionalInt keptRounds(Model<?> model) {
    if (!(model instanceof XGBoostModel<?> xgboost)) {
      return OptionalInt.empty();
    }
    try {
      String best = xgboost.nativeBooster().getAttr(BEST_ITERATION);
      return best == null ? OptionalInt.empty() : OptionalInt.of(Integer.parseInt(best) + 1);
    } catch (XGBoostError e) {
      throw new IllegalStateException("Cannot read the XGBoost model's best round", e);
    }
  }

  /**
   * Tells XGBoost which features are categorical: the indexed categoricals (a nominal attribute in
   * the assembled vector's metadata, as MLlib's trees read it) are type "c", split by sets of
   * categories; the others "q", split by thresholds. Left as numbers, a category's index would be
   * split on as if its order meant something.
   */
  private static void describe(Params xgboost, StructType schema) {
    if (!Arrays.asList(schema.fieldNames()).contains(Columns.FEATURES)) {
      return;
    }
    scala.Option<Attribute[]> attributes =
        AttributeGroup.fromStructField(schema.apply(Columns.FEATURES)).attributes();
    if (attributes.isEmpty()) {
      return;
    }
    String[] types =
        Arrays.stream(attributes.get())
            .map(a -> a instanceof NominalAttribute ? CATEGORICAL : QUANTITATIVE)
            .toArray(String[]::new);
    if (Arrays.asList(types).contains(CATEGORICAL)) {
      xgboost.set(xgboost.getParam("feature_types"), types);
    }
  }

  /**
   * A worker per core Spark has and one thread per worker (a task's core), each worker's rows an
   * even share of the input; the tracker on loopback in a local session, else on the driver's
   * address: left to guess, XGBoost advertised a non-loopback address, which a sandboxed local
   * session cannot be relied on to reach.
   */
  private static void distribute(Params xgboost, SparkContext context) {
    int workers = Math.max(1, context.defaultParallelism());
    String host = context.isLocal() ? LOOPBACK : context.getConf().get("spark.driver.host", "");
    xgboost.set(xgboost.getParam("numWorkers"), workers);
    // XGBoost keeps the input's partitions when there are as many as workers, and a worker whose
    // partition holds no row fails ("Failed to create DMatrix"): a split read from a snapshot can
    // leave a file, and so a partition, without rows of that split.
    xgboost.set(xgboost.getParam("forceRepartition"), true);
    xgboost.set(xgboost.getParam("nthread"), 1);
    xgboost.set(xgboost.getParam("rabitTrackerHostIp"), host);
  }
}
