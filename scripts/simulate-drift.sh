#!/usr/bin/env bash
# A drift demo on UCI Adult: seeded new batches drawn from data/adult/adult.test, scored and monitored one by one.
#   scripts/simulate-drift.sh [--rows N] [--seed S] [--no-retrain]
# Batch 1 looks like the training data; batches 2 and 3 add one standard deviation (14 years) to age and move the
# share of sex = Male from about 67% to about 87%. The labels of each batch arrive as a labels file after the next
# batch was scored. After each batch: ingest -> score -> (labels of the batch before) -> scripts/loop.sh (monitor ->
# decide, and on RETRAIN features -> train -> reproduce -> report -> promote). Generated files go to work/simulate-drift
# (git-ignored); tables to the lakehouse (a champion is needed: run-pipeline.sh is run first when there is none).
set -euo pipefail
. "$(dirname "$0")/common.sh"
cd "$SLUICE_HOME"

rows=2000
seed=42
retrain=1
while [ $# -gt 0 ]; do
  case "$1" in
    --rows) rows="$2"; shift 2 ;;
    --seed) seed="$2"; shift 2 ;;
    --no-retrain) retrain=0; shift ;;
    -h|--help) sed -n '2,3p' "$0"; exit 0 ;;
    *) die "unknown option $1" ;;
  esac
done
dataset=adult
config=(--config conf/application.conf --config "conf/datasets/$dataset.conf")
work="$SLUICE_HOME/work/simulate-drift"
lakehouse="${SLUICE_LAKEHOUSE:-lakehouse}"
mkdir -p "$work"

scripts/setup.sh
if [ ! -d "$lakehouse/alias_log" ]; then
  echo ">>> no champion yet: running the pipeline first" >&2
  scripts/run-pipeline.sh
fi

# batch NAME SEED AGE_SHIFT FLIP: ROWS seeded rows of adult.test; age + AGE_SHIFT; a Female row becomes Male with
# probability FLIP (0.6 of a 33% share moves 20 points to Male).
batch() {
  awk -v rows="$rows" -v seed="$2" -v shift_age="$3" -v flip="$4" '
    BEGIN { FS = ", "; OFS = ", " }
    /^\|/ || NF < 15 { next }
    { line[n++] = $0 }
    END {
      srand(seed)
      for (i = 0; i < rows; i++) {
        split(line[int(rand() * n)], f, ", ")
        f[1] += shift_age
        if (f[10] == "Female" && rand() < flip) f[10] = "Male"
        out = f[1]
        for (j = 2; j <= 15; j++) out = out OFS f[j]
        print out
      }
    }' data/adult/adult.test >"$work/$1.csv"
}

# The row ids ingest gives a file's lines: <first 12 hex of sha256(batch id/file name)>-<line number>.
labels() {
  local name="$1" batch_id="$2" key
  key="$(printf '%s' "$batch_id/$name.csv" | sha256sum | cut -c1-12)"
  awk -v key="$key" 'BEGIN { FS = ", "; OFS = ", " } { print key "-" NR, $15 }' "$work/$name.csv" >"$work/$name-labels.csv"
}

ingest_batch() {
  scripts/spark-submit ingest "${config[@]}" --files "$work/$1.csv" --source "$1" | tee "$work/$1.ingest.txt" >&2
  awk '/^batch / { print $2 }' "$work/$1.ingest.txt"
}

batch batch-1 $((seed + 1)) 0 0
batch batch-2 $((seed + 2)) 14 0.6
batch batch-3 $((seed + 3)) 14 0.6

previous=""
for name in batch-1 batch-2 batch-3; do
  echo; echo ">>> $name: ingest and score" >&2
  id="$(ingest_batch "$name")"
  scripts/spark-submit score "${config[@]}" --batch-id "$id" >&2
  if [ -n "$previous" ]; then
    echo ">>> labels of $previous arrive" >&2
    scripts/spark-submit ingest "${config[@]}" --kind labels --files "$work/$previous-labels.csv" \
      --source "$previous-labels" >&2
  fi
  labels "$name" "$id"
  previous="$name"
  echo ">>> $name: monitor and decide" >&2
  if [ "$retrain" = 1 ]; then
    rc=0
    scripts/loop.sh --dataset "$dataset" || rc=$?
    case "$rc" in
      0) echo "=== $name: nothing to do" ;;
      10) echo "=== $name: retrained, and the challenger was promoted" ;;
      11) echo "=== $name: retrained, but the challenger was rejected; the champion stays" ;;
      12) die "the retrained version did not reproduce (loop.sh exit 12): sluice.reproducibility_checks says how" ;;
      *) die "loop.sh failed with exit code $rc" ;;
    esac
  else
    scripts/spark-submit monitor "${config[@]}"
    scripts/spark-submit decide "${config[@]}" --mode dry-run
  fi
done
echo
echo "Batches and labels files: $work. Drift per window and reference: sluice.drift_metrics; performance on the"
echo "delayed labels: sluice.performance_metrics; per-group metrics: sluice.fairness_metrics; decisions:"
echo "sluice.retrain_decisions; the gate: sluice.promotion_log."
