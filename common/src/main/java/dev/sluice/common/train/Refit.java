package dev.sluice.common.train;

import dev.sluice.common.train.xgboost.XGBoostModels;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.ml.Estimator;
import org.apache.spark.ml.Pipeline;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.PipelineStage;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * The model a version registers, fitted the one way training and reproduction both fit it: the
 * fitted feature stages followed by the estimator with the chosen parameters, refitted on the whole
 * train split. An XGBoost model drops the parameters that cannot be saved on Spark 4.
 */
public final class Refit {
  private Refit() {}

  /**
   * The fitted feature stages and the estimator copied with {@code params}, fitted on {@code
   * train}. Fitted stages pass through {@code Pipeline.fit} unchanged; only the estimator is
   * fitted.
   */
  @SuppressWarnings("rawtypes")
  public static PipelineModel pipeline(
      PipelineModel featureModel, Estimator estimator, ParamMap params, Dataset<Row> train) {
    List<PipelineStage> stages = new ArrayList<>(List.of(featureModel.stages()));
    stages.add((PipelineStage) estimator.copy(params));
    return XGBoostModels.savable(
        new Pipeline().setStages(stages.toArray(PipelineStage[]::new)).fit(train));
  }
}
