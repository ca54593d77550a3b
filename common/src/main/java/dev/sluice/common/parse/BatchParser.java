package dev.sluice.common.parse;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;

import dev.sluice.common.Errors;
import dev.sluice.common.dataset.ColumnRole;
import dev.sluice.common.dataset.ColumnSpec;
import dev.sluice.common.dataset.DatasetSpec;
import dev.sluice.common.dataset.ValueType;
import dev.sluice.common.engine.internal.InternalRows;
import dev.sluice.common.quality.ColumnProfiles;
import dev.sluice.common.quality.ProfileAccumulator;
import dev.sluice.common.table.QuarantineTable;
import dev.sluice.common.table.RawTable;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.sql.Date;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.unsafe.types.UTF8String;

/**
 * Turns one batch's numbered source lines into the rows each table takes: accepted lines into the
 * raw table's typed data columns and lineage columns, quarantined ones into the quarantine table's
 * columns with their reasons. Each is one pass that parses every line and keeps the lines of its
 * kind.
 */
public final class BatchParser implements Serializable {
  private static final long serialVersionUID = 1L;

  /** What every row of one batch shares. */
  public record Batch(
      String batchId, String source, Timestamp ingestedAt, Map<String, String> fileKeys)
      implements Serializable {
    public Batch {
      fileKeys = Map.copyOf(fileKeys);
    }
  }

  private final DatasetSpec spec;
  private final LineParser parser;
  private final int idColumn;

  public BatchParser(DatasetSpec spec) {
    this(spec, LabelPolicy.REQUIRED);
  }

  public BatchParser(DatasetSpec spec, LabelPolicy labelPolicy) {
    this.spec = spec;
    this.parser = new LineParser(spec, labelPolicy);
    int id = -1;
    for (int i = 0; i < spec.columns().size(); i++) {
      if (spec.columns().get(i).role() == ColumnRole.ID) {
        id = i;
        break;
      }
    }
    this.idColumn = id;
  }

  /** The lineage columns Sluice adds after the data columns of a raw table. */
  public static StructType lineageSchema() {
    return RawTable.LINEAGE;
  }

  /** The raw table's schema: data columns then lineage columns. */
  public StructType rawSchema() {
    List<StructField> fields = new ArrayList<>(List.of(spec.dataSchema().fields()));
    fields.addAll(List.of(lineageSchema().fields()));
    return new StructType(fields.toArray(StructField[]::new));
  }

  /** The accepted rows of {@code lines} (one batch's), on the raw table's columns. */
  public Dataset<Row> accepted(SparkSession spark, JavaRDD<SourceLines.Line> lines, Batch batch) {
    return accepted(spark, lines, batch, null, null);
  }

  /**
   * The accepted rows of {@code lines} (one batch's), on the raw table's columns, adding the number
   * of lines of each kind to {@code counts} and the accepted rows' values to {@code profiles} (each
   * when not null) as the rows are computed: each task adds its partition's totals when it has read
   * its last line.
   */
  public Dataset<Row> accepted(
      SparkSession spark,
      JavaRDD<SourceLines.Line> lines,
      Batch batch,
      LineKindCounts counts,
      ProfileAccumulator profiles) {
    StructType schema = rawSchema();
    ValueType[] types = spec.columns().stream().map(ColumnSpec::type).toArray(ValueType[]::new);
    ColumnProfiles.Layout layout = profiles == null ? null : profiles.layout();
    JavaRDD<InternalRow> rows =
        lines.mapPartitions(
            partition -> {
              ColumnProfiles accepted = layout == null ? null : layout.empty();
              RawRows raw = new RawRows(schema, types, idColumn, batch);
              return new KeptLines<InternalRow>(
                  partition,
                  LineKind.ACCEPTED,
                  counts,
                  () -> {
                    if (profiles != null) {
                      profiles.add(accepted);
                    }
                  }) {
                @Override
                InternalRow row(SourceLines.Line line, ParsedLine parsed) {
                  if (accepted != null) {
                    accepted.add(parsed.values());
                  }
                  return raw.row(line, parsed.values());
                }
              };
            });
    return internalRows(spark, rows, schema);
  }

