#!/usr/bin/env bash
# Prepares a machine to run Sluice: builds the job jar and, when SPARK_HOME is not set, provisions a Spark runtime
# from Maven Central under .spark/ with the layout of a Spark distribution (jars/, conf/, bin/spark-submit).
# A second run does nothing that is already done. SLUICE_SPARK_PROFILE=spark-4.2 does the same for the pom's profile of
# that name (Spark 4.2.0 + Delta 4.4.0): its runtime under .spark-4.2/, its jars under <module>/target/spark-4.2/ (built
# with mvn package, never installed), and no class-data archive unless SLUICE_CDS=true.
set -euo pipefail
. "$(dirname "$0")/common.sh"
cd "$SLUICE_HOME"

command -v java >/dev/null || die "java is not installed: install a JDK 17 (e.g. apt-get install openjdk-17-jdk-headless)"
command -v mvn >/dev/null || die "mvn is not installed: install Apache Maven 3.8+ (e.g. apt-get install maven)"

provision_runtime() {
  local home="$SLUICE_RUNTIME"
  # The runtime is keyed by the pom that describes it: a changed pom provisions again.
  local key
  key="$(cat pom.xml runtime/pom.xml | sha256sum | cut -c1-16)"
  if [ -f "$home/.provisioned" ] && [ "$(cat "$home/.provisioned")" = "$key" ]; then
    return
  fi
  echo "sluice: provisioning a Spark runtime from Maven Central into $home (about 350 MB, once)" >&2
  rm -rf "$home/jars.tmp"
  mkdir -p "$home/bin" "$home/conf"
  mvn -B -q -f runtime/pom.xml ${SLUICE_MAVEN_PROFILE[@]+"${SLUICE_MAVEN_PROFILE[@]}"} \
    dependency:copy-dependencies -DincludeScope=runtime -DoutputDirectory="$home/jars.tmp"
  rm -rf "$home/jars" && mv "$home/jars.tmp" "$home/jars"
  cp conf/log4j2.properties "$home/conf/log4j2.properties"
  local version
  version="$(cd "$home/jars" && ls spark-core_2.13-*.jar | sed 's/^spark-core_2\.13-\(.*\)\.jar$/\1/')"
  echo "$version (assembled from Maven Central by Sluice scripts/setup.sh)" > "$home/RELEASE"
  echo "$key" > "$home/.provisioned"
}

# The launchers are rewritten on every run (they are small): a changed setup.sh takes effect without provisioning.
write_launchers() {
  local home="$SLUICE_RUNTIME"
  mkdir -p "$home/bin"
  cat > "$home/bin/spark-class" <<'SH'
#!/usr/bin/env bash
# Runs a Spark class on this runtime's classpath with the JVM flags Spark's own launcher adds on Java 17.
set -euo pipefail
SPARK_HOME="$(cd "$(dirname "$0")/.." && pwd)"
export SPARK_HOME
export SPARK_SCALA_VERSION="${SPARK_SCALA_VERSION:-2.13}"
MEMORY="${SPARK_DRIVER_MEMORY:-1g}"
ARGS=()
DRIVER_OPTS=""
# spark-submit applies --driver-memory and the driver's Java options to the JVM it starts; in client mode that JVM is
# this one.
while [ $# -gt 0 ]; do
  case "$1" in
    --driver-memory) MEMORY="$2"; ARGS+=("$1" "$2"); shift 2 ;;
    --driver-memory=*) MEMORY="${1#*=}"; ARGS+=("$1"); shift ;;
    --driver-java-options) DRIVER_OPTS="$2"; ARGS+=("$1" "$2"); shift 2 ;;
    --conf|-c)
      case "${2:-}" in spark.driver.extraJavaOptions=*) DRIVER_OPTS="${2#*=}" ;; esac
      ARGS+=("$1" "${2:-}"); shift 2 ;;
    *) ARGS+=("$1"); shift ;;
  esac
done
# The class-data archive (setup.sh makes it) maps Spark's, Delta's and Sluice's classes already parsed and verified:
# seconds off every JVM start. The JVM takes one only with a classpath of jars, so conf/ joins the classpath (and
# the archive is left out) only when it holds more than the logging config, which is named directly.
CLASSPATH_="$SPARK_HOME/jars/*"
CDS=()
if [ -n "$(find "$SPARK_HOME/conf" -mindepth 1 -not -name log4j2.properties -print -quit 2>/dev/null)" ]; then
  CLASSPATH_="$SPARK_HOME/conf:$CLASSPATH_"
elif [ -n "${SLUICE_CDS_DUMP:-}" ]; then
  CDS=(-XX:ArchiveClassesAtExit="$SLUICE_CDS_DUMP")
elif [ -f "$SPARK_HOME/classes.jsa" ] && [ "${SLUICE_CDS:-true}" != false ]; then
  CDS=(-XX:SharedArchiveFile="$SPARK_HOME/classes.jsa" -Xshare:auto -Xlog:cds=off -Xlog:cds+dynamic=off)
