package dev.sluice.common;

import java.util.List;
import java.util.Set;

/**
 * Names of the columns Sluice adds or shares across tables. Data-set columns come from the data-set
 * spec.
 */
public final class Columns {
  private Columns() {}

  // Lineage columns every raw and quarantine row carries.
  public static final String ROW_ID = "row_id";
  public static final String BATCH_ID = "batch_id";
  public static final String SOURCE = "source";
  public static final String SOURCE_FILE = "source_file";
  public static final String LINE_NUMBER = "line_number";
  public static final String INGESTED_AT = "ingested_at";

  // Quarantine.
  public static final String DATASET = "dataset";
  public static final String RAW_LINE = "raw_line";
  public static final String REASONS = "reasons";

  // Training snapshot.
  /** The model's target: the class index (classification) or the value (regression). */
  public static final String TARGET = "target";

  /** The normalised class name of a classification row. */
  public static final String TARGET_CLASS = "target_class";

  public static final String SPLIT = "split";

  // Model outputs.
  public static final String FEATURES = "features";
  public static final String PREDICTION = "prediction";
  public static final String PROBABILITY = "probability";
  public static final String RAW_PREDICTION = "rawPrediction";

  /** The lineage columns Sluice adds after the data columns of a raw table, in their order. */
  public static final List<String> LINEAGE =
      List.of(ROW_ID, BATCH_ID, SOURCE, SOURCE_FILE, LINE_NUMBER, INGESTED_AT);

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
          FEATURES,
          PREDICTION,
          PROBABILITY,
          RAW_PREDICTION);
}
