package dev.sluice.common.table;

import static dev.sluice.common.lakehouse.Fields.required;
import static java.util.Objects.requireNonNull;
import static org.apache.spark.sql.types.DataTypes.DoubleType;
import static org.apache.spark.sql.types.DataTypes.LongType;
import static org.apache.spark.sql.types.DataTypes.StringType;
import static org.apache.spark.sql.types.DataTypes.TimestampType;
import static org.apache.spark.sql.types.DataTypes.createArrayType;
import static org.apache.spark.sql.types.DataTypes.createMapType;

import dev.sluice.common.lakehouse.TableSpec;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/** {@code reproducibility_checks}: retrainings of registered versions from their record. */
public final class ReproducibilityChecksTable {
  private ReproducibilityChecksTable() {}

  public static final String NAME = "reproducibility_checks";
  public static final String COMMENT =
      "Retrainings of registered versions from their record, and whether their metrics matched.";

  public static final String CHECKED_AT = "checked_at";
  public static final String RUN_ID = SharedColumns.RUN_ID;
  public static final String MODEL_NAME = SharedColumns.MODEL_NAME;
  public static final String VERSION = "version";
  public static final String SNAPSHOT_TABLE = "snapshot_table";
  public static final String SNAPSHOT_VERSION = "snapshot_version";
  public static final String STATUS = "status";
  public static final String TOLERANCE = "tolerance";
  public static final String MAX_ABS_DIFFERENCE = "max_abs_difference";
  public static final String RECORDED_METRICS = "recorded_metrics";
  public static final String REPRODUCED_METRICS = "reproduced_metrics";
  public static final String DIFFERENCES = "differences";

  /** {@link #STATUS} of a retraining whose every test metric is within the tolerance. */
  public static final String MATCH = "MATCH";

  /** {@link #STATUS} of one with a metric outside it. */
  public static final String MISMATCH = "MISMATCH";

  public static final StructType SCHEMA =
      new StructType(
          new StructField[] {
            required(CHECKED_AT, TimestampType, "When the check ran."),
            SharedColumns.RUN_ID_FIELD,
            SharedColumns.MODEL_NAME_FIELD,
            required(VERSION, LongType, "Version reproduced."),
            required(SNAPSHOT_TABLE, StringType, "Snapshot retrained on."),
            required(SNAPSHOT_VERSION, LongType, "Its version (time travel)."),
            required(STATUS, StringType, "MATCH or MISMATCH."),
            required(TOLERANCE, DoubleType, "Largest absolute difference counted as a match."),
            required(
                MAX_ABS_DIFFERENCE, DoubleType, "Largest absolute difference of any test metric."),
            required(
                RECORDED_METRICS,
                createMapType(StringType, DoubleType, false),
                "Test metrics in the registry."),
            required(
                REPRODUCED_METRICS,
                createMapType(StringType, DoubleType, false),
                "Test metrics retrained now."),
            required(
                DIFFERENCES,
                createArrayType(StringType, false),
                "Metrics outside the tolerance, with both values.")
          });

  public static final TableSpec SPEC =
      new TableSpec(NAME, COMMENT, SCHEMA, List.of(), TableSpec.APPEND_ONLY);

  /** One retraining of a registered version and how its test metrics compared. */
  public record Entry(
      Instant checkedAt,
      String runId,
      String modelName,
      long version,
      String snapshotTable,
      long snapshotVersion,
      String status,
      double tolerance,
      double maxAbsDifference,
      Map<String, Double> recordedMetrics,
      Map<String, Double> reproducedMetrics,
      List<String> differences) {
    public Entry {
      requireNonNull(checkedAt, "checkedAt is null");
      requireNonNull(runId, "runId is null");
      requireNonNull(modelName, "modelName is null");
      requireNonNull(snapshotTable, "snapshotTable is null");
      requireNonNull(status, "status is null");
      recordedMetrics = Rows.ordered(requireNonNull(recordedMetrics, "recordedMetrics is null"));
      reproducedMetrics =
          Rows.ordered(requireNonNull(reproducedMetrics, "reproducedMetrics is null"));
      differences = List.copyOf(requireNonNull(differences, "differences is null"));
    }

    public Row toRow() {
      return Rows.builder(SCHEMA)
          .set(CHECKED_AT, checkedAt)
          .set(RUN_ID, runId)
          .set(MODEL_NAME, modelName)
          .set(VERSION, version)
          .set(SNAPSHOT_TABLE, snapshotTable)
          .set(SNAPSHOT_VERSION, snapshotVersion)
          .set(STATUS, status)
          .set(TOLERANCE, tolerance)
          .set(MAX_ABS_DIFFERENCE, maxAbsDifference)
          .set(RECORDED_METRICS, recordedMetrics)
          .set(REPRODUCED_METRICS, reproducedMetrics)
          .set(DIFFERENCES, differences)
          .build();
    }

    public static Entry from(Row row) {
      return new Entry(
          Rows.instant(row, CHECKED_AT),
          row.getAs(RUN_ID),
          row.getAs(MODEL_NAME),
          row.<Long>getAs(VERSION),
          row.getAs(SNAPSHOT_TABLE),
          row.<Long>getAs(SNAPSHOT_VERSION),
          row.getAs(STATUS),
          row.<Double>getAs(TOLERANCE),
          row.<Double>getAs(MAX_ABS_DIFFERENCE),
          Rows.map(row, RECORDED_METRICS),
          Rows.map(row, REPRODUCED_METRICS),
          Rows.list(row, DIFFERENCES));
    }
  }
}
