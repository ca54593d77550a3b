package dev.sluice.common.parse;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;

import dev.sluice.common.dataset.ColumnRole;
import dev.sluice.common.dataset.ColumnSpec;
import dev.sluice.common.dataset.DatasetSpec;
import dev.sluice.common.dataset.ValueType;
import dev.sluice.common.quality.ProfileAccumulator;
import dev.sluice.common.table.QuarantineTable;
import dev.sluice.common.table.RawTable;
import java.io.Serializable;
import java.sql.Timestamp;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructType;

/**
 * Turns one batch's numbered source lines into the rows each table takes: accepted lines into the
 * raw table's typed data columns and lineage columns, quarantined ones into the quarantine table's
 * columns with their reasons. Each is one pass of the {@link ParseSource} that parses every line
 * and keeps the lines of its kind.
 */
public final class BatchParser {
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
    return RawTable.schema(spec);
  }

  /** The accepted rows of {@code lines} (one batch's), on the raw table's columns. */
  public Dataset<Row> accepted(SparkSession spark, SourceLines.Read lines, Batch batch) {
    return accepted(spark, lines, batch, null, null);
  }

  /**
   * The accepted rows of {@code lines} (one batch's), on the raw table's columns, adding the number
   * of lines of each kind to {@code counts} and the accepted rows' values to {@code profiles} (each
   * when not null) as the rows are computed: each task adds its split's totals when it has read its
   * last line.
   */
  public Dataset<Row> accepted(
      SparkSession spark,
      SourceLines.Read lines,
      Batch batch,
      LineKindCounts counts,
      ProfileAccumulator profiles) {
    ValueType[] types = spec.columns().stream().map(ColumnSpec::type).toArray(ValueType[]::new);
    RawRows rows = new RawRows(rawSchema(), types, idColumn, batch);
    return ParseSource.load(
        spark,
        new ParseSource.Parse(
            "accepted rows of batch " + batch.batchId(),
            lines.splits(),
            new ParsedRows(
                parser, spec.csv().header(), rows, lines.configuration(), counts, profiles)));
  }

  /** The quarantined rows of {@code lines} (one batch's), on the quarantine table's columns. */
  public Dataset<Row> quarantined(SparkSession spark, SourceLines.Read lines, Batch batch) {
    Dataset<Row> rows =
        ParseSource.load(
            spark,
            new ParseSource.Parse(
                "quarantined rows of batch " + batch.batchId(),
                lines.splits(),
                new ParsedRows(
                    parser,
                    spec.csv().header(),
                    new QuarantineRows(),
                    lines.configuration(),
                    null,
                    null)));
    Map<String, Object> shared = shared(batch);
    shared.put(QuarantineTable.DATASET, spec.name());
    return onto(QuarantineTable.SCHEMA, rows, shared);
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

  /** The names of the spec's columns with the given role. */
  public List<String> columnsWithRole(ColumnRole role) {
    return spec.columns().stream().filter(c -> c.role() == role).map(ColumnSpec::name).toList();
  }
}
