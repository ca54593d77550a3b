#!/usr/bin/env bash
# Runs every test: unit tests, the format check, and the end-to-end tests that go through scripts/spark-submit.
# Provisions the Spark runtime first (once) when SPARK_HOME is not set.
set -euo pipefail
. "$(dirname "$0")/common.sh"
cd "$SLUICE_HOME"
scripts/setup.sh
mvn -B verify "$@"
