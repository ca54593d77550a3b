# Sourced by the other scripts: project paths, the Spark home to use, and the JVM flags Spark needs on Java 17.
SLUICE_HOME="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export SLUICE_HOME
SLUICE_JAR="$SLUICE_HOME/jobs/target/sluice-jobs.jar"
# The benchmark's own classes (scripts/bench.sh): built beside the job jar, never part of it.
SLUICE_BENCH_JAR="$SLUICE_HOME/bench/target/sluice-bench.jar"
SLUICE_RUNTIME="$SLUICE_HOME/.spark"
# SLUICE_SPARK_PROFILE=<id>, a profile of pom.xml for another Spark/Delta pair (spark-4.2), switches all of these:
# setup.sh provisions that pair's runtime under .spark-<version>/ (.spark-4.2/) and builds the jars with -P<id> under
# <module>/target/<id>/ (the profile's build directory), and every script then uses them. Unset: the default pair.
SLUICE_SPARK_PROFILE="${SLUICE_SPARK_PROFILE:-}"
SLUICE_MAVEN_PROFILE=()
if [ -n "$SLUICE_SPARK_PROFILE" ]; then
  if [[ ! "$SLUICE_SPARK_PROFILE" =~ ^[A-Za-z0-9][A-Za-z0-9._-]*$ ]] \
      || ! grep -q "<id>$SLUICE_SPARK_PROFILE</id>" "$SLUICE_HOME/pom.xml"; then
    echo "sluice: SLUICE_SPARK_PROFILE=$SLUICE_SPARK_PROFILE is not a profile of pom.xml (e.g. spark-4.2; unset for the default)" >&2
    exit 2
  fi
  export SLUICE_SPARK_PROFILE
  SLUICE_JAR="$SLUICE_HOME/jobs/target/$SLUICE_SPARK_PROFILE/sluice-jobs.jar"
  SLUICE_BENCH_JAR="$SLUICE_HOME/bench/target/$SLUICE_SPARK_PROFILE/sluice-bench.jar"
  SLUICE_RUNTIME="$SLUICE_HOME/.spark-${SLUICE_SPARK_PROFILE#spark-}"
  SLUICE_MAVEN_PROFILE=(-P "$SLUICE_SPARK_PROFILE")
fi
# The address a driver (and the local cluster's daemons) bind to and advertise. With a local master or the loopback
# cluster everything stays on 127.0.0.1; a driver of any other cluster must advertise an address its executors reach,
# which Spark works out from the host's name (set SPARK_LOCAL_IP, or spark.driver.host, to choose one). Call it with the
# master once it is known.
sluice_local_ip() {
  [ -z "${SPARK_LOCAL_IP:-}" ] || return 0
  case "$1" in
    local | local\[* | spark://127.0.0.1:* | spark://localhost:*) export SPARK_LOCAL_IP=127.0.0.1 ;;
  esac
}
# Files the pipeline writes are private to the user unless the caller chose otherwise. Hadoop's file systems set
# permissions themselves from fs.permissions.umask-mode (default 022) rather than the process umask, so
# scripts/spark-submit passes this umask on to them too.
umask "${SLUICE_UMASK:-077}"

# Use SPARK_HOME as is when set; otherwise the runtime scripts/setup.sh provisions under .spark/ (or the profile's).
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
