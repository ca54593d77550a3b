#!/usr/bin/env bash
# The scheduled loop: monitor -> decide, and on RETRAIN features -> train -> promote -> score.
#   scripts/retrain.sh [--dataset NAME] [--set key=value]...
# Exit codes: 0 nothing to do, 10 retrained and promoted, 11 retrained but the challenger was rejected (the champion
# stays), 1 failure. Every job is idempotent (Delta transactions keyed by its inputs), so re-running after a crash
# in the middle finishes the work without duplicating rows or promoting twice.
set -euo pipefail
. "$(dirname "$0")/common.sh"
cd "$SLUICE_HOME"

dataset=adult
extra=()
while [ $# -gt 0 ]; do
  case "$1" in
    --dataset) dataset="$2"; shift 2 ;;
    --set) extra+=(--set "$2"); shift 2 ;;
    *) die "unknown option $1" ;;
  esac
done
config=(--config conf/application.conf --config "conf/datasets/$dataset.conf" "${extra[@]}")
scripts/setup.sh >/dev/null 2>&1 || scripts/setup.sh

run() { scripts/spark-submit "$@" "${config[@]}" 2>>"${SLUICE_LOG:-/dev/stderr}"; }

run monitor || exit 1
decision="$(run decide)" || exit 1
echo "$decision"
if ! grep -q '^decision  *RETRAIN' <<<"$decision"; then
  exit 0
fi
run features || exit 1
run train || exit 1
verdict="$(run promote)" || exit 1
echo "$verdict"
if grep -q '^verdict  *PROMOTED' <<<"$verdict"; then
  if [ -n "${SLUICE_SCORE_SOURCE:-}" ]; then run score --source "$SLUICE_SCORE_SOURCE" || exit 1; else run score --split test || exit 1; fi
  exit 10
fi
exit 11
