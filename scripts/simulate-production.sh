#!/usr/bin/env bash
# The production replay: a data set's rows replayed as a stream of batches whose labels arrive later, drifting part
# way, each batch through one run of scripts/loop.sh, then checked over SQL (docs/production-replay.md):
#   scripts/simulate-production.sh [--dataset NAME|FILE.conf] [--batches 12] [--batch-rows 1000] [--train-rows 8000]
#       [--drift-at 6] [--label-delay 2] [--seed 7] [--work DIR] [--source-file FILE] [--set KEY=VALUE]...
#       [--shift-column C] [--shift X] [--relabel-column C] [--relabel-rate P] [--relabel-scale S]
# Default: Adult (conf/datasets/adult.conf, rows of data/adult/adult.data) into work/simulate-production/<name>/,
# which is emptied first. scripts/simulate_production.py writes the initial training rows, the batches and their
# labels files from the data set's source file (its `train` source, or its only one; --source-file picks another),
# and a data-set file for the replay: the original's settings with an id column first, the training file as the only
# source, a landing folder and a hashed split. From batch --drift-at on, a numeric feature is shifted and the label
# follows a new rule (see the generator; the --shift and --relabel options are passed to it). Then:
#   scripts/run-pipeline.sh once (champion v1 on the training rows); for each batch i: batch i into
#   <work>/landing/batches/, the labels of batch i - delay into <work>/landing/labels/, scripts/loop.sh once;
#   one more loop with nothing new; then the checks, and the timeline in <work>/timeline.md and timeline.svg.
# Every job gets the replay's settings (a small grid, the decide thresholds), then each --set given here (a later
# --set wins). Exit 0 when every check passed, 1 when one failed or a loop failed, 2 for bad arguments.
set -euo pipefail
. "$(dirname "$0")/common.sh"
cd "$SLUICE_HOME"

usage_error() {
  echo "simulate-production: $*" >&2
  echo "usage: scripts/simulate-production.sh [--dataset NAME|FILE.conf] [--batches N] [--batch-rows N] [--train-rows N] [--drift-at N] [--label-delay N] [--seed N] [--work DIR] [--set KEY=VALUE]... (more: --help)" >&2
  exit 2
}
say() { echo "simulate-production: $*" >&2; }

dataset=adult
batches=12
batch_rows=1000
train_rows=8000
drift_at=6
label_delay=2
seed=7
work=""
source_file=""
user_sets=()
drift_args=()
while [ $# -gt 0 ]; do
  case "$1" in
    -h|--help) sed -n '2,18p' "$0"; exit 0 ;;
    --set)
      if [ $# -lt 2 ] || [[ "$2" != ?*=* ]]; then usage_error "--set needs KEY=VALUE"; fi
      user_sets+=(--set "$2"); shift 2 ;;
    --dataset|--work|--source-file|--batches|--batch-rows|--train-rows|--drift-at|--label-delay|--seed|--shift-column|--shift|--relabel-column|--relabel-rate|--relabel-scale)
      if [ $# -lt 2 ] || [ -z "$2" ]; then usage_error "$1 needs a value"; fi
      case "$1" in
        --dataset) dataset="$2" ;;
        --work) work="$2" ;;
        --source-file) source_file="$2" ;;
        --batches) batches="$2" ;;
        --batch-rows) batch_rows="$2" ;;
        --train-rows) train_rows="$2" ;;
        --drift-at) drift_at="$2" ;;
        --label-delay) label_delay="$2" ;;
        --seed) seed="$2" ;;
        *) drift_args+=("$1" "$2") ;;
      esac
      shift 2 ;;
    *) usage_error "unknown option $1" ;;
  esac
done
for pair in "batches:$batches" "batch-rows:$batch_rows" "train-rows:$train_rows" "drift-at:$drift_at" \
    "label-delay:$label_delay" "seed:$seed"; do
  [[ "${pair#*:}" =~ ^[0-9]+$ ]] || usage_error "--${pair%%:*} needs a whole number, not ${pair#*:}"
