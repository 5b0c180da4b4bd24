#!/usr/bin/env bash
# Builds hark's libFuzzer targets (tests/fuzz, clang + ASan + UBSan) into ./build-fuzz,
# makes their seed corpora from the real corpora (../shared/corpora and ./corpora), and
# runs each target for HARK_FUZZ_SECONDS (default 20; 0 runs each target once over its
# seeds and saved corpus, without fuzzing). Prints per target the executions, exec/s and
# coverage (libFuzzer's cov and ft); exits non-zero when any target crashes, leaks, hits
# UB, times out (an input over 10 s) or runs out of memory. What broke a target is kept
# in build-fuzz/artifacts/<target>/ and reproduces with
#   build-fuzz/tests/fuzz/fuzz_<target> build-fuzz/artifacts/<target>/crash-...
# Usage: tools/fuzz.sh [TARGET...]   (default: every target; names without fuzz_)
# Needs ../shared/corpora (or $HARK_SHARED/corpora) for most seeds; without it only
# ./corpora is used (said so), and under CI=true that is an error. Idempotent: builds are incremental, the corpus
# libFuzzer grows is kept in build-fuzz/corpus/ across runs, seeds are remade each run.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${HARK_FUZZ_SECONDS:-20}
jobs=$(nproc 2>/dev/null || echo 2)
build=build-fuzz
all_targets=(jsonl jsonl_map twcs csv_map stackexchange mbox reddit zst query)
targets=("$@")
((${#targets[@]})) || targets=("${all_targets[@]}")

start=$SECONDS
# -O1 without NDEBUG: asserts stay on (Result::value() asserts ok()), and it compiles
# faster than -O2 under the sanitizers.
CC=clang CXX=clang++ cmake -S . -B "$build" -G Ninja -DHARK_FUZZ=ON -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="-O1 -g" >/dev/null
cmake --build "$build" -j "$jobs" --target "${targets[@]/#/fuzz_}"
build_seconds=$((SECONDS - start))

# --- Seeds: the first records of real files, a few KiB each --------------------------
shared=${HARK_SHARED:-../shared}/corpora  # as in tests/test_support.h
if [[ ! -d $shared ]]; then
  if [[ "${CI:-}" == "true" ]]; then
    echo "fuzz: CI=true but $shared is missing (expected ../shared/corpora beside the checkout)" >&2
    exit 1
  fi
  echo "fuzz: $shared not found: seeding from ./corpora only"
  shared=""
fi
seeds=$build/seeds
rm -rf "$seeds"
for t in "${all_targets[@]}"; do mkdir -p "$seeds/$t"; done

# seed TARGET NAME: stdin, cut to $cap bytes (default 4 KiB), becomes seeds/TARGET/NAME.
seed() {
  mkdir -p "$seeds/$1"
  head -c "${cap:-4096}" >"$seeds/$1/$2"
  [[ -s "$seeds/$1/$2" ]] || rm -f "$seeds/$1/$2"
}
# have REL: the shared corpus file REL exists.
have() { [[ -n $shared && -f $shared/$1 ]]; }
# lines FILE FIRST COUNT: COUNT lines from line FIRST.
lines() { tail -n "+$2" "$1" | head -n "$3"; }
# Messages FIRST..LAST-1 of an mbox (counted by their From_ lines).
messages() { awk -v a="$2" -v b="$3" '/^From /{n++} n>=b{exit} n>=a' "$1"; }

make_seeds() {
  set +o pipefail  # head closes pipes early on purpose
  local f
  # CSV: TWCS as pandas wrote it (index column), as brands exported it (BOM, FALSE), headerless,
  # and as Excel saved it (CRLF, TRUE/FALSE, padding rows ,,,,,,).
  lines corpora/twcs-head-5k.csv 1 20 | seed twcs head-5k-top
  { lines corpora/twcs-head-5k.csv 1 1; lines corpora/twcs-head-5k.csv 2000 20; } | seed twcs head-5k-mid
  if [[ -n $shared ]]; then
    for f in twcs-random-5k/twcs_small.csv twcs-kaggle-sample/sample.csv twcs-brand-outbound/AppleSupport.csv \
             twcs-brand-outbound/twcs_cleaned_airasia.csv twcs-spotifycares/spotifycares_brand_tweets.csv \
             twcs-spotifycares/spotifycares_customer_tweets.csv; do
      have "$f" && lines "$shared/$f" 1 15 | seed twcs "$(basename "${f%.csv}")"
    done
    if have twcs-excel-mangled/twcs.zip; then
      python3 -c 'import sys, zipfile; sys.stdout.buffer.write(zipfile.ZipFile(sys.argv[1]).read("twcs/twcs.csv")[:200000])' \
        "$shared/twcs-excel-mangled/twcs.zip" >"$build/excel.csv"
      lines "$build/excel.csv" 1 15 | seed twcs excel-mangled-top
      { lines "$build/excel.csv" 1 1; lines "$build/excel.csv" 990 30; } | seed twcs excel-mangled-padding
      rm -f "$build/excel.csv"
    fi
    # Mapped CSV: the airline-sentiment tweets (the map of csv_map_fuzz.cc) and their sibling file.
    have airline-sentiment-tweets/Tweets.csv && lines "$shared/airline-sentiment-tweets/Tweets.csv" 1 20 | seed csv_map tweets
    have airline-sentiment-tweets/Tweets.csv &&
      { lines "$shared/airline-sentiment-tweets/Tweets.csv" 1 1; lines "$shared/airline-sentiment-tweets/Tweets.csv" 7000 20; } |
      seed csv_map tweets-mid
    have airline-sentiment-tweets/Airline-Sentiment-2-w-AA.csv &&
      lines "$shared/airline-sentiment-tweets/Airline-Sentiment-2-w-AA.csv" 1 10 | seed csv_map sentiment-2
  fi
  lines corpora/twcs-head-5k.csv 1 10 | seed csv_map twcs-head  # other columns: refused at open

  # Stack Exchange: the first rows of each site's Posts.xml, closed, and rows from the middle.
  if [[ -n $shared ]]; then
    for f in stackexchange-beer stackexchange-cardano stackexchange-conlang-meta stackexchange-datascience-meta \
             stackexchange-quantumcomputing; do
      have "$f/Posts.xml" || continue
      { lines "$shared/$f/Posts.xml" 1 8 | head -c 3500; printf '\n</posts>\n'; } | seed stackexchange "$f"
      { lines "$shared/$f/Posts.xml" 1 2; lines "$shared/$f/Posts.xml" 300 4 | head -c 3500; printf '\n</posts>\n'; } |
        seed stackexchange "$f-mid"
    done
    have stackexchange-cardano/Comments.xml && lines "$shared/stackexchange-cardano/Comments.xml" 1 8 | seed stackexchange cardano-comments
  fi

  # mbox: whole messages from a mailing list archive and from SpamAssassin's ham and spam.
  if [[ -n $shared ]]; then
    for f in mailinglist-usrp-users/usrp-users_2021-03_to_2021-05.mbox email-spamassassin/easy_ham_1.mbox \
             email-spamassassin/hard_ham_1.mbox email-spamassassin/spam_1.mbox; do
      have "$f" || continue
      for range in "1 3" "40 41" "200 201"; do
        # shellcheck disable=SC2086
        messages "$shared/$f" $range | cap=8192 seed mbox "$(basename "${f%.mbox}")-${range// /-}"
      done
    done
  fi

  # Reddit: the first comments and submissions, decompressed; the .zst heads themselves
  # (truncated frames with Pushshift's 2 GiB window) for the zst target.
  if [[ -n $shared ]]; then
    for f in RC_2005-12 RC_2006-01 AskMen_submissions; do
      have "reddit-pushshift/$f.zst" || continue
      zstd -dc --long=31 "$shared/reddit-pushshift/$f.zst" 2>/dev/null | head -n 3 >"$build/reddit.jsonl"
      cap=6144 seed reddit "$f" <"$build/reddit.jsonl"
      cap=6144 seed jsonl_map "$f" <"$build/reddit.jsonl"
      head -c 4096 "$shared/reddit-pushshift/$f.zst" | seed zst "$f-head.zst"
      # Compressed from a file, so with its size in the frame and a window to match.
      head -n 2 "$build/reddit.jsonl" >"$build/reddit-2.jsonl"
      zstd -q --long=31 -c "$build/reddit-2.jsonl" | seed zst "$f-2-lines.zst"
    done
    rm -f "$build/reddit.jsonl" "$build/reddit-2.jsonl"
  fi

  # Canonical JSONL: the first TWCS tweets as hark records (text times, epoch times, tags).
  python3 - corpora/twcs-head-5k.csv "$seeds" <<'PY'
import csv, json, os, sys
from datetime import datetime
rows = list(csv.DictReader(open(sys.argv[1], newline='', encoding='utf-8')))
os.makedirs(os.path.join(sys.argv[2], 'jsonl'), exist_ok=True)
os.makedirs(os.path.join(sys.argv[2], 'query'), exist_ok=True)
def record(r, epoch):
  t = r['created_at']
  o = {'id': r['tweet_id'], 'author': r['author_id'], 'text': r['text'],
       'role': 'customer' if r['inbound'] == 'True' else 'agent'}
  o['time'] = int(datetime.strptime(t, '%a %b %d %H:%M:%S %z %Y').timestamp()) if epoch else t
  if r['in_response_to_tweet_id']:
    o['parent'] = r['in_response_to_tweet_id'].split('.')[0]
  return o
for name, part, epoch in (('twcs-top', rows[:12], False), ('twcs-epoch', rows[100:112], True)):
  with open(os.path.join(sys.argv[2], 'jsonl', name), 'w') as f:
    for r in part:
      f.write(json.dumps(record(r, epoch), ensure_ascii=False) + '\n')
with open(os.path.join(sys.argv[2], 'jsonl', 'twcs-tags'), 'w') as f:
  for i, r in enumerate(rows[200:208]):
    o = record(r, False)
    o.update(source='twcs', channel='twitter', brand='sprintcare', score=i, accepted=i % 2 == 0,
             tags=['a', 'b'], title='t' if i % 3 == 0 else '', thread=r['tweet_id'])
    f.write(json.dumps(o) + '\n')
# The same tweets as Pushshift comments (the keys of jsonl_map's map and of the reddit reader).
for target in ('jsonl_map', 'reddit'):
  with open(os.path.join(sys.argv[2], target, 'twcs-as-comments'), 'w') as f:
    for r in rows[300:310]:
      o = record(r, True)
      f.write(json.dumps({'id': o['id'], 'created_utc': o['time'], 'author': o['author'], 'body': o['text'],
                          'subreddit': 'twcs', 'link_id': 't3_' + o.get('parent', o['id']),
                          'parent_id': 't1_' + o.get('parent', o['id']), 'score': 1}) + '\n')
# Queries: the first words of real tweets.
for i, r in enumerate(rows[:400:40]):
  words = [w for w in r['text'].split() if not w.startswith('@')][:3]
  with open(os.path.join(sys.argv[2], 'query', 'tweet-%d' % i), 'w') as f:
    f.write(' '.join(words))
PY
  # The target compresses any input that is not a zstd frame: plain seeds of every format.
  for f in twcs/head-5k-top jsonl/twcs-top reddit/RC_2005-12 stackexchange/stackexchange-beer mbox/spam_1-1-3; do
    if [[ -f $seeds/$f ]]; then seed zst "plain-${f//\//-}" <"$seeds/$f"; fi
  done

  # Queries: the README's examples, as query_fuzz.cc reads them (line 1 query, key=value lines).
  printf 'refund\nbrand=AmazonHelp\nfacet=role\nfacet=author\nlimit=5' | seed query readme-1
  printf '"private message" author:sprintcare' | seed query readme-2
  printf 'cancel* NOT delta\nfrom=2017-10-01\nto=2017-10-31\nsort=newest' | seed query readme-3
  printf 'wifi 2017-11-01..2017-11-30\ncollapse=thread\nexact=1' | seed query readme-4
  printf '\nchannel=twitter\nrole=customer\nlimit=50' | seed query readme-5
  printf 'date:2017-10 mention:"Delta Air Lines"\nsentiment=negative\nsentiment=neutral' | seed query mention
  printf 'help 2017-10..2017-11 OR title:phone\nfacet=brand\nsnippets=0' | seed query months
  set -o pipefail
}
make_seeds
for t in "${targets[@]}"; do
  n=$(find "$seeds/$t" -type f | wc -l)
  ((n > 0)) || echo "fuzz: no seeds for $t: it starts from the empty input"
done

# --- Runs --------------------------------------------------------------------------------
dict_of() {
  case $1 in
    twcs | csv_map) echo csv ;;
    jsonl | jsonl_map | reddit) echo json ;;
    stackexchange) echo xml ;;
    mbox | query) echo "$1" ;;
    *) echo "" ;;
  esac
}
# quarantine_size_mb: freed memory is reused sooner (readers allocate and free a lot per
# input, and fresh pages are slow). max_allocation_size_mb + allocator_may_return_null:
# a malloc over 1 GiB fails (operator new still aborts). Only a zstd frame asks for that
# much: Pushshift's 2 GiB window (indexer/input.h), which any input starting with the
# zstd magic can claim; under ASan each such allocation costs seconds (its shadow is
# written on free), so here it fails fast as a zstd allocation error instead. The real
# 2 GiB-window files are read by the Reddit corpus tests.
export ASAN_OPTIONS="quarantine_size_mb=32:detect_leaks=1:max_allocation_size_mb=1024:allocator_may_return_null=1:${ASAN_OPTIONS:-}"
# Xapian's own query parser leaks a token on some refused queries (tests/fuzz/lsan.supp).
export LSAN_OPTIONS="suppressions=$PWD/tests/fuzz/lsan.supp:print_suppressions=0:${LSAN_OPTIONS:-}"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1:${UBSAN_OPTIONS:-}"
if command -v llvm-symbolizer >/dev/null; then export ASAN_SYMBOLIZER_PATH=$(command -v llvm-symbolizer); fi

