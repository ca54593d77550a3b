package dev.sluice.common.table;

import static dev.sluice.common.lakehouse.Fields.optional;
import static dev.sluice.common.lakehouse.Fields.required;
import static java.util.Objects.requireNonNull;
import static org.apache.spark.sql.types.DataTypes.LongType;
import static org.apache.spark.sql.types.DataTypes.StringType;
import static org.apache.spark.sql.types.DataTypes.TimestampType;

import dev.sluice.common.lakehouse.TableSpec;
import java.time.Instant;
import java.util.List;
import java.util.OptionalLong;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/** {@code alias_log}: every alias change, appended, never updated. */
public final class AliasLogTable {
  private AliasLogTable() {}

  public static final String NAME = "alias_log";
  public static final String COMMENT =
      "Every alias change (champion, challenger), appended, never updated: the alias history of each model.";

  public static final String MODEL_NAME = SharedColumns.MODEL_NAME;
  public static final String ALIAS = "alias";
  public static final String VERSION = "version";
  public static final String PREVIOUS_VERSION = "previous_version";
  public static final String CHANGED_AT = "changed_at";
  public static final String REASON = "reason";
  public static final String RUN_ID = SharedColumns.RUN_ID;

  public static final StructType SCHEMA =
      new StructType(
          new StructField[] {
            SharedColumns.MODEL_NAME_FIELD,
            required(ALIAS, StringType, "Alias name: champion, challenger."),
            optional(
                VERSION, LongType, "Version the alias points to from now on; null when removed."),
            optional(PREVIOUS_VERSION, LongType, "Version it pointed to before."),
            required(CHANGED_AT, TimestampType, "When the alias changed."),
            required(REASON, StringType, "Why it changed."),
            SharedColumns.RUN_ID_FIELD
          });

  public static final TableSpec SPEC =
      new TableSpec(NAME, COMMENT, SCHEMA, List.of(), TableSpec.APPEND_ONLY);

  /**
   * One change of an alias: the version is empty when the alias was removed, the previous version
   * when it pointed nowhere before.
   */
  public record Entry(
      String modelName,
      String alias,
      OptionalLong version,
      OptionalLong previousVersion,
      Instant changedAt,
      String reason,
      String runId) {
    public Entry {
      requireNonNull(modelName, "modelName is null");
      requireNonNull(alias, "alias is null");
      requireNonNull(version, "version is null");
      requireNonNull(previousVersion, "previousVersion is null");
      requireNonNull(changedAt, "changedAt is null");
      requireNonNull(reason, "reason is null");
      requireNonNull(runId, "runId is null");
    }

    public Row toRow() {
      return Rows.builder(SCHEMA)
          .set(MODEL_NAME, modelName)
          .set(ALIAS, alias)
          .set(VERSION, version)
          .set(PREVIOUS_VERSION, previousVersion)
          .set(CHANGED_AT, changedAt)
          .set(REASON, reason)
          .set(RUN_ID, runId)
          .build();
    }

    public static Entry from(Row row) {
      return new Entry(
          row.getAs(MODEL_NAME),
          row.getAs(ALIAS),
          Rows.optionalLong(row, VERSION),
          Rows.optionalLong(row, PREVIOUS_VERSION),
          Rows.instant(row, CHANGED_AT),
          row.getAs(REASON),
          row.getAs(RUN_ID));
    }
  }
}
