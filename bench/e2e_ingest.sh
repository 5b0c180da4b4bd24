#!/usr/bin/env bash
# End-to-end ingest benchmark: builds a full-text index of the same synthetic messages
# with hark, SQLite FTS5 and Xapian's scriptindex, all in one run, and prints one table.
#
#   bench/e2e_ingest.sh [--messages N] [--threads "1 2"] [--workdir DIR] [--seed S]
#                       [--build DIR] [--tools "hark ceiling fts5 scriptindex"]
#
# The corpus comes from hark-gen (reused when already in the work directory). The peers
# read a copy converted beforehand (CSV for sqlite3's .import, a scriptindex dump file);
# the conversion is timed and reported separately and is not part of their time.
# Each tool runs under /usr/bin/time -v for its peak RSS; seconds are wall-clock time of
# the whole process, start to exit (index committed and closed).
# Needs: a build with hark and hark-gen (cmake -S . -B build -G Ninja && ninja -C build
# hark hark-gen), python3, sqlite3, and scriptindex (HARK_SETUP_BENCH=1 tools/setup.sh).
set -euo pipefail

usage() {
  sed -n '2,14p' "$0" | sed 's/^# \{0,1\}//'
  exit "${1:-0}"
}

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
MESSAGES=1000000
THREADS="1 2"
WORKDIR="${TMPDIR:-/tmp}/hark-e2e"
SEED=1
BUILD="${HARK_BUILD:-$REPO/build}"
TOOLS="hark ceiling fts5 scriptindex"
while (($#)); do
  case "$1" in
    --messages) MESSAGES="$2"; shift 2 ;;
    --threads) THREADS="$2"; shift 2 ;;
    --workdir) WORKDIR="$2"; shift 2 ;;
    --seed) SEED="$2"; shift 2 ;;
    --build) BUILD="$2"; shift 2 ;;
    --tools) TOOLS="$2"; shift 2 ;;
    -h|--help) usage 0 ;;
    *) echo "e2e_ingest.sh: unknown argument '$1'" >&2; usage 2 ;;
  esac
done
[[ "$MESSAGES" =~ ^[0-9]+$ && "$MESSAGES" -gt 0 ]] || { echo "e2e_ingest.sh: --messages must be a positive integer" >&2; exit 2; }

HARK="$BUILD/tools/hark"
GEN="$BUILD/tools/hark-gen"
if [[ ! -x "$GEN" ]]; then
  echo "e2e_ingest.sh: $GEN not found; build it: cmake -S $REPO -B $BUILD -G Ninja && ninja -C $BUILD hark hark-gen" >&2
  exit 2
fi
TIME_BIN=/usr/bin/time
[[ -x "$TIME_BIN" ]] || { echo "e2e_ingest.sh: /usr/bin/time (package 'time') is needed for peak RSS" >&2; exit 2; }
command -v python3 >/dev/null || { echo "e2e_ingest.sh: python3 is needed to convert the corpus" >&2; exit 2; }

mkdir -p "$WORKDIR"
WORKDIR="$(cd "$WORKDIR" && pwd)"
CORPUS="$WORKDIR/corpus-$MESSAGES-s$SEED.jsonl"
TRUTH="$CORPUS.truth.json"
CSV="$CORPUS.fts5.csv"
DUMP="$CORPUS.scriptindex.txt"
RESULTS="$WORKDIR/results-$MESSAGES.tsv"
LOG="$WORKDIR/log-$MESSAGES.txt"
: >"$LOG"

now() { date +%s.%N; }
elapsed() { python3 -c "import sys; print(f'{float(sys.argv[2]) - float(sys.argv[1]):.2f}')" "$1" "$2"; }

# --- corpus -------------------------------------------------------------------------
if [[ -s "$CORPUS" && -s "$TRUTH" ]] && python3 - "$TRUTH" "$MESSAGES" <<'EOF'
import json, sys
t = json.load(open(sys.argv[1]))
sys.exit(0 if t["counts"]["messages"] == int(sys.argv[2]) else 1)
EOF
then
  echo "corpus: reusing $CORPUS"
