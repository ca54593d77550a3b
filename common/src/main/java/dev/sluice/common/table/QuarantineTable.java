package dev.sluice.common.table;

import static dev.sluice.common.lakehouse.Fields.required;
import static java.util.Objects.requireNonNull;
import static org.apache.spark.sql.types.DataTypes.StringType;
import static org.apache.spark.sql.types.DataTypes.createArrayType;

import dev.sluice.common.lakehouse.TableSpec;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * {@code quarantine}: rows that failed validation at ingest (and at scoring of new files), with the
 * reasons. The parse makes each line's own columns ({@link #LINE_SCHEMA}, a {@link Line}) and adds
 * what the whole batch shares ({@link #DATASET}, {@link #BATCH_ID}, {@link #SOURCE}, {@link
 * #INGESTED_AT}) as literals.
 */
public final class QuarantineTable {
  private QuarantineTable() {}

  public static final String NAME = "quarantine";
  public static final String COMMENT =
      "Rows that failed validation at ingest, with the reasons; never dropped, never in a raw table.";

  public static final String DATASET = SharedColumns.DATASET;
  public static final String BATCH_ID = SharedColumns.BATCH_ID;
  public static final String SOURCE = SharedColumns.SOURCE;
  public static final String SOURCE_FILE = SharedColumns.SOURCE_FILE;
  public static final String LINE_NUMBER = SharedColumns.LINE_NUMBER;
  public static final String RAW_LINE = "raw_line";
  public static final String REASONS = "reasons";
  public static final String INGESTED_AT = SharedColumns.INGESTED_AT;

  private static final StructField RAW_LINE_FIELD =
      required(RAW_LINE, StringType, "The line exactly as read from the file.");
  private static final StructField REASONS_FIELD =
      required(
          REASONS,
          createArrayType(StringType, false),
          "Why the row was rejected: FIELD_COUNT, BAD_QUOTING, BAD_JSON, TYPE_MISMATCH:<column>,"
              + " OUT_OF_RANGE:<column>, UNKNOWN_VALUE:<column>, MISSING_VALUE:<column>,"
              + " MISSING_LABEL, UNKNOWN_LABEL.");

  public static final StructType SCHEMA =
      new StructType(
          new StructField[] {
            SharedColumns.DATASET_FIELD,
            SharedColumns.BATCH_ID_FIELD,
            SharedColumns.SOURCE_FIELD,
            SharedColumns.SOURCE_FILE_FIELD,
            SharedColumns.LINE_NUMBER_FIELD,
            RAW_LINE_FIELD,
            REASONS_FIELD,
            SharedColumns.INGESTED_AT_FIELD
          });

  public static final List<String> PARTITION_COLUMNS = List.of(DATASET);

  public static final TableSpec SPEC = new TableSpec(NAME, COMMENT, SCHEMA, PARTITION_COLUMNS);

  /** The columns each quarantined line has of its own, in the order of {@link Line#toRow}. */
  public static final StructType LINE_SCHEMA =
      new StructType(
          new StructField[] {
            SharedColumns.SOURCE_FILE_FIELD,
            SharedColumns.LINE_NUMBER_FIELD,
            RAW_LINE_FIELD,
            REASONS_FIELD
          });

  /** What one quarantined line has of its own: where it was read, its text and the reasons. */
  public record Line(String sourceFile, long lineNumber, String rawLine, List<String> reasons) {
    public Line {
      requireNonNull(sourceFile, "sourceFile is null");
      requireNonNull(rawLine, "rawLine is null");
      reasons = List.copyOf(requireNonNull(reasons, "reasons is null"));
    }

    /** The row of {@link #LINE_SCHEMA}. */
    public Row toRow() {
      return Rows.builder(LINE_SCHEMA)
          .set(SOURCE_FILE, sourceFile)
          .set(LINE_NUMBER, lineNumber)
          .set(RAW_LINE, rawLine)
          .set(REASONS, reasons)
          .build();
    }

    /** A row holding at least the {@link #LINE_SCHEMA} columns, by name. */
    public static Line from(Row row) {
      return new Line(
          row.getAs(SOURCE_FILE),
          row.<Long>getAs(LINE_NUMBER),
          row.getAs(RAW_LINE),
          Rows.list(row, REASONS));
    }
  }
}
