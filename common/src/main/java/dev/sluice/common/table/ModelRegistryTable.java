package dev.sluice.common.table;

import static dev.sluice.common.lakehouse.Fields.optional;
import static dev.sluice.common.lakehouse.Fields.required;
import static org.apache.spark.sql.types.DataTypes.DoubleType;
import static org.apache.spark.sql.types.DataTypes.LongType;
import static org.apache.spark.sql.types.DataTypes.StringType;
import static org.apache.spark.sql.types.DataTypes.TimestampType;
import static org.apache.spark.sql.types.DataTypes.createArrayType;
import static org.apache.spark.sql.types.DataTypes.createMapType;

import dev.sluice.common.lakehouse.TableSpec;
import java.util.List;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * {@code model_registry}: one row per registered model version. Its row record is the registry's
 * {@code dev.sluice.common.registry.ModelVersion}, the value every job resolves a version to; it
 * reads and writes its row with these constants.
 */
public final class ModelRegistryTable {
  private ModelRegistryTable() {}

  public static final String NAME = "model_registry";
  public static final String COMMENT =
      "Registered model versions: one row per version with everything needed to reproduce it.";

  public static final String MODEL_NAME = SharedColumns.MODEL_NAME;
  public static final String VERSION = "version";
  public static final String CREATED_AT = "created_at";
  public static final String RUN_ID = SharedColumns.RUN_ID;
  public static final String ESTIMATOR = SharedColumns.ESTIMATOR;
  public static final String PARAMS = SharedColumns.PARAMS;
  public static final String TASK = "task";
  public static final String SNAPSHOT_TABLE = "snapshot_table";
  public static final String SNAPSHOT_VERSION = "snapshot_version";
  public static final String RAW_TABLE = "raw_table";
  public static final String RAW_VERSION = "raw_version";
  public static final String FEATURE_SPEC_HASH = "feature_spec_hash";
  public static final String SETTINGS_HASH = "settings_hash";
  public static final String SETTINGS_JSON = "settings_json";
  public static final String SEED = "seed";
  public static final String SOURCE_COMMIT = "source_commit";
  public static final String SELECTION_METRIC = "selection_metric";
  public static final String CV_METRIC = "cv_metric";
  public static final String VALIDATION_METRICS = "validation_metrics";
  public static final String TEST_METRICS = "test_metrics";
  public static final String CLASS_LABELS = "class_labels";
  public static final String ARTIFACT_PATH = "artifact_path";
  public static final String STAGE = "stage";
  public static final String TRAINING_KEY = "training_key";

  public static final StructType SCHEMA =
      new StructType(
          new StructField[] {
            SharedColumns.MODEL_NAME_FIELD,
            required(VERSION, LongType, "Model version, increasing from 1 per model name."),
            required(CREATED_AT, TimestampType, "Registration time."),
            SharedColumns.RUN_ID_FIELD,
            SharedColumns.ESTIMATOR_FIELD,
            SharedColumns.PARAMS_FIELD,
            required(TASK, StringType, "binary, multiclass or regression."),
            required(SNAPSHOT_TABLE, StringType, "Training snapshot table."),
            required(SNAPSHOT_VERSION, LongType, "Delta version of the snapshot trained on."),
            required(RAW_TABLE, StringType, "Raw table the snapshot was built from."),
            optional(RAW_VERSION, LongType, "Raw table version the snapshot was built from."),
            required(FEATURE_SPEC_HASH, StringType, "Hash of the feature definition."),
            required(SETTINGS_HASH, StringType, "Hash of the effective settings."),
            required(
                SETTINGS_JSON, StringType, "The effective settings (the sluice section) as JSON."),
            required(SEED, LongType, "Random seed of folds and estimators."),
            optional(SOURCE_COMMIT, StringType, "Source commit of the training code, if known."),
            required(
                SELECTION_METRIC, StringType, "Metric that chose the estimator and parameters."),
            required(CV_METRIC, DoubleType, "Mean cross-validated selection metric."),
            required(
                VALIDATION_METRICS,
                createMapType(StringType, DoubleType, false),
                "Metrics on the validation split."),
            required(
                TEST_METRICS,
                createMapType(StringType, DoubleType, false),
                "Metrics on the test split."),
            required(
                CLASS_LABELS,
                createArrayType(StringType, false),
                "Class names in index order (classification); empty for regression."),
            required(ARTIFACT_PATH, StringType, "Where the fitted PipelineModel is saved."),
            required(STAGE, StringType, "Lifecycle stage at registration: candidate."),
            required(
                TRAINING_KEY,
                StringType,
                "Snapshot, settings and seed: the same key is the same model.")
          });

  public static final TableSpec SPEC =
      new TableSpec(NAME, COMMENT, SCHEMA, List.of(), TableSpec.APPEND_ONLY);
}
