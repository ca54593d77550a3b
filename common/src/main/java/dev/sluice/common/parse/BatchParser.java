package dev.sluice.common.parse;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.types.DataTypes.StringType;
import static org.apache.spark.sql.types.DataTypes.createArrayType;

import dev.sluice.common.Columns;
import dev.sluice.common.dataset.ColumnRole;
import dev.sluice.common.dataset.ColumnSpec;
import dev.sluice.common.dataset.DatasetSpec;
import dev.sluice.common.lakehouse.SharedTables;
import dev.sluice.common.quality.ColumnProfiles;
import dev.sluice.common.quality.ProfileAccumulator;
import java.io.Serializable;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.Metadata;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * Turns numbered source lines into parsed rows: the typed data columns and lineage columns, plus
 * the line's kind, its quarantine reasons and (for quarantined lines only) the raw line.
 */
public final class BatchParser implements Serializable {
  private static final long serialVersionUID = 1L;

  public static final String KIND = "_kind";
  public static final String REASONS = "_reasons";
  public static final String RAW_LINE = "_raw_line";

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

  /** The schema of parsed rows. */
  public StructType parsedSchema() {
    List<StructField> fields = new ArrayList<>(List.of(spec.dataSchema().fields()));
    fields.addAll(List.of(lineageSchema().fields()));
    fields.add(new StructField(KIND, StringType, false, Metadata.empty()));
    fields.add(
        new StructField(REASONS, createArrayType(StringType, false), false, Metadata.empty()));
    fields.add(new StructField(RAW_LINE, StringType, true, Metadata.empty()));
    return new StructType(fields.toArray(StructField[]::new));
  }

  /** The lineage columns Sluice adds after the data columns of a raw table. */
  public static StructType lineageSchema() {
    return new StructType(
        new StructField[] {
          SharedTables.ROW_ID,
          SharedTables.BATCH_ID,
          SharedTables.SOURCE,
          SharedTables.SOURCE_FILE,
          SharedTables.LINE_NUMBER,
          SharedTables.INGESTED_AT
        });
  }

  /** The raw table's schema: data columns then lineage columns. */
  public StructType rawSchema() {
    List<StructField> fields = new ArrayList<>(List.of(spec.dataSchema().fields()));
    fields.addAll(List.of(lineageSchema().fields()));
    return new StructType(fields.toArray(StructField[]::new));
  }

  /** Parses {@code lines} (schema {@link SourceLines#SCHEMA}) of one batch. */
  public Dataset<Row> parse(Dataset<Row> lines, Batch batch) {
    return parse(lines, batch, null);
  }

  /**
   * Parses {@code lines} (schema {@link SourceLines#SCHEMA}) of one batch, adding the number of
   * lines of each kind to {@code counts} (when not null) as the rows are computed.
   */
  public Dataset<Row> parse(Dataset<Row> lines, Batch batch, LineKindCounts counts) {
    return parse(lines, batch, counts, null);
  }

  /**
   * Parses {@code lines} (schema {@link SourceLines#SCHEMA}) of one batch, adding the number of
   * lines of each kind to {@code counts} and the accepted rows' values to {@code profiles} (each
   * when not null) as the rows are computed: each task adds its partition's totals when it has read
   * its last line.
   */
  public Dataset<Row> parse(
      Dataset<Row> lines, Batch batch, LineKindCounts counts, ProfileAccumulator profiles) {
    boolean header = spec.csv().header();
    int width = spec.columns().size();
    ColumnProfiles.Layout layout = profiles == null ? null : profiles.layout();
    MapPartitionsFunction<Row, Row> function =
        rows ->
            new Iterator<>() {
              private final long[] kinds = new long[LineKind.values().length];
              private final ColumnProfiles accepted = layout == null ? null : layout.empty();
              private boolean added;

              @Override
              public boolean hasNext() {
                boolean more = rows.hasNext();
                if (!more && !added) {
                  added = true;
                  if (counts != null) {
                    counts.add(kinds);
                  }
                  if (profiles != null) {
                    profiles.add(accepted);
                  }
                }
                return more;
              }

              @Override
              public Row next() {
                Row in = rows.next();
                String file = in.getString(0);
                long lineNumber = in.getLong(1);
                String line = in.getString(2);
                ParsedLine parsed =
                    header && lineNumber == 1 && parser.skipKind(line).isEmpty()
                        ? new ParsedLine(LineKind.HEADER, new Object[0], List.of())
                        : parser.parse(line);
                kinds[parsed.kind().ordinal()]++;
                Object[] out = new Object[width + 9];
                if (parsed.kind() == LineKind.ACCEPTED) {
                  System.arraycopy(parsed.values(), 0, out, 0, width);
                  if (accepted != null) {
                    accepted.add(parsed.values());
                  }
                }
                out[width] =
                    idColumn >= 0 && parsed.kind() == LineKind.ACCEPTED && out[idColumn] != null
                        ? String.valueOf(out[idColumn])
                        : batch.fileKeys().get(file) + "-" + lineNumber;
                out[width + 1] = batch.batchId();
                out[width + 2] = batch.source();
                out[width + 3] = file;
                out[width + 4] = lineNumber;
                out[width + 5] = batch.ingestedAt();
                out[width + 6] = parsed.kind().name();
                out[width + 7] = parsed.reasons().toArray(String[]::new);
                out[width + 8] = parsed.kind() == LineKind.QUARANTINED ? line : null;
                return RowFactory.create(out);
              }
            };
    return lines.mapPartitions(function, Encoders.row(parsedSchema()));
  }

  /** Accepted rows projected onto the raw table's columns. */
  public Dataset<Row> accepted(Dataset<Row> parsed) {
    return parsed.where(col(KIND).equalTo(LineKind.ACCEPTED.name())).select(columns(rawSchema()));
  }

  /** Quarantined rows projected onto the quarantine table's columns. */
  public Dataset<Row> quarantined(Dataset<Row> parsed) {
    return parsed
        .where(col(KIND).equalTo(LineKind.QUARANTINED.name()))
        .select(
            lit(spec.name()).as(Columns.DATASET),
            col(Columns.BATCH_ID),
            col(Columns.SOURCE),
            col(Columns.SOURCE_FILE),
            col(Columns.LINE_NUMBER),
            col(RAW_LINE).as(Columns.RAW_LINE),
            col(REASONS).as(Columns.REASONS),
            col(Columns.INGESTED_AT));
  }

  private static Column[] columns(StructType schema) {
    return java.util.Arrays.stream(schema.fieldNames())
        .map(name -> col("`" + name + "`"))
        .toArray(Column[]::new);
  }

  /** The names of the spec's columns with the given role. */
  public List<String> columnsWithRole(ColumnRole role) {
    return spec.columns().stream().filter(c -> c.role() == role).map(ColumnSpec::name).toList();
  }
}
