package dev.sluice.jobs.promote;

import static org.apache.spark.ml.functions.vector_to_array;
import static org.apache.spark.sql.functions.col;

import dev.sluice.common.Columns;
import dev.sluice.common.registry.ModelVersion;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * What the gate compares: a model's labels, predictions, scores and slice values on the frozen test
 * rows.
 */
final class GateRows {
  private final List<String> sliceColumns;

  GateRows(List<String> sliceColumns) {
    this.sliceColumns = List.copyOf(sliceColumns);
  }

  /** A model's predictions on the frozen rows, ordered by row id so both models' arrays pair up. */
  record Scored(
      double[] labels, double[] predictions, double[] scores, Map<String, String[]> slices) {}

  Scored score(ModelVersion registered, Dataset<Row> rows, boolean binary) {
    PipelineModel model = PipelineModel.load(registered.artifactPath());
    Dataset<Row> predicted = model.transform(rows);
    List<Column> columns = new ArrayList<>();
    columns.add(col(Columns.TARGET));
    columns.add(col(Columns.PREDICTION));
    // A classifier's score: the probability of the positive class (binary), of the row's true
    // class (multiclass: its log loss); a regression has none.
    Column probabilities = vector_to_array(col(Columns.PROBABILITY), "float64");
    columns.add(
        binary
            ? probabilities.getItem(1)
            : registered.classLabels().isEmpty()
                ? col(Columns.PREDICTION)
                : probabilities.getItem(col(Columns.TARGET).cast("int")));
    for (String slice : sliceColumns) {
      columns.add(col("`" + slice + "`").cast("string"));
    }
    List<Row> collected =
        predicted.orderBy(Columns.ROW_ID).select(columns.toArray(Column[]::new)).collectAsList();
    int n = collected.size();
    double[] labels = new double[n];
    double[] predictions = new double[n];
    double[] scores = new double[n];
    Map<String, String[]> slices = new HashMap<>();
    sliceColumns.forEach(c -> slices.put(c, new String[n]));
    for (int i = 0; i < n; i++) {
      Row row = collected.get(i);
      labels[i] = row.getDouble(0);
      predictions[i] = row.getDouble(1);
      scores[i] = row.getDouble(2);
      for (int s = 0; s < sliceColumns.size(); s++) {
        slices.get(sliceColumns.get(s))[i] = row.isNullAt(3 + s) ? null : row.getString(3 + s);
      }
    }
    return new Scored(labels, predictions, scores, slices);
  }
}
