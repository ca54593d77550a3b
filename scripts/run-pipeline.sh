#!/usr/bin/env bash
# Sets up (once) and runs the Sluice pipeline on a data set: scripts/run-pipeline.sh [--dataset NAME] [--master URL]
# [--set KEY=VALUE]... [--simulate-drift]. Default: the UCI Adult sample in data/adult, on local[2], into ./lakehouse.
# --set overrides a setting for every job (e.g. --set sluice.train.folds=2); --simulate-drift then runs
# scripts/simulate-drift.sh: drifting batches through the monitoring loop.
set -euo pipefail
. "$(dirname "$0")/common.sh"
cd "$SLUICE_HOME"

dataset=adult
simulate_drift=0
sets=()
while [ $# -gt 0 ]; do
  case "$1" in
    --dataset) dataset="$2"; shift 2 ;;
    --master) export SLUICE_MASTER="$2"; shift 2 ;;
    --set) sets+=(--set "$2"); shift 2 ;;
    --simulate-drift) simulate_drift=1; shift ;;
    -h|--help) sed -n '2,5p' "$0"; exit 0 ;;
    *) die "unknown option $1" ;;
  esac
done
config=(--config conf/application.conf --config "conf/datasets/$dataset.conf" ${sets[@]+"${sets[@]}"})
[ -f "conf/datasets/$dataset.conf" ] || die "no data-set file conf/datasets/$dataset.conf"

scripts/setup.sh

step() { echo; echo ">>> $*" >&2; }
step "ingest $dataset: train"
scripts/spark-submit ingest "${config[@]}" --source train
step "ingest $dataset: test"
scripts/spark-submit ingest "${config[@]}" --source test
step "features $dataset"
scripts/spark-submit features "${config[@]}"
step "train $dataset"
SLUICE_SOURCE_COMMIT="$(git -C "$SLUICE_HOME" rev-parse --short HEAD 2>/dev/null || true)" \
  scripts/spark-submit train "${config[@]}"
step "promote $dataset"
scripts/spark-submit promote "${config[@]}"
step "report $dataset: the newest version"
scripts/spark-submit report "${config[@]}"
step "score $dataset: the test source with the champion"
scripts/spark-submit score "${config[@]}" --source test
step "monitor $dataset: drift of the scored windows against the champion's training baseline"
scripts/spark-submit monitor "${config[@]}"
step "decide $dataset: retrain or not, with the evidence"
scripts/spark-submit decide "${config[@]}"
echo
lake="${SLUICE_LAKEHOUSE:-$(pwd)/lakehouse}"
echo "Tables are under $lake: sluice.${dataset}_raw, sluice.${dataset}_snapshot, sluice.quarantine,"
echo "sluice.data_profiles, sluice.cv_results, sluice.model_metrics, sluice.model_registry, sluice.alias_log,"
echo "sluice.promotion_log, sluice.predictions, sluice.model_baselines, sluice.drift_metrics,"
echo "sluice.retrain_decisions, sluice.job_runs."
echo "Delayed labels, when ingested with --kind labels, go to sluice.${dataset}_labels; monitor then writes"
echo "sluice.performance_metrics and sluice.fairness_metrics."
echo "Models and their report.html are under $lake/_models."
echo "Query any table by name: scripts/sql.sh -e \"SELECT * FROM sluice.model_registry\" (or scripts/sql.sh for a shell);"
echo "conf/queries/ holds the usual questions: scripts/sql.sh -f conf/queries/<file>.sql."
if [ "$simulate_drift" = 1 ]; then
  [ "$dataset" = adult ] || die "--simulate-drift draws its batches from data/adult"
  scripts/simulate-drift.sh
fi
