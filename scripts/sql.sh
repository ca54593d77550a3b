#!/usr/bin/env bash
# A SQL shell on the lakehouse, every table registered by name in its database (default sluice):
#   scripts/sql.sh                                   interactive (line editing, history in ~/.sluice_sql_history)
#   scripts/sql.sh -e "SELECT ..." [--format csv|json]
#   scripts/sql.sh -f conf/queries/feature_drift.sql --var model=adult --var feature=age
# Exit code 1 when a statement fails (the script stops there), 2 for bad arguments or settings.
# The lakehouse is $SLUICE_LAKEHOUSE, else the one run-pipeline.sh writes; --config and --set work as for jobs.
set -euo pipefail
. "$(dirname "$0")/common.sh"

export SLUICE_LAKEHOUSE="${SLUICE_LAKEHOUSE:-$SLUICE_HOME/lakehouse}"
config=(--config "$SLUICE_HOME/conf/application.conf")
for arg in "$@"; do
  case "$arg" in
    --config|--config=*) config=() ;;
    -h|--help) sed -n '2,8p' "$0"; exit 0 ;;
  esac
done
# A shell's session is small: it plans queries and collects results.
export SLUICE_DRIVER_MEMORY="${SLUICE_DRIVER_MEMORY:-2g}"
exec "$SLUICE_HOME/scripts/spark-submit" sql ${config[@]+"${config[@]}"} "$@"
