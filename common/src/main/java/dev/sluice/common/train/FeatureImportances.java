package dev.sluice.common.train;

import static java.util.Objects.requireNonNull;

import dev.sluice.common.Columns;
import dev.sluice.common.features.FeaturePipeline;
import dev.sluice.common.features.FeatureSpec;
import dev.sluice.common.table.FeatureImportanceTable;
import dev.sluice.common.train.xgboost.XGBoostStage;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.Transformer;
import org.apache.spark.ml.classification.GBTClassificationModel;
import org.apache.spark.ml.classification.LogisticRegressionModel;
import org.apache.spark.ml.classification.RandomForestClassificationModel;
import org.apache.spark.ml.linalg.Matrix;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.regression.GBTRegressionModel;
import org.apache.spark.ml.regression.LinearRegressionModel;
import org.apache.spark.ml.regression.RandomForestRegressionModel;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * The importance of every feature column of one kind (a {@code feature_importance} kind), most
 * important first: a model's own (XGBoost's gain, MLlib trees' impurity importances, linear models'
 * absolute coefficients), or any other measure by column such as the report's permutation
 * importance.
 *
 * @param kind the kind, one of {@code FeatureImportanceTable}'s
 * @param features every feature column with its importance and rank, in rank order
 */
public record FeatureImportances(String kind, List<Feature> features) {
  public FeatureImportances {
    requireNonNull(kind, "kind is null");
    features = List.copyOf(requireNonNull(features, "features is null"));
  }

  /** One feature column's importance and its rank, 1 for the most important. */
  public record Feature(String name, double importance, int rank) {
    public Feature {
      requireNonNull(name, "name is null");
    }
  }

  /** {@code byColumn} ranked: larger importance first, ties in the columns' name order. */
  public static FeatureImportances ranked(String kind, Map<String, Double> byColumn) {
    List<Map.Entry<String, Double>> order = new ArrayList<>(byColumn.entrySet());
    order.sort(
        Map.Entry.<String, Double>comparingByValue(Comparator.reverseOrder())
            .thenComparing(Map.Entry.comparingByKey()));
    List<Feature> features = new ArrayList<>();
    for (Map.Entry<String, Double> entry : order) {
      features.add(new Feature(entry.getKey(), entry.getValue(), features.size() + 1));
    }
    return new FeatureImportances(kind, features);
  }

  /**
   * The importances of {@code model}'s last stage (the estimator's model) by feature column, as
   * shares of their total: each vector slot's importance goes to the column it comes from, so a
   * categorical column's one-hot levels add up, and every column of {@code spec} has its row, 0
   * when the model does not use it. {@code rows} (the train split) only carries the schema through
   * the feature stages: nothing is computed on it.
   *
   * @throws IllegalArgumentException when the last stage is no model Sluice trains
   */
  public static FeatureImportances of(PipelineModel model, Dataset<Row> rows, FeatureSpec spec) {
    Transformer[] stages = model.stages();
    Dataset<Row> prepared = rows;
    for (int i = 0; i < stages.length - 1; i++) {
      prepared = stages[i].transform(prepared);
    }
    List<String> slotColumns = new FeaturePipeline(spec).slotColumns(model, prepared.schema());
    Transformer last = stages[stages.length - 1];
    Slots slots = slots(last);
    if (slots.values().length != slotColumns.size()) {
      throw new IllegalStateException(
          "The model's "
              + slots.values().length
              + " importances do not match the "
              + slotColumns.size()
              + " slots of its "
              + Columns.FEATURES
              + " vector");
    }
    Map<String, Double> byColumn = new LinkedHashMap<>();
    spec.columns().forEach(column -> byColumn.put(column, 0.0));
    double total = 0;
    for (int i = 0; i < slotColumns.size(); i++) {
      byColumn.merge(slotColumns.get(i), slots.values()[i], Double::sum);
      total += slots.values()[i];
    }
    if (total > 0) {
      double sum = total;
      byColumn.replaceAll((column, value) -> value / sum);
    }
    return ranked(slots.kind(), byColumn);
  }

  /** The rows of {@code feature_importance} that hold these importances. */
  public List<FeatureImportanceTable.Entry> entries(
      String runId, String modelName, long modelVersion, Instant createdAt) {
    return features.stream()
        .map(
            f ->
                new FeatureImportanceTable.Entry(
                    runId,
                    modelName,
                    modelVersion,
                    kind,
                    f.name(),
                    f.importance(),
                    f.rank(),
                    createdAt))
        .toList();
  }

  /** A model's own non-negative importance of each slot of its feature vector, and their kind. */
  private record Slots(String kind, double[] values) {}

  private static Slots slots(Transformer stage) {
    if (stage instanceof XGBoostStage xgboost) {
      return new Slots(FeatureImportanceTable.GAIN, xgboost.featureImportances().toArray());
    }
    Optional<Vector> impurity = impurity(stage);
    if (impurity.isPresent()) {
      return new Slots(FeatureImportanceTable.IMPURITY, impurity.get().toArray());
    }
    if (stage instanceof LogisticRegressionModel logistic) {
      // One row of coefficients per class (a single row for a binomial model).
      Matrix coefficients = logistic.coefficientMatrix();
      double[] values = new double[coefficients.numCols()];
      for (int row = 0; row < coefficients.numRows(); row++) {
        for (int column = 0; column < values.length; column++) {
          values[column] += Math.abs(coefficients.apply(row, column));
        }
      }
      return new Slots(FeatureImportanceTable.COEFFICIENT, values);
    }
    if (stage instanceof LinearRegressionModel linear) {
      // A dense vector's toArray is the model's own array: read it, never write it.
      Vector coefficients = linear.coefficients();
      double[] values = new double[coefficients.size()];
      for (int i = 0; i < values.length; i++) {
        values[i] = Math.abs(coefficients.apply(i));
      }
      return new Slots(FeatureImportanceTable.COEFFICIENT, values);
    }
    throw new IllegalArgumentException(
        "Cannot tell the feature importances of a "
            + stage.getClass().getSimpleName()
            + ": it is none of the models Sluice trains");
  }

  /** The importances of MLlib's tree ensembles; none for any other model. */
  private static Optional<Vector> impurity(Transformer stage) {
    if (stage instanceof RandomForestClassificationModel forest) {
      return Optional.of(forest.featureImportances());
    } else if (stage instanceof RandomForestRegressionModel forest) {
      return Optional.of(forest.featureImportances());
    } else if (stage instanceof GBTClassificationModel boosted) {
      return Optional.of(boosted.featureImportances());
    } else if (stage instanceof GBTRegressionModel boosted) {
      return Optional.of(boosted.featureImportances());
    }
    return Optional.empty();
  }
}
