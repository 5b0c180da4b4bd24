#!/usr/bin/env bash
# Search and "analyst's night" benchmark: hark against SQLite FTS5 on the same messages and
# the same queries, in one run.
#
#   bench/search_bench.sh [--messages N] [--workdir DIR] [--seed S] [--build DIR]
#                         [--per-kind K] [--night Q] [--reuse]
#
# 1. bench/e2e_ingest.sh --threads 2 --tools "hark fts5" builds both indexes of N messages
#    (default 1,000,000) and times the ingests (--reuse takes the indexes and times of the
#    last such run in the work directory instead).
# 2. bench/make_queries.py draws K queries of each kind (default 250: one word, two words,
#    a two-word phrase, a word with a brand and a month) and a night of Q queries (default
#    10,000: 70% those searches, 20% journeys, 10% trends) from the corpus, seed S.
# 3. hark-bench-queries (one process, index opened once) and bench/fts5_queries.py (the
#    sqlite3 module, one connection) run them: top 10 by relevance with an exact total.
# Prints p50/p99 per kind with the ratios, how often the totals agree, and the night:
# hark's ingest plus all Q queries against FTS5 running only the searches among them.
set -euo pipefail

usage() {
  sed -n '2,17p' "$0" | sed 's/^# \{0,1\}//'
  exit "${1:-0}"
}

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
MESSAGES=1000000
WORKDIR="${TMPDIR:-/tmp}/hark-e2e"
SEED=1
BUILD="${HARK_BUILD:-$REPO/build}"
PER_KIND=250
NIGHT=10000
REUSE=0
while (($#)); do
  case "$1" in
    --messages) MESSAGES="$2"; shift 2 ;;
    --workdir) WORKDIR="$2"; shift 2 ;;
    --seed) SEED="$2"; shift 2 ;;
    --build) BUILD="$2"; shift 2 ;;
    --per-kind) PER_KIND="$2"; shift 2 ;;
    --night) NIGHT="$2"; shift 2 ;;
    --reuse) REUSE=1; shift ;;
    -h|--help) usage 0 ;;
    *) echo "search_bench.sh: unknown argument '$1'" >&2; usage 2 ;;
  esac
done
for v in MESSAGES PER_KIND NIGHT; do
  [[ "${!v}" =~ ^[0-9]+$ && "${!v}" -gt 0 ]] || { echo "search_bench.sh: --${v,,} must be a positive integer" >&2; exit 2; }
done
BENCH="$BUILD/bench/hark-bench-queries"
[[ -x "$BENCH" ]] || { echo "search_bench.sh: $BENCH not found; build it: ninja -C $BUILD hark hark-gen hark-bench-queries" >&2; exit 2; }

mkdir -p "$WORKDIR"
WORKDIR="$(cd "$WORKDIR" && pwd)"
CORPUS="$WORKDIR/corpus-$MESSAGES-s$SEED.jsonl"
RESULTS="$WORKDIR/results-$MESSAGES.tsv"
INDEX="$WORKDIR/hark-index-t2"
FTS5="$WORKDIR/fts5.db"

if ((REUSE == 0)) || [[ ! -f $RESULTS || ! -d $INDEX || ! -f $FTS5 ]]; then
  "$REPO/bench/e2e_ingest.sh" --messages "$MESSAGES" --threads 2 --workdir "$WORKDIR" --seed "$SEED" --build "$BUILD" \
    --tools "hark fts5"
fi
for f in "$CORPUS" "$RESULTS" "$INDEX" "$FTS5"; do
  [[ -e $f ]] || { echo "search_bench.sh: $f is missing after the ingest" >&2; exit 1; }
done

SEARCH_Q="$WORKDIR/queries-search-s$SEED-k$PER_KIND.tsv"
NIGHT_Q="$WORKDIR/queries-night-s$SEED-n$NIGHT.tsv"
python3 "$REPO/bench/make_queries.py" "$CORPUS" --out-search "$SEARCH_Q" --out-night "$NIGHT_Q" \
  --per-kind "$PER_KIND" --night "$NIGHT" --seed "$SEED"

