package dev.sluice.common.table;

import static dev.sluice.common.lakehouse.Fields.required;
import static java.util.Objects.requireNonNull;
import static org.apache.spark.sql.types.DataTypes.LongType;
import static org.apache.spark.sql.types.DataTypes.StringType;
import static org.apache.spark.sql.types.DataTypes.TimestampType;
import static org.apache.spark.sql.types.DataTypes.createArrayType;

import dev.sluice.common.lakehouse.TableSpec;
import java.time.Instant;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/** {@code retrain_decisions}: every retraining decision, retrain or not, with its rules. */
public final class RetrainDecisionsTable {
  private RetrainDecisionsTable() {}

  public static final String NAME = "retrain_decisions";
  public static final String COMMENT =
      "Every retraining decision, retrain or not, with each rule's value, threshold and whether it fired.";

  public static final String DECIDED_AT = "decided_at";
  public static final String RUN_ID = SharedColumns.RUN_ID;
  public static final String MODEL_NAME = SharedColumns.MODEL_NAME;
  public static final String CHAMPION_VERSION = "champion_version";
  public static final String MODE = "mode";
  public static final String RULES = "rules";
  public static final String DECISION = "decision";
  public static final String REASON = "reason";

  /** {@link #DECISION} of a decision to retrain. */
  public static final String RETRAIN = "RETRAIN";

  /** {@link #DECISION} of a decision not to. */
  public static final String NO_RETRAIN = "NO_RETRAIN";

  /** {@link #MODE} of a decision that counts. */
  public static final String MODE_ENABLED = "enabled";

  /** {@link #MODE} of a decision recorded as a dry run, which never counts as a retrain. */
  public static final String MODE_DRY_RUN = "dry-run";

  public static final StructType SCHEMA =
      new StructType(
          new StructField[] {
            required(DECIDED_AT, TimestampType, "When the decision was made."),
            SharedColumns.RUN_ID_FIELD,
            SharedColumns.MODEL_NAME_FIELD,
            required(CHAMPION_VERSION, LongType, "The champion the decision is about."),
            required(MODE, StringType, "enabled or dry-run."),
            required(
                RULES,
                createArrayType(Check.SCHEMA, false),
                "Each rule: name, value, threshold, fired (in passed), detail."),
            required(DECISION, StringType, "RETRAIN or NO_RETRAIN."),
            required(REASON, StringType, "Why.")
          });

  public static final TableSpec SPEC =
      new TableSpec(NAME, COMMENT, SCHEMA, List.of(), TableSpec.APPEND_ONLY);

  /** One decision about a champion; a rule that fired holds true in {@link Check#passed}. */
  public record Entry(
      Instant decidedAt,
      String runId,
      String modelName,
      long championVersion,
      String mode,
      List<Check> rules,
      String decision,
      String reason) {
    public Entry {
      requireNonNull(decidedAt, "decidedAt is null");
      requireNonNull(runId, "runId is null");
      requireNonNull(modelName, "modelName is null");
      requireNonNull(mode, "mode is null");
      rules = List.copyOf(requireNonNull(rules, "rules is null"));
      requireNonNull(decision, "decision is null");
      requireNonNull(reason, "reason is null");
    }

    public Row toRow() {
      return Rows.builder(SCHEMA)
          .set(DECIDED_AT, decidedAt)
          .set(RUN_ID, runId)
          .set(MODEL_NAME, modelName)
          .set(CHAMPION_VERSION, championVersion)
          .set(MODE, mode)
          .set(RULES, rules.stream().map(Check::toRow).toList())
          .set(DECISION, decision)
          .set(REASON, reason)
          .build();
    }

    public static Entry from(Row row) {
      return new Entry(
          Rows.instant(row, DECIDED_AT),
          row.getAs(RUN_ID),
          row.getAs(MODEL_NAME),
          row.<Long>getAs(CHAMPION_VERSION),
          row.getAs(MODE),
          Rows.<Row>list(row, RULES).stream().map(Check::from).toList(),
          row.getAs(DECISION),
          row.getAs(REASON));
    }
  }
}
