#!/usr/bin/env bash
# The HTTP fuzz test (tests/StatefulFunctions.AspNetCore.Tests/HttpFuzzTests.cs) for longer than CI runs it:
#   tests/fuzz-http.sh [requests, default 50000] [seed, default random]
# Prints the seed, how many requests it sent and what they got; a failure lists the requests that went wrong (rerun
# with the same seed to see them again).
set -euo pipefail
cd "$(dirname "$0")/.."
export STATEFULFUNCTIONS_FUZZ_REQUESTS=${1:-50000}
export STATEFULFUNCTIONS_FUZZ_SEED=${2:-$RANDOM$RANDOM}
dotnet test tests/StatefulFunctions.AspNetCore.Tests --filter "FullyQualifiedName~HttpFuzzTests" --logger "console;verbosity=detailed" 2>&1 \
  | grep -E "seed [0-9]+:|#[0-9]+ |account of|Passed|Failed|Error Message|Exception" || true
