package dev.sluice.common.train;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.when;

import dev.sluice.common.Columns;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.ml.param.Params;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * How training weighs its rows by class. A weight travels beside the training rows as {@link
 * Columns#CLASS_WEIGHT} and reaches every fit through the estimator's {@code weightCol}; a fitted
 * model never reads it, so the rows it scores need none.
 */
public enum ClassWeight {
  /** Every row weighs the same; the rows get no weight column. */
  NONE,
  /**
   * scikit-learn's "balanced": a row of class c weighs n / (k * n_c), for n rows, k classes present
   * and n_c rows of class c, so every class weighs n / k in all.
   */
  BALANCED;

  /** The MLlib (and XGBoost) estimator parameter naming the weight column. */
  public static final String PARAM = "weightCol";

  /**
   * {@code rows} (holding {@link Columns#TARGET}) with the weight column, counted on these rows;
   * with {@link #NONE}, the rows as they are.
   */
  public Dataset<Row> weigh(Dataset<Row> rows) {
    if (this == NONE) {
      return rows;
    }
    List<Row> counts = rows.groupBy(Columns.TARGET).count().orderBy(Columns.TARGET).collectAsList();
    double total = counts.stream().mapToLong(count -> count.getLong(1)).sum();
    double classes = counts.size();
    Column weight = lit(null).cast("double");
    for (Row count : counts) {
      weight =
          when(
                  col(Columns.TARGET).equalTo(count.getDouble(0)),
                  total / (classes * count.getLong(1)))
              .otherwise(weight);
    }
    return rows.withColumn(Columns.CLASS_WEIGHT, weight);
  }

  /** {@code kept} and, when rows are weighed, the weight column: what a fit reads. */
  public String[] columns(String... kept) {
    List<String> columns = new ArrayList<>(Arrays.asList(kept));
    if (this != NONE) {
      columns.add(Columns.CLASS_WEIGHT);
    }
    return columns.toArray(String[]::new);
  }

  /** Points the estimator's {@link #PARAM} at the weight column; {@link #NONE} leaves it unset. */
  public void configure(Params estimator) {
    if (this != NONE) {
      estimator.set(estimator.getParam(PARAM), Columns.CLASS_WEIGHT);
    }
  }
}
