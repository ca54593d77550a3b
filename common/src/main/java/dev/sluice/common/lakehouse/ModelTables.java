package dev.sluice.common.lakehouse;

import static dev.sluice.common.lakehouse.Fields.optional;
import static dev.sluice.common.lakehouse.Fields.required;
import static org.apache.spark.sql.types.DataTypes.BooleanType;
import static org.apache.spark.sql.types.DataTypes.DoubleType;
import static org.apache.spark.sql.types.DataTypes.IntegerType;
import static org.apache.spark.sql.types.DataTypes.LongType;
import static org.apache.spark.sql.types.DataTypes.StringType;
import static org.apache.spark.sql.types.DataTypes.TimestampType;
import static org.apache.spark.sql.types.DataTypes.createMapType;
import static org.apache.spark.sql.types.DataTypes.createStructType;

import dev.sluice.common.Tables;
import java.util.List;
import org.apache.spark.sql.types.StructField;

/**
 * The experiment-tracking and registry tables: cross-validation results, metrics, model versions,
 * aliases.
 */
public final class ModelTables {
  private ModelTables() {}

  private static final StructField MODEL_NAME =
      required("model_name", StringType, "Registered model name (the data set's name).");
  private static final StructField MODEL_VERSION =
      required(
          "model_version",
          LongType,
          "Model version the training run registered or would have registered.");
  private static final StructField RUN_ID =
      required("run_id", StringType, "The job_runs row of the run.");
  private static final StructField ESTIMATOR =
      required(
          "estimator",
          StringType,
          "Estimator: logistic-regression, linear-regression, random-forest, gbt.");
  private static final StructField PARAMS =
      required(
          "params",
          createMapType(StringType, StringType, false),
          "The estimator parameters of the grid point.");

  public static final TableSpec CV_RESULTS =
      new TableSpec(
          Tables.CV_RESULTS,
          "Cross-validation: one row per estimator, parameter map and fold, with the fold's validation metric.",
          createStructType(
              new StructField[] {
                RUN_ID,
                MODEL_NAME,
                MODEL_VERSION,
                ESTIMATOR,
                required(
                    "param_index",
                    IntegerType,
                    "Position of the parameter map in the estimator's grid."),
                PARAMS,
                required("fold", IntegerType, "Fold number, 0 to k-1."),
                required("metric", StringType, "Selection metric, as MLlib's evaluators name it."),
                required("value", DoubleType, "The metric on the fold's held-out rows."),
                required("train_rows", LongType, "Rows the model was fitted on."),
                required("validation_rows", LongType, "Rows the metric was computed on."),
                required("fit_seconds", DoubleType, "Wall time of the fit."),
                required("created_at", TimestampType, "When the row was written.")
              }),
          List.of());

  public static final TableSpec MODEL_METRICS =
      new TableSpec(
          Tables.MODEL_METRICS,
          "Metrics of each estimator's chosen model on the validation and test splits, in long form.",
          createStructType(
              new StructField[] {
                RUN_ID,
                MODEL_NAME,
                MODEL_VERSION,
                ESTIMATOR,
                PARAMS,
                required(
                    "registered",
                    BooleanType,
                    "Whether this estimator's model was registered as the version."),
                required("split", StringType, "validation or test."),
                required("metric", StringType, "Metric name as MLlib's evaluators spell it."),
                required("value", DoubleType, "Metric value."),
                required(
                    "fit_seconds", DoubleType, "Wall time of the final fit on the train split."),
                required("created_at", TimestampType, "When the row was written.")
              }),
          List.of());

