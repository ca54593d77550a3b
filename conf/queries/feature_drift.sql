-- Drift over time of feature ${feature} of model ${model}: the PSI of each monitored scoring window against the
-- model version's training baseline, oldest window first, with the verdict and the threshold it was judged by.
-- (Each window is also compared with the window before it: reference = 'previous_window'.)
-- scripts/sql.sh --var model=adult --var feature=age -f conf/queries/feature_drift.sql
SELECT
  window_scored_at,
  window_id,
  model_version,
  window_rows,
  round(value, 6) AS psi,
  threshold,
  verdict
FROM drift_metrics
WHERE model_name = '${model}' AND feature = '${feature}' AND method = 'psi'
  AND reference = 'baseline'
ORDER BY window_scored_at, model_version
