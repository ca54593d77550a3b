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

/** {@code performance_metrics}: model performance per scoring window on its delayed labels. */
public final class PerformanceMetricsTable {
  private PerformanceMetricsTable() {}

  public static final String NAME = "performance_metrics";
  public static final String COMMENT =
      "Model performance per scoring window once its delayed labels arrived, in long form: the"
          + " training metrics on the labelled rows, with the label delay. A window without labels"
          + " has no row; new labels for a window add rows with a larger labelled_rows.";

  public static final String MODEL_NAME = SharedColumns.MODEL_NAME;
  public static final String MODEL_VERSION = SharedColumns.MODEL_VERSION;
  public static final String WINDOW_ID = SharedColumns.WINDOW_ID;
  public static final String WINDOW_SCORED_AT = SharedColumns.WINDOW_SCORED_AT;
  public static final String LABELS_VERSION = SharedColumns.LABELS_VERSION;
  public static final String WINDOW_ROWS = "window_rows";
  public static final String LABELLED_ROWS = SharedColumns.LABELLED_ROWS;
  public static final String METRIC = "metric";
  public static final String VALUE = "value";
  public static final String TEST_VALUE = "test_value";
  public static final String LABEL_DELAY_HOURS_MIN = "label_delay_hours_min";
  public static final String LABEL_DELAY_HOURS_MEAN = "label_delay_hours_mean";
  public static final String LABEL_DELAY_HOURS_MAX = "label_delay_hours_max";
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
            required(WINDOW_ROWS, LongType, "Rows scored in the window."),
            SharedColumns.LABELLED_ROWS_FIELD,
            required(METRIC, StringType, "Metric as training names it (model_metrics)."),
            required(VALUE, DoubleType, "The metric on the window's labelled rows."),
            optional(
                TEST_VALUE,
                DoubleType,
                "The same metric on the version's test split at training (model_registry)."),
            required(
                LABEL_DELAY_HOURS_MIN,
                DoubleType,
                "Shortest label delay: label ingested_at minus scored_at, in hours."),
            required(LABEL_DELAY_HOURS_MEAN, DoubleType, "Mean label delay in hours."),
            required(LABEL_DELAY_HOURS_MAX, DoubleType, "Longest label delay in hours."),
            SharedColumns.COMPUTED_AT_FIELD,
            SharedColumns.RUN_ID_FIELD
          });

  public static final TableSpec SPEC = new TableSpec(NAME, COMMENT, SCHEMA, List.of());

  /**
   * One metric of one window on the labels that had arrived. The labels version is empty when none
   * had; the test value when training did not record the metric.
   */
  public record Entry(
      String modelName,
      long modelVersion,
      String windowId,
      Instant windowScoredAt,
      OptionalLong labelsVersion,
      long windowRows,
      long labelledRows,
      String metric,
      double value,
      OptionalDouble testValue,
      double labelDelayHoursMin,
      double labelDelayHoursMean,
      double labelDelayHoursMax,
      Instant computedAt,
      String runId) {
    public Entry {
      requireNonNull(modelName, "modelName is null");
      requireNonNull(windowId, "windowId is null");
      requireNonNull(windowScoredAt, "windowScoredAt is null");
      requireNonNull(labelsVersion, "labelsVersion is null");
      requireNonNull(metric, "metric is null");
      requireNonNull(testValue, "testValue is null");
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
          .set(WINDOW_ROWS, windowRows)
          .set(LABELLED_ROWS, labelledRows)
          .set(METRIC, metric)
          .set(VALUE, value)
          .set(TEST_VALUE, testValue)
          .set(LABEL_DELAY_HOURS_MIN, labelDelayHoursMin)
          .set(LABEL_DELAY_HOURS_MEAN, labelDelayHoursMean)
          .set(LABEL_DELAY_HOURS_MAX, labelDelayHoursMax)
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
          row.<Long>getAs(WINDOW_ROWS),
          row.<Long>getAs(LABELLED_ROWS),
          row.getAs(METRIC),
          row.<Double>getAs(VALUE),
          Rows.optionalDouble(row, TEST_VALUE),
          row.<Double>getAs(LABEL_DELAY_HOURS_MIN),
          row.<Double>getAs(LABEL_DELAY_HOURS_MEAN),
          row.<Double>getAs(LABEL_DELAY_HOURS_MAX),
          Rows.instant(row, COMPUTED_AT),
          row.getAs(RUN_ID));
    }
  }
}