  public static final TableSpec MODEL_REGISTRY =
      new TableSpec(
          Tables.MODEL_REGISTRY,
          "Registered model versions: one row per version with everything needed to reproduce it.",
          createStructType(
              new StructField[] {
                MODEL_NAME,
                required("version", LongType, "Model version, increasing from 1 per model name."),
                required("created_at", TimestampType, "Registration time."),
                RUN_ID,
                ESTIMATOR,
                PARAMS,
                required("task", StringType, "binary, multiclass or regression."),
                required("snapshot_table", StringType, "Training snapshot table."),
                required("snapshot_version", LongType, "Delta version of the snapshot trained on."),
                required("raw_table", StringType, "Raw table the snapshot was built from."),
                optional("raw_version", LongType, "Raw table version the snapshot was built from."),
                required("feature_spec_hash", StringType, "Hash of the feature definition."),
                required("settings_hash", StringType, "Hash of the effective settings."),
                required(
                    "settings_json",
                    StringType,
                    "The effective settings (the sluice section) as JSON."),
                required("seed", LongType, "Random seed of folds and estimators."),
                optional(
                    "source_commit", StringType, "Source commit of the training code, if known."),
                required(
                    "selection_metric",
                    StringType,
                    "Metric that chose the estimator and parameters."),
                required("cv_metric", DoubleType, "Mean cross-validated selection metric."),
                required(
                    "validation_metrics",
                    createMapType(StringType, DoubleType, false),
                    "Metrics on the validation split."),
                required(
                    "test_metrics",
                    createMapType(StringType, DoubleType, false),
                    "Metrics on the test split."),
                required(
                    "class_labels",
                    org.apache.spark.sql.types.DataTypes.createArrayType(StringType, false),
                    "Class names in index order (classification); empty for regression."),
                required("artifact_path", StringType, "Where the fitted PipelineModel is saved."),
                required("stage", StringType, "Lifecycle stage at registration: candidate."),
                required(
                    "training_key",
                    StringType,
                    "Snapshot, settings and seed: the same key is the same model.")
              }),
          List.of());

  public static final TableSpec ALIAS_LOG =
      new TableSpec(
          Tables.ALIAS_LOG,
          "Every alias change (champion, challenger), appended, never updated: the alias history of each model.",
          createStructType(
              new StructField[] {
                MODEL_NAME,
                required("alias", StringType, "Alias name: champion, challenger."),
                optional(
                    "version",
                    LongType,
                    "Version the alias points to from now on; null when removed."),
                optional("previous_version", LongType, "Version it pointed to before."),
                required("changed_at", TimestampType, "When the alias changed."),
                required("reason", StringType, "Why it changed."),
                RUN_ID
              }),
          List.of());

  private static final org.apache.spark.sql.types.StructType CHECK =
      createStructType(
          new StructField[] {
            optional("name", StringType, "Check name."),
            optional("value", DoubleType, "Measured value."),
            optional("threshold", DoubleType, "Threshold it was compared with."),
            optional("passed", BooleanType, "Whether it passed."),
            optional("detail", StringType, "What was compared.")
          });

  public static final TableSpec PROMOTION_LOG =
      new TableSpec(
          Tables.PROMOTION_LOG,
          "Every promotion decision, promoted or not, with the evidence it was made on.",
          createStructType(
              new StructField[] {
                required("decided_at", TimestampType, "When the decision was made."),
                RUN_ID,
                MODEL_NAME,
                required("challenger_version", LongType, "Version judged."),
                optional(
                    "champion_version",
                    LongType,
                    "Champion it was compared with; null when there was none."),
                required("mode", StringType, "disabled, dry-run or enabled."),
                required("metric", StringType, "Metric of the gate."),
                optional("challenger_metric", DoubleType, "Challenger's metric on the test rows."),
                optional("champion_metric", DoubleType, "Champion's metric on the same rows."),
                optional(
                    "improvement_ci_low",
                    DoubleType,
                    "Lower end of the bootstrap interval of the improvement."),
                optional("improvement_ci_high", DoubleType, "Upper end of that interval."),
                required(
                    "checks",
                    org.apache.spark.sql.types.DataTypes.createArrayType(CHECK, false),
                    "Each guardrail with its value, threshold and verdict."),
                required(
                    "verdict",
                    StringType,
                    "PROMOTED, REJECTED, WOULD_PROMOTE (dry run), DISABLED or ALREADY_CHAMPION."),
                required("reason", StringType, "Why."),
                required("test_rows", LongType, "Test rows the models were compared on."),
                optional("snapshot_table", StringType, "Snapshot whose test split was used."),
                optional("snapshot_version", LongType, "Its version."),
                required(
                    "decision_key",
                    StringType,
                    "Challenger, champion, settings and mode: decided once.")
              }),
          List.of());

