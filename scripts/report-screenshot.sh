#!/usr/bin/env bash
# Renders a model report in headless Chromium and writes a PNG screenshot:
#   scripts/report-screenshot.sh lakehouse/_models/adult/v1/report.html [out.png]
# Installs Debian's chromium when it is missing.
set -euo pipefail
. "$(dirname "$0")/common.sh"
report="${1:?usage: scripts/report-screenshot.sh <report.html> [out.png]}"
out="${2:-${report%.html}.png}"
if ! command -v chromium >/dev/null; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq && apt-get install -y -qq chromium >/dev/null
fi
profile="$(mktemp -d)"
trap 'rm -rf "$profile"' EXIT
chromium --headless --no-sandbox --disable-gpu --disable-quic --no-first-run --disable-background-networking \
  --disable-component-update --disable-sync --user-data-dir="$profile" --window-size=1280,2400 \
  --screenshot="$out" "file://$(cd "$(dirname "$report")" && pwd)/$(basename "$report")" 2>/dev/null
echo "sluice: screenshot of $report in $out" >&2
