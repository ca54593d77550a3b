package dev.sluice.common.registry;

import static dev.sluice.common.table.ModelRegistryTable.ARTIFACT_PATH;
import static dev.sluice.common.table.ModelRegistryTable.CLASS_LABELS;
import static dev.sluice.common.table.ModelRegistryTable.CREATED_AT;
import static dev.sluice.common.table.ModelRegistryTable.CV_METRIC;
import static dev.sluice.common.table.ModelRegistryTable.ESTIMATOR;
import static dev.sluice.common.table.ModelRegistryTable.FEATURE_SPEC_HASH;
import static dev.sluice.common.table.ModelRegistryTable.MODEL_NAME;
import static dev.sluice.common.table.ModelRegistryTable.PARAMS;
import static dev.sluice.common.table.ModelRegistryTable.RAW_TABLE;
import static dev.sluice.common.table.ModelRegistryTable.RAW_VERSION;
import static dev.sluice.common.table.ModelRegistryTable.RUN_ID;
import static dev.sluice.common.table.ModelRegistryTable.SEED;
import static dev.sluice.common.table.ModelRegistryTable.SELECTION_METRIC;
import static dev.sluice.common.table.ModelRegistryTable.SETTINGS_HASH;
import static dev.sluice.common.table.ModelRegistryTable.SETTINGS_JSON;
import static dev.sluice.common.table.ModelRegistryTable.SNAPSHOT_TABLE;
import static dev.sluice.common.table.ModelRegistryTable.SNAPSHOT_VERSION;
import static dev.sluice.common.table.ModelRegistryTable.SOURCE_COMMIT;
import static dev.sluice.common.table.ModelRegistryTable.STAGE;
import static dev.sluice.common.table.ModelRegistryTable.TASK;
import static dev.sluice.common.table.ModelRegistryTable.TEST_METRICS;
import static dev.sluice.common.table.ModelRegistryTable.TRAINING_KEY;
import static dev.sluice.common.table.ModelRegistryTable.VALIDATION_METRICS;
import static dev.sluice.common.table.ModelRegistryTable.VERSION;
import static java.util.Objects.requireNonNull;

import dev.sluice.common.table.ModelRegistryTable;
import dev.sluice.common.table.Rows;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import org.apache.spark.sql.Row;

/**
 * One registered version of a model: the row record of {@code model_registry} (see {@link
 * ModelRegistryTable} for each column's meaning), with everything needed to use it and to reproduce
 * it. It stays in the registry, whose jobs resolve a version to it; the table's shape is declared
 * once, by {@link ModelRegistryTable}.
 */
public record ModelVersion(
    String model,
    long version,
    Instant createdAt,
    String runId,
    String estimator,
    Map<String, String> params,
    String task,
    String snapshotTable,
    long snapshotVersion,
    String rawTable,
    OptionalLong rawVersion,
    String featureSpecHash,
    String settingsHash,
    String settingsJson,
    long seed,
    Optional<String> sourceCommit,
    String selectionMetric,
    double cvMetric,
    Map<String, Double> validationMetrics,
    Map<String, Double> testMetrics,
    List<String> classLabels,
    String artifactPath,
    String stage,
    String trainingKey) {

  public ModelVersion {
    requireNonNull(model, "model is null");
    requireNonNull(createdAt, "createdAt is null");
    requireNonNull(runId, "runId is null");
    requireNonNull(estimator, "estimator is null");
    params = Rows.ordered(requireNonNull(params, "params is null"));
    requireNonNull(task, "task is null");
    requireNonNull(snapshotTable, "snapshotTable is null");
    requireNonNull(rawTable, "rawTable is null");
    requireNonNull(rawVersion, "rawVersion is null");
    requireNonNull(featureSpecHash, "featureSpecHash is null");
    requireNonNull(settingsHash, "settingsHash is null");
    requireNonNull(settingsJson, "settingsJson is null");
    requireNonNull(sourceCommit, "sourceCommit is null");
    requireNonNull(selectionMetric, "selectionMetric is null");
    validationMetrics =
        Rows.ordered(requireNonNull(validationMetrics, "validationMetrics is null"));
    testMetrics = Rows.ordered(requireNonNull(testMetrics, "testMetrics is null"));
    classLabels = List.copyOf(requireNonNull(classLabels, "classLabels is null"));
    requireNonNull(artifactPath, "artifactPath is null");
    requireNonNull(stage, "stage is null");
    requireNonNull(trainingKey, "trainingKey is null");
  }

  /** A row of {@code model_registry}, its columns read by name. */
  public static ModelVersion from(Row row) {
    return new ModelVersion(
        row.getAs(MODEL_NAME),
        row.<Long>getAs(VERSION),
        Rows.instant(row, CREATED_AT),
        row.getAs(RUN_ID),
        row.getAs(ESTIMATOR),
        Rows.map(row, PARAMS),
        row.getAs(TASK),
        row.getAs(SNAPSHOT_TABLE),
        row.<Long>getAs(SNAPSHOT_VERSION),
        row.getAs(RAW_TABLE),
        Rows.optionalLong(row, RAW_VERSION),
        row.getAs(FEATURE_SPEC_HASH),
        row.getAs(SETTINGS_HASH),
        row.getAs(SETTINGS_JSON),
        row.<Long>getAs(SEED),
        Rows.optional(row, SOURCE_COMMIT),
        row.getAs(SELECTION_METRIC),
        row.<Double>getAs(CV_METRIC),
        Rows.map(row, VALIDATION_METRICS),
        Rows.map(row, TEST_METRICS),
        Rows.list(row, CLASS_LABELS),
        row.getAs(ARTIFACT_PATH),
        row.getAs(STAGE),
        row.getAs(TRAINING_KEY));
  }

  /** The row of {@code model_registry}. */
  public Row toRow() {
    return Rows.builder(ModelRegistryTable.SCHEMA)
        .set(MODEL_NAME, model)
        .set(VERSION, version)
        .set(CREATED_AT, createdAt)
        .set(RUN_ID, runId)
        .set(ESTIMATOR, estimator)
        .set(PARAMS, params)
        .set(TASK, task)
        .set(SNAPSHOT_TABLE, snapshotTable)
        .set(SNAPSHOT_VERSION, snapshotVersion)
        .set(RAW_TABLE, rawTable)
        .set(RAW_VERSION, rawVersion)
        .set(FEATURE_SPEC_HASH, featureSpecHash)
        .set(SETTINGS_HASH, settingsHash)
        .set(SETTINGS_JSON, settingsJson)
        .set(SEED, seed)
        .set(SOURCE_COMMIT, sourceCommit)
        .set(SELECTION_METRIC, selectionMetric)
        .set(CV_METRIC, cvMetric)
        .set(VALIDATION_METRICS, validationMetrics)
        .set(TEST_METRICS, testMetrics)
        .set(CLASS_LABELS, classLabels)
        .set(ARTIFACT_PATH, artifactPath)
        .set(STAGE, stage)
        .set(TRAINING_KEY, trainingKey)
        .build();
  }
}
