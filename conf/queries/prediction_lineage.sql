-- The full lineage of the predictions for input row ${row_id} of data set ${model}: each prediction, the model
-- version that made it, the training snapshot version that version was trained on and the raw table version that
-- snapshot was built from, then the raw batch, source file and line the scored row came from.
-- scripts/sql.sh --var model=adult --var row_id=<row id> -f conf/queries/prediction_lineage.sql
SELECT
  p.row_id,
  p.predicted_class,
  p.score,
  p.scored_at,
  p.scoring_run_id,
  p.model_version,
  m.estimator,
  m.run_id AS training_run_id,
  m.snapshot_table,
  m.snapshot_version,
  m.raw_table AS training_raw_table,
  m.raw_version AS training_raw_version,
  p.input_table,
  p.input_version,
  r.batch_id,
  r.source,
  r.source_file,
  r.line_number
FROM predictions p
JOIN model_registry m ON m.model_name = p.model_name AND m.version = p.model_version
JOIN ${model}_raw r ON r.row_id = p.row_id
WHERE p.model_name = '${model}' AND p.row_id = '${row_id}'
ORDER BY p.scored_at, p.model_version