  /**
   * The predictions' columns with file statistics: those a scoring's files differ in from other
   * scorings' (its run id, time, input) or that name rows (row and batch id). A scoring's files
   * span the whole range of its predictions, scores and classes, where min/max skip nothing.
   */
  public static final List<String> PREDICTION_STATS_COLUMNS =
      List.of("row_id", "batch_id", "input_table", "input_version", "scoring_run_id", "scored_at");

  public static final TableSpec PREDICTIONS =
      new TableSpec(
          Tables.PREDICTIONS,
          "Batch predictions: each row names the model version and the input table version it came from."
              + " Partitioned by model name and version; scored_at's file statistics keep a day's query cheap.",
          createStructType(
              new StructField[] {
                required("row_id", StringType, "Row id of the scored input row."),
                optional("batch_id", StringType, "Ingest batch of the input row."),
                required(
                    "prediction",
                    DoubleType,
                    "Predicted class index (classification) or value (regression)."),
                optional(
                    "predicted_class", StringType, "Predicted class name; null for regression."),
                optional(
                    "score",
                    DoubleType,
                    "Positive-class probability (binary) or top probability (multiclass)."),
                optional(
                    "probabilities",
                    org.apache.spark.sql.types.DataTypes.createArrayType(DoubleType, false),
                    "Probability of each class in class-index order; null for regression."),
                MODEL_NAME,
                MODEL_VERSION,
                required("input_table", StringType, "Table the input rows were read from."),
                required("input_version", LongType, "Delta version of that table."),
                required("scoring_run_id", StringType, "The job_runs row of the scoring run."),
                required("scored_at", TimestampType, "When the rows were scored.")
              }),
          List.of("model_name", "model_version"),
          TableSpec.fileStatisticsOn(ModelTables.PREDICTION_STATS_COLUMNS));

  public static final TableSpec REPRODUCIBILITY_CHECKS =
      new TableSpec(
          Tables.REPRODUCIBILITY_CHECKS,
          "Retrainings of registered versions from their record, and whether their metrics matched.",
          createStructType(
              new StructField[] {
                required("checked_at", TimestampType, "When the check ran."),
                RUN_ID,
                MODEL_NAME,
                required("version", LongType, "Version reproduced."),
                required("snapshot_table", StringType, "Snapshot retrained on."),
                required("snapshot_version", LongType, "Its version (time travel)."),
                required("status", StringType, "MATCH or MISMATCH."),
                required(
                    "tolerance", DoubleType, "Largest absolute difference counted as a match."),
                required(
                    "max_abs_difference",
                    DoubleType,
                    "Largest absolute difference of any test metric."),
                required(
                    "recorded_metrics",
                    createMapType(StringType, DoubleType, false),
                    "Test metrics in the registry."),
                required(
                    "reproduced_metrics",
                    createMapType(StringType, DoubleType, false),
                    "Test metrics retrained now."),
                required(
                    "differences",
                    org.apache.spark.sql.types.DataTypes.createArrayType(StringType, false),
                    "Metrics outside the tolerance, with both values.")
              }),
          List.of());

