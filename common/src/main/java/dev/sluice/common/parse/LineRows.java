package dev.sluice.common.parse;

import java.io.Serializable;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.types.StructType;

/** How the lines of one kind become rows of a table, in Spark's internal form. */
interface LineRows extends Serializable {
  /** The rows' columns. */
  StructType schema();

  /** The kind of line that makes a row. */
  LineKind kept();

  /** A builder of the rows of one task, which reads lines of {@code file}. */
  Builder builder(String file);

  /** Makes each line's row, in one task. */
  interface Builder {
    /**
     * The row of line {@code number} of the file, its text and what the parse made of it. The row
     * is the builder's own, filled anew for every line, as Spark's readers hand out rows: Spark
     * copies each into its compact row format before it reads the next.
     */
    InternalRow row(long number, String text, ParsedLine parsed);
  }
}
