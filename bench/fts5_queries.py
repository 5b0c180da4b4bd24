#!/usr/bin/env python3
"""Runs the search lines of a bench/make_queries.py file against the SQLite FTS5 database
that bench/e2e_ingest.sh builds (table messages(text, author, brand, channel, time
UNINDEXED), porter unicode61), the way an application would: per query, the top 10 by
FTS5's bm25 rank with their fields, and the exact number of matches.

    bench/fts5_queries.py --db fts5.db --queries Q.tsv --out TIMES.tsv [--warmup N]

The first N search lines are run once untimed (warm-up, default 100); then every search
line is timed (both statements, rows fetched). Lines of other kinds (journey, trend) are
skipped: FTS5 has no answer for them. Writes one line per timed query: line number, kind,
milliseconds, total; prints the process's wall time to stderr.
"""
import argparse
import sqlite3
import sys
import time

SEARCH_KINDS = {"term", "and", "phrase", "filtered"}


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--db", required=True)
    ap.add_argument("--queries", required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--warmup", type=int, default=100)
    args = ap.parse_args()
    start = time.monotonic()

    con = sqlite3.connect(f"file:{args.db}?mode=ro", uri=True)
    rows = []
    with open(args.queries, encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            kind, _hark, match, _brand, lo, hi = line.rstrip("\n").split("\t")
            if kind in SEARCH_KINDS:
                rows.append((n, kind, match, lo, hi))

    def run(match, lo, hi):
        if lo:
            where, params = "messages MATCH ? AND time BETWEEN ? AND ?", (match, lo, hi)
        else:
            where, params = "messages MATCH ?", (match,)
        top = con.execute(f"SELECT rowid, text, author, brand, channel, time FROM messages WHERE {where} "
                          "ORDER BY rank LIMIT 10", params).fetchall()
        total = con.execute(f"SELECT count(*) FROM messages WHERE {where}", params).fetchone()[0]
        return len(top), total

    for _, _, match, lo, hi in rows[:args.warmup]:
        run(match, lo, hi)
    with open(args.out, "w", encoding="utf-8") as out:
        for n, kind, match, lo, hi in rows:
            t0 = time.perf_counter()
            _, total = run(match, lo, hi)
            ms = (time.perf_counter() - t0) * 1000.0
            out.write(f"{n}\t{kind}\t{ms:.3f}\t{total}\n")
    print(f"fts5_queries: {len(rows)} queries, wall {time.monotonic() - start:.2f} s", file=sys.stderr)


if __name__ == "__main__":
    main()