  /**
   * The rows of an RDD already in Spark's internal form, as a {@code Dataset} of {@code schema}.
   */
  private static Dataset<Row> internalRows(
      SparkSession spark, JavaRDD<InternalRow> rows, StructType schema) {
    try {
      return InternalRows.frame(spark, rows, schema);
    } catch (IllegalStateException e) {
      throw Errors.invariantBroken(e.getMessage());
    }
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

  /**
   * Builds raw-table rows in Spark's internal form (strings as {@link UTF8String}, dates as days,
   * timestamps as microseconds): the data columns from the parsed values, the lineage columns from
   * the line and the batch. The batch's shared values are converted once, into a template row by
   * the schema's column positions.
   */
  private static final class RawRows {
    private final ValueType[] types;
    private final int idColumn;
    private final Map<String, String> fileKeys;
    private final Object[] template;
    private final int rowIdAt;
    private final int fileAt;
    private final int lineAt;
    private String file;
    private UTF8String fileValue;
    private byte[] rowIdPrefix;

    RawRows(StructType schema, ValueType[] types, int idColumn, Batch batch) {
      this.types = types;
      this.idColumn = idColumn;
      this.fileKeys = batch.fileKeys();
      this.template = new Object[schema.length()];
      shared(batch)
          .forEach(
              (name, value) -> template[schema.fieldIndex(name)] = InternalRows.internal(value));
      this.rowIdAt = schema.fieldIndex(RawTable.ROW_ID);
      this.fileAt = schema.fieldIndex(RawTable.SOURCE_FILE);
      this.lineAt = schema.fieldIndex(RawTable.LINE_NUMBER);
    }

    InternalRow row(SourceLines.Line line, Object[] values) {
      if (!line.file().equals(file)) {
        file = line.file();
        fileValue = UTF8String.fromString(file);
        rowIdPrefix = (fileKeys.get(file) + "-").getBytes(StandardCharsets.UTF_8);
      }
      Object[] out = template.clone();
      for (int i = 0; i < types.length; i++) {
        out[i] = internal(types[i], values[i]);
      }
      out[rowIdAt] =
          idColumn >= 0 && values[idColumn] != null
              ? UTF8String.fromString(String.valueOf(values[idColumn]))
              : rowId(rowIdPrefix, line.number());
      out[fileAt] = fileValue;
      out[lineAt] = line.number();
      return InternalRows.of(out);
    }

    /** A parsed value of {@code type} in Spark's internal form. */
    private static Object internal(ValueType type, Object value) {
      if (value == null) {
        return null;
      }
      // Integer, Long, Double and Boolean are their own internal form.
      return switch (type) {
        case STRING -> UTF8String.fromString((String) value);
        case DATE -> InternalRows.days((Date) value);
        case TIMESTAMP -> InternalRows.micros((Timestamp) value);
        case INT, LONG, DOUBLE, BOOLEAN -> value;
      };
    }
  }

  /** The quarantined rows of {@code lines} (one batch's), on the quarantine table's columns. */
  public Dataset<Row> quarantined(
      SparkSession spark, JavaRDD<SourceLines.Line> lines, Batch batch) {
    JavaRDD<Row> rows =
        lines.mapPartitions(
            partition ->
                new KeptLines<Row>(partition, LineKind.QUARANTINED, null, () -> {}) {
                  @Override
                  Row row(SourceLines.Line line, ParsedLine parsed) {
                    return new QuarantineTable.Line(
                            line.file(), line.number(), line.text(), parsed.reasons())
                        .toRow();
                  }
                });
    Map<String, Object> shared = shared(batch);
    shared.put(QuarantineTable.DATASET, spec.name());
    return onto(
        QuarantineTable.SCHEMA, spark.createDataFrame(rows, QuarantineTable.LINE_SCHEMA), shared);
  }

  /** What every row of the batch shares, by column. */
  private static Map<String, Object> shared(Batch batch) {
    Map<String, Object> shared = new HashMap<>();
    shared.put(RawTable.BATCH_ID, batch.batchId());
    shared.put(RawTable.SOURCE, batch.source());
    shared.put(RawTable.INGESTED_AT, batch.ingestedAt());
    return shared;
  }

  /**
   * {@code rows} projected onto {@code schema}'s columns, in its order: the batch's {@code shared}
   * values are literals of the projection, not values per row; every other column is read from
   * {@code rows}.
   */
  private static Dataset<Row> onto(
      StructType schema, Dataset<Row> rows, Map<String, Object> shared) {
    return rows.select(
        Arrays.stream(schema.fieldNames())
            .map(
                name ->
                    shared.containsKey(name)
                        ? lit(shared.get(name)).as(name)
                        : col("`" + name + "`"))
            .toArray(Column[]::new));
  }

  /**
   * A partition's lines of one kind, as rows: parses every line, counts each kind, and when the
   * last line has been read adds the counts (when not null) and runs {@code atEnd}.
   */
  private abstract class KeptLines<T> implements Iterator<T> {
    private final Iterator<SourceLines.Line> lines;
    private final LineKind kept;
    private final LineKindCounts counts;
    private final Runnable atEnd;
    private final long[] kinds = new long[LineKind.values().length];
    private T next;
    private boolean ended;

    KeptLines(
        Iterator<SourceLines.Line> lines, LineKind kept, LineKindCounts counts, Runnable atEnd) {
      this.lines = lines;
      this.kept = kept;
      this.counts = counts;
      this.atEnd = atEnd;
    }

    /** The row of a line of the kept kind. */
    abstract T row(SourceLines.Line line, ParsedLine parsed);

    @Override
    public boolean hasNext() {
      while (next == null && lines.hasNext()) {
        SourceLines.Line line = lines.next();
        ParsedLine parsed =
            spec.csv().header() && line.number() == 1 && parser.skipKind(line.text()).isEmpty()
                ? ParsedLine.skipped(LineKind.HEADER)
                : parser.parse(line.text());
        kinds[parsed.kind().ordinal()]++;
        if (parsed.kind() == kept) {
          next = row(line, parsed);
        }
      }
      if (next == null && !ended) {
        ended = true;
        if (counts != null) {
          counts.add(kinds);
        }
        atEnd.run();
      }
      return next != null;
    }

    @Override
    public T next() {
      if (!hasNext()) {
        throw new NoSuchElementException();
      }
      T row = next;
      next = null;
      return row;
    }
  }

  /** The names of the spec's columns with the given role. */
  public List<String> columnsWithRole(ColumnRole role) {
    return spec.columns().stream().filter(c -> c.role() == role).map(ColumnSpec::name).toList();
  }
}
