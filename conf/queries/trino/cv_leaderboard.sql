-- The Trino twin of ../cv_leaderboard.sql (a map becomes JSON through a cast: Trino has no to_json).
-- scripts/trino.sh query --var model=adult -f conf/queries/cv_leaderboard.sql
WITH last_run AS (
  SELECT run_id FROM cv_results WHERE model_name = '${model}' ORDER BY created_at DESC LIMIT 1
),
points AS (
  SELECT
    c.model_version,
    c.estimator,
    c.param_index,
    json_format(CAST(c.params AS JSON)) AS params,
    c.metric,
    avg(c.value) AS mean_value,
    stddev_samp(c.value) AS stddev_value,
    count(*) AS folds,
    sum(c.fit_seconds) AS fit_seconds
  FROM cv_results c JOIN last_run l ON c.run_id = l.run_id
  GROUP BY c.model_version, c.estimator, c.param_index, json_format(CAST(c.params AS JSON)), c.metric
)
SELECT
  rank() OVER (
    ORDER BY CASE WHEN metric IN ('rmse', 'mae') THEN mean_value ELSE -mean_value END
  ) AS rank,
  model_version,
  estimator,
  params,
  metric,
  round(mean_value, 6) AS mean_value,
  round(stddev_value, 6) AS stddev_value,
  folds,
  round(fit_seconds, 1) AS fit_seconds
FROM points
ORDER BY rank, estimator, param_index
