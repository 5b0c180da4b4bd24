#!/usr/bin/env bash
# Command B of the README (and what CI runs): set up, build, run every test, then fuzz
# every reader and the query front end for HARK_FUZZ_SECONDS each (default 15 here:
# about 5 minutes with the sanitizer build; 0 replays the seeds only).
set -euo pipefail
cd "$(dirname "$0")/.."
bash tools/setup.sh
bash tools/build.sh
ctest --test-dir build --output-on-failure -j "$(nproc 2>/dev/null || echo 2)" --timeout 900
HARK_FUZZ_SECONDS=${HARK_FUZZ_SECONDS:-15} bash tools/fuzz.sh
