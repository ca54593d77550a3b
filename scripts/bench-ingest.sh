#!/usr/bin/env bash
# Measures ingest throughput against a bare spark.read().csv(...).write().format("delta") of the same file, in the
# same run: on adult.data and on a generated Adult-like file (default 1,000,000 rows).
#   scripts/bench-ingest.sh [rows]
set -euo pipefail
. "$(dirname "$0")/common.sh"
cd "$SLUICE_HOME"
rows="${1:-1000000}"
scripts/setup.sh
work="$SLUICE_HOME/work/bench"
mkdir -p "$work"
generated="$work/adult-like-$rows.csv"
if [ ! -f "$generated" ]; then
  echo "sluice: generating $rows Adult-like rows into $generated" >&2
  java -cp "$SLUICE_JAR:$SLUICE_HOME/.spark/jars/*" dev.sluice.jobs.bench.GenerateAdultLike \
    data/adult/adult.data "$generated" "$rows" 42
fi
spark_home="$(sluice_spark_home)"

report=()
for input in data/adult/adult.data "$generated"; do
  lines=$(wc -l < "$input")
  rm -rf "$work/lake" "$work/bare"
  start=$(date +%s.%N)
  bare=$("$spark_home/bin/spark-submit" \
    --master "${SLUICE_MASTER:-local[2]}" --driver-memory "${SLUICE_DRIVER_MEMORY:-4g}" \
    --class dev.sluice.jobs.bench.BareIngest \
    --conf spark.sql.extensions=io.delta.sql.DeltaSparkSessionExtension \
    --conf spark.sql.catalog.spark_catalog=org.apache.spark.sql.delta.catalog.DeltaCatalog \
    "$SLUICE_JAR" "$input" ", " "$work/bare" 2>/dev/null | grep 'bare ingest')
  bare_wall=$(echo "$(date +%s.%N) - $start" | bc)
  start=$(date +%s.%N)
  sluice=$(scripts/spark-submit ingest --config conf/application.conf --config conf/datasets/adult.conf \
    --files "$input" --set "sluice.lakehouse.root=$work/lake" 2>/dev/null | grep '^time')
  sluice_wall=$(echo "$(date +%s.%N) - $start" | bc)
  bare_s=$(echo "$bare" | sed -E 's/.* in ([0-9.]+) s.*/\1/')
  sluice_s=$(echo "$sluice" | sed -E 's/time +([0-9.]+) s.*/\1/')
  report+=("$(printf '| %s | %s | %.1f | %.0f | %.1f | %.1f | %.0f | %.1f | %.2f |' "$(basename "$input")" "$lines" \
    "$bare_s" "$(echo "$lines / $bare_s" | bc -l)" "$bare_wall" \
    "$sluice_s" "$(echo "$lines / $sluice_s" | bc -l)" "$sluice_wall" "$(echo "$bare_s / $sluice_s" | bc -l)")")
done
echo
echo "| input | lines | bare s | bare rows/s | bare wall s | sluice s | sluice rows/s | sluice wall s | sluice/bare throughput |"
echo "|---|---|---|---|---|---|---|---|---|"
printf '%s\n' "${report[@]}"
