package dev.sluice.common.train;

import dev.sluice.common.Columns;
import dev.sluice.common.Errors;
import dev.sluice.common.dataset.TaskType;
import dev.sluice.common.features.FeaturePipeline.Encoding;
import dev.sluice.common.train.xgboost.XGBoostNative;
import java.util.List;
import java.util.Map;
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
import org.apache.spark.ml.classification.GBTClassifier;
import org.apache.spark.ml.classification.LogisticRegression;
import org.apache.spark.ml.classification.RandomForestClassifier;
import org.apache.spark.ml.param.BooleanParam;
import org.apache.spark.ml.param.DoubleArrayParam;
import org.apache.spark.ml.param.DoubleParam;
import org.apache.spark.ml.param.FloatParam;
import org.apache.spark.ml.param.IntParam;
import org.apache.spark.ml.param.LongParam;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.param.Params;
import org.apache.spark.ml.regression.GBTRegressor;
import org.apache.spark.ml.regression.LinearRegression;
import org.apache.spark.ml.regression.RandomForestRegressor;
import org.apache.spark.ml.tuning.ParamGridBuilder;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructType;

/**
 * The estimators Sluice trains (MLlib's and XGBoost's Spark estimators), by name and task, and
 * their parameter grids.
 */
public final class Estimators {
  public static final String LOGISTIC_REGRESSION = "logistic-regression";
  public static final String LINEAR_REGRESSION = "linear-regression";
  public static final String RANDOM_FOREST = "random-forest";
  public static final String GBT = "gbt";
  public static final String XGBOOST = "xgboost";
  public static final List<String> NAMES =
      List.of(LOGISTIC_REGRESSION, LINEAR_REGRESSION, RANDOM_FOREST, GBT, XGBOOST);

  /** XGBoost's histogram method: the fast one on CPUs, named so a new default cannot change it. */
  private static final String XGBOOST_TREE_METHOD = "hist";

  /** XGBoost's round count, early-stopping patience and best round (a booster attribute). */
  private static final String ROUNDS = "numRound";

  private static final String EARLY_STOPPING_ROUNDS = "numEarlyStoppingRounds";
  private static final String BEST_ITERATION = "best_iteration";

  /** XGBoost's feature types: categorical, quantitative. */
  private static final String CATEGORICAL = "c";

  private static final String QUANTITATIVE = "q";

  /** Where a local session's XGBoost tracker listens: its workers are threads of the driver. */
  private static final String LOOPBACK = "127.0.0.1";

  private Estimators() {}

  /**
   * A new estimator reading {@code features} and {@code target}; {@code settingsPath} names the key
   * on error.
   */
  @SuppressWarnings("rawtypes")
  public static Estimator create(String name, TaskType task, long seed, String settingsPath) {
    if (name.equals(XGBOOST)) {
      XGBoostNative.check(settingsPath);
    }
    return template(name, task, seed, settingsPath);
  }

  /**
   * A new estimator as {@link #create} makes it, without loading a native library: for checking the
   * grid of an estimator that is not trained.
   */
  @SuppressWarnings("rawtypes")
  public static Estimator template(String name, TaskType task, long seed, String settingsPath) {
    return switch (name) {
      case LOGISTIC_REGRESSION -> {
        if (!task.isClassification()) {
          throw unsupported(name, task, settingsPath);
        }
        yield new LogisticRegression()
            .setFamily(task == TaskType.BINARY ? "binomial" : "multinomial")
            .setFeaturesCol(Columns.FEATURES)
            .setLabelCol(Columns.TARGET);
      }
      case LINEAR_REGRESSION -> {
        if (task != TaskType.REGRESSION) {
          throw unsupported(name, task, settingsPath);
        }
        yield new LinearRegression().setFeaturesCol(Columns.FEATURES).setLabelCol(Columns.TARGET);
      }
      case RANDOM_FOREST ->
          task.isClassification()
              ? new RandomForestClassifier()
                  .setFeaturesCol(Columns.FEATURES)
                  .setLabelCol(Columns.TARGET)
                  .setSeed(seed)
              : new RandomForestRegressor()
                  .setFeaturesCol(Columns.FEATURES)
                  .setLabelCol(Columns.TARGET)
                  .setSeed(seed);
      case GBT -> {
        if (task == TaskType.MULTICLASS) {
          throw unsupported(name, task, settingsPath);
        }
        yield task == TaskType.BINARY
            ? new GBTClassifier()
                .setFeaturesCol(Columns.FEATURES)
                .setLabelCol(Columns.TARGET)
                .setSeed(seed)
            : new GBTRegressor()
                .setFeaturesCol(Columns.FEATURES)
                .setLabelCol(Columns.TARGET)
                .setSeed(seed);
      }
      case XGBOOST -> xgboost(task, seed);
      default ->
          throw Errors.badSetting(
              settingsPath,
              "'" + name + "' is not an estimator Sluice knows",
              "Use one of " + NAMES + ".");
    };
  }

