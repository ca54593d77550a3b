package dev.sluice.common.parse;

import dev.sluice.common.table.QuarantineTable;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.catalyst.util.ArrayData;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.unsafe.types.UTF8String;
import scala.collection.immutable.ArraySeq;

/**
 * The quarantine's rows of quarantined lines, on {@link QuarantineTable#LINE_SCHEMA}: where each
 * line was read, its text and its reasons.
 */
final class QuarantineRows implements LineRows {
  private static final long serialVersionUID = 1L;

  @Override
  public StructType schema() {
    return QuarantineTable.LINE_SCHEMA;
  }

  @Override
  public LineKind kept() {
    return LineKind.QUARANTINED;
  }

  @Override
  public Builder builder(String file) {
    StructType schema = schema();
    Object[] shared = new Object[schema.length()];
    int fileAt = schema.fieldIndex(QuarantineTable.SOURCE_FILE);
    shared[fileAt] = InternalValues.string(file);
    InternalRow row = InternalRow.fromSeq(ArraySeq.unsafeWrapArray(shared));
    int lineAt = schema.fieldIndex(QuarantineTable.LINE_NUMBER);
    int textAt = schema.fieldIndex(QuarantineTable.RAW_LINE);
    int reasonsAt = schema.fieldIndex(QuarantineTable.REASONS);
    return (number, text, parsed) -> {
      row.setLong(lineAt, number);
      row.update(textAt, InternalValues.string(text));
      row.update(
          reasonsAt,
          ArrayData.toArrayData(
              parsed.reasons().stream().map(InternalValues::string).toArray(UTF8String[]::new)));
      return row;
    };
  }
}
