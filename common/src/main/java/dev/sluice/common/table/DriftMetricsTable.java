package dev.sluice.common.table;

import static dev.sluice.common.lakehouse.Fields.optional;
import static dev.sluice.common.lakehouse.Fields.required;
import static java.util.Objects.requireNonNull;
import static org.apache.spark.sql.types.DataTypes.BooleanType;
import static org.apache.spark.sql.types.DataTypes.DoubleType;
import static org.apache.spark.sql.types.DataTypes.LongType;
import static org.apache.spark.sql.types.DataTypes.StringType;
import static org.apache.spark.sql.types.DataTypes.createArrayType;
import static org.apache.spark.sql.types.DataTypes.createMapType;

import dev.sluice.common.lakehouse.TableSpec;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * {@code drift_metrics}: drift of every feature and of the predictions per scoring window, with
 * both histograms.
 */
public final class DriftMetricsTable {
  private DriftMetricsTable() {}

  public static final String NAME = "drift_metrics";
  public static final String COMMENT =
      "Drift of every feature and of the predictions per scoring window against the version's training"
          + " baseline and against the previous window, with both histograms, so any value can be"
          + " recomputed from the row alone.";

  public static final String MODEL_NAME = SharedColumns.MODEL_NAME;
  public static final String MODEL_VERSION = SharedColumns.MODEL_VERSION;
  public static final String WINDOW_ID = SharedColumns.WINDOW_ID;
  public static final String WINDOW_SCORED_AT = SharedColumns.WINDOW_SCORED_AT;
  public static final String REFERENCE = "reference";
  public static final String REFERENCE_ID = "reference_id";
  public static final String FEATURE = "feature";
  public static final String KIND = "kind";
  public static final String METHOD = "method";
  public static final String PARAMETERS = "parameters";
  public static final String REFERENCE_ROWS = "reference_rows";
  public static final String WINDOW_ROWS = "window_rows";
  public static final String VALUE = "value";
  public static final String THRESHOLD = "threshold";
  public static final String VERDICT = "verdict";
  public static final String FEATURE_DRIFT = "feature_drift";
  public static final String BINS = "bins";
  public static final String REFERENCE_COUNTS = "reference_counts";
  public static final String WINDOW_COUNTS = "window_counts";
  public static final String COMPUTED_AT = SharedColumns.COMPUTED_AT;
  public static final String RUN_ID = SharedColumns.RUN_ID;

  /** {@link #REFERENCE}: the version's training baseline. */
  public static final String REFERENCE_BASELINE = "baseline";

  /** {@link #REFERENCE}: the model version's previous scoring window. */
  public static final String REFERENCE_PREVIOUS_WINDOW = "previous_window";

  public static final StructType SCHEMA =
      new StructType(
          new StructField[] {
            SharedColumns.MODEL_NAME_FIELD,
            SharedColumns.MODEL_VERSION_FIELD,
            SharedColumns.WINDOW_ID_FIELD,
            SharedColumns.WINDOW_SCORED_AT_FIELD,
            required(
                REFERENCE,
                StringType,
                "What the window is compared with: baseline (the training split, fixed at"
                    + " training) or previous_window (the version's window scored before it)."),
            optional(REFERENCE_ID, StringType, "The previous window's id; null for the baseline."),
            required(FEATURE, StringType, "Feature column, or __prediction__."),
            required(KIND, StringType, "numeric or categorical."),
            required(
                METHOD,
                StringType,
                "psi for every feature, then the test chosen by kind and sample size: ks,"
                    + " wasserstein, chi_square or jensen_shannon."),
            required(
                PARAMETERS,
                createMapType(StringType, StringType, false),
                "Parameters of the method (empty-bin proportion, degrees of freedom, the"
                    + " statistic behind a p-value, drift_when: which side of the threshold"
                    + " is drift)."),
            required(REFERENCE_ROWS, LongType, "Rows of the reference."),
            required(WINDOW_ROWS, LongType, "Rows of the window."),
            required(
                VALUE,
                DoubleType,
                "The statistic: PSI, a distance, or a p-value (ks, chi_square)."),
            optional(THRESHOLD, DoubleType, "Threshold of the verdict (alpha for p-values)."),
            required(
                VERDICT, StringType, "DRIFT or OK: this method's value against its threshold."),
            required(
                FEATURE_DRIFT,
                BooleanType,
                "The feature's verdict for this window and reference, the same on each of its"
                    + " rows: PSI and the test agree (sluice.monitor.tests.require-agreement) or"
                    + " PSI alone."),
            required(
                BINS,
                createArrayType(StringType, false),
                "Bin labels: numeric ranges or categorical levels, then __other__ / top bin and __null__."),
            required(REFERENCE_COUNTS, createArrayType(LongType, false), "Reference rows per bin."),
            required(WINDOW_COUNTS, createArrayType(LongType, false), "Window rows per bin."),
            SharedColumns.COMPUTED_AT_FIELD,
            SharedColumns.RUN_ID_FIELD
          });

