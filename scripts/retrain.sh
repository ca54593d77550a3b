#!/usr/bin/env bash
# Deprecated: use scripts/loop.sh, the scheduled loop, which this runs with the same arguments:
#   scripts/retrain.sh [--dataset NAME|FILE.conf] [--set KEY=VALUE]... [--no-retrain]
# Without --dataset it runs the loop on adult. The exit codes are loop.sh's (scripts/loop.sh --help).
set -euo pipefail
. "$(dirname "$0")/common.sh"

echo "sluice: scripts/retrain.sh is deprecated: schedule scripts/loop.sh --dataset NAME instead" >&2
if [ -n "${SLUICE_SCORE_SOURCE:-}" ]; then
  echo "sluice: SLUICE_SCORE_SOURCE is ignored: the loop scores the batches no version has scored yet" >&2
fi
dataset=(--dataset adult)
for arg in "$@"; do
  [ "$arg" != --dataset ] || dataset=()
done
exec "$SLUICE_HOME/scripts/loop.sh" ${dataset[@]+"${dataset[@]}"} "$@"
