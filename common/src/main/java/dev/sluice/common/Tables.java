package dev.sluice.common;

/**
 * Names of the tables Sluice writes, each addressed as {@code <database>.<name>} under the
 * lakehouse root.
 */
public final class Tables {
  private Tables() {}

  public static final String RAW_SUFFIX = "_raw";
  public static final String QUARANTINE = "quarantine";
  public static final String DATA_PROFILES = "data_profiles";
  public static final String JOB_RUNS = "job_runs";

  public static final String SNAPSHOT_SUFFIX = "_snapshot";
  public static final String CV_RESULTS = "cv_results";
  public static final String MODEL_METRICS = "model_metrics";
  public static final String MODEL_REGISTRY = "model_registry";
  public static final String ALIAS_LOG = "alias_log";
  public static final String PROMOTION_LOG = "promotion_log";
  public static final String PREDICTIONS = "predictions";
  public static final String REPRODUCIBILITY_CHECKS = "reproducibility_checks";
  public static final String MODEL_BASELINES = "model_baselines";
  public static final String DRIFT_METRICS = "drift_metrics";
  public static final String RETRAIN_DECISIONS = "retrain_decisions";
  public static final String PERFORMANCE_METRICS = "performance_metrics";
  public static final String FAIRNESS_METRICS = "fairness_metrics";
  public static final String LABELS_SUFFIX = "_labels";

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
    return dataset + LABELS_SUFFIX;
  }

  /** The raw table of a data set: accepted rows of every ingested batch. */
  public static String raw(String dataset) {
    return dataset + RAW_SUFFIX;
  }
}
