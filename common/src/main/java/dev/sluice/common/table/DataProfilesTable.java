package dev.sluice.common.table;

import static dev.sluice.common.lakehouse.Fields.optional;
import static dev.sluice.common.lakehouse.Fields.required;
import static java.util.Objects.requireNonNull;
import static org.apache.spark.sql.types.DataTypes.DoubleType;
import static org.apache.spark.sql.types.DataTypes.LongType;
import static org.apache.spark.sql.types.DataTypes.StringType;
import static org.apache.spark.sql.types.DataTypes.TimestampType;
import static org.apache.spark.sql.types.DataTypes.createArrayType;

import dev.sluice.common.lakehouse.TableSpec;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalLong;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/** {@code data_profiles}: per-column statistics of every accepted ingest batch. */
public final class DataProfilesTable {
  private DataProfilesTable() {}

  public static final String NAME = "data_profiles";
  public static final String COMMENT =
      "Per-column statistics of every accepted ingest batch: one row per batch and column.";

  public static final String DATASET = SharedColumns.DATASET;
  public static final String BATCH_ID = SharedColumns.BATCH_ID;
  public static final String TABLE_NAME = "table_name";
  public static final String TABLE_VERSION = "table_version";
  public static final String COLUMN_NAME = "column_name";
  public static final String COLUMN_ROLE = "column_role";
  public static final String COLUMN_TYPE = "column_type";
  public static final String ROW_COUNT = "row_count";
  public static final String NULL_COUNT = "null_count";
  public static final String DISTINCT_COUNT = "distinct_count";
  public static final String MIN = "min";
  public static final String MAX = "max";
  public static final String MEAN = "mean";
  public static final String STDDEV = "stddev";
  public static final String QUANTILES = "quantiles";
  public static final String TOP_VALUES = "top_values";
  public static final String PROFILED_AT = "profiled_at";

  /** The element of {@link #QUANTILES}. */
  public static final StructType QUANTILE_SCHEMA =
      new StructType(
          new StructField[] {
            optional(Quantile.PROBABILITY, DoubleType, "Quantile probability."),
            optional(Quantile.VALUE, DoubleType, "Approximate quantile value.")
          });

  /** The element of {@link #TOP_VALUES}. */
  public static final StructType FREQUENCY_SCHEMA =
      new StructType(
          new StructField[] {
            optional(Frequency.VALUE, StringType, "A value of the column."),
            optional(Frequency.COUNT, LongType, "Rows with that value.")
          });

  public static final StructType SCHEMA =
      new StructType(
          new StructField[] {
            SharedColumns.DATASET_FIELD,
            SharedColumns.BATCH_ID_FIELD,
            required(TABLE_NAME, StringType, "Table the batch was written to."),
            optional(TABLE_VERSION, LongType, "Delta version of that table holding the batch."),
            required(COLUMN_NAME, StringType, "Profiled column."),
            required(
                COLUMN_ROLE, StringType, "Role from the data-set spec: numeric, categorical, ..."),
            required(COLUMN_TYPE, StringType, "Stored type of the column."),
            required(ROW_COUNT, LongType, "Rows in the batch."),
            required(NULL_COUNT, LongType, "Rows where the column is null."),
            required(
                DISTINCT_COUNT,
                LongType,
                "Distinct non-null values: exact for columns with top values, approximate"
                    + " (HLL sketch, about 1.6% relative standard error) for numeric, id and"
                    + " timestamp columns."),
            optional(MIN, DoubleType, "Smallest value (numeric columns)."),
            optional(MAX, DoubleType, "Largest value (numeric columns)."),
            optional(MEAN, DoubleType, "Mean (numeric columns)."),
            optional(STDDEV, DoubleType, "Sample standard deviation (numeric columns)."),
            optional(
                QUANTILES,
                createArrayType(QUANTILE_SCHEMA, false),
                "Approximate quantiles (numeric columns)."),
            optional(
                TOP_VALUES,
                createArrayType(FREQUENCY_SCHEMA, false),
                "Most frequent values with their counts, most frequent first (non-numeric columns)."),
            required(PROFILED_AT, TimestampType, "When the profile was computed.")
          });

  public static final TableSpec SPEC = new TableSpec(NAME, COMMENT, SCHEMA, List.of());