# fuzz_query builds its index under TMPDIR and removes it at exit; a crashed run leaves
# it behind, here rather than in /tmp.
export TMPDIR=$PWD/$build/tmp
rm -rf "$TMPDIR"
mkdir -p "$TMPDIR"

summary=()
failed=0
for t in "${targets[@]}"; do
  corpus=$build/corpus/$t
  artifacts=$build/artifacts/$t
  log=$build/logs/$t.log
  mkdir -p "$corpus" "$artifacts" "$(dirname "$log")"
  args=(-rss_limit_mb=2048 -detect_leaks=1 -print_final_stats=1 -timeout=10 -max_len=8192
        -artifact_prefix="$artifacts/")
  d=$(dict_of "$t")
  [[ -n $d ]] && args+=(-dict="tests/fuzz/dicts/$d.dict")
  if ((seconds > 0)); then args+=(-max_total_time="$seconds"); else args+=(-runs=0); fi
  echo "== fuzz_$t: ${seconds}s, $(find "$seeds/$t" -type f | wc -l) seeds, $(find "$corpus" -type f | wc -l) saved inputs"
  rc=0
  touch "$build/logs/$t.start"
  "$build/tests/fuzz/fuzz_$t" "${args[@]}" "$corpus" "$seeds/$t" >"$log" 2>&1 || rc=$?
  execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
  rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -1)
  rss=$(sed -n 's/^stat::peak_rss_mb: *//p' "$log" | tail -1)
  last=$(grep -E '^#[0-9]+.*cov: ' "$log" | tail -1 || true)
  cov=$(sed -n 's/.* cov: \([0-9]*\).*/\1/p' <<<"$last")
  ft=$(sed -n 's/.* ft: \([0-9]*\).*/\1/p' <<<"$last")
  corp=$(sed -n 's/.* corp: \([0-9]*\).*/\1/p' <<<"$last")
  status=ok
  if ((rc != 0)); then
    failed=$((failed + 1))
    why=$(grep -m1 -oE 'ERROR: [A-Za-z]+: [a-z -]+( after [0-9]+ seconds)?|runtime error: .*|hark fuzz check failed: .*' \
      "$log" | head -c 160 || true)
    status="FAILED (${why:-exit $rc})"
    echo "---- fuzz_$t failed (exit $rc); last lines of $log:"
    tail -n 60 "$log"
    echo "---- new artifacts: $(find "$artifacts" -type f -newer "$build/logs/$t.start" | tr '\n' ' ')"
  fi
  summary+=("$(printf '%-19s %10s %8s %6s %7s %6s %6s  %s' "fuzz_$t" "${execs:-?}" "${rate:-?}" "${cov:-?}" "${ft:-?}" \
    "${corp:-?}" "${rss:-?}" "$status")")
done

echo
echo "fuzz: build ${build_seconds}s, runs $((SECONDS - start - build_seconds))s (${seconds}s per target), ASan + UBSan"
printf '%-19s %10s %8s %6s %7s %6s %6s  %s\n' target execs exec/s cov ft corpus rss_mb status
printf '%s\n' "${summary[@]}"
echo "fuzz: $((${#targets[@]} - failed)) passed, $failed failed"
((failed == 0))
