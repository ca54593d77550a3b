package dev.sluice.common.parse;

import static java.util.Objects.requireNonNull;

import dev.sluice.common.dataset.ValueType;
import dev.sluice.common.table.RawTable;
import java.nio.charset.StandardCharsets;
import java.sql.Date;
import java.sql.Timestamp;
import java.util.Arrays;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.unsafe.types.UTF8String;
import scala.collection.immutable.ArraySeq;

/**
 * A raw table's rows of accepted lines: the data columns from the parsed values, then the lineage
 * columns from the line and the batch. The batch's and the file's values are converted once per
 * task, the parsed values once per line.
 */
final class RawRows implements LineRows {
  private static final long serialVersionUID = 1L;

  private final StructType schema;
  private final ValueType[] types;
  private final int idColumn;
  private final BatchParser.Batch batch;

  /**
   * Rows of {@code schema} (the data columns, of {@code types}, then the lineage columns); the row
   * id is the value of column {@code idColumn} where it is at least 0 and the value is there, or
   * else the file's key and the line number.
   */
  RawRows(StructType schema, ValueType[] types, int idColumn, BatchParser.Batch batch) {
    this.schema = requireNonNull(schema, "schema is null");
    this.types = types.clone();
    this.idColumn = idColumn;
    this.batch = requireNonNull(batch, "batch is null");
  }

  @Override
  public StructType schema() {
    return schema;
  }

  @Override
  public LineKind kept() {
    return LineKind.ACCEPTED;
  }

  @Override
  public Builder builder(String file) {
    Object[] shared = new Object[schema.length()];
    shared[schema.fieldIndex(RawTable.BATCH_ID)] = InternalValues.string(batch.batchId());
    shared[schema.fieldIndex(RawTable.SOURCE)] = InternalValues.string(batch.source());
    shared[schema.fieldIndex(RawTable.INGESTED_AT)] = InternalValues.micros(batch.ingestedAt());
    shared[schema.fieldIndex(RawTable.SOURCE_FILE)] = InternalValues.string(file);
    InternalRow row = InternalRow.fromSeq(ArraySeq.unsafeWrapArray(shared));
    byte[] rowIdPrefix = (batch.fileKeys().get(file) + "-").getBytes(StandardCharsets.UTF_8);
    int rowIdAt = schema.fieldIndex(RawTable.ROW_ID);
    int lineAt = schema.fieldIndex(RawTable.LINE_NUMBER);
    return (number, text, parsed) -> {
      Object[] values = parsed.values();
      for (int i = 0; i < types.length; i++) {
        row.update(i, internal(types[i], values[i]));
      }
      row.update(
          rowIdAt,
          idColumn >= 0 && values[idColumn] != null
              ? UTF8String.fromString(String.valueOf(values[idColumn]))
              : rowId(rowIdPrefix, number));
      row.setLong(lineAt, number);
      return row;
    };
  }

  /**
   * The row id of line {@code number} (at least 1) of the file whose key and "-" are {@code
   * prefix}: the prefix then the number's digits, written as the UTF-8 bytes they are (no string
   * built and encoded again per line).
   */
  static UTF8String rowId(byte[] prefix, long number) {
    if (number < 1) {
      throw new IllegalArgumentException("line numbers start at 1, got " + number);
    }
    int digits = 1;
    for (long rest = number / 10; rest > 0; rest /= 10) {
      digits++;
    }
    byte[] bytes = Arrays.copyOf(prefix, prefix.length + digits);
    long rest = number;
    for (int i = bytes.length - 1; i >= prefix.length; i--) {
      bytes[i] = (byte) ('0' + rest % 10);
      rest /= 10;
    }
    return UTF8String.fromBytes(bytes);
  }

  /** A parsed value of {@code type} in Spark's internal form. */
  private static Object internal(ValueType type, Object value) {
    if (value == null) {
      return null;
    }
    // Integer, Long, Double and Boolean are their own internal form.
    return switch (type) {
      case STRING -> InternalValues.string((String) value);
      case DATE -> InternalValues.days((Date) value);
      case TIMESTAMP -> InternalValues.micros((Timestamp) value);
      case INT, LONG, DOUBLE, BOOLEAN -> value;
    };
  }
}