else
  echo "corpus: generating $MESSAGES messages (seed $SEED) ..."
  t0=$(now)
  "$GEN" --messages "$MESSAGES" --seed "$SEED" --out "$CORPUS" --truth "$TRUTH" 2>>"$LOG"
  echo "corpus: hark-gen took $(elapsed "$t0" "$(now)") s"
  rm -f "$CSV" "$DUMP"
fi
BYTES=$(stat -c %s "$CORPUS")
echo "corpus: $CORPUS ($(python3 -c "print(f'{$BYTES/1e6:.1f}')") MB)"

# --- conversion for the peers (not timed as part of their ingest) -------------------
if [[ ! -s "$CSV" || ! -s "$DUMP" || "$CSV" -ot "$CORPUS" || "$DUMP" -ot "$CORPUS" ]]; then
  echo "convert: JSONL -> CSV (sqlite3 .import) and scriptindex dump ..."
  t0=$(now)
  python3 - "$CORPUS" "$CSV" "$DUMP" <<'EOF'
import csv, datetime, json, sys
src, csv_path, dump_path = sys.argv[1:4]
n = 0
with open(src, encoding="utf-8") as f, \
     open(csv_path, "w", encoding="utf-8", newline="") as c, \
     open(dump_path, "w", encoding="utf-8") as d:
    w = csv.writer(c, lineterminator="\n")
    cache = {}
    for line in f:
        r = json.loads(line)
        t = r["time"]
        epoch = cache.get(t[:10])
        if epoch is None:
            day = datetime.datetime.fromisoformat(t[:10] + "T00:00:00+00:00")
            epoch = cache[t[:10]] = int(day.timestamp())
        secs = epoch + int(t[11:13]) * 3600 + int(t[14:16]) * 60 + int(t[17:19])
        text = r.get("text", "")
        w.writerow([text, r.get("author", ""), r.get("brand", ""), r.get("channel", ""), t])
        # scriptindex: name=value lines, a newline inside a value continues with '=',
        # a blank line ends the record.
        d.write("id=" + r["id"] + "\n")
        d.write("text=" + text.replace("\n", "\n=") + "\n")
        d.write("author=" + r.get("author", "") + "\n")
        d.write("brand=" + r.get("brand", "") + "\n")
        d.write("channel=" + r.get("channel", "") + "\n")
        d.write("time=" + str(secs) + "\n\n")
        n += 1
print(f"convert: {n} records", file=sys.stderr)
EOF
  echo "convert: took $(elapsed "$t0" "$(now)") s (not counted in the peers' times)"
else
  echo "convert: reusing $CSV and $DUMP"
fi

