#!/usr/bin/env bash
# The scheduled production loop of one data set; cron or a systemd timer starts one run (conf/schedule/):
#   scripts/loop.sh --dataset NAME|FILE.conf [--set KEY=VALUE]... [--no-retrain]
# NAME is conf/datasets/NAME.conf; a path to a data-set file works too. --set overrides a setting for every job.
# A run: ingest the new files of <landing>/batches/ (unlabelled, one batch each) -> score the pending batches with the
# champion -> ingest the new files of <landing>/labels/ -> monitor -> decide, and on RETRAIN: features -> train ->
# reproduce (the newest version) -> report -> promote -> score the pending batches again. <landing> is the data-set
# file's sluice.dataset.landing; without one the ingest steps do nothing. --no-retrain decides in dry-run mode and
# never retrains.
# Exit codes: 0 nothing retrained (new batches were still ingested, scored and monitored); 10 retrained and promoted;
# 11 retrained but the challenger was rejected (the champion stays); 12 the retrained version did not reproduce
# (nothing promoted); 75 another loop of the data set holds the lock (nothing ran); 2 bad arguments; 1 any other
# failure.
# One loop per data set at a time: the run holds flock on ${SLUICE_LOCK_DIR:-<lakehouse root>/_locks}/loop-<name>.lock
# (<name> is NAME, or FILE's base name without .conf), taken before any JVM starts. The kernel releases it when the
# run and every job it started have ended, kill -9 included. For a lakehouse on hdfs:// or s3a:// the lock is in
# SLUICE_LOCK_DIR, else in work/locks (which guards this machine only).
# Every step is idempotent (each job is), so the next run after a crash or a failed step finishes the work.
# Job output goes to stdout; job logs to SLUICE_LOG when set (appended), else to stderr; one "loop: <step>" line per
# step with its seconds to stderr, and "loop: done in N s, exit C (meaning)" last.
set -euo pipefail
. "$(dirname "$0")/common.sh"
cd "$SLUICE_HOME"

usage_error() {
  echo "loop: $*" >&2
  echo "usage: scripts/loop.sh --dataset NAME|FILE.conf [--set KEY=VALUE]... [--no-retrain] (more: --help)" >&2
  exit 2
}

dataset=""
retrain=1
lake="${SLUICE_LAKEHOUSE:-lakehouse}"
sets=()
while [ $# -gt 0 ]; do
  case "$1" in
    --dataset)
      if [ $# -lt 2 ] || [ -z "$2" ]; then usage_error "--dataset needs a data-set name or file"; fi
      dataset="$2"; shift 2 ;;
    --set)
      if [ $# -lt 2 ] || [[ "$2" != ?*=* ]]; then usage_error "--set needs KEY=VALUE"; fi
      # The lock lives beside the lakehouse the jobs write to, wherever that is set.
      case "$2" in sluice.lakehouse.root=*) lake="${2#*=}" ;; esac
      sets+=(--set "$2"); shift 2 ;;
    --no-retrain) retrain=0; shift ;;
    -h|--help) sed -n '2,20p' "$0"; exit 0 ;;
    *) usage_error "unknown option $1" ;;
  esac
