#!/usr/bin/env bash
# Requests per second of `hark serve` (search and journey, 1 to 8 loopback clients) against
# its peer, the same requests as one `hark` process each. bench/README.md, "hark serve".
#
#   bench/serve_bench.sh INDEX QUERIES.tsv [SECONDS]
#
# QUERIES.tsv: bench/make_queries.py --out-night (search kinds and journeys). The server runs
# with one query thread per core; each serve row runs SECONDS (default 10).
set -euo pipefail
cd "$(dirname "$0")/.."
index=${1:?usage: bench/serve_bench.sh INDEX QUERIES.tsv [SECONDS]}
queries=${2:?usage: bench/serve_bench.sh INDEX QUERIES.tsv [SECONDS]}
seconds=${3:-10}
hark=build/tools/hark
load=build/bench/hark-bench-serve
log=$(mktemp)
out=$(mktemp)
"$hark" serve --index "$index" --listen 127.0.0.1:0 >"$out" 2>"$log" &
server=$!
trap 'kill $server 2>/dev/null; wait $server 2>/dev/null; rm -f "$log" "$out"' EXIT
for _ in $(seq 100); do
  grep -q "listening on" "$out" && break
  sleep 0.1
done
url=$(grep -o 'http://[0-9.]*:[0-9]*' "$out")
echo "# $(head -1 "$out")"
echo "# $(nproc) cores, $(date -u +%Y-%m-%dT%H:%MZ)"
printf "%-8s %-14s %7s %9s %6s %10s %9s %9s\n" kind mode clients requests errors req/s p50_ms p99_ms
for kind in search journey; do
  for clients in 1 2 4 8; do
    "$load" --url "$url" --queries "$queries" --kind "$kind" --clients "$clients" --seconds "$seconds"
  done
  "$load" --cli "$hark" --index "$index" --queries "$queries" --kind "$kind" --requests 100
done
# The server's peak resident memory over the whole run (its readers share one block cache).
echo "# server peak RSS: $(awk '/VmHWM/ {printf "%.0f MB", $2 / 1024}' /proc/$server/status)"
