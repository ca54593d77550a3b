# Sourced by the other scripts: project paths, the Spark home to use, and the JVM flags Spark needs on Java 17.
SLUICE_HOME="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export SLUICE_HOME
SLUICE_JAR="$SLUICE_HOME/jobs/target/sluice-jobs.jar"
# The benchmark's own classes (scripts/bench.sh): built beside the job jar, never part of it.
SLUICE_BENCH_JAR="$SLUICE_HOME/bench/target/sluice-bench.jar"
SLUICE_RUNTIME="$SLUICE_HOME/.spark"
export SPARK_LOCAL_IP="${SPARK_LOCAL_IP:-127.0.0.1}"
# Files the pipeline writes are private to the user unless the caller chose otherwise. Hadoop's file systems set
# permissions themselves from fs.permissions.umask-mode (default 022) rather than the process umask, so
# scripts/spark-submit passes this umask on to them too.
umask "${SLUICE_UMASK:-077}"

# Use SPARK_HOME as is when set; otherwise the runtime scripts/setup.sh provisions under .spark/.
sluice_spark_home() {
  if [ -n "${SPARK_HOME:-}" ]; then
    echo "$SPARK_HOME"
  else
    echo "$SLUICE_RUNTIME"
  fi
}

die() {
  echo "sluice: $*" >&2
  exit 1
}
