package dev.sluice.common.train;

import dev.sluice.common.Columns;
import dev.sluice.common.Errors;
import dev.sluice.common.dataset.TaskType;
import dev.sluice.common.features.FeaturePipeline.Encoding;
import dev.sluice.common.train.xgboost.XGBoostNative;
import dev.sluice.common.train.xgboost.XGBoostSetup;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import org.apache.spark.ml.Estimator;
import org.apache.spark.ml.Model;
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
    if (NAMES.contains(name) && !supports(name, task)) {
      throw unsupported(name, task, settingsPath);
    }
    return switch (name) {
      case LOGISTIC_REGRESSION ->
          new LogisticRegression()
              .setFamily(task == TaskType.BINARY ? "binomial" : "multinomial")
              .setFeaturesCol(Columns.FEATURES)
              .setLabelCol(Columns.TARGET);
      case LINEAR_REGRESSION ->
          new LinearRegression().setFeaturesCol(Columns.FEATURES).setLabelCol(Columns.TARGET);
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
      case GBT ->
          task == TaskType.BINARY
              ? new GBTClassifier()
                  .setFeaturesCol(Columns.FEATURES)
                  .setLabelCol(Columns.TARGET)
                  .setSeed(seed)
              : new GBTRegressor()
                  .setFeaturesCol(Columns.FEATURES)
                  .setLabelCol(Columns.TARGET)
                  .setSeed(seed);
      case XGBOOST -> XGBoostSetup.create(task, seed);
      default ->
          throw Errors.badSetting(
              settingsPath,
              "'" + name + "' is not an estimator Sluice knows",
              "Use one of " + NAMES + ".");
    };
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
   * {@code estimator} with {@code params} fitted on a fold's {@code train} rows. XGBoost evaluates
   * every round on {@code heldOut} and stops after {@code earlyStoppingRounds} rounds without
   * improvement (0: never early), learning how many rounds the refit boosts.
   */
  @SuppressWarnings("rawtypes")
  public static Model<?> fitFold(
      Estimator estimator,
      ParamMap params,
      Dataset<Row> train,
      Dataset<Row> heldOut,
      int earlyStoppingRounds) {
    Estimator copy = estimator.copy(params);
    XGBoostSetup.stopEarly(copy, heldOut, earlyStoppingRounds);
    return (Model<?>) copy.fit(train);
  }

  /**
   * The rounds a fitted model kept when it stopped early: its best round's number plus one (XGBoost
   * records the best round in the booster, and keeps boosting the few rounds after it that showed
   * no improvement); empty when it did not learn its rounds.
   */
  public static OptionalInt keptRounds(Model<?> model) {
    return XGBoostSetup.keptRounds(model);
  }

  /** {@code params} with the estimator's round count set to {@code rounds}. */
  @SuppressWarnings("rawtypes")
  public static ParamMap withRounds(Estimator estimator, ParamMap params, int rounds) {
    return params.copy().put(estimator.getParam(XGBoostSetup.ROUNDS), rounds);
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
   * indices, so they need a bin per kept level plus __missing__, __other__ and unknown; XGBoost's
   * needs are {@link XGBoostSetup#prepare}'s.
   */
  @SuppressWarnings("rawtypes")
  public static void prepare(
      Estimator estimator, String name, int maxLevels, int classCount, Dataset<Row> featured) {
    if (hasMaxBins(name)) {
      Param<Object> maxBins = estimator.getParam("maxBins");
      int bins = Math.max((Integer) estimator.getDefault(maxBins).get(), binsFor(maxLevels));
      estimator.set(maxBins, bins);
    } else if (name.equals(XGBOOST)) {
      XGBoostSetup.prepare(estimator, classCount, featured);
    }
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
