package dev.sluice.common.dataset;

import static java.util.Objects.requireNonNull;

import dev.sluice.common.Columns;
import dev.sluice.common.Errors;
import java.io.Serializable;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.types.MetadataBuilder;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * A data set as its data-set file describes it: where its files are, how to parse them, what each
 * column is. A plain value: {@code settings.DatasetSpecReader} reads and checks the file's section.
 */
public record DatasetSpec(
    String name,
    SourceFormat format,
    CsvSpec csv,
    List<String> commentPrefixes,
    List<String> nullTokens,
    Map<String, List<String>> sources,
    TaskType task,
    LabelSpec label,
    List<ColumnSpec> columns)
    implements Serializable {
  public static final String PATH = "sluice.dataset";

  public DatasetSpec {
    requireNonNull(name, "name is null");
    requireNonNull(format, "format is null");
    requireNonNull(csv, "csv is null");
    commentPrefixes = List.copyOf(commentPrefixes);
    nullTokens = List.copyOf(nullTokens);
    sources = Map.copyOf(sources);
    requireNonNull(task, "task is null");
    requireNonNull(label, "label is null");
    columns = List.copyOf(columns);
  }

  /**
   * The spec of this data set's delayed-labels files: two fields, the row id (as the {@code row_id}
   * of the scored row) in column {@code idColumn} and the label, parsed and validated as this data
   * set's files are (format, separators, null tokens, label classes).
   */
  public DatasetSpec labelsSpec(String idColumn) {
    ColumnSpec label = column(this.label.column());
    if (idColumn.equals(label.name()) || Columns.RESERVED.contains(idColumn)) {
      throw Errors.badSetting(
          PATH + ".labels.id-column",
          "'" + idColumn + "' is the label column or a name Sluice reserves",
          "Name the row-id field of labels files differently, e.g. id.");
    }
    return new DatasetSpec(
        name,
        format,
        csv,
        commentPrefixes,
        nullTokens,
        Map.of(),
        task,
        this.label,
        List.of(
            new ColumnSpec(
                idColumn,
                ColumnRole.ID,
                ValueType.STRING,
                false,
                Double.NEGATIVE_INFINITY,
                Double.POSITIVE_INFINITY,
                List.of()),
            label));
  }

  /** The columns in file order. */
  public List<String> columnNames() {
    return columns.stream().map(ColumnSpec::name).toList();
  }

  /** The columns' names in the files (header names, JSON keys), in file order. */
  public List<String> sourceNames() {
    return columns.stream().map(ColumnSpec::sourceName).toList();
  }

  public ColumnSpec column(String name) {
    return columns.stream()
        .filter(c -> c.name().equals(name))
        .findFirst()
        .orElseThrow(() -> new IllegalArgumentException("no column " + name));
  }

  /**
   * The typed data columns as stored in the raw table, in file order, with nullability from the
   * spec.
   */
  public StructType dataSchema() {
    return new StructType(
        columns.stream()
            .map(
                c ->
                    new StructField(
                        c.name(),
                        c.type().sparkType(),
                        true,
                        new MetadataBuilder().putString("comment", c.describe(name)).build()))
            .toArray(StructField[]::new));
  }

  /** Whether {@code value} counts as null. */
  public boolean isNullToken(String value) {
    return nullTokens.contains(value);
  }
}
