package dev.sluice.common.table;

import static dev.sluice.common.lakehouse.Fields.optional;
import static dev.sluice.common.lakehouse.Fields.required;
import static org.apache.spark.sql.types.DataTypes.DoubleType;
import static org.apache.spark.sql.types.DataTypes.LongType;
import static org.apache.spark.sql.types.DataTypes.StringType;
import static org.apache.spark.sql.types.DataTypes.TimestampType;
import static org.apache.spark.sql.types.DataTypes.createArrayType;

import dev.sluice.common.lakehouse.TableSpec;
import java.util.List;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * {@code predictions}: batch predictions with their lineage. Its rows are a projection of a scored
 * data set, computed by Spark and never built one by one, so it has no row record.
 */
public final class PredictionsTable {
  private PredictionsTable() {}

  public static final String NAME = "predictions";
  public static final String COMMENT =
      "Batch predictions: each row names the model version and the input table version it came from."
          + " Partitioned by model name and version; scored_at's file statistics keep a day's query cheap.";

  /** Joins the raw and labels tables' row id. */
  public static final String ROW_ID = SharedColumns.ROW_ID;

  public static final String BATCH_ID = SharedColumns.BATCH_ID;
  public static final String PREDICTION = "prediction";
  public static final String PREDICTED_CLASS = "predicted_class";
  public static final String SCORE = "score";
  public static final String PROBABILITIES = "probabilities";
  public static final String MODEL_NAME = SharedColumns.MODEL_NAME;
  public static final String MODEL_VERSION = SharedColumns.MODEL_VERSION;
  public static final String INPUT_TABLE = "input_table";
  public static final String INPUT_VERSION = "input_version";
  public static final String SCORING_RUN_ID = "scoring_run_id";
  public static final String SCORED_AT = "scored_at";

  public static final StructType SCHEMA =
      new StructType(
          new StructField[] {
            required(ROW_ID, StringType, "Row id of the scored input row."),
            optional(BATCH_ID, StringType, "Ingest batch of the input row."),
            required(
                PREDICTION,
                DoubleType,
                "Predicted class index (classification) or value (regression)."),
            optional(PREDICTED_CLASS, StringType, "Predicted class name; null for regression."),
            optional(
                SCORE,
                DoubleType,
                "Positive-class probability (binary) or top probability (multiclass)."),
            optional(
                PROBABILITIES,
                createArrayType(DoubleType, false),
                "Probability of each class in class-index order; null for regression."),
            SharedColumns.MODEL_NAME_FIELD,
            SharedColumns.MODEL_VERSION_FIELD,
            required(INPUT_TABLE, StringType, "Table the input rows were read from."),
            required(INPUT_VERSION, LongType, "Delta version of that table."),
            required(SCORING_RUN_ID, StringType, "The job_runs row of the scoring run."),
            required(SCORED_AT, TimestampType, "When the rows were scored.")
          });

  public static final List<String> PARTITION_COLUMNS = List.of(MODEL_NAME, MODEL_VERSION);

  /**
   * The columns with file statistics: those a scoring's files differ in from other scorings' (its
   * run id, time, input) or that name rows (row and batch id). A scoring's files span the whole
   * range of its predictions, scores and classes, where min/max skip nothing.
   */
  public static final List<String> STATS_COLUMNS =
      List.of(ROW_ID, BATCH_ID, INPUT_TABLE, INPUT_VERSION, SCORING_RUN_ID, SCORED_AT);

  public static final TableSpec SPEC =
      new TableSpec(
          NAME, COMMENT, SCHEMA, PARTITION_COLUMNS, TableSpec.fileStatisticsOn(STATS_COLUMNS));
}
