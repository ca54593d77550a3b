package dev.sluice.common.settings;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.common.SluiceException;
import dev.sluice.common.settings.TrainSettings.EstimatorSettings;
import dev.sluice.common.testing.TestSpecs;
import dev.sluice.common.train.ClassWeight;
import dev.sluice.common.train.Thresholds;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class TrainSettingsTest {
  private static final String FULL =
      TestSpecs.TINY
          + """
          sluice.train {
            snapshot-version = 4
            seed = 99
            folds = 5
            parallelism = 1
            early-stopping-rounds = 0
            search { strategy = random, trials = 5, max-seconds = 120 }
            estimators = [gbt, logistic-regression]
            estimators-by-task {
              binary = [random-forest]
              multiclass = [logistic-regression]
              regression = [linear-regression]
            }
            metric = f1
            decision-threshold = 0.3
            class-weight = balanced
            source-commit = abc1234
            grids {
              logistic-regression { regParam = [0.1], elasticNetParam = [0.5, 0.75], maxIter = [10] }
              linear-regression { regParam = [1.5], elasticNetParam = [0.25], maxIter = [20] }
              random-forest { numTrees = [5], maxDepth = [3], maxBins = [16] }
              gbt { maxIter = [7], maxDepth = [2], stepSize = [0.3], maxBins = [64] }
              xgboost {
                numRound = [50], max_depth = [4], eta = [0.3], subsample = [1.0], colsample_bytree = [0.5]
              }
            }
          }
          sluice.monitor { bins = 20, max-levels = 50 }
          """;

  /** The tiny data set as a regression on income. */
  private static final String REGRESSION =
      TestSpecs.TINY
          + """
          sluice.dataset {
            task = regression
            columns = [
              { name = age, role = numeric }
              { name = income, role = label, type = double }
            ]
          }
          """;

  @Test
  void defaults() {
    LoadedSettings loaded = TestSpecs.load(TestSpecs.TINY);
    TrainSettings settings = TrainSettings.from(loaded);
    assertThat(settings)
        .isEqualTo(
            new TrainSettings(
                new LakehouseSettings("lakehouse", "sluice"),
                TinyDataset.SPEC,
                TinyDataset.DEFAULT_FEATURES,
                OptionalLong.empty(),
                42,
                3,
                2,
                // early-stopping-rounds
                20,
                new SearchSettings(SearchSettings.Strategy.GRID, 10, 0),
                // estimators is empty: estimators-by-task.binary, each with its grid. HOCON reads
                // 0.0 as the integer 0; Estimators.grid converts values to the parameter's type.
                List.of(
                    new EstimatorSettings(
                        "logistic-regression",
                        Map.of(
                            "regParam", List.of(0.001),
                            "elasticNetParam", List.of(0),
                            "maxIter", List.of(15))),
                    new EstimatorSettings(
                        "xgboost",
                        Map.of(
                            "numRound", List.of(1000),
                            "max_depth", List.of(6),
                            "eta", List.of(0.1),
                            "subsample", List.of(0.8),
                            "colsample_bytree", List.of(0.5)))),
                // metric is empty: a binary task's default.
                "areaUnderROC",
                // decision-threshold best-f1: chosen on the validation split.
                Thresholds.Choice.best(Thresholds.Rule.BEST_F1),
                ClassWeight.NONE,
                "",
                // sluice.monitor.bins and max-levels
                10,
                30,
                // A hash of sections, not a setting.
                settings.trainingHash(),
                loaded.hash(),
                loaded.json()));
  }

  @Test
  void fullFileMapsOntoTheRecord() {
    assertThat(SectionKeys.in(FULL, TrainSettings.PATH))
        .containsExactlyInAnyOrderElementsOf(SectionKeys.inReference(TrainSettings.PATH));
    LoadedSettings loaded = TestSpecs.load(FULL);
    TrainSettings settings = TrainSettings.from(loaded);
    assertThat(settings)
        .isEqualTo(
            new TrainSettings(
                new LakehouseSettings("lakehouse", "sluice"),
                TinyDataset.SPEC,
                TinyDataset.DEFAULT_FEATURES,
                OptionalLong.of(4),
                99,
                5,
                1,
                0,
                new SearchSettings(SearchSettings.Strategy.RANDOM, 5, 120),
                List.of(
                    new EstimatorSettings(
                        "gbt",
                        Map.of(
                            "maxIter", List.of(7),
                            "maxDepth", List.of(2),
                            "stepSize", List.of(0.3),
                            "maxBins", List.of(64))),
                    new EstimatorSettings(
                        "logistic-regression",
                        Map.of(
                            "regParam", List.of(0.1),
                            "elasticNetParam", List.of(0.5, 0.75),
                            "maxIter", List.of(10)))),
                "f1",
                Thresholds.Choice.fixed(0.3),
                ClassWeight.BALANCED,
                "abc1234",
                20,
                50,
                settings.trainingHash(),
                loaded.hash(),
                loaded.json()));

    // The lists by task and the grids of estimators not listed above take effect when estimators
    // is empty, each for a data set of its task.
    assertThat(estimators(FULL + "sluice.train.estimators = []"))
        .containsExactly(
            new EstimatorSettings(
                "random-forest",
                Map.of("numTrees", List.of(5), "maxDepth", List.of(3), "maxBins", List.of(16))));
    assertThat(
            estimators(
                FULL
                    + """
                    sluice.dataset {
                      task = multiclass
                      label { classes = [a, b, c], positive-class = "" }
                    }
                    sluice.train.estimators = []
                    """))
        .containsExactly(
            new EstimatorSettings(
                "logistic-regression",
                Map.of(
                    "regParam", List.of(0.1),
                    "elasticNetParam", List.of(0.5, 0.75),
                    "maxIter", List.of(10))));
    assertThat(
            estimators(
                FULL
                    + """
                    sluice.dataset {
                      task = regression
                      columns = [
                        { name = age, role = numeric }
                        { name = income, role = label, type = double }
                      ]
                    }
                    sluice.train { estimators = [], metric = rmse, class-weight = none }
                    """))
        .containsExactly(
            new EstimatorSettings(
                "linear-regression",
                Map.of(
                    "regParam", List.of(1.5),
                    "elasticNetParam", List.of(0.25),
                    "maxIter", List.of(20))));
  }

  @Test
  void aDecisionThresholdOutsideZeroToOneIsRefused() {
    for (String value : List.of("0", "1", "1.5", "-0.2", "best", "\"\"")) {
      assertThatThrownBy(
              () ->
                  TrainSettings.from(
                      TestSpecs.load(
                          TestSpecs.TINY + "sluice.train.decision-threshold = " + value)))
          .as(value)
          .hasMessageContaining("sluice.train.decision-threshold")
          .hasMessageContaining("best-f1, best-accuracy or a probability between 0 and 1");
    }
  }

  @Test
  void aDecisionThresholdNamesARuleOrAProbability() {
    assertThat(
            TrainSettings.from(
                    TestSpecs.load(
                        TestSpecs.TINY + "sluice.train.decision-threshold = best-accuracy"))
                .decisionThreshold())
        .isEqualTo(Thresholds.Choice.best(Thresholds.Rule.BEST_ACCURACY));
  }

  @Test
  void negativeEarlyStoppingRoundsAreRefused() {
    assertThatThrownBy(
            () ->
                TrainSettings.from(
                    TestSpecs.load(TestSpecs.TINY + "sluice.train.early-stopping-rounds = -1")))
        .isInstanceOf(SluiceException.class)
        .hasMessageContaining("sluice.train.early-stopping-rounds")
        .hasMessageContaining(
            "must be 0 (boost every round of the grid's numRound) or more, was -1");
  }

  @Test
  void anUnknownSearchStrategyOrANegativeBudgetIsRefused() {
    assertThatThrownBy(
            () ->
                TrainSettings.from(
                    TestSpecs.load(TestSpecs.TINY + "sluice.train.search.strategy = bayesian")))
        .hasMessageContaining("sluice.train.search.strategy")
        .hasMessageContaining("'bayesian' is not one of [grid, random]");
    assertThatThrownBy(
            () ->
                TrainSettings.from(
                    TestSpecs.load(TestSpecs.TINY + "sluice.train.search.max-seconds = -5")))
        .hasMessageContaining("sluice.train.search.max-seconds")
        .hasMessageContaining("must be 0 (no limit) or a number of seconds, was -5.0");
  }

  @Test
  void areaUnderPrIsABinaryMetricOnly() {
    assertThat(
            TrainSettings.from(TestSpecs.load(TestSpecs.TINY + "sluice.train.metric = areaUnderPR"))
                .metric())
        .isEqualTo("areaUnderPR");
    assertThatThrownBy(
            () ->
                TrainSettings.from(
                    TestSpecs.load(
                        TestSpecs.TINY
                            + """
                            sluice.dataset {
                              task = multiclass
                              label { classes = [a, b, c], positive-class = "" }
                            }
                            sluice.train.metric = areaUnderPR
                            """)))
        .isInstanceOf(SluiceException.class)
        .hasMessage(
            "Invalid setting 'sluice.train.metric': 'areaUnderPR' is not a metric of a multiclass"
                + " task: it measures how a model ranks rows by their probability of the positive"
                + " class, which only a binary task has. Use one of [f1, accuracy, macroF1,"
                + " logLoss].");
    assertThatThrownBy(
            () ->
                TrainSettings.from(
                    TestSpecs.load(REGRESSION + "sluice.train.metric = areaUnderPR")))
        .isInstanceOf(SluiceException.class)
        .hasMessageStartingWith(
            "Invalid setting 'sluice.train.metric': 'areaUnderPR' is not a metric of a regression"
                + " task: it measures how a model ranks rows");
  }

  @Test
  void balancedClassWeightIsRefusedForRegression() {
    assertThat(TrainSettings.from(TestSpecs.load(REGRESSION)).classWeight())
        .isEqualTo(ClassWeight.NONE);
    assertThatThrownBy(
            () ->
                TrainSettings.from(
                    TestSpecs.load(REGRESSION + "sluice.train.class-weight = balanced")))
        .isInstanceOf(SluiceException.class)
        .hasMessage(
            "Invalid setting 'sluice.train.class-weight': 'balanced' weighs each training row by"
                + " its class, and a regression task has no classes. Use none.");
    assertThatThrownBy(
            () ->
                TrainSettings.from(
                    TestSpecs.load(TestSpecs.TINY + "sluice.train.class-weight = inverse")))
        .isInstanceOf(SluiceException.class)
        .hasMessageStartingWith(
            "Invalid setting 'sluice.train.class-weight': 'inverse' is not one of [none, balanced]");
  }

  @Test
  void misspeltGridParameterIsNamed() {
    // sluice.train.grids holds the estimators' parameter names, which the loader cannot check
    // against the
    // reference: the record checks them against the estimator.
    assertThatThrownBy(
            () ->
                TrainSettings.from(
                    TestSpecs.load(TestSpecs.TINY + "sluice.train.grids.xgboost.max_dept = [3]")))
        .isInstanceOf(SluiceException.class)
        .hasMessageStartingWith(
            "Invalid setting 'sluice.train.grids.xgboost.max_dept': 'max_dept' is not a parameter");
  }

  private static List<EstimatorSettings> estimators(String hocon) {
    return TrainSettings.from(TestSpecs.load(hocon)).estimators();
  }
}
