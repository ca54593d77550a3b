#!/usr/bin/env bash
# The spark-4.2 profile end to end, on a runtime provisioned the way the default one is: scripts/test-spark-4.2.sh [--keep]
# 1. SLUICE_SPARK_PROFILE=spark-4.2 scripts/setup.sh: Spark 4.2.0 from Maven Central under .spark-4.2/ (once), the job
#    jar built against Spark 4.2.0 + Delta 4.4.0 at jobs/target/spark-4.2/sluice-jobs.jar (mvn package, no install).
# 2. scripts/run-pipeline.sh on the Adult sample into a temporary lakehouse, one spark-submit on that runtime,
#    training a one-point logistic-regression grid on 2 folds (the class-data archive's and the CI benchmark's setting).
# 3. Checks: the Delta commits of every table were made by Spark 4.2.0 + Delta 4.4.0 (or Kernel 4.4.0); then one query
#    through scripts/sql.sh on the same runtime: version() is 4.2.0, every job's table has rows, job_runs holds every
#    job and none but SUCCEEDED or SKIPPED runs. The report page exists.
# Exit 1 with the failed check (and the log's tail) on any failure. The lakehouse and logs are deleted on success
# unless --keep; on failure they are kept and their folder is printed. SPARK_HOME is ignored: this tests the runtime
# setup provisions.
set -euo pipefail
export SLUICE_SPARK_PROFILE=spark-4.2
. "$(dirname "$0")/common.sh"
cd "$SLUICE_HOME"

spark_version=4.2.0
delta_version=4.4.0
keep=false
while [ $# -gt 0 ]; do
  case "$1" in
    --keep) keep=true; shift ;;
    -h|--help) sed -n '2,12p' "$0"; exit 0 ;;
    *) die "unknown option $1" ;;
  esac
done
unset SPARK_HOME

work="$(mktemp -d "${TMPDIR:-/tmp}/sluice-spark-4.2.XXXXXX")"
lake="$work/lakehouse"
log="$work/pipeline.log"
fail() {
  echo "sluice: spark-4.2 end-to-end FAILED: $*" >&2
  echo "sluice: the lakehouse and logs are kept in $work" >&2
  exit 1
}
show_tail() {
  echo "---- last 150 lines of $1 ----" >&2
  tail -n 150 "$1" >&2 || true
  echo "----" >&2
}
say() { echo "sluice: spark-4.2 end-to-end: $*" >&2; }

# 1. The runtime and the jars.
start=$(date +%s)
if ! scripts/setup.sh > "$work/setup.log" 2>&1; then
  show_tail "$work/setup.log"
  fail "scripts/setup.sh could not provision the Spark $spark_version runtime or build the job jar"
fi
setup_seconds=$(( $(date +%s) - start ))
release="$(cat "$SLUICE_RUNTIME/RELEASE")"
[[ "$release" == "$spark_version "* ]] || fail "the runtime at $SLUICE_RUNTIME is '$release', not Spark $spark_version"
say "runtime $SLUICE_RUNTIME ($release) and $SLUICE_JAR ready in $setup_seconds s"

# 2. The pipeline.
start=$(date +%s)
if ! SLUICE_LAKEHOUSE="$lake" scripts/run-pipeline.sh \
    --set 'sluice.train.estimators=[logistic-regression]' \
    --set 'sluice.train.grids.logistic-regression.regParam=[0.01]' --set sluice.train.folds=2 \
    > "$log" 2>&1; then
  show_tail "$log"
  fail "scripts/run-pipeline.sh failed on Spark $spark_version (the failing step is the last '>>>' line above)"
fi
pipeline_seconds=$(( $(date +%s) - start ))
say "pipeline (ingest, features, train, promote, report, score, monitor, decide) ran in $pipeline_seconds s"

# 3. The checks. Every Delta commit names the engine that made it: Spark's as "Apache-Spark/<v> Delta-Lake/<v>",
# Kernel's as "Kernel-<v>/Sluice". Read before any other session touches the lakehouse.
start=$(date +%s)
engines="$( { find "$lake" -path '*/_delta_log/*.json' -type f -exec grep -ho '"engineInfo":"[^"]*"' {} + || true; } \
  | sed 's/^"engineInfo":"//; s/"$//' | sort | uniq -c)"
[ -n "$engines" ] || fail "no Delta commit under $lake"
echo "$engines" | sed 's/^/  commits by: /' >&2
echo "$engines" | grep -q "Apache-Spark/$spark_version Delta-Lake/$delta_version\$" \
  || fail "no Delta commit by Apache-Spark/$spark_version Delta-Lake/$delta_version"
others="$(echo "$engines" | grep -v -e "Apache-Spark/$spark_version Delta-Lake/$delta_version\$" \
  -e "Kernel-$delta_version/" || true)"
[ -z "$others" ] || fail "Delta commits by another engine than Spark $spark_version + Delta $delta_version: $others"

tables=(adult_raw adult_snapshot data_profiles cv_results model_metrics model_registry promotion_log predictions
  model_baselines feature_importance drift_metrics retrain_decisions job_runs)
query="SELECT version() AS spark_version"
for table in "${tables[@]}"; do
  query+=", (SELECT count(*) FROM sluice.$table) AS $table"
done
query+=", (SELECT count(*) FROM sluice.job_runs WHERE status NOT IN ('SUCCEEDED', 'SKIPPED')) AS runs_not_ok"
query+=", (SELECT concat_ws(' ', sort_array(collect_set(job))) FROM sluice.job_runs) AS jobs"
if ! SLUICE_LAKEHOUSE="$lake" scripts/sql.sh --format csv -e "$query" > "$work/checks.csv" 2> "$work/sql.log"; then
  show_tail "$work/sql.log"
  fail "the check query failed through scripts/sql.sh: $query"
fi
names=() values=()
{ IFS=, read -r -a names && IFS=, read -r -a values; } < "$work/checks.csv" \
  || fail "scripts/sql.sh printed no result row (see $work/checks.csv)"
declare -A got
for i in "${!names[@]}"; do
  got[${names[$i]}]="${values[$i]:-}"
  echo "  ${names[$i]} = ${values[$i]:-}" >&2
done
[[ "${got[spark_version]:-}" == "$spark_version "* ]] \
  || fail "scripts/sql.sh ran on Spark '${got[spark_version]:-}', not $spark_version"
for table in "${tables[@]}"; do
  [[ "${got[$table]:-}" =~ ^[0-9]+$ ]] && [ "${got[$table]}" -gt 0 ] \
    || fail "sluice.$table has no rows (count '${got[$table]:-}')"
done
[ "${got[runs_not_ok]:-}" = 0 ] \
  || fail "${got[runs_not_ok]:-?} job runs neither SUCCEEDED nor SKIPPED: scripts/sql.sh -e \"SELECT job, status, error FROM sluice.job_runs\" with SLUICE_LAKEHOUSE=$lake"
expected_jobs="decide features ingest monitor promote report score train"
[ "${got[jobs]:-}" = "$expected_jobs" ] || fail "job_runs holds runs of '${got[jobs]:-}', expected '$expected_jobs'"
[ -n "$(find "$lake/_models" -name report.html -print -quit 2>/dev/null)" ] || fail "no report.html under $lake/_models"
checks_seconds=$(( $(date +%s) - start ))

say "PASSED on Spark ${got[spark_version]} + Delta $delta_version: setup $setup_seconds s, pipeline $pipeline_seconds s, checks $checks_seconds s"
if [ "$keep" = true ]; then
  say "the lakehouse and logs are in $work"
else
  rm -rf "$work"
fi
