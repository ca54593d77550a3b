package dev.sluice.common.table;

import static dev.sluice.common.lakehouse.Fields.optional;
import static dev.sluice.common.lakehouse.Fields.required;
import static java.util.Objects.requireNonNull;
import static org.apache.spark.sql.types.DataTypes.DoubleType;
import static org.apache.spark.sql.types.DataTypes.LongType;
import static org.apache.spark.sql.types.DataTypes.StringType;

import dev.sluice.common.lakehouse.TableSpec;
import java.time.Instant;
import java.util.List;
import java.util.OptionalDouble;
import java.util.OptionalLong;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/** {@code fairness_metrics}: per scoring window, slice column and group, a metric and its ratio. */
public final class FairnessMetricsTable {
  private FairnessMetricsTable() {}

  public static final String NAME = "fairness_metrics";
  public static final String COMMENT =
      "Per scoring window, slice column and group: selection rate, TPR, FPR and AUC (binary),"
          + " accuracy (multiclass) or rmse (regression), with the ratio to the reference group."
          + " Label-based metrics appear once labels arrived; each arrival adds rows.";

  public static final String MODEL_NAME = SharedColumns.MODEL_NAME;
  public static final String MODEL_VERSION = SharedColumns.MODEL_VERSION;
  public static final String WINDOW_ID = SharedColumns.WINDOW_ID;
  public static final String WINDOW_SCORED_AT = SharedColumns.WINDOW_SCORED_AT;
  public static final String LABELS_VERSION = SharedColumns.LABELS_VERSION;
  public static final String SLICE_COLUMN = "slice_column";
  public static final String GROUP_VALUE = "group_value";
  public static final String REFERENCE_GROUP = "reference_group";
  public static final String ROWS = "rows";
  public static final String LABELLED_ROWS = SharedColumns.LABELLED_ROWS;
  public static final String METRIC = "metric";
  public static final String VALUE = "value";
  public static final String REFERENCE_VALUE = "reference_value";
  public static final String RATIO = "ratio";
  public static final String COMPUTED_AT = SharedColumns.COMPUTED_AT;
  public static final String RUN_ID = SharedColumns.RUN_ID;

  public static final StructType SCHEMA =
      new StructType(
          new StructField[] {
            SharedColumns.MODEL_NAME_FIELD,
            SharedColumns.MODEL_VERSION_FIELD,
            SharedColumns.WINDOW_ID_FIELD,
            SharedColumns.WINDOW_SCORED_AT_FIELD,
            SharedColumns.LABELS_VERSION_FIELD,
            required(SLICE_COLUMN, StringType, "The data-set column the groups come from."),
            required(GROUP_VALUE, StringType, "The group: a value of the column, or __null__."),
            required(
                REFERENCE_GROUP,
                StringType,
                "The group the ratios are taken against: the window's largest group."),
            required(ROWS, LongType, "Rows of the group in the window."),
            SharedColumns.LABELLED_ROWS_FIELD,
            required(
                METRIC,
                StringType,
                "selection_rate, tpr, fpr, areaUnderROC (binary); accuracy (multiclass); rmse"
                    + " (regression)."),
            optional(
                VALUE,
                DoubleType,
                "The metric in the group; null when undefined (no positives, one class)."),
            optional(REFERENCE_VALUE, DoubleType, "The metric in the reference group."),
            optional(
                RATIO,
                DoubleType,
                "value / reference_value (disparity ratio); null when either is null or the"
                    + " reference is 0."),
            SharedColumns.COMPUTED_AT_FIELD,
            SharedColumns.RUN_ID_FIELD
          });

  public static final TableSpec SPEC = new TableSpec(NAME, COMMENT, SCHEMA, List.of());

  /**
   * One metric of one group in one window. The labels version is empty when no label had arrived;
   * the values when undefined, the ratio when either value is or the reference is 0.
   */
  public record Entry(
      String modelName,
      long modelVersion,
      String windowId,
      Instant windowScoredAt,
      OptionalLong labelsVersion,
      String sliceColumn,
      String groupValue,
      String referenceGroup,
      long rows,
      long labelledRows,
      String metric,
      OptionalDouble value,
      OptionalDouble referenceValue,
      OptionalDouble ratio,
      Instant computedAt,
      String runId) {
    public Entry {
      requireNonNull(modelName, "modelName is null");
      requireNonNull(windowId, "windowId is null");
      requireNonNull(windowScoredAt, "windowScoredAt is null");
      requireNonNull(labelsVersion, "labelsVersion is null");
      requireNonNull(sliceColumn, "sliceColumn is null");
      requireNonNull(groupValue, "groupValue is null");
      requireNonNull(referenceGroup, "referenceGroup is null");
      requireNonNull(metric, "metric is null");
      requireNonNull(value, "value is null");
      requireNonNull(referenceValue, "referenceValue is null");
      requireNonNull(ratio, "ratio is null");
      requireNonNull(computedAt, "computedAt is null");
      requireNonNull(runId, "runId is null");
    }

    public Row toRow() {
      return Rows.builder(SCHEMA)
          .set(MODEL_NAME, modelName)
          .set(MODEL_VERSION, modelVersion)
          .set(WINDOW_ID, windowId)
          .set(WINDOW_SCORED_AT, windowScoredAt)
          .set(LABELS_VERSION, labelsVersion)
          .set(SLICE_COLUMN, sliceColumn)
          .set(GROUP_VALUE, groupValue)
          .set(REFERENCE_GROUP, referenceGroup)
          .set(ROWS, rows)
          .set(LABELLED_ROWS, labelledRows)
          .set(METRIC, metric)
          .set(VALUE, value)
          .set(REFERENCE_VALUE, referenceValue)
          .set(RATIO, ratio)
          .set(COMPUTED_AT, computedAt)
          .set(RUN_ID, runId)
          .build();
    }

    public static Entry from(Row row) {
      return new Entry(
          row.getAs(MODEL_NAME),
          row.<Long>getAs(MODEL_VERSION),
          row.getAs(WINDOW_ID),
          Rows.instant(row, WINDOW_SCORED_AT),
          Rows.optionalLong(row, LABELS_VERSION),
          row.getAs(SLICE_COLUMN),
          row.getAs(GROUP_VALUE),
          row.getAs(REFERENCE_GROUP),
          row.<Long>getAs(ROWS),
          row.<Long>getAs(LABELLED_ROWS),
          row.getAs(METRIC),
          Rows.optionalDouble(row, VALUE),
          Rows.optionalDouble(row, REFERENCE_VALUE),
          Rows.optionalDouble(row, RATIO),
          Rows.instant(row, COMPUTED_AT),
          row.getAs(RUN_ID));
    }
  }
}