done
if [ "$batches" -lt 1 ] || [ "$batch_rows" -lt 1 ] || [ "$train_rows" -lt 1 ] || [ "$drift_at" -lt 1 ]; then
  usage_error "--batches, --batch-rows, --train-rows and --drift-at must be at least 1"
fi
case "$dataset" in
  *.conf|*/*) dataset_file="$dataset" ;;
  *) dataset_file="conf/datasets/$dataset.conf" ;;
esac
[ -f "$dataset_file" ] || usage_error "no data-set file $dataset_file"
command -v python3 >/dev/null || die "python3 is not installed: the replay's generator needs it (standard library only)"

scripts/setup.sh
spark_jars="$(sluice_spark_home)/jars/*"

# The data set as the jobs read it (the user's --set included), without starting Spark.
settings_json="$(mktemp "${TMPDIR:-/tmp}/sluice-replay.XXXXXX")"
trap 'rm -f "$settings_json"' EXIT
java -cp "$SLUICE_JAR:$spark_jars" scripts/SettingsJson.java --config conf/application.conf --config "$dataset_file" \
  ${user_sets[@]+"${user_sets[@]}"} >"$settings_json" || die "cannot read the data-set file $dataset_file (the message above says why)"
# name, task and the training source's first file, one per line.
mapfile -t info < <(python3 - "$settings_json" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))["dataset"]
sources = d.get("sources", {})
files = sources.get("train") or (next(iter(sources.values())) if len(sources) == 1 else [])
print(d["name"]); print(d.get("task", "binary")); print(files[0] if files else "")
PY
)
name="${info[0]}"
task="${info[1]}"
[ -n "$source_file" ] || source_file="${info[2]}"
[ -n "$source_file" ] || die "$dataset_file has no source named train (nor a single source): give --source-file FILE"
[ -f "$source_file" ] || die "the source file $source_file is not a file (a glob or a remote path? give --source-file FILE)"

work="${work:-$SLUICE_HOME/work/simulate-production/$name}"
mkdir -p "$work"
work="$(cd "$work" && pwd)"
marker="$work/.simulate-production"
if [ -n "$(ls -A "$work")" ] && [ ! -f "$marker" ]; then
  die "$work is not empty and not a replay's folder: pick an empty --work folder"
fi
# Each replay starts from nothing: its files, lakehouse and timeline.
find "$work" -mindepth 1 -delete
touch "$marker"
mkdir -p "$work/logs"
lake="$work/lake"
conf="$work/$name.conf"
cp "$settings_json" "$work/settings.json"

say "generating the replay's files from $source_file into $work"
python3 scripts/simulate_production.py generate "$source_file" --settings "$work/settings.json" \
  --dataset-file "$dataset_file" --conf-out "$conf" --out "$work" --train-rows "$train_rows" --batches "$batches" \
  --batch-rows "$batch_rows" --drift-at "$drift_at" --label-delay "$label_delay" --seed "$seed" \
  ${drift_args[@]+"${drift_args[@]}"} || die "the generator failed (the message above says why)"

# The decide thresholds. decide retrains when any rule fires: drift persistence (some feature drifted in k of the last
# n windows) is first possible at batch drift-at + k - 1; new_rows counts labelled rows the champion's snapshot does
# not hold, batch-rows x (i - delay) at batch i. min-new-rows sits half a batch above what batch drift-at + k - 2
# has, so neither rule fires alone before the drift persisted, and the first retrain has both. The snapshot-age and
# cooldown rules are off: the replay's hours are minutes. The performance rule is off: its drop is in the metric's
# own units (0.05 of an RMSE in the thousands is noise), and the timeline shows the metric anyway.
drift_k=2
drift_n=3
before_drift=$((drift_at + drift_k - 2 - label_delay))
[ "$before_drift" -ge 0 ] || before_drift=0
min_new_rows=$((batch_rows * before_drift + (batch_rows + 1) / 2))
case "$task" in
  regression) estimator=linear-regression; metric=rmse; larger=false ;;
  multiclass) estimator=logistic-regression; metric=f1; larger=true ;;
  *) estimator=logistic-regression; metric=areaUnderROC; larger=true ;;
esac
sets=(
  --set "sluice.lakehouse.root=$lake"
  # One linear model, one candidate, 2 folds: a retrain takes seconds, and a linear model trained on the drifted
  # labels beats the champion on them.
  --set "sluice.train.estimators=[$estimator]"
  --set "sluice.train.grids.$estimator.regParam=[0.01]"
  --set "sluice.train.folds=2"
  --set "sluice.decide.cooldown-hours=0"
  --set "sluice.decide.max-snapshot-age-days=0"
  --set "sluice.decide.min-new-rows=$min_new_rows"
  --set "sluice.decide.drift.k=$drift_k"
  --set "sluice.decide.drift.n=$drift_n"
  --set "sluice.decide.performance.max-drop=null"
  ${user_sets[@]+"${user_sets[@]}"}
)
printf '%s\n' "${sets[@]}" | paste -d ' ' - - >"$work/settings.txt"
export SLUICE_LOG="$work/logs/jobs.log"
export SLUICE_LOCK_DIR="$lake/_locks"

runs="$work/runs.tsv"
printf 'step\texit\tstart\tend\tseconds\tdecision\n' >"$runs"
# record STEP EXIT START END OUTPUT: one line of runs.tsv; the decision is the one the run printed.
record() {
  local decision
  decision="$(awk '/^decision / { print $2; exit }' "$5")"
  printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$1" "$2" "$3" "$4" "$(awk -v a="$3" -v b="$4" 'BEGIN { printf "%.0f", b - a }')" \
    "${decision:--}" >>"$runs"
}
now() { date +%s.%N; }

say "step 0: scripts/run-pipeline.sh (champion v1 on $train_rows training rows); job logs in $SLUICE_LOG"
started="$(now)"
rc=0
scripts/run-pipeline.sh --dataset "$conf" "${sets[@]}" >"$work/logs/step-00.out" 2>>"$SLUICE_LOG" || rc=$?
record 0 "$rc" "$started" "$(now)" "$work/logs/step-00.out"
[ "$rc" = 0 ] || die "run-pipeline.sh failed with exit $rc: see $work/logs/step-00.out and $SLUICE_LOG"

width=${#batches}
[ "$width" -ge 2 ] || width=2
# loop STEP: one run of scripts/loop.sh; a failure (not 0, 10 or 11) ends the replay.
loop() {
  local out started rc=0
  out="$work/logs/step-$(printf '%02d' "$1").out"
  started="$(now)"
  scripts/loop.sh --dataset "$conf" "${sets[@]}" >"$out" 2>"${out%.out}.err" || rc=$?
  record "$1" "$rc" "$started" "$(now)" "$out"
  say "$(tail -n 1 "${out%.out}.err")"
  case "$rc" in
    0|10|11) ;;
    12) say "batch $1: the retrained version did not reproduce (exit 12); the checks will say which" ;;
    *) die "loop $1 failed with exit $rc: see ${out%.out}.err and $SLUICE_LOG" ;;
  esac
}
for ((i = 1; i <= batches; i++)); do
  batch="$(printf "%0${width}d" "$i")"
  # Written beside, then moved in: a loop never reads half a file.
  cp "$work/batches/batch-$batch.csv" "$work/landing/batches/.batch-$batch.csv"
  mv "$work/landing/batches/.batch-$batch.csv" "$work/landing/batches/batch-$batch.csv"
  arrived=""
  if [ "$i" -gt "$label_delay" ]; then
    labelled="$(printf "%0${width}d" $((i - label_delay)))"
    cp "$work/labels/labels-$labelled.csv" "$work/landing/labels/.labels-$labelled.csv"
    mv "$work/landing/labels/.labels-$labelled.csv" "$work/landing/labels/labels-$labelled.csv"
    arrived=", labels of batch $((i - label_delay))"
  fi
  say "batch $i of $batches$arrived: scripts/loop.sh"
  loop "$i"
done

# Delta commit files per table: a version the extra loop adds shows here. job_runs logs every job run, and
# retrain_decisions a decision on evidence not seen before (a champion the last batch's loop promoted); no other table
# may move.
versions() {
  local table
  for table in "$lake"/*/_delta_log; do
    table="${table%/_delta_log}"
    printf '%s\t%s\n' "$(basename "$table")" "$(find "$table/_delta_log" -maxdepth 1 -name '*.json' | wc -l)"
  done
}
versions >"$work/versions-before.tsv"
say "one more loop with nothing new"
loop $((batches + 1))
versions >"$work/versions-after.tsv"

