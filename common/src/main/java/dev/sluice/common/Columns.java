package dev.sluice.common;

import dev.sluice.common.table.QuarantineTable;
import dev.sluice.common.table.RawTable;
import java.util.List;
import java.util.Set;

/**
 * Names of the columns Sluice adds or shares across tables. Data-set columns come from the data-set
 * spec; the lineage and quarantine columns are declared by {@link RawTable} and {@link
 * QuarantineTable}.
 */
public final class Columns {
  private Columns() {}

  // Lineage columns every raw and quarantine row carries.
  public static final String ROW_ID = RawTable.ROW_ID;
  public static final String BATCH_ID = RawTable.BATCH_ID;
  public static final String SOURCE = RawTable.SOURCE;
  public static final String SOURCE_FILE = RawTable.SOURCE_FILE;
  public static final String LINE_NUMBER = RawTable.LINE_NUMBER;
  public static final String INGESTED_AT = RawTable.INGESTED_AT;

  // Quarantine.
  public static final String DATASET = QuarantineTable.DATASET;
  public static final String RAW_LINE = QuarantineTable.RAW_LINE;
  public static final String REASONS = QuarantineTable.REASONS;

  // Training snapshot.
  /** The model's target: the class index (classification) or the value (regression). */
  public static final String TARGET = "target";

  /** The normalised class name of a classification row. */
  public static final String TARGET_CLASS = "target_class";

  public static final String SPLIT = "split";

  /** A training row's weight when training weighs rows by class ({@code class-weight}). */
  public static final String CLASS_WEIGHT = "class_weight";

  // Model outputs.
  public static final String FEATURES = "features";
  public static final String PREDICTION = "prediction";
  public static final String PROBABILITY = "probability";
  public static final String RAW_PREDICTION = "rawPrediction";

  /** The lineage columns Sluice adds after the data columns of a raw table, in their order. */
  public static final List<String> LINEAGE = RawTable.LINEAGE_COLUMNS;

  /** Names a data-set column may not take because Sluice adds them to its tables. */
  public static final Set<String> RESERVED =
      Set.of(
          ROW_ID,
          BATCH_ID,
          SOURCE,
          SOURCE_FILE,
          LINE_NUMBER,
          INGESTED_AT,
          DATASET,
          TARGET,
          TARGET_CLASS,
          SPLIT,
          CLASS_WEIGHT,
          FEATURES,
          PREDICTION,
          PROBABILITY,
          RAW_PREDICTION);
}