  /**
   * XGBoost for {@code task}. {@code missing} is set explicitly to NaN: the assembler's sparse
   * vectors then become dense rows whose absent entries are real zeros (without it XGBoost refuses
   * sparse vectors, since it cannot tell a zero from a missing value), and only NaN is missing.
   */
  @SuppressWarnings("rawtypes")
  private static Estimator xgboost(TaskType task, long seed) {
    if (task.isClassification()) {
      XGBoostClassifier classifier = new XGBoostClassifier();
      classifier.setObjective(task == TaskType.BINARY ? "binary:logistic" : "multi:softprob");
      classifier.setTreeMethod(XGBOOST_TREE_METHOD);
      classifier.setMissing(Float.NaN);
      classifier.setSeed(seed);
      return classifier.setFeaturesCol(Columns.FEATURES).setLabelCol(Columns.TARGET);
    }
    XGBoostRegressor regressor = new XGBoostRegressor();
    regressor.setObjective("reg:squarederror");
    regressor.setTreeMethod(XGBOOST_TREE_METHOD);
    regressor.setMissing(Float.NaN);
    regressor.setSeed(seed);
    return regressor.setFeaturesCol(Columns.FEATURES).setLabelCol(Columns.TARGET);
  }

  /**
   * How many of the estimator's candidate fits cross-validation runs at once: {@code configured},
   * but one for XGBoost. An XGBoost fit is a barrier stage with a task per worker on every core
   * Spark has, so a second fit at the same time would only wait for the first one's cores, and
   * workers per fit stay the same in cross-validation and in the refit.
   */
  public static int parallelism(String name, int configured) {
    return name.equals(XGBOOST) ? 1 : configured;
  }

  /**
   * Whether the estimator boosts in rounds and learns how many on held-out rows: cross-validation
   * stops each fold's fit early on the fold's held-out rows, and the refit boosts as many rounds as
   * the folds kept on average.
   */
  public static boolean learnsRounds(String name) {
    return name.equals(XGBOOST);
  }

  /**
   * {@code estimator} with {@code params} fitted on a fold's {@code train} rows. An estimator that
   * {@linkplain #learnsRounds learns its rounds} evaluates every round on {@code heldOut} and stops
   * after {@code earlyStoppingRounds} rounds without improvement (0: never early).
   */
  @SuppressWarnings("rawtypes")
  public static Model<?> fitFold(
      Estimator estimator,
      ParamMap params,
      Dataset<Row> train,
      Dataset<Row> heldOut,
      int earlyStoppingRounds) {
    Estimator copy = estimator.copy(params);
    if (earlyStoppingRounds > 0 && copy instanceof XGBoostEstimator<?, ?> xgboost) {
      // The evaluation set is not a parameter: set on the copy, since copy() drops it.
      xgboost.setEvalDataset(heldOut);
      copy.set(copy.getParam(EARLY_STOPPING_ROUNDS), earlyStoppingRounds);
    }
    return (Model<?>) copy.fit(train);
  }

  /**
   * The rounds a fitted model kept when it stopped early: its best round's number plus one (XGBoost
   * records the best round in the booster, and keeps boosting the few rounds after it that showed
   * no improvement); empty when it did not learn its rounds.
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

  /** {@code params} with the estimator's round count set to {@code rounds}. */
  @SuppressWarnings("rawtypes")
  public static ParamMap withRounds(Estimator estimator, ParamMap params, int rounds) {
    return params.copy().put(estimator.getParam(ROUNDS), rounds);
  }

  /** Linear models want one-hot categories and scaled numerics; trees split on category indices. */
  public static Encoding encoding(String name) {
    return name.equals(LOGISTIC_REGRESSION) || name.equals(LINEAR_REGRESSION)
        ? Encoding.ONE_HOT
        : Encoding.INDEXED;
  }

  /** Trees need as many bins as the widest categorical feature has levels. */
  public static boolean hasMaxBins(String name) {
    return name.equals(RANDOM_FOREST) || name.equals(GBT);
  }

