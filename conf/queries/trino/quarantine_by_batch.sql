-- The Trino twin of ../quarantine_by_batch.sql (UNNEST for LATERAL VIEW explode; a double division, as Spark's /).
-- scripts/trino.sh query --var model=adult -f conf/queries/quarantine_by_batch.sql
WITH accepted AS (
  SELECT batch_id, source, min(ingested_at) AS ingested_at, count(*) AS accepted
  FROM ${model}_raw
  GROUP BY batch_id, source
),
rejected AS (
  SELECT batch_id, source, min(ingested_at) AS ingested_at, count(*) AS quarantined
  FROM quarantine
  WHERE dataset = '${model}' AND source <> 'score'
  GROUP BY batch_id, source
),
batches AS (
  SELECT
    coalesce(a.batch_id, q.batch_id) AS batch_id,
    coalesce(a.source, q.source) AS source,
    coalesce(a.ingested_at, q.ingested_at) AS ingested_at,
    coalesce(a.accepted, 0) AS accepted,
    coalesce(q.quarantined, 0) AS quarantined
  FROM accepted a FULL OUTER JOIN rejected q ON a.batch_id = q.batch_id
),
reasons AS (
  SELECT batch_id, reason, count(*) AS rows
  FROM quarantine CROSS JOIN UNNEST(reasons) AS r(reason)
  WHERE dataset = '${model}' AND source <> 'score'
  GROUP BY batch_id, reason
)
SELECT
  b.batch_id,
  b.source,
  b.ingested_at,
  b.accepted,
  b.quarantined,
  r.reason,
  coalesce(r.rows, 0) AS reason_rows,
  round(CAST(coalesce(r.rows, 0) AS double) / (b.accepted + b.quarantined), 6) AS reason_rate
FROM batches b LEFT JOIN reasons r ON r.batch_id = b.batch_id
ORDER BY b.ingested_at, b.batch_id, r.reason