  public static final TableSpec SPEC = new TableSpec(NAME, COMMENT, SCHEMA, List.of());

  /**
   * One method's measurement of one feature in one window against one reference. The reference id
   * is empty for the baseline.
   */
  public record Entry(
      String modelName,
      long modelVersion,
      String windowId,
      Instant windowScoredAt,
      String reference,
      Optional<String> referenceId,
      String feature,
      String kind,
      String method,
      Map<String, String> parameters,
      long referenceRows,
      long windowRows,
      double value,
      OptionalDouble threshold,
      String verdict,
      boolean featureDrift,
      List<String> bins,
      List<Long> referenceCounts,
      List<Long> windowCounts,
      Instant computedAt,
      String runId) {
    public Entry {
      requireNonNull(modelName, "modelName is null");
      requireNonNull(windowId, "windowId is null");
      requireNonNull(windowScoredAt, "windowScoredAt is null");
      requireNonNull(reference, "reference is null");
      requireNonNull(referenceId, "referenceId is null");
      requireNonNull(feature, "feature is null");
      requireNonNull(kind, "kind is null");
      requireNonNull(method, "method is null");
      parameters = Rows.ordered(requireNonNull(parameters, "parameters is null"));
      requireNonNull(threshold, "threshold is null");
      requireNonNull(verdict, "verdict is null");
      bins = List.copyOf(requireNonNull(bins, "bins is null"));
      referenceCounts = List.copyOf(requireNonNull(referenceCounts, "referenceCounts is null"));
      windowCounts = List.copyOf(requireNonNull(windowCounts, "windowCounts is null"));
      requireNonNull(computedAt, "computedAt is null");
      requireNonNull(runId, "runId is null");
    }

    public Row toRow() {
      return Rows.builder(SCHEMA)
          .set(MODEL_NAME, modelName)
          .set(MODEL_VERSION, modelVersion)
          .set(WINDOW_ID, windowId)
          .set(WINDOW_SCORED_AT, windowScoredAt)
          .set(REFERENCE, reference)
          .set(REFERENCE_ID, referenceId)
          .set(FEATURE, feature)
          .set(KIND, kind)
          .set(METHOD, method)
          .set(PARAMETERS, parameters)
          .set(REFERENCE_ROWS, referenceRows)
          .set(WINDOW_ROWS, windowRows)
          .set(VALUE, value)
          .set(THRESHOLD, threshold)
          .set(VERDICT, verdict)
          .set(FEATURE_DRIFT, featureDrift)
          .set(BINS, bins)
          .set(REFERENCE_COUNTS, referenceCounts)
          .set(WINDOW_COUNTS, windowCounts)
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
          row.getAs(REFERENCE),
          Rows.optional(row, REFERENCE_ID),
          row.getAs(FEATURE),
          row.getAs(KIND),
          row.getAs(METHOD),
          Rows.map(row, PARAMETERS),
          row.<Long>getAs(REFERENCE_ROWS),
          row.<Long>getAs(WINDOW_ROWS),
          row.<Double>getAs(VALUE),
          Rows.optionalDouble(row, THRESHOLD),
          row.getAs(VERDICT),
          row.<Boolean>getAs(FEATURE_DRIFT),
          Rows.list(row, BINS),
          Rows.list(row, REFERENCE_COUNTS),
          Rows.list(row, WINDOW_COUNTS),
          Rows.instant(row, COMPUTED_AT),
          row.getAs(RUN_ID));
    }
  }
}
