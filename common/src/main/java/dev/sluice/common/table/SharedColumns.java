package dev.sluice.common.table;

import static dev.sluice.common.lakehouse.Fields.optional;
import static dev.sluice.common.lakehouse.Fields.required;
import static org.apache.spark.sql.types.DataTypes.LongType;
import static org.apache.spark.sql.types.DataTypes.StringType;
import static org.apache.spark.sql.types.DataTypes.TimestampType;
import static org.apache.spark.sql.types.DataTypes.createMapType;

import org.apache.spark.sql.types.StructField;

/**
 * Columns several table families share, declared once: the same name, type and comment wherever
 * they appear. Each family's class names them again as its own constants.
 */
final class SharedColumns {
  private SharedColumns() {}

  // Lineage: what every raw and quarantine row carries.
  static final String DATASET = "dataset";
  static final String ROW_ID = "row_id";
  static final String BATCH_ID = "batch_id";
  static final String SOURCE = "source";
  static final String SOURCE_FILE = "source_file";
  static final String LINE_NUMBER = "line_number";
  static final String INGESTED_AT = "ingested_at";

  static final StructField DATASET_FIELD =
      required(DATASET, StringType, "Data set the row belongs to (its data-set file's name).");
  static final StructField BATCH_ID_FIELD =
      required(
          BATCH_ID, StringType, "Ingest batch: a hash of the batch's file names and contents.");
  static final StructField SOURCE_FIELD =
      required(
          SOURCE, StringType, "Named source list the batch was ingested from (e.g. train, test).");
  static final StructField SOURCE_FILE_FIELD =
      required(SOURCE_FILE, StringType, "Full path of the file the row was read from.");
  static final StructField LINE_NUMBER_FIELD =
      required(LINE_NUMBER, LongType, "1-based line number of the row in its source file.");
  static final StructField INGESTED_AT_FIELD =
      required(INGESTED_AT, TimestampType, "When the ingest run that wrote the row started.");
  static final StructField ROW_ID_FIELD =
      required(
          ROW_ID,
          StringType,
          "Stable row identifier: the id column when the data set has one, else <batch prefix>-<line number>.");

  // Models: what the training, scoring and monitoring tables share.
  static final String MODEL_NAME = "model_name";
  static final String MODEL_VERSION = "model_version";
  static final String RUN_ID = "run_id";
  static final String ESTIMATOR = "estimator";
  static final String PARAMS = "params";
  static final String WINDOW_ID = "window_id";
  static final String WINDOW_SCORED_AT = "window_scored_at";
  static final String COMPUTED_AT = "computed_at";
  static final String LABELS_VERSION = "labels_version";
  static final String LABELLED_ROWS = "labelled_rows";

  static final StructField MODEL_NAME_FIELD =
      required(MODEL_NAME, StringType, "Registered model name (the data set's name).");
  static final StructField MODEL_VERSION_FIELD =
      required(
          MODEL_VERSION,
          LongType,
          "Model version the training run registered or would have registered.");
  static final StructField RUN_ID_FIELD =
      required(RUN_ID, StringType, "The job_runs row of the run.");
  static final StructField ESTIMATOR_FIELD =
      required(
          ESTIMATOR,
          StringType,
          "Estimator: logistic-regression, linear-regression, random-forest, gbt.");
  static final StructField PARAMS_FIELD =
      required(
          PARAMS,
          createMapType(StringType, StringType, false),
          "The estimator parameters of the grid point.");
  static final StructField WINDOW_ID_FIELD =
      required(WINDOW_ID, StringType, "The scoring run whose rows form the window.");
  static final StructField WINDOW_SCORED_AT_FIELD =
      required(WINDOW_SCORED_AT, TimestampType, "When the window was scored.");
  static final StructField COMPUTED_AT_FIELD =
      required(COMPUTED_AT, TimestampType, "When the row was computed.");
  static final StructField LABELS_VERSION_FIELD =
      optional(
          LABELS_VERSION,
          LongType,
          "Version of the <dataset>_labels table the labels were read at; null when none had"
              + " arrived.");
  static final StructField LABELLED_ROWS_FIELD =
      required(LABELLED_ROWS, LongType, "Rows of the window whose label has arrived.");
}