  /**
   * One row: the profile of one column in one batch. The statistics of numeric columns are empty
   * for other columns, and the top values empty for numeric ones.
   */
  public record Entry(
      String dataset,
      String batchId,
      String tableName,
      OptionalLong tableVersion,
      String columnName,
      String columnRole,
      String columnType,
      long rowCount,
      long nullCount,
      long distinctCount,
      OptionalDouble min,
      OptionalDouble max,
      OptionalDouble mean,
      OptionalDouble stddev,
      Optional<List<Quantile>> quantiles,
      Optional<List<Frequency>> topValues,
      Instant profiledAt) {
    public Entry {
      requireNonNull(dataset, "dataset is null");
      requireNonNull(batchId, "batchId is null");
      requireNonNull(tableName, "tableName is null");
      requireNonNull(tableVersion, "tableVersion is null");
      requireNonNull(columnName, "columnName is null");
      requireNonNull(columnRole, "columnRole is null");
      requireNonNull(columnType, "columnType is null");
      requireNonNull(min, "min is null");
      requireNonNull(max, "max is null");
      requireNonNull(mean, "mean is null");
      requireNonNull(stddev, "stddev is null");
      quantiles = requireNonNull(quantiles, "quantiles is null").map(List::copyOf);
      topValues = requireNonNull(topValues, "topValues is null").map(List::copyOf);
      requireNonNull(profiledAt, "profiledAt is null");
    }

    public Row toRow() {
      return Rows.builder(SCHEMA)
          .set(DATASET, dataset)
          .set(BATCH_ID, batchId)
          .set(TABLE_NAME, tableName)
          .set(TABLE_VERSION, tableVersion)
          .set(COLUMN_NAME, columnName)
          .set(COLUMN_ROLE, columnRole)
          .set(COLUMN_TYPE, columnType)
          .set(ROW_COUNT, rowCount)
          .set(NULL_COUNT, nullCount)
          .set(DISTINCT_COUNT, distinctCount)
          .set(MIN, min)
          .set(MAX, max)
          .set(MEAN, mean)
          .set(STDDEV, stddev)
          .set(QUANTILES, quantiles.map(q -> q.stream().map(Quantile::toRow).toList()))
          .set(TOP_VALUES, topValues.map(t -> t.stream().map(Frequency::toRow).toList()))
          .set(PROFILED_AT, profiledAt)
          .build();
    }

    public static Entry from(Row row) {
      return new Entry(
          row.getAs(DATASET),
          row.getAs(BATCH_ID),
          row.getAs(TABLE_NAME),
          Rows.optionalLong(row, TABLE_VERSION),
          row.getAs(COLUMN_NAME),
          row.getAs(COLUMN_ROLE),
          row.getAs(COLUMN_TYPE),
          row.<Long>getAs(ROW_COUNT),
          row.<Long>getAs(NULL_COUNT),
          row.<Long>getAs(DISTINCT_COUNT),
          Rows.optionalDouble(row, MIN),
          Rows.optionalDouble(row, MAX),
          Rows.optionalDouble(row, MEAN),
          Rows.optionalDouble(row, STDDEV),
          Rows.<Row>optionalList(row, QUANTILES).map(q -> q.stream().map(Quantile::from).toList()),
          Rows.<Row>optionalList(row, TOP_VALUES)
              .map(t -> t.stream().map(Frequency::from).toList()),
          Rows.instant(row, PROFILED_AT));
    }
  }

  /** An approximate quantile; its value is empty when the column had no value to rank. */
  public record Quantile(double probability, OptionalDouble value) {
    public static final String PROBABILITY = "probability";
    public static final String VALUE = "value";

    public Quantile {
      requireNonNull(value, "value is null");
    }

    public Row toRow() {
      return Rows.builder(QUANTILE_SCHEMA).set(PROBABILITY, probability).set(VALUE, value).build();
    }

    public static Quantile from(Row row) {
      return new Quantile(row.<Double>getAs(PROBABILITY), Rows.optionalDouble(row, VALUE));
    }
  }

  /** A value and the rows that hold it; the empty value counts the nulls. */
  public record Frequency(Optional<String> value, long count) {
    public static final String VALUE = "value";
    public static final String COUNT = "count";

    public Frequency {
      requireNonNull(value, "value is null");
    }

    public Row toRow() {
      return Rows.builder(FREQUENCY_SCHEMA).set(VALUE, value).set(COUNT, count).build();
    }

    public static Frequency from(Row row) {
      return new Frequency(Rows.optional(row, VALUE), row.<Long>getAs(COUNT));
    }
  }
}
