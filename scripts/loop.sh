#!/usr/bin/env bash
# The scheduled production loop of one data set; cron or a systemd timer starts one run (conf/schedule/):
#   scripts/loop.sh --dataset NAME|FILE.conf [--set KEY=VALUE]... [--no-retrain]
# NAME is conf/datasets/NAME.conf; a path to a data-set file works too. --set overrides a setting for every job.
# A run: ingest the new files of <landing>/batches/ (unlabelled, one batch each) -> score the pending batches with the
# champion -> ingest the new files of <landing>/labels/ -> monitor -> decide, and on RETRAIN: features -> train ->
# reproduce (the newest version) -> report -> promote -> score the pending batches again. <landing> is the data-set
# file's sluice.dataset.landing; without one the ingest steps do nothing. --no-retrain decides in dry-run mode and
# never retrains. Every job of a run shares one JVM and one Spark session (the loop job).
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

# fd 3: the jobs' log.
if [ -n "${SLUICE_LOG:-}" ]; then
  exec 3>>"$SLUICE_LOG" || die "cannot append to SLUICE_LOG=$SLUICE_LOG"
else
  exec 3>&2
fi
exec 4>&1
where_logs="${SLUICE_LOG:-stderr}"
took() { echo "$((SECONDS - $1)) s"; }

started=$SECONDS
if ! scripts/setup.sh >&3 2>&3; then
  echo "loop: setup failed after $(took "$started") (its log: $where_logs)" >&2
  exit 1
fi
echo "loop: setup ok ($(took "$started"))" >&2

# Every step runs in one JVM (ProductionLoop, the loop job). Its "loop: " lines go to stderr, the rest of its
# stderr (the jobs' log) to fd 3.
loop_args=("${config[@]}")
[ "$retrain" = 1 ] || loop_args+=(--no-retrain)
rc=0
if [ -n "${SLUICE_LOG:-}" ]; then
  set +e
  scripts/spark-submit loop "${loop_args[@]}" 2>&1 >&4 4>&- \
    | awk '/^(loop: |sluice [a-z-]+( failed)?: )/ { print > "/dev/stderr"; fflush("/dev/stderr") } { print; fflush() }' >&3
  rc=${PIPESTATUS[0]}
  set -e
else
  scripts/spark-submit loop "${loop_args[@]}" || rc=$?
fi
# When Trino serves this lakehouse (scripts/trino.sh), it gets any table the loop made.
case "$rc" in
  0|10|11|12) SLUICE_LAKEHOUSE="$lake" scripts/trino.sh sync --if-running >&3 2>&3 \
    || echo "loop: Trino's sync failed: scripts/trino.sh sync retries it" >&2 ;;
esac
case "$rc" in
  0|10|11|12|2) exit "$rc" ;;
  *)
    echo "loop: failed with exit $rc (the job's log: $where_logs)" >&2
    exit 1 ;;
esac
