#!/usr/bin/env bash
# Runs every test: unit tests, the format check, and the end-to-end tests that go through scripts/spark-submit.
# Provisions the Spark runtime first (once) when SPARK_HOME is not set.
set -euo pipefail
. "$(dirname "$0")/common.sh"
cd "$SLUICE_HOME"
# The tests check behaviour, not speed. The JVMs they start through scripts/spark-submit are short and work on small
# data, where the JIT's optimizing compiler costs more CPU than it saves: the client compiler alone runs an example
# data set's whole pipeline in about 60% of the CPU time. A value set by the caller wins.
export SPARK_DRIVER_JAVA_OPTS="${SPARK_DRIVER_JAVA_OPTS--XX:TieredStopAtLevel=1}"
scripts/setup.sh
mvn -B verify "$@"
