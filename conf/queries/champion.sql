-- Which version of model ${model} is champion now, and which was at time ${at} (e.g. '2026-11-23 12:00:00', in
-- the session time zone). From alias_log, which records every alias change and is never updated.
-- scripts/sql.sh --var model=adult --var at='2026-11-23 12:00:00' -f conf/queries/champion.sql
WITH changes AS (
  SELECT version, changed_at, reason
  FROM alias_log
  WHERE model_name = '${model}' AND alias = 'champion'
)
SELECT 'now' AS as_of, version, changed_at AS since, reason
FROM (SELECT * FROM changes ORDER BY changed_at DESC LIMIT 1)
UNION ALL
SELECT 'at ${at}', version, changed_at, reason
FROM (SELECT * FROM changes WHERE changed_at <= TIMESTAMP '${at}' ORDER BY changed_at DESC LIMIT 1)
ORDER BY as_of DESC
