#!/usr/bin/env bash
# Executes the Java notebooks in notebooks/ headless: scripts/notebooks.sh [--lakehouse DIR]
# Without --lakehouse it first runs a small, fast pipeline on the Adult sample into work/notebooks/lakehouse.
# Installs what it needs once: Debian's nbconvert (when `jupyter nbconvert` is missing) and the Java kernel
# io.github.padreati:rapaio-jupyter-kernel from Maven Central. Executed copies go to work/notebooks/out; a failing
# cell fails the script.
set -euo pipefail
. "$(dirname "$0")/common.sh"
cd "$SLUICE_HOME"

KERNEL_VERSION=3.0.1
work="$SLUICE_HOME/work/notebooks"
lakehouse=""
while [ $# -gt 0 ]; do
  case "$1" in
    --lakehouse) lakehouse="$(cd "$2" && pwd)"; shift 2 ;;
    -h|--help) sed -n '2,6p' "$0"; exit 0 ;;
    *) die "unknown option $1" ;;
  esac
done
started=$SECONDS

if ! jupyter nbconvert --version >/dev/null 2>&1; then
  echo "sluice: installing jupyter-nbconvert (Debian packages)" >&2
  apt-get update -qq && apt-get install -y -qq jupyter-nbconvert python3-nbclient python3-ipykernel jupyter-client >/dev/null
fi
scripts/setup.sh
spark_home="$(sluice_spark_home)"

kernel_jar="$work/kernel/rapaio-jupyter-kernel-$KERNEL_VERSION.jar"
if [ ! -f "$kernel_jar" ]; then
  mvn -B -q dependency:copy -Dartifact="io.github.padreati:rapaio-jupyter-kernel:$KERNEL_VERSION" \
    -DoutputDirectory="$work/kernel"
fi

if [ -z "$lakehouse" ]; then
  lakehouse="$work/lakehouse"
  rm -rf "$lakehouse"
  config=(--config conf/application.conf --config conf/datasets/adult.conf
    --set "sluice.lakehouse.root=$lakehouse"
    --set 'sluice.train.estimators=[logistic-regression]'
    --set 'sluice.train.grids.logistic-regression.regParam=[0.01]'
    --set 'sluice.train.folds=2')
  # One JVM runs the whole pipeline (dev.sluice.jobs.pipeline.Pipeline): the notebooks need the tables, not the
  # Adult sample's best model.
  export SLUICE_DRIVER_MEMORY="${SLUICE_DRIVER_MEMORY:-2g}"
  echo ">>> the pipeline, in one JVM" >&2
  nice -n 10 scripts/spark-submit pipeline \
    "${config[@]}" >"$work/pipeline.log" 2>&1 \
    || { tail -40 "$work/pipeline.log" >&2; die "the pipeline failed (log: $work/pipeline.log)"; }
  echo "sluice: lakehouse built in $((SECONDS - started)) s" >&2
fi

# The kernel: Spark's JVM flags, a logging config at INFO ahead of the kernel's own (its FINEST breaks Spark's
# code generation), the runtime's jars and the job jar on the ;-separated RJK_CLASSPATH.
spec="$work/kernels/sluice-java"
mkdir -p "$spec" "$work/conf" "$work/out" "$work/launcher"
# The kernel races at start (notebooks/kernel/SluiceKernel.java, LoopThread.java): our launcher and our LoopThread,
# ahead of the kernel jar on its classpath, fix both races.
javac -d "$work/launcher" -cp "$kernel_jar" notebooks/kernel/SluiceKernel.java notebooks/kernel/LoopThread.java
cat >"$work/conf/logging.properties" <<'EOF'
handlers=java.util.logging.ConsoleHandler
.level=INFO
java.util.logging.ConsoleHandler.level=INFO
EOF
classpath="$SLUICE_JAR;$spark_home/conf"
for jar in "$spark_home"/jars/*.jar; do classpath="$classpath;$jar"; done
python3 - "$spec/kernel.json" "$work/conf" "$work/launcher:$kernel_jar" "$classpath" "$lakehouse" "$SLUICE_HOME" "$work" <<'PY'
import json, sys
path, conf, jar, classpath, lakehouse, home, work = sys.argv[1:]
flags = ["-XX:+IgnoreUnrecognizedVMOptions", "--add-modules=jdk.incubator.vector"] + [
    "--add-opens=java.base/%s=ALL-UNNAMED" % p for p in (
        "java.lang", "java.lang.invoke", "java.lang.reflect", "java.io", "java.net", "java.nio", "java.util",
        "java.util.concurrent", "java.util.concurrent.atomic", "jdk.internal.ref", "sun.nio.ch", "sun.nio.cs",
        "sun.security.action", "sun.util.calendar")] + [
    "--add-opens=java.security.jgss/sun.security.krb5=ALL-UNNAMED", "-Djdk.reflect.useDirectMethodHandle=false",
    "-Dio.netty.tryReflectionSetAccessible=true", "--enable-native-access=ALL-UNNAMED"]
# The master and session properties come from the launcher, as spark-submit would pass them.
spark = ["-Dspark.master=local[2]", "-Dspark.ui.enabled=false", "-Dspark.sql.shuffle.partitions=4",
         "-Dspark.driver.host=127.0.0.1",
         "-Dspark.sql.warehouse.dir=%s/warehouse" % work, "-Dlog4j2.configurationFile=%s/conf/log4j2.properties" % home]
json.dump({
    "argv": ["nice", "-n", "10", "java", "-Xmx2g"] + flags + spark + [
        "-cp", conf + ":" + jar, "SluiceKernel", "{connection_file}"],
    "display_name": "Java (Sluice)",
    "language": "java",
    "interrupt_mode": "message",
    "env": {"RJK_CLASSPATH": classpath, "SLUICE_LAKEHOUSE": lakehouse, "SLUICE_HOME": home,
            "SPARK_LOCAL_IP": "127.0.0.1"},
}, open(path, "w"), indent=1)
PY

export JUPYTER_PATH="$work"
# A kernel that starts answers in seconds. Should one still hang at start (the LoopThread race above made 1 start in 3
# hang before it was fixed), the start is given 60 s and tried up to 3 times; a failing cell is never retried.
execute() {
  local notebook="$1" attempt log rc
  log="$work/out/$(basename "$notebook" .ipynb).log"
  for attempt in 1 2 3; do
    rc=0
    jupyter nbconvert --to notebook --execute --ExecutePreprocessor.kernel_name=sluice-java \
      --ExecutePreprocessor.startup_timeout=60 --ExecutePreprocessor.timeout=600 \
      --output-dir "$work/out" "$notebook" 2>"$log" || rc=$?
    grep -v "classpath" "$log" >&2 || true
    [ "$rc" = 0 ] && return 0
    grep -q "Kernel didn't respond" "$log" || return 1
    echo "sluice: the kernel of $notebook did not answer (attempt $attempt of 3)" >&2
  done
  return 1
}
status=0
for notebook in notebooks/*.ipynb; do
  echo ">>> $notebook" >&2
  t=$SECONDS
  execute "$notebook" || status=1
  echo "sluice: $notebook took $((SECONDS - t)) s" >&2
done
echo "sluice: notebooks.sh took $((SECONDS - started)) s; executed notebooks in $work/out" >&2
exit $status
