package dev.sluice.jobs.ingest;

import dev.sluice.common.Errors;
import dev.sluice.common.lakehouse.Lakehouse;
import dev.sluice.common.lakehouse.TableSpec;
import dev.sluice.common.settings.IngestSettings;
import dev.sluice.common.table.LabelsTable;
import java.util.stream.Collectors;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/** The table a batch's accepted rows land in: its spec, and the check of its schema. */
final class RawTable {
  private final Lakehouse lakehouse;
  private final IngestSettings settings;

  RawTable(Lakehouse lakehouse, IngestSettings settings) {
    this.lakehouse = lakehouse;
    this.settings = settings;
  }

  /** The table's spec: the data set's raw table, or its labels table for a labels batch. */
  TableSpec spec() {
    return settings.kind() == IngestSettings.Kind.LABELS
        ? LabelsTable.spec(settings.dataset())
        : dev.sluice.common.table.RawTable.spec(settings.dataset());
  }

  /**
   * Fails when the existing table's columns or types differ from {@code expected}, unless the
   * schema may evolve.
   */
  void checkSchema(StructType expected) {
    String rawTable = settings.table();
    if (settings.schemaEvolution() || !lakehouse.exists(rawTable)) {
      return;
    }
    StructType actual = lakehouse.read(rawTable).schema();
    if (!shape(actual).equals(shape(expected))) {
      throw Errors.schemaMismatch(
          lakehouse.qualifiedName(rawTable), shape(expected), shape(actual));
    }
  }

  private static String shape(StructType schema) {
    return java.util.Arrays.stream(schema.fields())
            .map(StructField::name)
            .collect(Collectors.joining(", ", "[", "]"))
        + java.util.Arrays.stream(schema.fields())
            .map(f -> f.dataType().simpleString())
            .collect(Collectors.joining(", ", " types [", "]"));
  }
}