  /**
   * The parameter maps of a grid, in a stable order. Each grid key must be a parameter of the
   * estimator; values are converted to the parameter's type, and a problem names {@code gridPath}.
   */
  public static ParamMap[] grid(Params estimator, Map<String, List<Object>> grid, String gridPath) {
    ParamGridBuilder builder = new ParamGridBuilder();
    for (Map.Entry<String, List<Object>> entry : grid.entrySet()) {
      String key = gridPath + "." + entry.getKey();
      if (!estimator.hasParam(entry.getKey())) {
        throw Errors.badSetting(
            key,
            "'"
                + entry.getKey()
                + "' is not a parameter of "
                + estimator.getClass().getSimpleName(),
            "Use one of its parameters, e.g. "
                + List.of(estimator.params()).stream().limit(6).map(Param::name).toList()
                + ".");
      }
      if (entry.getValue().isEmpty()) {
        throw Errors.badSetting(key, "lists no value", "Give at least one value.");
      }
      Param<?> param = estimator.getParam(entry.getKey());
      List<Object> values = entry.getValue();
      try {
        if (param instanceof IntParam p) {
          builder.addGrid(p, values.stream().mapToInt(v -> ((Number) v).intValue()).toArray());
        } else if (param instanceof LongParam p) {
          builder.addGrid(p, values.stream().mapToLong(v -> ((Number) v).longValue()).toArray());
        } else if (param instanceof DoubleParam p) {
          builder.addGrid(
              p, values.stream().mapToDouble(v -> ((Number) v).doubleValue()).toArray());
        } else if (param instanceof FloatParam p) {
          List<Object> floats =
              values.stream().map(v -> (Object) ((Number) v).floatValue()).toList();
          @SuppressWarnings("unchecked")
          Param<Object> generic = (Param<Object>) (Param<?>) p;
          builder.addGrid(generic, scala.jdk.javaapi.CollectionConverters.asScala(floats));
        } else if (param instanceof BooleanParam p) {
          List<Object> flags = values.stream().map(v -> (Object) (Boolean) v).toList();
          @SuppressWarnings("unchecked")
          Param<Object> generic = (Param<Object>) (Param<?>) p;
          builder.addGrid(generic, scala.jdk.javaapi.CollectionConverters.asScala(flags));
        } else {
          @SuppressWarnings("unchecked")
          Param<String> p = (Param<String>) param;
          builder.addGrid(
              p,
              scala.jdk.javaapi.CollectionConverters.asScala(
                  values.stream().map(String::valueOf).toList()));
        }
      } catch (ClassCastException e) {
        throw Errors.badSetting(
            key, "values " + values + " do not fit the parameter's type", "Fix the values.");
      }
      for (Object value : values) {
        checkValid(estimator, param, value, key);
      }
    }
    return builder.build();
  }

  /**
   * The parameter map recorded as strings (model_registry's params) read back into the estimator's
   * types.
   */
  public static ParamMap params(Params estimator, Map<String, String> recorded) {
    ParamMap params = new ParamMap();
    for (Map.Entry<String, String> entry : recorded.entrySet()) {
      Param<?> param = estimator.getParam(entry.getKey());
      String value = entry.getValue();
      Object typed;
      if (param instanceof IntParam) {
        typed = Integer.valueOf(value);
      } else if (param instanceof LongParam) {
        typed = Long.valueOf(value);
      } else if (param instanceof DoubleParam) {
        typed = Double.valueOf(value);
      } else if (param instanceof FloatParam) {
        typed = Float.valueOf(value);
      } else if (param instanceof BooleanParam) {
        typed = Boolean.valueOf(value);
      } else if (param instanceof DoubleArrayParam array) {
        typed = array.jsonDecode(value); // as recorded by value(): a JSON array
      } else {
        typed = value;
      }
      @SuppressWarnings("unchecked")
      Param<Object> generic = (Param<Object>) param;
      params.put(generic, typed);
    }
    return params;
  }

  /**
   * A parameter's value as {@link #params(Params, Map)} reads it back: arrays (a classifier's
   * {@code thresholds}) as MLlib's JSON, everything else as its string.
   */
  public static String value(Param<?> param, Object value) {
    if (param instanceof DoubleArrayParam array) {
      return array.jsonEncode((double[]) value);
    }
    return String.valueOf(value);
  }