run() {  # name command...: stderr kept in $WORKDIR/$name.err
  echo "== $1"
  local name=$1
  shift
  "$@" 2>"$WORKDIR/$name.err" || { cat "$WORKDIR/$name.err" >&2; echo "search_bench.sh: $name failed" >&2; exit 1; }
  cat "$WORKDIR/$name.err"
}
run hark-search "$BENCH" --index "$INDEX" --queries "$SEARCH_Q" --out "$WORKDIR/times-hark-search.tsv"
run fts5-search python3 "$REPO/bench/fts5_queries.py" --db "$FTS5" --queries "$SEARCH_Q" \
  --out "$WORKDIR/times-fts5-search.tsv"
run hark-night "$BENCH" --index "$INDEX" --queries "$NIGHT_Q" --out "$WORKDIR/times-hark-night.tsv"
run fts5-night python3 "$REPO/bench/fts5_queries.py" --db "$FTS5" --queries "$NIGHT_Q" \
  --out "$WORKDIR/times-fts5-night.tsv"

python3 - "$WORKDIR" "$RESULTS" "$MESSAGES" <<'EOF'
import sys
work, results, messages = sys.argv[1], sys.argv[2], int(sys.argv[3])

def load(name):
    rows = {}
    with open(f"{work}/{name}") as f:
        for line in f:
            n, kind, ms, total = line.split("\t")
            rows[int(n)] = (kind, float(ms), int(total))
    return rows

def pct(values, p):
    values = sorted(values)
    return values[min(len(values) - 1, len(values) * p // 100)]

def wall(name, key):
    with open(f"{work}/{name}.err") as f:
        text = f.read()
    return float(text.split(key)[1].split()[0])

hark, fts5 = load("times-hark-search.tsv"), load("times-fts5-search.tsv")
print(f"\nSearch, {messages:,} messages, top 10 by relevance with an exact total (ms):\n")
print("| kind | queries | hark p50 | FTS5 p50 | p50 ratio | hark p99 | FTS5 p99 | p99 ratio | same total |")
print("|---|---|---|---|---|---|---|---|---|")
for kind in ["term", "and", "phrase", "filtered", None]:
    keys = [n for n in hark if kind is None or hark[n][0] == kind]
    h = [hark[n][1] for n in keys]
    f = [fts5[n][1] for n in keys]
    same = sum(1 for n in keys if hark[n][2] == fts5[n][2])
    h50, f50, h99, f99 = pct(h, 50), pct(f, 50), pct(h, 99), pct(f, 99)
    print(f"| {kind or 'all'} | {len(keys)} | {h50:.2f} | {f50:.2f} | {f50 / h50:.1f}x | {h99:.2f} | {f99:.2f} | "
          f"{f99 / h99:.1f}x | {same / len(keys):.0%} |")

ingest = {}
with open(results) as f:
    for line in f:
        cols = line.rstrip("\n").split("\t")
        ingest[(cols[0], cols[1])] = float(cols[2])
hn, fn = load("times-hark-night.tsv"), load("times-fts5-night.tsv")
hark_open = wall("hark-night", "open ")
hark_q = sum(ms for _, ms, _ in hn.values()) / 1000 + hark_open
fts5_q = sum(ms for _, ms, _ in fn.values()) / 1000
hark_ingest, fts5_ingest = ingest[("hark", "2")], ingest[("sqlite3 fts5", "1")]
print(f"\nThe analyst's night: ingest {messages:,} messages, then {len(hn):,} queries "
      f"({len(fn):,} searches, the rest journeys and trends):\n")
print("| | ingest s | queries s | total s |")
print("|---|---|---|---|")
print(f"| hark (--threads 2; every query) | {hark_ingest:.1f} | {hark_q:.1f} | {hark_ingest + hark_q:.1f} |")
print(f"| FTS5 (the searches alone) | | {fts5_q:.1f} | {fts5_q:.1f} |")
print(f"| FTS5 (its ingest + the searches) | {fts5_ingest:.1f} | {fts5_q:.1f} | {fts5_ingest + fts5_q:.1f} |")
print(f"\nhark's whole night is {fts5_q / (hark_ingest + hark_q):.2f}x faster than FTS5's searches alone "
      "(goal: above 1).")
for kind in ["journey", "trend", "trend-brand"]:
    ms = [m for k, m, _ in hn.values() if k == kind]
    if ms:
        print(f"hark {kind}: {len(ms)} queries, p50 {pct(ms, 50):.2f} ms, p99 {pct(ms, 99):.2f} ms")
EOF
