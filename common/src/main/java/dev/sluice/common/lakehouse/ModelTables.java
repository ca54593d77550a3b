package dev.sluice.common.lakehouse;

import dev.sluice.common.table.AliasLogTable;
import dev.sluice.common.table.CvResultsTable;
import dev.sluice.common.table.DriftMetricsTable;
import dev.sluice.common.table.FairnessMetricsTable;
import dev.sluice.common.table.ModelBaselinesTable;
import dev.sluice.common.table.ModelMetricsTable;
import dev.sluice.common.table.ModelRegistryTable;
import dev.sluice.common.table.PerformanceMetricsTable;
import dev.sluice.common.table.PredictionsTable;
import dev.sluice.common.table.PromotionLogTable;
import dev.sluice.common.table.ReproducibilityChecksTable;
import dev.sluice.common.table.RetrainDecisionsTable;
import java.util.List;

/**
 * The experiment-tracking, registry and monitoring tables under their former names, for callers not
 * yet moved to the table classes of {@code dev.sluice.common.table}.
 *
 * @deprecated use each table's class in {@code dev.sluice.common.table}, e.g. {@link
 *     CvResultsTable#SPEC}.
 */
@Deprecated
public final class ModelTables {
  private ModelTables() {}

  public static final TableSpec CV_RESULTS = CvResultsTable.SPEC;
  public static final TableSpec MODEL_METRICS = ModelMetricsTable.SPEC;
  public static final TableSpec MODEL_REGISTRY = ModelRegistryTable.SPEC;
  public static final TableSpec ALIAS_LOG = AliasLogTable.SPEC;
  public static final TableSpec PROMOTION_LOG = PromotionLogTable.SPEC;
  public static final List<String> PREDICTION_STATS_COLUMNS = PredictionsTable.STATS_COLUMNS;
  public static final TableSpec PREDICTIONS = PredictionsTable.SPEC;
  public static final TableSpec REPRODUCIBILITY_CHECKS = ReproducibilityChecksTable.SPEC;
  public static final TableSpec MODEL_BASELINES = ModelBaselinesTable.SPEC;
  public static final String REFERENCE_BASELINE = DriftMetricsTable.REFERENCE_BASELINE;
  public static final String REFERENCE_PREVIOUS_WINDOW =
      DriftMetricsTable.REFERENCE_PREVIOUS_WINDOW;
  public static final TableSpec DRIFT_METRICS = DriftMetricsTable.SPEC;
  public static final TableSpec PERFORMANCE_METRICS = PerformanceMetricsTable.SPEC;
  public static final TableSpec FAIRNESS_METRICS = FairnessMetricsTable.SPEC;
  public static final TableSpec RETRAIN_DECISIONS = RetrainDecisionsTable.SPEC;
}
