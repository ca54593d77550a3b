#!/usr/bin/env bash
# Prepares a machine to run Sluice: builds the job jar and, when SPARK_HOME is not set, provisions a Spark runtime
# from Maven Central under .spark/ with the layout of a Spark distribution (jars/, conf/, bin/spark-submit).
# A second run does nothing that is already done.
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
  mvn -B -q -f runtime/pom.xml dependency:copy-dependencies -DincludeScope=runtime \
    -DoutputDirectory="$home/jars.tmp"
  rm -rf "$home/jars" && mv "$home/jars.tmp" "$home/jars"

  cat > "$home/bin/spark-class" <<'SH'
#!/usr/bin/env bash
# Runs a Spark class on this runtime's classpath with the JVM flags Spark's own launcher adds on Java 17.
set -euo pipefail
SPARK_HOME="$(cd "$(dirname "$0")/.." && pwd)"
export SPARK_HOME
export SPARK_SCALA_VERSION="${SPARK_SCALA_VERSION:-2.13}"
MEMORY="${SPARK_DRIVER_MEMORY:-1g}"
ARGS=()
# spark-submit applies --driver-memory to the JVM it starts; in client mode that JVM is this one.
while [ $# -gt 0 ]; do
  case "$1" in
    --driver-memory) MEMORY="$2"; ARGS+=("$1" "$2"); shift 2 ;;
    --driver-memory=*) MEMORY="${1#*=}"; ARGS+=("$1"); shift ;;
    *) ARGS+=("$1"); shift ;;
  esac
done
exec java -Xmx"$MEMORY" ${SPARK_DRIVER_JAVA_OPTS:-} \
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
  -cp "$SPARK_HOME/conf:$SPARK_HOME/jars/*" "${ARGS[@]}"
SH
  cat > "$home/bin/spark-submit" <<'SH'
#!/usr/bin/env bash
exec "$(dirname "$0")/spark-class" org.apache.spark.deploy.SparkSubmit "$@"
SH
  chmod +x "$home/bin/spark-class" "$home/bin/spark-submit"
  cp conf/log4j2.properties "$home/conf/log4j2.properties"
  echo "4.1.0 (assembled from Maven Central by Sluice scripts/setup.sh)" > "$home/RELEASE"
  echo "$key" > "$home/.provisioned"
}

build_jar() {
  # Rebuild when a source, pom or resource is newer than the jar.
  if [ -f "$SLUICE_JAR" ] && [ -z "$(find pom.xml common jobs -newer "$SLUICE_JAR" -type f \
      -not -path '*/target/*' -print -quit)" ]; then
    return
  fi
  echo "sluice: building the job jar" >&2
  mvn -B -q install -DskipTests -Dspotless.check.skip=true
}

if [ -z "${SPARK_HOME:-}" ]; then
  provision_runtime
else
  [ -x "$SPARK_HOME/bin/spark-submit" ] || die "SPARK_HOME=$SPARK_HOME has no bin/spark-submit: unset it to let setup provision a runtime"
fi
build_jar
echo "sluice: ready (Spark home $(sluice_spark_home), job jar $SLUICE_JAR)" >&2