done
[ -n "$dataset" ] || usage_error "--dataset is required"
case "$dataset" in
  *.conf|*/*) dataset_file="$dataset"; name="$(basename "$dataset" .conf)" ;;
  *) dataset_file="conf/datasets/$dataset.conf"; name="$dataset" ;;
esac
[ -f "$dataset_file" ] || usage_error "no data-set file $dataset_file"
config=(--config conf/application.conf --config "$dataset_file" ${sets[@]+"${sets[@]}"})

loop_started=$SECONDS
errors=""
locked=0
# shellcheck disable=SC2317  # run by the EXIT trap
meaning() {
  case "$1" in
    0) echo "nothing retrained" ;;
    10) echo "retrained and promoted" ;;
    11) echo "retrained, the challenger was rejected: the champion stays" ;;
    12) echo "the retrained version did not reproduce: nothing promoted" ;;
    75) echo "another loop holds the lock" ;;
    2) echo "bad arguments" ;;
    *) echo "failure" ;;
  esac
}
# shellcheck disable=SC2317  # the EXIT trap
finish() {
  local rc=$?
  [ -z "$errors" ] || rm -f "$errors"
  # Still holding the lock: its holder line goes, so a line in the file always names a live holder.
  [ "$locked" = 0 ] || : >"$lock_file"
  echo "loop: done in $((SECONDS - loop_started)) s, exit $rc ($(meaning "$rc"))" >&2
}
trap finish EXIT

# The lock, before setup or any JVM: an overlapping run ends here in milliseconds.
command -v flock >/dev/null || die "flock is not installed (it comes with util-linux)"
case "$lake" in
  file://*) lake="${lake#file://}" ;;
  file:*) lake="${lake#file:}" ;;
esac
if [ -n "${SLUICE_LOCK_DIR:-}" ]; then
  lock_dir="$SLUICE_LOCK_DIR"
elif [[ "$lake" =~ ^[A-Za-z][A-Za-z0-9+.-]*:// ]]; then
  # No flock on a remote file system: the lock guards this machine, the one edge node that runs the loop.
  lock_dir="$SLUICE_HOME/work/locks"
else
  lock_dir="$lake/_locks"
fi
[[ "$lock_dir" == /* ]] || lock_dir="$PWD/$lock_dir"
lock_file="$lock_dir/loop-$name.lock"
mkdir -p "$lock_dir" || die "cannot create the lock folder $lock_dir (set SLUICE_LOCK_DIR to a writable folder)"
# Opened without truncating: the holder's line stays readable. The file is never deleted, as a run that opened the
# old file could then lock it while another locks a new one.
exec 9<>"$lock_file" || die "cannot open the lock file $lock_file (set SLUICE_LOCK_DIR to a writable folder)"
if ! flock -n 9; then
  holder="$(head -n 1 "$lock_file" 2>/dev/null || true)"
  if [[ "$holder" =~ ^pid\ ([0-9]+)\ on\ ([^,]*), ]] && [ "${BASH_REMATCH[2]}" = "${HOSTNAME:-?}" ] \
      && [ ! -e "/proc/${BASH_REMATCH[1]}" ]; then
    holder="$holder; that loop was killed, and a job it started still runs"
  fi
  echo "loop: another loop of $name holds the lock $lock_file (${holder:-its holder unknown}); nothing ran" >&2
  exit 75
fi
locked=1
printf 'pid %s on %s, started %s\n' "$$" "${HOSTNAME:-?}" "$(date -u +%Y-%m-%dT%H:%M:%SZ)" >"$lock_file"

# fd 3: job logs; fd 4: this run's stdout, for the jobs whose stderr is read on the way.
if [ -n "${SLUICE_LOG:-}" ]; then
  exec 3>>"$SLUICE_LOG" || die "cannot append to SLUICE_LOG=$SLUICE_LOG"
else
  exec 3>&2
fi
exec 4>&1
errors="$(mktemp "${TMPDIR:-/tmp}/sluice-loop.XXXXXX")"
where_logs="${SLUICE_LOG:-stderr}"

took() { echo "$((SECONDS - $1)) s"; }
# failed STEP RC STARTED: says which step failed, and how, and ends the run with exit 1.
failed() {
  echo "loop: $1 failed with exit $2 after $(took "$3") (the job's log: $where_logs)" >&2
  exit 1
}
# job NAME ARGS...: one job on the data set, its output to stdout and its log to fd 3.
job() {
  local job_name="$1"
  shift
  scripts/spark-submit "$job_name" "${config[@]}" "$@" 2>&3
}
# step LABEL JOB ARGS...: one job whose output needs no reading.
step() {
  local label="$1" started=$SECONDS rc=0
  shift
  job "$@" || rc=$?
  [ "$rc" = 0 ] || failed "$label" "$rc" "$started"
  echo "loop: $label ok ($(took "$started"))" >&2
}

no_champion=0
# The batches no version has scored yet, with the champion; none yet is no failure: it scores once one is promoted.
score_pending() {
  local label="$1" started=$SECONDS rc=0
  # stdout as usual, stderr to the log and to a file that is read for the reason of a failure.
  scripts/spark-submit score "${config[@]}" --pending 2>&1 >&4 | tee "$errors" >&3 || rc=$?
  if [ "$rc" != 0 ] && grep -qi 'no champion' "$errors"; then
    no_champion=1
    echo "loop: $label skipped: no champion yet, nothing scores the batches ($(took "$started"))" >&2
    return
  fi
  [ "$rc" = 0 ] || failed "$label" "$rc" "$started"
  echo "loop: $label ok ($(took "$started"))" >&2
}

started=$SECONDS
scripts/setup.sh >&3 2>&3 || failed setup $? "$started"
echo "loop: setup ok ($(took "$started"))" >&2

step "ingest batches" ingest --kind unlabelled --from-landing
score_pending "score pending"
step "ingest labels" ingest --kind labels --from-landing
started=$SECONDS
rc=0
job monitor || rc=$?
if [ "$rc" != 0 ] && [ "$no_champion" = 1 ]; then
  echo "loop: monitor needs a champion: train and promote a first version (scripts/run-pipeline.sh)" >&2
fi
[ "$rc" = 0 ] || failed monitor "$rc" "$started"
echo "loop: monitor ok ($(took "$started"))" >&2

started=$SECONDS
decide_args=()
[ "$retrain" = 1 ] || decide_args=(--set sluice.decide.mode=dry-run)
decision="$(job decide ${decide_args[@]+"${decide_args[@]}"})" || failed decide $? "$started"
printf '%s\n' "$decision"
verdict="$(awk '/^decision / { print $2; exit }' <<<"$decision")"
[ "$retrain" = 1 ] || verdict="$verdict, dry run"
echo "loop: decide $verdict ($(took "$started"))" >&2
if ! grep -q '^decision  *RETRAIN' <<<"$decision"; then
  exit 0
fi
if [ "$retrain" = 0 ]; then
  echo "loop: retrain skipped (--no-retrain)" >&2
  exit 0
fi

step features features
step train train
started=$SECONDS
rc=0
job reproduce || rc=$?
if [ "$rc" = 4 ]; then
  echo "loop: reproduce: the newest version's metrics differ from its record; nothing promoted ($(took "$started"))" >&2
  exit 12
fi
[ "$rc" = 0 ] || failed reproduce "$rc" "$started"
echo "loop: reproduce ok ($(took "$started"))" >&2
step report report

started=$SECONDS
outcome="$(job promote)" || failed promote $? "$started"
printf '%s\n' "$outcome"
echo "loop: promote $(awk '/^verdict / { print $2; exit }' <<<"$outcome") ($(took "$started"))" >&2
score_pending "score pending after promote"
if grep -q '^verdict  *PROMOTED' <<<"$outcome"; then
  exit 10
fi
exit 11
