package dev.sluice.jobs.score;

import static org.apache.spark.ml.functions.vector_to_array;
import static org.apache.spark.sql.functions.array_max;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.element_at;
import static org.apache.spark.sql.functions.lit;

import dev.sluice.common.Columns;
import dev.sluice.common.monitor.ScoringWindow;
import dev.sluice.common.table.PredictionsTable;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/** A model's output rows on the columns of {@code predictions}. */
final class PredictionRows {
  private PredictionRows() {}

  /**
   * The scored rows as predictions of {@code model} version {@code version} in {@code window}:
   * class probabilities, the predicted class and the positive class's (or top class's) score for a
   * classifier; the numeric prediction alone for a regressor.
   */
  static Dataset<Row> of(
      Dataset<Row> scored, List<String> classes, String model, long version, ScoringWindow window) {
    boolean classification = !classes.isEmpty();
    Column probabilities =
        classification
            ? vector_to_array(col(Columns.PROBABILITY), "float64")
            : lit(null).cast("array<double>");
    Column predictedClass = lit(null).cast("string");
    if (classification) {
      // Class index to name, as the model's class_labels list them.
      predictedClass =
          element_at(
              org.apache.spark.sql.functions.array(
                  classes.stream().map(c -> lit(c)).toArray(Column[]::new)),
              col(Columns.PREDICTION).cast("int").plus(1));
    }
    Column score =
        !classification
            ? lit(null).cast("double")
            : classes.size() == 2 ? probabilities.getItem(1) : array_max(probabilities);
    return scored.select(
        col(Columns.ROW_ID).as(PredictionsTable.ROW_ID),
        col(Columns.BATCH_ID).as(PredictionsTable.BATCH_ID),
        col(Columns.PREDICTION).as(PredictionsTable.PREDICTION),
        predictedClass.as(PredictionsTable.PREDICTED_CLASS),
        score.as(PredictionsTable.SCORE),
        probabilities.as(PredictionsTable.PROBABILITIES),
        lit(model).as(PredictionsTable.MODEL_NAME),
        lit(version).as(PredictionsTable.MODEL_VERSION),
        lit(window.inputTable()).as(PredictionsTable.INPUT_TABLE),
        lit(window.inputVersion()).as(PredictionsTable.INPUT_VERSION),
        lit(window.id()).as(PredictionsTable.SCORING_RUN_ID),
        lit(window.scoredAt()).as(PredictionsTable.SCORED_AT));
  }
}
