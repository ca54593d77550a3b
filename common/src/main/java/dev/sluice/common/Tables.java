package dev.sluice.common;

import dev.sluice.common.table.AliasLogTable;
import dev.sluice.common.table.CvResultsTable;
import dev.sluice.common.table.DataProfilesTable;
import dev.sluice.common.table.DriftMetricsTable;
import dev.sluice.common.table.FairnessMetricsTable;
import dev.sluice.common.table.FeatureImportanceTable;
import dev.sluice.common.table.JobRunsTable;
import dev.sluice.common.table.LabelsTable;
import dev.sluice.common.table.ModelBaselinesTable;
import dev.sluice.common.table.ModelMetricsTable;
import dev.sluice.common.table.ModelRegistryTable;
import dev.sluice.common.table.PerformanceMetricsTable;
import dev.sluice.common.table.PredictionsTable;
import dev.sluice.common.table.PromotionLogTable;
import dev.sluice.common.table.QuarantineTable;
import dev.sluice.common.table.RawTable;
import dev.sluice.common.table.ReproducibilityChecksTable;
import dev.sluice.common.table.RetrainDecisionsTable;

/**
 * Names of the tables Sluice writes, each addressed as {@code <database>.<name>} under the
 * lakehouse root. A table Sluice owns is declared by its class in {@code dev.sluice.common.table}
 * ({@code NAME}); these constants name the same tables.
 */
public final class Tables {
  private Tables() {}

  public static final String RAW_SUFFIX = RawTable.SUFFIX;
  public static final String QUARANTINE = QuarantineTable.NAME;
  public static final String DATA_PROFILES = DataProfilesTable.NAME;
  public static final String JOB_RUNS = JobRunsTable.NAME;

  public static final String SNAPSHOT_SUFFIX = "_snapshot";
  public static final String CV_RESULTS = CvResultsTable.NAME;
  public static final String MODEL_METRICS = ModelMetricsTable.NAME;
  public static final String MODEL_REGISTRY = ModelRegistryTable.NAME;
  public static final String ALIAS_LOG = AliasLogTable.NAME;
  public static final String PROMOTION_LOG = PromotionLogTable.NAME;
  public static final String PREDICTIONS = PredictionsTable.NAME;
  public static final String REPRODUCIBILITY_CHECKS = ReproducibilityChecksTable.NAME;
  public static final String MODEL_BASELINES = ModelBaselinesTable.NAME;
  public static final String FEATURE_IMPORTANCE = FeatureImportanceTable.NAME;
  public static final String DRIFT_METRICS = DriftMetricsTable.NAME;
  public static final String RETRAIN_DECISIONS = RetrainDecisionsTable.NAME;
  public static final String PERFORMANCE_METRICS = PerformanceMetricsTable.NAME;
  public static final String FAIRNESS_METRICS = FairnessMetricsTable.NAME;
  public static final String LABELS_SUFFIX = LabelsTable.SUFFIX;

  /** Folder under the lakehouse root holding model artifacts. */
  public static final String MODELS_FOLDER = "_models";

  /**
   * The training snapshot of a data set: typed rows with target and split, one Delta version per
   * build.
   */
  public static String snapshot(String dataset) {
    return dataset + SNAPSHOT_SUFFIX;
  }

  /** The delayed labels of a data set: accepted rows of its labels files, keyed by row id. */
  public static String labels(String dataset) {
    return LabelsTable.name(dataset);
  }

  /** The raw table of a data set: accepted rows of every ingested batch. */
  public static String raw(String dataset) {
    return RawTable.name(dataset);
  }
}
