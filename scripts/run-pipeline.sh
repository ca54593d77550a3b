#!/usr/bin/env bash
# Sets up (once) and runs the Sluice pipeline on a data set: scripts/run-pipeline.sh [--dataset NAME | FILE.conf]
# [--master URL] [--set KEY=VALUE]... [--simulate-drift]. Default: the UCI Adult sample in data/adult, on local[2], into
# ./lakehouse. NAME is conf/datasets/NAME.conf; a path to a data-set file works too. Every source the data-set file
# names is ingested (one batch each); the champion then scores the held-out test split (sluice.features.split:
# the rows of a source mapped to test, or a hashed share), which monitor and decide go on from.
# --set overrides a setting for every job (e.g. --set sluice.train.folds=2); --simulate-drift then runs
# scripts/simulate-drift.sh: drifting batches through the monitoring loop (the Adult sample only).
set -euo pipefail
. "$(dirname "$0")/common.sh"
cd "$SLUICE_HOME"

dataset=adult
simulate_drift=0
lake="${SLUICE_LAKEHOUSE:-$(pwd)/lakehouse}"
sets=()
while [ $# -gt 0 ]; do
  case "$1" in
    --dataset) dataset="$2"; shift 2 ;;
    --master) export SLUICE_MASTER="$2"; shift 2 ;;
    --set)
      # The summary names the lakehouse the jobs write to, wherever that is set.
      case "$2" in sluice.lakehouse.root=*) lake="${2#*=}" ;; esac
      sets+=(--set "$2"); shift 2 ;;
    --simulate-drift) simulate_drift=1; shift ;;
    -h|--help) sed -n '2,7p' "$0"; exit 0 ;;
    *) die "unknown option $1" ;;
  esac
done
case "$dataset" in
  *.conf|*/*) dataset_file="$dataset" ;;
  *) dataset_file="conf/datasets/$dataset.conf" ;;
esac
[ -f "$dataset_file" ] || die "no data-set file $dataset_file (write one, or draft it with: scripts/spark-submit infer FILE --label COLUMN --name NAME)"
config=(--config conf/application.conf --config "$dataset_file" ${sets[@]+"${sets[@]}"})

scripts/setup.sh

# The data set's name and sources, read from its file without starting Spark.
info="$(java -cp "$SLUICE_JAR:$(sluice_spark_home)/jars/*" dev.sluice.jobs.pipeline.DatasetSources "${config[@]}")" \
  || die "cannot read the data-set file $dataset_file (the message above says why)"
name="$(awk -F'\t' '$1 == "name" { print $2 }' <<<"$info")"
mapfile -t sources < <(awk -F'\t' '$1 == "source" { print $2 }' <<<"$info")
[ "${#sources[@]}" -gt 0 ] || die "$dataset_file names no source files: list them under sluice.dataset.sources"
# Every job in one JVM and one Spark session (dev.sluice.jobs.pipeline.Pipeline): ingest of each source, features,
# train, promote, report, score of the test split, monitor, decide; a ">>> <step>" line on stderr as each starts.
scripts/spark-submit pipeline "${config[@]}"
# When Trino serves this lakehouse (scripts/trino.sh), it gets the tables this run made.
SLUICE_LAKEHOUSE="$lake" scripts/trino.sh sync --if-running || echo "sluice: Trino's sync failed: scripts/trino.sh sync retries it" >&2
echo
echo "Tables are under $lake: sluice.${name}_raw, sluice.${name}_snapshot, sluice.quarantine,"
echo "sluice.data_profiles, sluice.cv_results, sluice.model_metrics, sluice.model_registry, sluice.alias_log,"
echo "sluice.promotion_log, sluice.predictions, sluice.model_baselines, sluice.feature_importance, sluice.drift_metrics,"
echo "sluice.retrain_decisions, sluice.job_runs."
echo "Delayed labels, when ingested with --kind labels, go to sluice.${name}_labels; monitor then writes"
echo "sluice.performance_metrics and sluice.fairness_metrics."
echo "Models and their report.html are under $lake/_models."
echo "Query any table by name: scripts/sql.sh -e \"SELECT * FROM sluice.model_registry\" (or scripts/sql.sh for a shell);"
echo "conf/queries/ holds the usual questions: scripts/sql.sh -f conf/queries/<file>.sql."
if [ "$simulate_drift" = 1 ]; then
  [ "$dataset_file" = conf/datasets/adult.conf ] || die "--simulate-drift draws its batches from the Adult sample only"
  scripts/simulate-drift.sh
fi
