package dev.sluice.common.train.xgboost;

import ml.dmlc.xgboost4j.scala.spark.XGBoostModel;
import ml.dmlc.xgboost4j.scala.spark.params.CustomGeneralParam;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.Transformer;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.Params;

/**
 * Fitted XGBoost stages made savable on Spark 4. xgboost4j-spark 3.1 is built against Spark 3.5's
 * json4s 3; on Spark 4 (json4s 4) encoding its custom objective and metric parameters fails
 * (NoSuchMethodError in {@code Extraction.decompose}), and Spark's writer encodes every set or
 * default parameter.
 */
public final class XGBoostModels {
  private XGBoostModels() {}

  /**
   * {@code model} with the custom objective and evaluation parameters of an XGBoost last stage
   * removed, set or default: only training reads them. Any other model is left as it is.
   */
  public static PipelineModel savable(PipelineModel model) {
    Transformer last = model.stages()[model.stages().length - 1];
    if (last instanceof XGBoostModel<?>) {
      for (Param<?> param : last.params()) {
        if (param instanceof CustomGeneralParam<?>) {
          ((Params) last).clear(param);
          last.defaultParamMap().remove(param);
        }
      }
    }
    return model;
  }
}