  public static final TableSpec MODEL_BASELINES =
      new TableSpec(
          Tables.MODEL_BASELINES,
          "Training baselines of each model version: the binned distribution of every feature and of the"
              + " predictions on the train split, fixed at training time.",
          createStructType(
              new StructField[] {
                MODEL_NAME,
                MODEL_VERSION,
                required(
                    "feature",
                    StringType,
                    "Feature column, or __prediction__ for the model's output."),
                required("kind", StringType, "numeric or categorical."),
                required(
                    "edges",
                    org.apache.spark.sql.types.DataTypes.createArrayType(DoubleType, false),
                    "Numeric bin edges: bin i holds edges[i-1] <= x < edges[i]; then a top bin and a null bin."),
                required(
                    "levels",
                    org.apache.spark.sql.types.DataTypes.createArrayType(StringType, false),
                    "Categorical levels: one bin each, then __other__ and a null bin."),
                required(
                    "counts",
                    org.apache.spark.sql.types.DataTypes.createArrayType(LongType, false),
                    "Rows per bin on the train split."),
                required("rows", LongType, "Rows of the train split."),
                required("created_at", TimestampType, "When the baseline was computed.")
              }),
          List.of());

  /** {@code drift_metrics.reference}: the version's training baseline. */
  public static final String REFERENCE_BASELINE = "baseline";

  /** {@code drift_metrics.reference}: the model version's previous scoring window. */
  public static final String REFERENCE_PREVIOUS_WINDOW = "previous_window";

  private static final StructField WINDOW_ID =
      required("window_id", StringType, "The scoring run whose rows form the window.");
  private static final StructField WINDOW_SCORED_AT =
      required("window_scored_at", TimestampType, "When the window was scored.");
  private static final StructField COMPUTED_AT =
      required("computed_at", TimestampType, "When the row was computed.");

  public static final TableSpec DRIFT_METRICS =
      new TableSpec(
          Tables.DRIFT_METRICS,
          "Drift of every feature and of the predictions per scoring window against the version's training"
              + " baseline and against the previous window, with both histograms, so any value can be"
              + " recomputed from the row alone.",
          createStructType(
              new StructField[] {
                MODEL_NAME,
                MODEL_VERSION,
                WINDOW_ID,
                WINDOW_SCORED_AT,
                required(
                    "reference",
                    StringType,
                    "What the window is compared with: baseline (the training split, fixed at"
                        + " training) or previous_window (the version's window scored before it)."),
                optional(
                    "reference_id", StringType, "The previous window's id; null for the baseline."),
                required("feature", StringType, "Feature column, or __prediction__."),
                required("kind", StringType, "numeric or categorical."),
                required(
                    "method",
                    StringType,
                    "psi for every feature, then the test chosen by kind and sample size: ks,"
                        + " wasserstein, chi_square or jensen_shannon."),
                required(
                    "parameters",
                    createMapType(StringType, StringType, false),
                    "Parameters of the method (empty-bin proportion, degrees of freedom, the"
                        + " statistic behind a p-value, drift_when: which side of the threshold"
                        + " is drift)."),
                required("reference_rows", LongType, "Rows of the reference."),
                required("window_rows", LongType, "Rows of the window."),
                required(
                    "value",
                    DoubleType,
                    "The statistic: PSI, a distance, or a p-value (ks, chi_square)."),
                optional("threshold", DoubleType, "Threshold of the verdict (alpha for p-values)."),
                required(
                    "verdict",
                    StringType,
                    "DRIFT or OK: this method's value against its threshold."),
                required(
                    "feature_drift",
                    BooleanType,
                    "The feature's verdict for this window and reference, the same on each of its"
                        + " rows: PSI and the test agree (sluice.monitor.tests.require-agreement) or"
                        + " PSI alone."),
                required(
                    "bins",
                    org.apache.spark.sql.types.DataTypes.createArrayType(StringType, false),
                    "Bin labels: numeric ranges or categorical levels, then __other__ / top bin and __null__."),
                required(
                    "reference_counts",
                    org.apache.spark.sql.types.DataTypes.createArrayType(LongType, false),
                    "Reference rows per bin."),
                required(
                    "window_counts",
                    org.apache.spark.sql.types.DataTypes.createArrayType(LongType, false),
                    "Window rows per bin."),
                COMPUTED_AT,
                RUN_ID
              }),
          List.of());