# --- runs -----------------------------------------------------------------------------
# Each row: tool threads seconds docs rss_kb note
: >"$RESULTS"
row() { printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$@" >>"$RESULTS"; }
rss_of() { awk -F': ' '/Maximum resident set size/ {print $2}' "$1"; }

# Runs a command under /usr/bin/time -v; sets SECS, RSS and RC.
measure() {
  local tfile="$1"; shift
  local t0 t1
  t0=$(now)
  set +e
  "$TIME_BIN" -v -o "$tfile" "$@" >>"$LOG" 2>&1
  RC=$?
  set -e
  t1=$(now)
  SECS=$(elapsed "$t0" "$t1")
  RSS=$(rss_of "$tfile" || true)
  RSS=${RSS:-0}
}

for tool in $TOOLS; do
  case "$tool" in
    hark)
      for t in $THREADS; do
        idx="$WORKDIR/hark-index-t$t"
        stats="$WORKDIR/hark-stats-t$t.json"
        rm -rf "$idx" "$stats"
        echo "run: hark ingest --threads $t ..."
        if [[ ! -x "$HARK" ]]; then row hark "$t" - - - "hark ingest failed (no $HARK)"; continue; fi
        echo "== hark --threads $t" >>"$LOG"
        measure "$WORKDIR/time-hark-t$t.txt" "$HARK" ingest --index "$idx" --threads "$t" \
          --stats-json "$stats" --progress off "$CORPUS"
        if [[ $RC -ne 0 || ! -s "$stats" ]]; then
          row hark "$t" - - "$RSS" "hark ingest failed (exit $RC, see $LOG)"
          continue
        fi
        read -r indexed hsecs < <(python3 -c "
import json, sys; s = json.load(open(sys.argv[1])); print(s.get('indexed', 0), round(float(s.get('seconds', 0)), 1))" "$stats")
        note="its own timer: ${hsecs}s; index $(du -sh "$idx" | cut -f1)"
        [[ "$indexed" == "$MESSAGES" ]] || note="indexed $indexed of $MESSAGES; $note"
        row hark "$t" "$SECS" "$indexed" "$RSS" "$note"
      done
      ;;
    ceiling)
      # Stock Xapian writing the same documents as hark's text index (the records of the
      # index hark built above, loaded first and not timed): 2 shard writers + compaction.
      ceiling_bin="$BUILD/bench/hark-bench-ceiling"
      src=""
      for t in $THREADS; do [[ -s "$WORKDIR/hark-stats-t$t.json" ]] && src="$WORKDIR/hark-index-t$t"; done
      if [[ ! -x "$ceiling_bin" || -z "$src" ]]; then
        row "xapian stock" 2 - - - "needs $ceiling_bin and a hark index from this run"; continue
      fi
      echo "run: stock Xapian, 2 shard writers + compaction ..."
      echo "== ceiling" >>"$LOG"
      measure "$WORKDIR/time-ceiling.txt" "$ceiling_bin" --index "$src" --out "$WORKDIR/xapian-stock" --shards 2
      if [[ $RC -ne 0 ]]; then row "xapian stock" 2 - - "$RSS" "failed (exit $RC, see $LOG)"; continue; fi
      read -r cdocs csecs cload < <(tail -n 1 "$LOG" | python3 -c "
import json, sys; j = json.load(sys.stdin); print(j['docs'], j['seconds'], j['load_seconds'])")
      row "xapian stock" 2 "$csecs" "$cdocs" "$RSS" "build + compaction only (loading ${cload}s not counted; RSS holds the records); db $(du -sh "$WORKDIR/xapian-stock" | cut -f1)"
      ;;
    fts5)
      db="$WORKDIR/fts5.db"
      rm -f "$db" "$db-journal" "$db-wal"
      if ! command -v sqlite3 >/dev/null; then row "sqlite3 fts5" 1 - - - "sqlite3 not installed"; continue; fi
      echo "run: sqlite3 FTS5 ..."
      cat >"$WORKDIR/fts5.sql" <<EOF
CREATE VIRTUAL TABLE messages USING fts5(text, author, brand, channel, time UNINDEXED, tokenize='porter unicode61');
BEGIN;
.import --csv '$CSV' messages
COMMIT;
EOF
      echo "== sqlite3 fts5" >>"$LOG"
      measure "$WORKDIR/time-fts5.txt" sqlite3 -bail "$db" ".read $WORKDIR/fts5.sql"
      if [[ $RC -ne 0 ]]; then row "sqlite3 fts5" 1 - - "$RSS" "failed (exit $RC, see $LOG)"; continue; fi
      docs=$(sqlite3 "$db" "SELECT count(*) FROM messages;")
      row "sqlite3 fts5" 1 "$SECS" "$docs" "$RSS" "db $(du -sh "$db" | cut -f1)"
      ;;
    scriptindex)
      db="$WORKDIR/xapian-scriptindex"
      rm -rf "$db"
      if ! command -v scriptindex >/dev/null; then
        row scriptindex 1 - - - "not installed (HARK_SETUP_BENCH=1 tools/setup.sh)"; continue
      fi
      echo "run: xapian scriptindex ..."
      # The same fields as the others: text with stemming (english, the default) and
      # positions; author, brand, channel as boolean terms; time as a numeric value;
      # id as the unique key (hark also keys on the id); the fields stored as data.
      cat >"$WORKDIR/hark.script" <<'EOF'
