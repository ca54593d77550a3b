package dev.sluice.common.table;

import dev.sluice.common.dataset.DatasetSpec;
import dev.sluice.common.lakehouse.TableSpec;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * A data set's raw table, {@code <dataset>_raw}: the accepted rows of every ingested batch. Its
 * data columns come from the data-set spec; the lineage columns Sluice adds after them are named
 * here.
 */
public final class RawTable {
  private RawTable() {}

  public static final String SUFFIX = "_raw";

  public static final String ROW_ID = SharedColumns.ROW_ID;
  public static final String BATCH_ID = SharedColumns.BATCH_ID;
  public static final String SOURCE = SharedColumns.SOURCE;
  public static final String SOURCE_FILE = SharedColumns.SOURCE_FILE;
  public static final String LINE_NUMBER = SharedColumns.LINE_NUMBER;
  public static final String INGESTED_AT = SharedColumns.INGESTED_AT;

  /** The lineage columns, after the data columns, in their order. */
  public static final StructType LINEAGE =
      new StructType(
          new StructField[] {
            SharedColumns.ROW_ID_FIELD,
            SharedColumns.BATCH_ID_FIELD,
            SharedColumns.SOURCE_FIELD,
            SharedColumns.SOURCE_FILE_FIELD,
            SharedColumns.LINE_NUMBER_FIELD,
            SharedColumns.INGESTED_AT_FIELD
          });

  /** The names of the {@link #LINEAGE} columns, in their order. */
  public static final List<String> LINEAGE_COLUMNS = List.of(LINEAGE.fieldNames());

  /** The raw table of a data set. */
  public static String name(String dataset) {
    return dataset + SUFFIX;
  }

  /** The data set's columns as its spec types them, then the {@link #LINEAGE} columns. */
  public static StructType schema(DatasetSpec dataset) {
    List<StructField> fields = new ArrayList<>(List.of(dataset.dataSchema().fields()));
    fields.addAll(List.of(LINEAGE.fields()));
    return new StructType(fields.toArray(StructField[]::new));
  }

  /**
   * The raw table of a data set: its {@link #schema}, with file statistics on the lineage columns
   * only.
   */
  public static TableSpec spec(DatasetSpec dataset) {
    return new TableSpec(
        name(dataset.name()),
        "Accepted rows of data set '"
            + dataset.name()
            + "': typed columns of its spec plus lineage columns.",
        schema(dataset),
        List.of(),
        TableSpec.fileStatisticsOn(LINEAGE_COLUMNS));
  }
}
