package dev.sluice.common.registry;

import static java.util.Objects.requireNonNull;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;

/**
 * One registered version of a model: a row of {@code model_registry} (see {@code
 * ModelTables.MODEL_REGISTRY} for each column's meaning), with everything needed to use it and to
 * reproduce it.
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
    params = ordered(requireNonNull(params, "params is null"));
    requireNonNull(task, "task is null");
    requireNonNull(snapshotTable, "snapshotTable is null");
    requireNonNull(rawTable, "rawTable is null");
    requireNonNull(rawVersion, "rawVersion is null");
    requireNonNull(featureSpecHash, "featureSpecHash is null");
    requireNonNull(settingsHash, "settingsHash is null");
    requireNonNull(settingsJson, "settingsJson is null");
    requireNonNull(sourceCommit, "sourceCommit is null");
    requireNonNull(selectionMetric, "selectionMetric is null");
    validationMetrics = ordered(requireNonNull(validationMetrics, "validationMetrics is null"));
    testMetrics = ordered(requireNonNull(testMetrics, "testMetrics is null"));
    classLabels = List.copyOf(requireNonNull(classLabels, "classLabels is null"));
    requireNonNull(artifactPath, "artifactPath is null");
    requireNonNull(stage, "stage is null");
    requireNonNull(trainingKey, "trainingKey is null");
  }

  /** A row of {@code model_registry}. */
  public static ModelVersion from(Row row) {
    return new ModelVersion(
        row.getAs("model_name"),
        row.<Long>getAs("version"),
        row.<Timestamp>getAs("created_at").toInstant(),
        row.getAs("run_id"),
        row.getAs("estimator"),
        row.getJavaMap(row.fieldIndex("params")),
        row.getAs("task"),
        row.getAs("snapshot_table"),
        row.<Long>getAs("snapshot_version"),
        row.getAs("raw_table"),
        row.isNullAt(row.fieldIndex("raw_version"))
            ? OptionalLong.empty()
            : OptionalLong.of(row.<Long>getAs("raw_version")),
        row.getAs("feature_spec_hash"),
        row.getAs("settings_hash"),
        row.getAs("settings_json"),
        row.<Long>getAs("seed"),
        Optional.ofNullable(row.getAs("source_commit")),
        row.getAs("selection_metric"),
        row.<Double>getAs("cv_metric"),
        row.getJavaMap(row.fieldIndex("validation_metrics")),
        row.getJavaMap(row.fieldIndex("test_metrics")),
        row.getList(row.fieldIndex("class_labels")),
        row.getAs("artifact_path"),
        row.getAs("stage"),
        row.getAs("training_key"));
  }

  /** The row, in the column order of {@code model_registry}. */
  public Row toRow() {
    return RowFactory.create(
        model,
        version,
        Timestamp.from(createdAt),
        runId,
        estimator,
        params,
        task,
        snapshotTable,
        snapshotVersion,
        rawTable,
        rawVersion.isPresent() ? rawVersion.getAsLong() : null,
        featureSpecHash,
        settingsHash,
        settingsJson,
        seed,
        sourceCommit.orElse(null),
        selectionMetric,
        cvMetric,
        validationMetrics,
        testMetrics,
        classLabels.toArray(String[]::new),
        artifactPath,
        stage,
        trainingKey);
  }

  /** An unmodifiable copy that keeps the order the map was built or read in. */
  private static <V> Map<String, V> ordered(Map<String, V> map) {
    return Collections.unmodifiableMap(new LinkedHashMap<>(map));
  }
}