fi
exec java -Xmx"$MEMORY" -Dlog4j2.configurationFile="$SPARK_HOME/conf/log4j2.properties" \
  ${SPARK_DRIVER_JAVA_OPTS:-} ${DRIVER_OPTS} ${CDS[@]+"${CDS[@]}"} \
  -XX:+IgnoreUnrecognizedVMOptions --add-modules=jdk.incubator.vector \
  --add-opens=java.base/java.lang=ALL-UNNAMED --add-opens=java.base/java.lang.invoke=ALL-UNNAMED \
  --add-opens=java.base/java.lang.reflect=ALL-UNNAMED --add-opens=java.base/java.io=ALL-UNNAMED \
  --add-opens=java.base/java.net=ALL-UNNAMED --add-opens=java.base/java.nio=ALL-UNNAMED \
  --add-opens=java.base/java.util=ALL-UNNAMED --add-opens=java.base/java.util.concurrent=ALL-UNNAMED \
  --add-opens=java.base/java.util.concurrent.atomic=ALL-UNNAMED --add-opens=java.base/jdk.internal.ref=ALL-UNNAMED \
  --add-opens=java.base/sun.nio.ch=ALL-UNNAMED --add-opens=java.base/sun.nio.cs=ALL-UNNAMED \
  --add-opens=java.base/sun.security.action=ALL-UNNAMED --add-opens=java.base/sun.util.calendar=ALL-UNNAMED \
  --add-opens=java.security.jgss/sun.security.krb5=ALL-UNNAMED \
  -Djdk.reflect.useDirectMethodHandle=false -Dio.netty.tryReflectionSetAccessible=true \
  --enable-native-access=ALL-UNNAMED \
  -cp "$CLASSPATH_" "${ARGS[@]}"
SH
  cat > "$home/bin/spark-submit" <<'SH'
#!/usr/bin/env bash
exec "$(dirname "$0")/spark-class" org.apache.spark.deploy.SparkSubmit "$@"
SH
  chmod +x "$home/bin/spark-class" "$home/bin/spark-submit"
}

# A class-data archive of the classes a whole pipeline loads (JDK 17's dynamic AppCDS): every later JVM maps them
# instead of parsing and verifying them again (measured: an ingest with nothing to do, 20 s -> 12 s). It is made once
# per JDK and runtime, by running the pipeline on the Adult sample (about 3.5 min). The job jar is not on the JVM's
# classpath: a class of it that changed since is checked against the archive and loaded from the jar.
# SLUICE_SAMPLE_LAKEHOUSE=DIR keeps that run's lakehouse in DIR when the run succeeds (CI hands it to
# scripts/notebooks.sh --lakehouse: its own run would build the same tables with the same settings); DIR is emptied first
# and removed if the run fails. Unset, the lakehouse goes with the run's temporary folder.
make_class_archive() {
  local home="$SLUICE_RUNTIME" key work lake
  key="$( (java -version 2>&1; ls -l "$home/jars") | sha256sum | cut -c1-16)"
  if [ -f "$home/classes.jsa" ] && [ "$(cat "$home/classes.jsa.key" 2>/dev/null)" = "$key" ]; then
    return
  fi
  echo "sluice: recording a class-data archive of the pipeline's classes (about 3 min, once per JDK and runtime)" >&2
  work="$(mktemp -d "${TMPDIR:-/tmp}/sluice-cds.XXXXXX")"
  lake="${SLUICE_SAMPLE_LAKEHOUSE:-$work/lake}"
  rm -rf "$lake"
  rm -f "$home/classes.jsa" "$home/classes.jsa.key"
  if SLUICE_CDS_DUMP="$work/classes.jsa" SLUICE_DRIVER_MEMORY=2g scripts/spark-submit pipeline \
      --config conf/application.conf --config conf/datasets/adult.conf --set "sluice.lakehouse.root=$lake" \
      --set 'sluice.train.estimators=[logistic-regression]' \
      --set 'sluice.train.grids.logistic-regression.regParam=[0.01]' --set 'sluice.train.folds=2' \
      > "$work/pipeline.log" 2>&1 && [ -s "$work/classes.jsa" ]; then
    mv "$work/classes.jsa" "$home/classes.jsa"
    echo "$key" > "$home/classes.jsa.key"
    rm -rf "$work"
  else
    rm -rf "$lake"
    # Only slower starts follow: say so and go on.
    echo "sluice: warning: no class-data archive (JVMs start without one); the log is $work/pipeline.log" >&2
  fi
}

build_jar() {
  # Rebuild when a source, pom or resource is newer than either jar (one build makes both).
  local jar stale=false
  for jar in "$SLUICE_JAR" "$SLUICE_BENCH_JAR"; do
    if [ ! -f "$jar" ] || [ -n "$(find pom.xml common jobs bench -newer "$jar" -type f \
        -not -path '*/target/*' -print -quit)" ]; then
      stale=true
    fi
  done
  [ "$stale" = true ] || return 0
  if [ -n "$SLUICE_SPARK_PROFILE" ]; then
    # The reactor resolves the modules from each other: nothing goes to the local repository, where the default
    # build's artifacts live.
    echo "sluice: building the job jar and the bench jar with profile $SLUICE_SPARK_PROFILE" >&2
    mvn -B -q "${SLUICE_MAVEN_PROFILE[@]}" package -DskipTests -Dspotless.check.skip=true
    return
  fi
  echo "sluice: building the job jar and the bench jar" >&2
  mvn -B -q install -DskipTests -Dspotless.check.skip=true
}

if [ -z "${SPARK_HOME:-}" ]; then
  provision_runtime
  write_launchers
  build_jar
  # A profile's runtime (another Spark version, for testing it) goes without the archive unless SLUICE_CDS=true.
  cds_default=true
  [ -z "$SLUICE_SPARK_PROFILE" ] || cds_default=false
  [ "${SLUICE_CDS:-$cds_default}" = false ] || make_class_archive
else
  [ -x "$SPARK_HOME/bin/spark-submit" ] || die "SPARK_HOME=$SPARK_HOME has no bin/spark-submit: unset it to let setup provision a runtime"
  build_jar
fi
echo "sluice: ready (Spark home $(sluice_spark_home), job jar $SLUICE_JAR)" >&2
