package dev.sluice.common.parse;

import static java.util.Objects.requireNonNull;

import dev.sluice.common.Errors;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.connector.catalog.Column;
import org.apache.spark.sql.connector.catalog.SupportsRead;
import org.apache.spark.sql.connector.catalog.Table;
import org.apache.spark.sql.connector.catalog.TableCapability;
import org.apache.spark.sql.connector.catalog.TableProvider;
import org.apache.spark.sql.connector.expressions.Transform;
import org.apache.spark.sql.connector.read.Batch;
import org.apache.spark.sql.connector.read.InputPartition;
import org.apache.spark.sql.connector.read.PartitionReaderFactory;
import org.apache.spark.sql.connector.read.Scan;
import org.apache.spark.sql.connector.read.ScanBuilder;
import org.apache.spark.sql.sources.DataSourceRegister;
import org.apache.spark.sql.types.Metadata;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.sql.util.CaseInsensitiveStringMap;

/**
 * The {@code sluice} source: the rows the parse makes of a batch's lines (its accepted rows, or its
 * quarantined ones), handed to Spark through the public DataSource V2 connector API, the contract
 * Iceberg's and Delta's own readers use: {@link TableProvider} → {@link Table} that {@link
 * SupportsRead} → {@link ScanBuilder} → {@link Scan} → {@link Batch} of one {@link LineSplit} per
 * task → {@link ParsedRows}, whose readers yield rows in Spark's internal form.
 *
 * <p>What a load reads is objects, not strings: the splits, the parser, the Hadoop configuration
 * and the accumulators its tasks add to. {@link #load} hands them over through a registry on the
 * driver, under a fresh id passed as the one option, {@value #PARSE_OPTION}, and only while {@code
 * load()} resolves the table: the Dataset's plan then holds the table itself. A registry rather
 * than the objects Java-serialized into an option, for two reasons. An accumulator reaches the
 * tasks as Spark ships it only when it is serialized with the task (here inside the reader
 * factory): serialized into an option, Spark's driver-side hook would swap it for a zero copy at
 * load time, and the tasks' additions would come back to the registered one only through Spark's
 * internal lookup by id. And an option is a string shown in the plan and the UI: the spec, the line
 * indexes and the configuration would be kilobytes of Base64 there, where the registry shows an id.
 */
public final class ParseSource implements TableProvider, DataSourceRegister {
  /** The source's short name, for {@code spark.read().format(...)}. */
  public static final String NAME = "sluice";

  /** The option naming the parse a load reads. */
  static final String PARSE_OPTION = "parse";

  private static final Map<String, Parse> LOADING = new ConcurrentHashMap<>();

  /**
   * What one load reads.
   *
   * @param description what the scan reads, for the plan and the UI
   * @param splits the splits, one task each
   * @param readers the tasks' readers, which make the rows
   */
  record Parse(String description, List<LineSplit> splits, ParsedRows readers) {
    Parse {
      requireNonNull(description, "description is null");
      splits = List.copyOf(splits);
      requireNonNull(readers, "readers is null");
    }
  }

  /** The rows of {@code parse}, as a Dataset of {@code parse}'s schema. */
  static Dataset<Row> load(SparkSession spark, Parse parse) {
    String id = UUID.randomUUID().toString();
    LOADING.put(id, parse);
    try {
      return spark.read().format(ParseSource.class.getName()).option(PARSE_OPTION, id).load();
    } finally {
      LOADING.remove(id);
    }
  }

  @Override
  public String shortName() {
    return NAME;
  }

  @Override
  public StructType inferSchema(CaseInsensitiveStringMap options) {
    return parse(options.get(PARSE_OPTION)).readers().schema();
  }

  @Override
  public Table getTable(
      StructType schema, Transform[] partitioning, Map<String, String> properties) {
    return new ParseTable(parse(properties.get(PARSE_OPTION)));
  }

  private static Parse parse(String id) {
    Parse parse = id == null ? null : LOADING.get(id);
    if (parse == null) {
      throw Errors.unknownParse(PARSE_OPTION, String.valueOf(id));
    }
    return parse;
  }

  /** The parse's rows as a table: every scan of it parses the batch's lines again. */
  private record ParseTable(Parse parse) implements SupportsRead {
    @Override
    public String name() {
      return NAME + " " + parse.description();
    }

    @Override
    public Column[] columns() {
      return Arrays.stream(parse.readers().schema().fields())
          .map(
              field ->
                  Column.create(
                      field.name(),
                      field.dataType(),
                      field.nullable(),
                      field.getComment().isDefined() ? field.getComment().get() : null,
                      field.metadata().equals(Metadata.empty()) ? null : field.metadata().json()))
          .toArray(Column[]::new);
    }

    @Override
    public Set<TableCapability> capabilities() {
      return EnumSet.of(TableCapability.BATCH_READ);
    }

    @Override
    public ScanBuilder newScanBuilder(CaseInsensitiveStringMap options) {
      return () -> new ParseScan(parse);
    }
  }

  /** A scan of all the parse's rows: one task per split. */
  private record ParseScan(Parse parse) implements Scan, Batch {
    @Override
    public StructType readSchema() {
      return parse.readers().schema();
    }

    @Override
    public String description() {
      return NAME + " " + parse.description();
    }

    @Override
    public Batch toBatch() {
      return this;
    }

    @Override
    public InputPartition[] planInputPartitions() {
      return parse.splits().toArray(InputPartition[]::new);
    }

    @Override
    public PartitionReaderFactory createReaderFactory() {
      return parse.readers();
    }
  }
}
