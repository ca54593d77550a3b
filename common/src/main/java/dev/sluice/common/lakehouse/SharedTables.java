package dev.sluice.common.lakehouse;

import dev.sluice.common.table.DataProfilesTable;
import dev.sluice.common.table.JobRunsTable;
import dev.sluice.common.table.QuarantineTable;
import dev.sluice.common.table.RawTable;
import org.apache.spark.sql.types.StructField;

/**
 * The tables every data set shares, and the raw tables' lineage columns, under their former names,
 * for callers not yet moved to the table classes of {@code dev.sluice.common.table}.
 *
 * @deprecated use each table's class in {@code dev.sluice.common.table}, e.g. {@link
 *     QuarantineTable#SPEC}, and {@link RawTable#LINEAGE} for the lineage columns.
 */
@Deprecated
public final class SharedTables {
  private SharedTables() {}

  public static final StructField DATASET = QuarantineTable.SCHEMA.apply(QuarantineTable.DATASET);
  public static final StructField BATCH_ID = RawTable.LINEAGE.apply(RawTable.BATCH_ID);
  public static final StructField SOURCE = RawTable.LINEAGE.apply(RawTable.SOURCE);
  public static final StructField SOURCE_FILE = RawTable.LINEAGE.apply(RawTable.SOURCE_FILE);
  public static final StructField LINE_NUMBER = RawTable.LINEAGE.apply(RawTable.LINE_NUMBER);
  public static final StructField INGESTED_AT = RawTable.LINEAGE.apply(RawTable.INGESTED_AT);
  public static final StructField ROW_ID = RawTable.LINEAGE.apply(RawTable.ROW_ID);

  public static final TableSpec QUARANTINE = QuarantineTable.SPEC;
  public static final TableSpec DATA_PROFILES = DataProfilesTable.SPEC;
  public static final TableSpec JOB_RUNS = JobRunsTable.SPEC;
}
