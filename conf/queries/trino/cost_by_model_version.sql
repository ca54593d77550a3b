-- The Trino twin of ../cost_by_model_version.sql (Trino has no unix_millis: to_unixtime gives seconds).
-- scripts/trino.sh query --var model=adult -f conf/queries/cost_by_model_version.sql
WITH scoring AS (
  SELECT model_version, scoring_run_id, count(*) AS rows_scored
  FROM predictions
  WHERE model_name = '${model}'
  GROUP BY model_version, scoring_run_id
),
scoring_cost AS (
  SELECT
    s.model_version,
    count(*) AS scoring_runs,
    sum(s.rows_scored) AS rows_scored,
    sum(j.executor_run_time_ms) AS scoring_task_ms,
    sum(CAST(round((to_unixtime(j.ended_at) - to_unixtime(j.started_at)) * 1000) AS bigint)) AS scoring_wall_ms
  FROM scoring s JOIN job_runs j ON j.run_id = s.scoring_run_id
  GROUP BY s.model_version
)
SELECT
  m.version AS model_version,
  m.estimator,
  t.executor_run_time_ms AS training_task_ms,
  t.executor_cpu_time_ms AS training_cpu_ms,
  CAST(round((to_unixtime(t.ended_at) - to_unixtime(t.started_at)) * 1000) AS bigint) AS training_wall_ms,
  coalesce(s.scoring_runs, 0) AS scoring_runs,
  coalesce(s.rows_scored, 0) AS rows_scored,
  coalesce(s.scoring_task_ms, 0) AS scoring_task_ms,
  coalesce(s.scoring_wall_ms, 0) AS scoring_wall_ms,
  t.executor_run_time_ms + coalesce(s.scoring_task_ms, 0) AS total_task_ms
FROM model_registry m
JOIN job_runs t ON t.run_id = m.run_id
LEFT JOIN scoring_cost s ON s.model_version = m.version
WHERE m.model_name = '${model}'
ORDER BY m.version
