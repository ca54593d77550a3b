-- The champion of model ${model} now, with the metrics training recorded for it on the validation and test splits
-- (one row per split and metric). The same text runs on Spark and on Trino.
-- scripts/sql.sh --var model=adult -f conf/queries/champion_metrics.sql
-- scripts/trino.sh query --var model=adult -f conf/queries/champion_metrics.sql
WITH champion AS (
  SELECT version
  FROM alias_log
  WHERE model_name = '${model}' AND alias = 'champion'
  ORDER BY changed_at DESC
  LIMIT 1
)
SELECT r.version, r.estimator, r.created_at AS registered_at, m.split, m.metric, round(m.value, 6) AS value
FROM champion c
JOIN model_registry r ON r.model_name = '${model}' AND r.version = c.version
JOIN model_metrics m ON m.run_id = r.run_id AND m.model_name = r.model_name AND m.registered
ORDER BY m.split, m.metric