# The facts the checks and the timeline read: one JSON line per row, its query named in q.
has() { [ -d "$lake/$1/_delta_log" ]; }
queries=(
  "SELECT 'raw' AS q, batch_id, min(source_file) AS source_file, count(*) AS rows FROM sluice.${name}_raw WHERE source = 'landing' GROUP BY batch_id"
  "SELECT 'scored' AS q, batch_id, count(DISTINCT scoring_run_id) AS runs, min(scoring_run_id) AS scoring_run_id, count(*) AS rows, count(DISTINCT row_id) AS distinct_rows FROM sluice.predictions WHERE model_name = '$name' AND batch_id IN (SELECT batch_id FROM sluice.${name}_raw WHERE source = 'landing') GROUP BY batch_id"
  "SELECT 'windows' AS q, scoring_run_id, model_version, min(scored_at) AS scored_at FROM sluice.predictions WHERE model_name = '$name' GROUP BY scoring_run_id, model_version"
  "SELECT 'alias' AS q, version, previous_version, changed_at, run_id FROM sluice.alias_log WHERE model_name = '$name' AND alias = 'champion'"
  "SELECT 'promotion' AS q, challenger_version, champion_version, verdict, run_id, decided_at, metric, challenger_metric, champion_metric, improvement_ci_low, reason FROM sluice.promotion_log WHERE model_name = '$name'"
  "SELECT 'decisions' AS q, decided_at, champion_version, mode, decision, reason, rules FROM sluice.retrain_decisions WHERE model_name = '$name'"
  "SELECT 'features' AS q, run_id, status, started_at, details['late_labelled_rows'] AS late_labelled_rows FROM sluice.job_runs WHERE job = 'features' AND dataset = '$name'"
  "SELECT DISTINCT 'drift' AS q, window_id, feature FROM sluice.drift_metrics WHERE model_name = '$name' AND reference = 'baseline' AND feature_drift AND feature <> '__prediction__'"
)
has "${name}_labels" && queries+=("SELECT 'labels' AS q, batch_id, count(*) AS rows FROM sluice.${name}_labels GROUP BY batch_id")
has reproducibility_checks && queries+=("SELECT 'reproduce' AS q, version, status, max_abs_difference, differences FROM sluice.reproducibility_checks WHERE model_name = '$name'")
has performance_metrics && queries+=("SELECT 'performance' AS q, window_id, model_version, metric, value, labelled_rows FROM sluice.performance_metrics WHERE model_name = '$name'")
sql="$(printf '%s;\n' "${queries[@]}")"
say "reading the tables for the checks"
scripts/sql.sh -e "$sql" --format json --set "sluice.lakehouse.root=$lake" >"$work/facts.jsonl" 2>>"$SLUICE_LOG" \
  || die "the checks' query failed: see $SLUICE_LOG"
# The extra loop's table versions join the facts.
python3 - "$work/versions-before.tsv" "$work/versions-after.tsv" >>"$work/facts.jsonl" <<'PY'
import json, sys
for q, path in (("versions_before", sys.argv[1]), ("versions_after", sys.argv[2])):
    for line in open(path):
        table, commits = line.rstrip("\n").split("\t")
        if table not in ("job_runs", "retrain_decisions"):
            print(json.dumps({"q": q, "table": table, "commits": int(commits)}))
PY

echo
python3 scripts/simulate_production.py report --work "$work" --facts "$work/facts.jsonl" --runs "$runs" \
  --metric "$metric" --larger-is-better "$larger" --drift-k "$drift_k" --min-new-rows "$min_new_rows"
