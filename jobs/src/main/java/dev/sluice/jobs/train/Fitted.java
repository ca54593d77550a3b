package dev.sluice.jobs.train;

import dev.sluice.common.settings.TrainSettings.EstimatorSettings;
import dev.sluice.common.train.Estimators;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.param.ParamPair;

/**
 * The chosen model of one estimator: its best parameters by cross-validation, refit on the train
 * split and evaluated on validation and test (empty metrics for an empty split).
 */
record Fitted(
    EstimatorSettings estimator,
    ParamMap params,
    int paramIndex,
    CrossValidation.Outcome cv,
    PipelineModel model,
    Map<String, Double> validation,
    Map<String, Double> test,
    double fitSeconds) {

  /** The mean metric over folds of the chosen parameters. */
  double cvMetric() {
    return cv.meanByParam()[paramIndex];
  }

  /** Parameter names and values, as the tables and the leaderboard show them. */
  static Map<String, String> params(ParamMap params) {
    Map<String, String> out = new LinkedHashMap<>();
    for (ParamPair<?> pair : params.toList()) {
      out.put(pair.param().name(), Estimators.value(pair.param(), pair.value()));
    }
    return out;
  }
}
