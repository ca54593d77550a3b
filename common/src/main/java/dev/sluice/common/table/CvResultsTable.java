package dev.sluice.common.table;

import static dev.sluice.common.lakehouse.Fields.required;
import static java.util.Objects.requireNonNull;
import static org.apache.spark.sql.types.DataTypes.DoubleType;
import static org.apache.spark.sql.types.DataTypes.IntegerType;
import static org.apache.spark.sql.types.DataTypes.LongType;
import static org.apache.spark.sql.types.DataTypes.StringType;
import static org.apache.spark.sql.types.DataTypes.TimestampType;

import dev.sluice.common.lakehouse.TableSpec;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/** {@code cv_results}: the validation metric of every estimator, parameter map and fold. */
public final class CvResultsTable {
  private CvResultsTable() {}

  public static final String NAME = "cv_results";
  public static final String COMMENT =
      "Cross-validation: one row per estimator, parameter map and fold, with the fold's validation metric.";

  public static final String RUN_ID = SharedColumns.RUN_ID;
  public static final String MODEL_NAME = SharedColumns.MODEL_NAME;
  public static final String MODEL_VERSION = SharedColumns.MODEL_VERSION;
  public static final String ESTIMATOR = SharedColumns.ESTIMATOR;
  public static final String PARAM_INDEX = "param_index";
  public static final String PARAMS = SharedColumns.PARAMS;
  public static final String FOLD = "fold";
  public static final String METRIC = "metric";
  public static final String VALUE = "value";
  public static final String TRAIN_ROWS = "train_rows";
  public static final String VALIDATION_ROWS = "validation_rows";
  public static final String FIT_SECONDS = "fit_seconds";
  public static final String CREATED_AT = "created_at";

  public static final StructType SCHEMA =
      new StructType(
          new StructField[] {
            SharedColumns.RUN_ID_FIELD,
            SharedColumns.MODEL_NAME_FIELD,
            SharedColumns.MODEL_VERSION_FIELD,
            SharedColumns.ESTIMATOR_FIELD,
            required(
                PARAM_INDEX, IntegerType, "Position of the parameter map in the estimator's grid."),
            SharedColumns.PARAMS_FIELD,
            required(FOLD, IntegerType, "Fold number, 0 to k-1."),
            required(METRIC, StringType, "Selection metric, as MLlib's evaluators name it."),
            required(VALUE, DoubleType, "The metric on the fold's held-out rows."),
            required(TRAIN_ROWS, LongType, "Rows the model was fitted on."),
            required(VALIDATION_ROWS, LongType, "Rows the metric was computed on."),
            required(FIT_SECONDS, DoubleType, "Wall time of the fit."),
            required(CREATED_AT, TimestampType, "When the row was written.")
          });

  public static final TableSpec SPEC = new TableSpec(NAME, COMMENT, SCHEMA, List.of());

  /** One fold of one parameter map of one estimator. */
  public record Entry(
      String runId,
      String modelName,
      long modelVersion,
      String estimator,
      int paramIndex,
      Map<String, String> params,
      int fold,
      String metric,
      double value,
      long trainRows,
      long validationRows,
      double fitSeconds,
      Instant createdAt) {
    public Entry {
      requireNonNull(runId, "runId is null");
      requireNonNull(modelName, "modelName is null");
      requireNonNull(estimator, "estimator is null");
      params = Rows.ordered(requireNonNull(params, "params is null"));
      requireNonNull(metric, "metric is null");
      requireNonNull(createdAt, "createdAt is null");
    }

    public Row toRow() {
      return Rows.builder(SCHEMA)
          .set(RUN_ID, runId)
          .set(MODEL_NAME, modelName)
          .set(MODEL_VERSION, modelVersion)
          .set(ESTIMATOR, estimator)
          .set(PARAM_INDEX, paramIndex)
          .set(PARAMS, params)
          .set(FOLD, fold)
          .set(METRIC, metric)
          .set(VALUE, value)
          .set(TRAIN_ROWS, trainRows)
          .set(VALIDATION_ROWS, validationRows)
          .set(FIT_SECONDS, fitSeconds)
          .set(CREATED_AT, createdAt)
          .build();
    }

    public static Entry from(Row row) {
      return new Entry(
          row.getAs(RUN_ID),
          row.getAs(MODEL_NAME),
          row.<Long>getAs(MODEL_VERSION),
          row.getAs(ESTIMATOR),
          row.<Integer>getAs(PARAM_INDEX),
          Rows.map(row, PARAMS),
          row.<Integer>getAs(FOLD),
          row.getAs(METRIC),
          row.<Double>getAs(VALUE),
          row.<Long>getAs(TRAIN_ROWS),
          row.<Long>getAs(VALIDATION_ROWS),
          row.<Double>getAs(FIT_SECONDS),
          Rows.instant(row, CREATED_AT));
    }
  }
}
