#!/usr/bin/env bash
# Benchmarks every Sluice job against a bare Spark equivalent of the same step, on generated Adult-like data:
#   scripts/bench.sh [--sizes 100000,1000000,10000000] [--reps 3] [--steps ingest,features,train,score,monitor]
#                    [--no-noop] [--results DIR] [--set KEY=VALUE]...
# Per size it generates a seeded file (streamed to disk, kept under work/bench for the next run), then per repetition
# runs, each as its own spark-submit on a fresh lakehouse: the Sluice job, its bare equivalent on the same input, and
# (first repetition, unless --no-noop) the Sluice job again, which finds nothing to do: its fixed cost. Steps run in
# pipeline order; a step's prerequisites always run. Measurements go to the benchmarks table under --results (default
# work/bench/results) and a markdown table is printed at the end. --set overrides a setting of conf/bench.conf for
# both the Sluice job and its bare equivalent (the CI smoke trains a one-point grid on 2 folds).
set -euo pipefail
. "$(dirname "$0")/common.sh"
cd "$SLUICE_HOME"

sizes=100000,1000000,10000000
reps=3
steps=ingest,features,train,score,monitor
noop=true
results="$SLUICE_HOME/work/bench/results"
sets=()
while [ $# -gt 0 ]; do
  case "$1" in
    --sizes) sizes="$2"; shift 2 ;;
    --reps) reps="$2"; shift 2 ;;
    --steps) steps="$2"; shift 2 ;;
    --no-noop) noop=false; shift ;;
    --results) results="$2"; shift 2 ;;
    --set) sets+=(--set "$2"); shift 2 ;;
    -h|--help) sed -n '2,10p' "$0"; exit 0 ;;
    *) die "unknown option $1" ;;
  esac
done
all_steps=(ingest features train score monitor)
last=-1
for i in "${!all_steps[@]}"; do
  case ",$steps," in *",${all_steps[$i]},"*) last=$i ;; esac
done
for s in ${steps//,/ }; do
  case " ${all_steps[*]} " in *" $s "*) ;; *) die "unknown step '$s': expected some of ${all_steps[*]}" ;; esac
done

scripts/setup.sh
[ -f "$SLUICE_BENCH_JAR" ] || die "no bench jar at $SLUICE_BENCH_JAR: run scripts/setup.sh (it builds it beside the job jar)"
spark_home="$(sluice_spark_home)"
master="${SLUICE_MASTER:-local[2]}"
sluice_local_ip "$master"
cores="$(echo "$master" | sed -nE 's/^local\[([0-9]+)\]$/\1/p')"
[ -n "$cores" ] || cores="$(nproc)"
[ -x /usr/bin/time ] || die "/usr/bin/time is missing: install it (apt-get install time) to measure peak memory"
work="$SLUICE_HOME/work/bench"
mkdir -p "$work" "$results"
bench_id="$(date -u +%Y%m%dT%H%M%SZ)-$$"
commit="$(git rev-parse --short HEAD 2>/dev/null || true)"
tsv="$work/$bench_id.tsv"
printf 'bench_id\tsize\trepetition\tstep\tvariant\twall_seconds\tstarted_ms\tended_ms\tpeak_rss_kb\tprocess_cpu_seconds\tload_average\tjob_seconds\trun_ms\tcpu_ms\tshuffle_read\tshuffle_write\tlake\tcores\tmaster\tgit_commit\n' > "$tsv"

# A bench class (from the bench jar) on the same runtime and confs as scripts/spark-submit uses for the jobs.
submit=("$spark_home/bin/spark-submit" --master "$master" --driver-memory "${SLUICE_DRIVER_MEMORY:-4g}"
  --conf spark.sql.extensions=io.delta.sql.DeltaSparkSessionExtension
  --conf spark.sql.catalog.spark_catalog=org.apache.spark.sql.delta.catalog.DeltaCatalog
  --conf spark.ui.showConsoleProgress=false
  --conf spark.databricks.delta.snapshotPartitions=8
  --conf spark.sql.shuffle.partitions=16
  --conf "spark.driver.extraJavaOptions=-Dlog4j2.configurationFile=$SLUICE_HOME/conf/log4j2.properties")

