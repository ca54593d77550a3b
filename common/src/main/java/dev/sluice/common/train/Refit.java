package dev.sluice.common.train;

import dev.sluice.common.train.xgboost.XGBoostStage;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.ml.Estimator;
import org.apache.spark.ml.Pipeline;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.PipelineStage;
import org.apache.spark.ml.Transformer;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * The model a version registers, fitted the one way training and reproduction both fit it: the
 * fitted feature stages followed by the estimator with the chosen parameters, refitted on the whole
 * train split. A fitted XGBoost model is wrapped in an {@link XGBoostStage}, which saves and loads
 * on Spark 4 where XGBoost's own writer and reader do not.
 */
public final class Refit {
  private Refit() {}

  /**
   * The fitted feature stages and the estimator copied with {@code params}, fitted on {@code
   * train}. Fitted stages pass through {@code Pipeline.fit} unchanged; only the estimator is
   * fitted, so the second fit that swaps in the wrapped XGBoost model only checks the schema.
   */
  @SuppressWarnings("rawtypes")
  public static PipelineModel pipeline(
      PipelineModel featureModel, Estimator estimator, ParamMap params, Dataset<Row> train) {
    List<PipelineStage> stages = new ArrayList<>(List.of(featureModel.stages()));
    stages.add((PipelineStage) estimator.copy(params));
    PipelineModel fitted =
        new Pipeline().setStages(stages.toArray(PipelineStage[]::new)).fit(train);
    Transformer[] fittedStages = fitted.stages();
    int last = fittedStages.length - 1;
    Transformer wrapped = XGBoostStage.wrap(fittedStages[last]);
    if (wrapped == fittedStages[last]) {
      return fitted;
    }
    PipelineStage[] savable =
        Arrays.copyOf(fittedStages, fittedStages.length, PipelineStage[].class);
    savable[last] = wrapped;
    return new Pipeline().setStages(savable).fit(train);
  }
}
