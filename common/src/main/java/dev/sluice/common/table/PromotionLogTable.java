package dev.sluice.common.table;

import static dev.sluice.common.lakehouse.Fields.optional;
import static dev.sluice.common.lakehouse.Fields.required;
import static java.util.Objects.requireNonNull;
import static org.apache.spark.sql.types.DataTypes.DoubleType;
import static org.apache.spark.sql.types.DataTypes.LongType;
import static org.apache.spark.sql.types.DataTypes.StringType;
import static org.apache.spark.sql.types.DataTypes.TimestampType;
import static org.apache.spark.sql.types.DataTypes.createArrayType;

import dev.sluice.common.lakehouse.TableSpec;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalLong;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/** {@code promotion_log}: every promotion decision, promoted or not, with its evidence. */
public final class PromotionLogTable {
  private PromotionLogTable() {}

  public static final String NAME = "promotion_log";
  public static final String COMMENT =
      "Every promotion decision, promoted or not, with the evidence it was made on.";

  public static final String DECIDED_AT = "decided_at";
  public static final String RUN_ID = SharedColumns.RUN_ID;
  public static final String MODEL_NAME = SharedColumns.MODEL_NAME;
  public static final String CHALLENGER_VERSION = "challenger_version";
  public static final String CHAMPION_VERSION = "champion_version";
  public static final String MODE = "mode";
  public static final String METRIC = "metric";
  public static final String CHALLENGER_METRIC = "challenger_metric";
  public static final String CHAMPION_METRIC = "champion_metric";
  public static final String IMPROVEMENT_CI_LOW = "improvement_ci_low";
  public static final String IMPROVEMENT_CI_HIGH = "improvement_ci_high";
  public static final String CHECKS = "checks";
  public static final String VERDICT = "verdict";
  public static final String REASON = "reason";
  public static final String TEST_ROWS = "test_rows";
  public static final String SNAPSHOT_TABLE = "snapshot_table";
  public static final String SNAPSHOT_VERSION = "snapshot_version";
  public static final String DECISION_KEY = "decision_key";

  public static final StructType SCHEMA =
      new StructType(
          new StructField[] {
            required(DECIDED_AT, TimestampType, "When the decision was made."),
            SharedColumns.RUN_ID_FIELD,
            SharedColumns.MODEL_NAME_FIELD,
            required(CHALLENGER_VERSION, LongType, "Version judged."),
            optional(
                CHAMPION_VERSION,
                LongType,
                "Champion it was compared with; null when there was none."),
            required(MODE, StringType, "disabled, dry-run or enabled."),
            required(METRIC, StringType, "Metric of the gate."),
            optional(CHALLENGER_METRIC, DoubleType, "Challenger's metric on the test rows."),
            optional(CHAMPION_METRIC, DoubleType, "Champion's metric on the same rows."),
            optional(
                IMPROVEMENT_CI_LOW,
                DoubleType,
                "Lower end of the bootstrap interval of the improvement."),
            optional(IMPROVEMENT_CI_HIGH, DoubleType, "Upper end of that interval."),
            required(
                CHECKS,
                createArrayType(Check.SCHEMA, false),
                "Each guardrail with its value, threshold and verdict."),
            required(
                VERDICT,
                StringType,
                "PROMOTED, REJECTED, WOULD_PROMOTE (dry run), DISABLED or ALREADY_CHAMPION."),
            required(REASON, StringType, "Why."),
            required(TEST_ROWS, LongType, "Test rows the models were compared on."),
            optional(SNAPSHOT_TABLE, StringType, "Snapshot whose test split was used."),
            optional(SNAPSHOT_VERSION, LongType, "Its version."),
            required(
                DECISION_KEY, StringType, "Challenger, champion, settings and mode: decided once.")
          });

  public static final TableSpec SPEC =
      new TableSpec(NAME, COMMENT, SCHEMA, List.of(), TableSpec.APPEND_ONLY);

  /**
   * One decision. The champion's version and metric are empty when there was none; the metrics and
   * interval when the gate did not run (promotion disabled, challenger already champion).
   */
  public record Entry(
      Instant decidedAt,
      String runId,
      String modelName,
      long challengerVersion,
      OptionalLong championVersion,
      String mode,
      String metric,
      OptionalDouble challengerMetric,
      OptionalDouble championMetric,
      OptionalDouble improvementCiLow,
      OptionalDouble improvementCiHigh,
      List<Check> checks,
      String verdict,
      String reason,
      long testRows,
      Optional<String> snapshotTable,
      OptionalLong snapshotVersion,
      String decisionKey) {
    public Entry {
      requireNonNull(decidedAt, "decidedAt is null");
      requireNonNull(runId, "runId is null");
      requireNonNull(modelName, "modelName is null");
      requireNonNull(championVersion, "championVersion is null");
      requireNonNull(mode, "mode is null");
      requireNonNull(metric, "metric is null");
      requireNonNull(challengerMetric, "challengerMetric is null");
      requireNonNull(championMetric, "championMetric is null");
      requireNonNull(improvementCiLow, "improvementCiLow is null");
      requireNonNull(improvementCiHigh, "improvementCiHigh is null");
      checks = List.copyOf(requireNonNull(checks, "checks is null"));
      requireNonNull(verdict, "verdict is null");
      requireNonNull(reason, "reason is null");
      requireNonNull(snapshotTable, "snapshotTable is null");
      requireNonNull(snapshotVersion, "snapshotVersion is null");
      requireNonNull(decisionKey, "decisionKey is null");
    }

    public Row toRow() {
      return Rows.builder(SCHEMA)
          .set(DECIDED_AT, decidedAt)
          .set(RUN_ID, runId)
          .set(MODEL_NAME, modelName)
          .set(CHALLENGER_VERSION, challengerVersion)
          .set(CHAMPION_VERSION, championVersion)
          .set(MODE, mode)
          .set(METRIC, metric)
          .set(CHALLENGER_METRIC, challengerMetric)
          .set(CHAMPION_METRIC, championMetric)
          .set(IMPROVEMENT_CI_LOW, improvementCiLow)
          .set(IMPROVEMENT_CI_HIGH, improvementCiHigh)
          .set(CHECKS, checks.stream().map(Check::toRow).toList())
          .set(VERDICT, verdict)
          .set(REASON, reason)
          .set(TEST_ROWS, testRows)
          .set(SNAPSHOT_TABLE, snapshotTable)
          .set(SNAPSHOT_VERSION, snapshotVersion)
          .set(DECISION_KEY, decisionKey)
          .build();
    }

    public static Entry from(Row row) {
      return new Entry(
          Rows.instant(row, DECIDED_AT),
          row.getAs(RUN_ID),
          row.getAs(MODEL_NAME),
          row.<Long>getAs(CHALLENGER_VERSION),
          Rows.optionalLong(row, CHAMPION_VERSION),
          row.getAs(MODE),
          row.getAs(METRIC),
          Rows.optionalDouble(row, CHALLENGER_METRIC),
          Rows.optionalDouble(row, CHAMPION_METRIC),
          Rows.optionalDouble(row, IMPROVEMENT_CI_LOW),
          Rows.optionalDouble(row, IMPROVEMENT_CI_HIGH),
          Rows.<Row>list(row, CHECKS).stream().map(Check::from).toList(),
          row.getAs(VERDICT),
          row.getAs(REASON),
          row.<Long>getAs(TEST_ROWS),
          Rows.optional(row, SNAPSHOT_TABLE),
          Rows.optionalLong(row, SNAPSHOT_VERSION),
          row.getAs(DECISION_KEY));
    }
  }
}