# measure <size> <rep> <step> <variant> <log> <command...>: runs the command under /usr/bin/time, appends a row.
measure() {
  local size="$1" rep="$2" step="$3" variant="$4" log="$5"; shift 5
  local started ended wall rss cpu load bare=""
  load=$(cut -d' ' -f1 /proc/loadavg)
  started=$(date +%s%3N)
  if ! /usr/bin/time -f '%M %U %S' -o "$log.time" "$@" > "$log" 2>&1; then
    tail -n 30 "$log" >&2
    die "$variant $step at $size rows failed; the log is $log"
  fi
  ended=$(date +%s%3N)
  wall=$(echo "scale=3; ($ended - $started) / 1000" | bc)
  rss=$(tail -n 1 "$log.time" | cut -d' ' -f1)
  cpu=$(tail -n 1 "$log.time" | awk '{print $2 + $3}')
  local job_s="" run_ms="" cpu_ms="" sr="" sw=""
  if [ "$variant" = bare ]; then
    bare=$(grep '^bench: step=' "$log")
    job_s=$(echo "$bare" | sed -E 's/.* seconds=([0-9.]+).*/\1/')
    run_ms=$(echo "$bare" | sed -E 's/.* run_ms=([0-9]+).*/\1/')
    cpu_ms=$(echo "$bare" | sed -E 's/.* cpu_ms=([0-9]+).*/\1/')
    sr=$(echo "$bare" | sed -E 's/.* shuffle_read=([0-9]+).*/\1/')
    sw=$(echo "$bare" | sed -E 's/.* shuffle_write=([0-9]+).*/\1/')
  fi
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$bench_id" "$size" \
    "$rep" "$step" "$variant" "$wall" "$started" "$ended" "$rss" "$cpu" "$load" "$job_s" "$run_ms" "$cpu_ms" "$sr" "$sw" "$lake" \
    "$cores" "$master" "$commit" >> "$tsv"
  printf 'bench: %-8s %-11s %10s rows, repetition %s: %6.1f s wall, %6.1f s CPU, peak RSS %s MiB, load %s\n' \
    "$step" "$variant" "$size" "$rep" "$wall" "$cpu" "$((rss / 1024))" "$load" >&2
}

for size in ${sizes//,/ }; do
  input="$work/adult-like-$size.csv"
  if [ ! -f "$input" ]; then
    echo "bench: generating $size Adult-like rows into $input" >&2
    java -cp "$SLUICE_BENCH_JAR:$spark_home/jars/*" dev.sluice.bench.GenerateAdultLike \
      data/adult/adult.data "$input.tmp" "$size" 42
    mv "$input.tmp" "$input"
  fi
  for rep in $(seq 1 "$reps"); do
    run="$work/run-$size-$rep"
    lake="$run/lake"
    rm -rf "$run"
    mkdir -p "$run/logs"
    config=(--config conf/application.conf --config conf/datasets/adult.conf --config conf/bench.conf
      --set "sluice.lakehouse.root=$lake" ${sets[@]+"${sets[@]}"})
    for i in $(seq 0 "$last"); do
      step="${all_steps[$i]}"
      args=("${config[@]}")
      [ "$step" = ingest ] && args+=(--files "$input")
      # The whole raw table, as the bare baseline scores it.
      [ "$step" = score ] && args+=(--all)
      measure "$size" "$rep" "$step" sluice "$run/logs/$step.log" scripts/spark-submit "$step" "${args[@]}"
      case ",$steps," in *",$step,"*) ;; *) continue ;; esac
      measure "$size" "$rep" "$step" bare "$run/logs/$step-bare.log" \
        "${submit[@]}" --class dev.sluice.bench.Bare "$SLUICE_BENCH_JAR" "$step" "$run/bare" "$input" "${config[@]}"
      if [ "$noop" = true ] && [ "$rep" = 1 ]; then
        measure "$size" "$rep" "$step" sluice_noop "$run/logs/$step-noop.log" \
          scripts/spark-submit "$step" "${args[@]}"
      fi
    done
  done
done

echo >&2
"${submit[@]}" --class dev.sluice.bench.BenchRecord "$SLUICE_BENCH_JAR" "$tsv" "$results" 2> "$work/$bench_id-record.log" \
  || { tail -n 30 "$work/$bench_id-record.log" >&2; die "recording the results failed"; }
