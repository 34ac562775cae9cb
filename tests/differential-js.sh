#!/usr/bin/env bash
# The Flink differential test (tests/StatefulFunctions.Flink.Tests/DifferentialTests.cs) against the official StateFun
# JavaScript SDK as well as its model: installs apache-flink-statefun 3.3.0 with npm (needs node and npm), serves the
# same function on it (Reference/scripted.js), and compares every answer of the endpoint with the SDK's.
#   tests/differential-js.sh [seeds, default 200]
set -euo pipefail
cd "$(dirname "$0")/.."
reference=tests/StatefulFunctions.Flink.Tests/Reference
(cd "$reference" && npm install --no-save --silent >/dev/null)

log=$(mktemp)
node "$reference/scripted.js" 0 >"$log" 2>&1 &
node_pid=$!
trap 'kill $node_pid 2>/dev/null; rm -f "$log"' EXIT
for _ in $(seq 1 100); do
  grep -q '^listening ' "$log" && break
  sleep 0.1
done
url=$(sed -n 's/^listening //p' "$log")
[ -n "$url" ] || { echo "The JavaScript reference did not start:"; cat "$log"; exit 1; }

export STATEFUN_JS_REFERENCE=$url
export STATEFUN_DIFFERENTIAL_SEEDS=${1:-200}
echo "JavaScript SDK reference at $url; seeds 1 to $STATEFUN_DIFFERENTIAL_SEEDS"
dotnet test tests/StatefulFunctions.Flink.Tests --filter "FullyQualifiedName~DifferentialTests" 2>&1 \
  | grep -E "Passed!|Failed!|Error Message|Seed [0-9]+|request |expected |actual |sdk " || true
