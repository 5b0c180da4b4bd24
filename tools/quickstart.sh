#!/usr/bin/env bash
# Command A of the README: set up, build, ingest the bundled TWCS sample, run real queries.
set -euo pipefail
cd "$(dirname "$0")/.."
bash tools/setup.sh
bash tools/build.sh
index=${HARK_INDEX:-/tmp/hark-quickstart-index}
rm -rf "$index"
echo
echo "== hark ingest --index $index corpora/twcs-head-5k.csv"
build/tools/hark ingest --index "$index" corpora/twcs-head-5k.csv
echo
echo "== hark search --index $index 'refund' --brand AmazonHelp --facets role --limit 3"
build/tools/hark search --index "$index" refund --brand AmazonHelp --facets role --limit 3
echo
echo "== hark thread --index $index 8   (a whole conversation with @sprintcare)"
build/tools/hark thread --index "$index" 8