id : field boolean=Q unique=Q
text : field index
author : field boolean=A
brand : field boolean=B
channel : field boolean=XCHANNEL
time : field valuenumeric=0
EOF
      echo "== scriptindex" >>"$LOG"
      measure "$WORKDIR/time-scriptindex.txt" scriptindex --overwrite "$db" "$WORKDIR/hark.script" "$DUMP"
      if [[ $RC -ne 0 ]]; then row scriptindex 1 - - "$RSS" "failed (exit $RC, see $LOG)"; continue; fi
      docs=$(xapian-delve "$db" 2>/dev/null | awk '/number of documents/ {print $NF}' || true)
      note="db $(du -sh "$db" | cut -f1)"
      if [[ -z "$docs" ]]; then docs=$MESSAGES; note="document count unverified (no xapian-delve); $note"; fi
      row scriptindex 1 "$SECS" "$docs" "$RSS" "$note"
      ;;
    *) echo "e2e_ingest.sh: unknown tool '$tool'" >&2; exit 2 ;;
  esac
done

# --- table ------------------------------------------------------------------------------
python3 - "$RESULTS" "$BYTES" "$MESSAGES" "$(nproc)" <<'EOF'
import sys
path, size, messages, cores = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
rows = [line.rstrip("\n").split("\t") for line in open(path) if line.strip()]
def num(x):
    try:
        return float(x)
    except ValueError:
        return None
# Reference: hark with the fewest threads that succeeded.
ref = None
for tool, threads, secs, docs, rss, note in rows:
    if tool == "hark" and num(secs) is not None and (ref is None or int(threads) < ref[0]):
        ref = (int(threads), num(secs))
ref_label = f"vs hark({ref[0]}t)" if ref else "vs hark"
print()
print(f"{messages} messages, {size / 1e6:.1f} MB of JSONL, {cores} cores")
head = ["tool", "threads", "seconds", "docs/s", "MB/s", ref_label, "peak RSS MB", "note"]
out = []
for tool, threads, secs, docs, rss, note in rows:
    s, d, r = num(secs), num(docs), num(rss)
    if s is None:
        out.append([tool, threads, "-", "-", "-", "-", f"{r / 1024:.0f}" if r else "-", note])
        continue
    out.append([tool, threads, f"{s:.1f}", f"{(d or 0) / s:,.0f}", f"{size / 1e6 / s:.1f}",
                f"{s / ref[1]:.2f}x" if ref else "-", f"{r / 1024:.0f}" if r else "-", note])
widths = [max(len(str(x[i])) for x in out + [head]) for i in range(len(head))]
fmt = "  ".join("{:<%d}" % w if i in (0, 7) else "{:>%d}" % w for i, w in enumerate(widths))
print(fmt.format(*head))
print("  ".join("-" * w for w in widths))
for x in out:
    print(fmt.format(*x))
print(f"\n{ref_label}: this row's seconds / hark's seconds at {ref[0] if ref else '?'} thread(s); "
      "above 1 is slower than hark.")
# The goals of issue 8, as speed ratios (peer's seconds / hark's seconds).
best = {}
for tool, threads, secs, docs, rss, note in rows:
    if num(secs) is not None:
        best.setdefault(tool, {})[int(threads)] = num(secs)
hark = best.get("hark", {})
if hark:
    t_max = max(hark)
    for peer, goal in (("xapian stock", 1.5), ("scriptindex", 3.0), ("sqlite3 fts5", None)):
        if peer in best:
            ratio = min(best[peer].values()) / hark[t_max]
            want = f" (goal {goal}x)" if goal else ""
            print(f"hark --threads {t_max} is {ratio:.2f}x {peer}'s speed{want}")
    if 1 in hark and t_max > 1:
        speedup = hark[1] / hark[t_max]
        print(f"--threads {t_max} is {speedup:.2f}x --threads 1: parallel efficiency {speedup / t_max:.2f} (goal 0.9)")
EOF
echo "log: $LOG; rows: $RESULTS"
