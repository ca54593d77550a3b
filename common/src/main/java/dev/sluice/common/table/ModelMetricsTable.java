package dev.sluice.common.table;

import static dev.sluice.common.lakehouse.Fields.required;
import static java.util.Objects.requireNonNull;
import static org.apache.spark.sql.types.DataTypes.BooleanType;
import static org.apache.spark.sql.types.DataTypes.DoubleType;
import static org.apache.spark.sql.types.DataTypes.StringType;
import static org.apache.spark.sql.types.DataTypes.TimestampType;

import dev.sluice.common.lakehouse.TableSpec;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/** {@code model_metrics}: each estimator's chosen model on the validation and test splits. */
public final class ModelMetricsTable {
  private ModelMetricsTable() {}

  public static final String NAME = "model_metrics";
  public static final String COMMENT =
      "Metrics of each estimator's chosen model on the validation and test splits, in long form.";

  public static final String RUN_ID = SharedColumns.RUN_ID;
  public static final String MODEL_NAME = SharedColumns.MODEL_NAME;
  public static final String MODEL_VERSION = SharedColumns.MODEL_VERSION;
  public static final String ESTIMATOR = SharedColumns.ESTIMATOR;
  public static final String PARAMS = SharedColumns.PARAMS;
  public static final String REGISTERED = "registered";
  public static final String SPLIT = "split";
  public static final String METRIC = "metric";
  public static final String VALUE = "value";
  public static final String FIT_SECONDS = "fit_seconds";
  public static final String CREATED_AT = "created_at";

  public static final StructType SCHEMA =
      new StructType(
          new StructField[] {
            SharedColumns.RUN_ID_FIELD,
            SharedColumns.MODEL_NAME_FIELD,
            SharedColumns.MODEL_VERSION_FIELD,
            SharedColumns.ESTIMATOR_FIELD,
            SharedColumns.PARAMS_FIELD,
            required(
                REGISTERED,
                BooleanType,
                "Whether this estimator's model was registered as the version."),
            required(SPLIT, StringType, "validation or test."),
            required(METRIC, StringType, "Metric name as MLlib's evaluators spell it."),
            required(VALUE, DoubleType, "Metric value."),
            required(FIT_SECONDS, DoubleType, "Wall time of the final fit on the train split."),
            required(CREATED_AT, TimestampType, "When the row was written.")
          });

  public static final TableSpec SPEC = new TableSpec(NAME, COMMENT, SCHEMA, List.of());

  /** One metric of one estimator's chosen model on one split. */
  public record Entry(
      String runId,
      String modelName,
      long modelVersion,
      String estimator,
      Map<String, String> params,
      boolean registered,
      String split,
      String metric,
      double value,
      double fitSeconds,
      Instant createdAt) {
    public Entry {
      requireNonNull(runId, "runId is null");
      requireNonNull(modelName, "modelName is null");
      requireNonNull(estimator, "estimator is null");
      params = Rows.ordered(requireNonNull(params, "params is null"));
      requireNonNull(split, "split is null");
      requireNonNull(metric, "metric is null");
      requireNonNull(createdAt, "createdAt is null");
    }

    public Row toRow() {
      return Rows.builder(SCHEMA)
          .set(RUN_ID, runId)
          .set(MODEL_NAME, modelName)
          .set(MODEL_VERSION, modelVersion)
          .set(ESTIMATOR, estimator)
          .set(PARAMS, params)
          .set(REGISTERED, registered)
          .set(SPLIT, split)
          .set(METRIC, metric)
          .set(VALUE, value)
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
          Rows.map(row, PARAMS),
          row.<Boolean>getAs(REGISTERED),
          row.getAs(SPLIT),
          row.getAs(METRIC),
          row.<Double>getAs(VALUE),
          row.<Double>getAs(FIT_SECONDS),
          Rows.instant(row, CREATED_AT));
    }
  }
}