  /**
   * Sets what every fit of the estimator needs beyond its grid. MLlib's trees split on category
   * indices, so they need a bin per kept level plus __missing__, __other__ and unknown. XGBoost
   * needs the class count of a multiclass task, a worker per core Spark has (one thread each) and
   * its tracker on the driver's address.
   */
  @SuppressWarnings("rawtypes")
  public static void prepare(
      Estimator estimator, String name, int maxLevels, int classCount, Dataset<Row> featured) {
    SparkSession spark = featured.sparkSession();
    if (hasMaxBins(name)) {
      Param<Object> maxBins = estimator.getParam("maxBins");
      int bins = Math.max((Integer) estimator.getDefault(maxBins).get(), binsFor(maxLevels));
      estimator.set(maxBins, bins);
    } else if (estimator instanceof XGBoostClassifier classifier) {
      if (classifier.getObjective().startsWith("multi:")) {
        // The classifier would infer it from the largest label in the training rows, one too few
        // when the last class is absent from them.
        classifier.setNumClass(classCount);
      }
      distribute(classifier, spark.sparkContext());
      describe(classifier, featured.schema());
    } else if (estimator instanceof XGBoostRegressor regressor) {
      distribute(regressor, spark.sparkContext());
      describe(regressor, featured.schema());
    }
  }

  /**
   * Tells XGBoost which features are categorical: the indexed categoricals (a nominal attribute in
   * the assembled vector's metadata, as MLlib's trees read it) are type "c", split by sets of
   * categories; the others "q", split by thresholds. Left as numbers, a category's index would be
   * split on as if its order meant something.
   */
  private static void describe(Params xgboost, StructType schema) {
    if (!java.util.Arrays.asList(schema.fieldNames()).contains(Columns.FEATURES)) {
      return;
    }
    scala.Option<Attribute[]> attributes =
        AttributeGroup.fromStructField(schema.apply(Columns.FEATURES)).attributes();
    if (attributes.isEmpty()) {
      return;
    }
    String[] types =
        java.util.Arrays.stream(attributes.get())
            .map(a -> a instanceof NominalAttribute ? CATEGORICAL : QUANTITATIVE)
            .toArray(String[]::new);
    if (java.util.Arrays.asList(types).contains(CATEGORICAL)) {
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

  /**
   * The grid with every {@code maxBins} below what the widest categorical needs raised to it: a
   * grid's value (the defaults' 128) is a floor for continuous features, never a cap that merges
   * categories.
   */
  @SuppressWarnings("rawtypes")
  public static ParamMap[] widenBins(Estimator estimator, ParamMap[] grid, int maxLevels) {
    if (!estimator.hasParam("maxBins")) {
      return grid;
    }
    Param<Object> maxBins = estimator.getParam("maxBins");
    for (ParamMap params : grid) {
      if (params.contains(maxBins) && (Integer) params.apply(maxBins) < binsFor(maxLevels)) {
        params.put(maxBins, binsFor(maxLevels));
      }
    }
    return grid;
  }

  /** Trees split on category indices: a bin per kept level plus __missing__, __other__, unknown. */
  private static int binsFor(int maxLevels) {
    return maxLevels + 3;
  }

  @SuppressWarnings("unchecked")
  private static void checkValid(Params estimator, Param<?> param, Object value, String key) {
    Object typed = value;
    if (param instanceof IntParam) {
      typed = ((Number) value).intValue();
    } else if (param instanceof DoubleParam) {
      typed = ((Number) value).doubleValue();
    } else if (param instanceof LongParam) {
      typed = ((Number) value).longValue();
    } else if (param instanceof FloatParam) {
      typed = ((Number) value).floatValue();
    } else if (!(param instanceof BooleanParam)) {
      typed = String.valueOf(value);
    }
    if (!((Param<Object>) param).isValid().apply(typed).equals(Boolean.TRUE)) {
      throw Errors.badSetting(
          key,
          "value " + value + " is not valid for " + param.name() + " (" + param.doc() + ")",
          "Fix it.");
    }
  }

  /** Whether {@code name} trains on a task of this kind. */
  public static boolean supports(String name, TaskType task) {
    return switch (name) {
      case LOGISTIC_REGRESSION -> task.isClassification();
      case LINEAR_REGRESSION -> task == TaskType.REGRESSION;
      case GBT -> task != TaskType.MULTICLASS;
      default -> NAMES.contains(name);
    };
  }

  private static RuntimeException unsupported(String name, TaskType task, String settingsPath) {
    return Errors.badSetting(
        settingsPath,
        "estimator '"
            + name
            + "' does not support a "
            + task.name().toLowerCase(java.util.Locale.ROOT)
            + " task",
        "Remove it from the list.");
  }
}