  private static final StructField LABELS_VERSION =
      optional(
          "labels_version",
          LongType,
          "Version of the <dataset>_labels table the labels were read at; null when none had"
              + " arrived.");
  private static final StructField LABELLED_ROWS =
      required("labelled_rows", LongType, "Rows of the window whose label has arrived.");

  public static final TableSpec PERFORMANCE_METRICS =
      new TableSpec(
          Tables.PERFORMANCE_METRICS,
          "Model performance per scoring window once its delayed labels arrived, in long form: the"
              + " training metrics on the labelled rows, with the label delay. A window without labels"
              + " has no row; new labels for a window add rows with a larger labelled_rows.",
          createStructType(
              new StructField[] {
                MODEL_NAME,
                MODEL_VERSION,
                WINDOW_ID,
                WINDOW_SCORED_AT,
                LABELS_VERSION,
                required("window_rows", LongType, "Rows scored in the window."),
                LABELLED_ROWS,
                required("metric", StringType, "Metric as training names it (model_metrics)."),
                required("value", DoubleType, "The metric on the window's labelled rows."),
                optional(
                    "test_value",
                    DoubleType,
                    "The same metric on the version's test split at training (model_registry)."),
                required(
                    "label_delay_hours_min",
                    DoubleType,
                    "Shortest label delay: label ingested_at minus scored_at, in hours."),
                required("label_delay_hours_mean", DoubleType, "Mean label delay in hours."),
                required("label_delay_hours_max", DoubleType, "Longest label delay in hours."),
                COMPUTED_AT,
                RUN_ID
              }),
          List.of());

  public static final TableSpec FAIRNESS_METRICS =
      new TableSpec(
          Tables.FAIRNESS_METRICS,
          "Per scoring window, slice column and group: selection rate, TPR, FPR and AUC (binary),"
              + " accuracy (multiclass) or rmse (regression), with the ratio to the reference group."
              + " Label-based metrics appear once labels arrived; each arrival adds rows.",
          createStructType(
              new StructField[] {
                MODEL_NAME,
                MODEL_VERSION,
                WINDOW_ID,
                WINDOW_SCORED_AT,
                LABELS_VERSION,
                required("slice_column", StringType, "The data-set column the groups come from."),
                required(
                    "group_value", StringType, "The group: a value of the column, or __null__."),
                required(
                    "reference_group",
                    StringType,
                    "The group the ratios are taken against: the window's largest group."),
                required("rows", LongType, "Rows of the group in the window."),
                LABELLED_ROWS,
                required(
                    "metric",
                    StringType,
                    "selection_rate, tpr, fpr, areaUnderROC (binary); accuracy (multiclass); rmse"
                        + " (regression)."),
                optional(
                    "value",
                    DoubleType,
                    "The metric in the group; null when undefined (no positives, one class)."),
                optional("reference_value", DoubleType, "The metric in the reference group."),
                optional(
                    "ratio",
                    DoubleType,
                    "value / reference_value (disparity ratio); null when either is null or the"
                        + " reference is 0."),
                COMPUTED_AT,
                RUN_ID
              }),
          List.of());

  public static final TableSpec RETRAIN_DECISIONS =
      new TableSpec(
          Tables.RETRAIN_DECISIONS,
          "Every retraining decision, retrain or not, with each rule's value, threshold and whether it fired.",
          createStructType(
              new StructField[] {
                required("decided_at", TimestampType, "When the decision was made."),
                RUN_ID,
                MODEL_NAME,
                required("champion_version", LongType, "The champion the decision is about."),
                required("mode", StringType, "enabled or dry-run."),
                required(
                    "rules",
                    org.apache.spark.sql.types.DataTypes.createArrayType(CHECK, false),
                    "Each rule: name, value, threshold, fired (in passed), detail."),
                required("decision", StringType, "RETRAIN or NO_RETRAIN."),
                required("reason", StringType, "Why.")
              }),
          List.of());
}
