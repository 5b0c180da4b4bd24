#!/usr/bin/env python3
"""Makes the query sets of bench/search_bench.sh from a JSONL corpus (hark-gen's, or any
with text, author, role, brand, time), with a fixed seed, so that hark and SQLite FTS5 run
exactly the same queries.

    bench/make_queries.py CORPUS.jsonl --out-search S.tsv --out-night N.tsv
                          [--per-kind 250] [--night 10000] [--seed 1]

Each line: kind, hark query, FTS5 MATCH expression, brand, from, to (ISO UTC, inclusive);
empty fields are unused. FTS5 expressions name the text column (hark searches the text;
FTS5 would also match authors and brands). Search kinds (the issue's list):
  term      one word                      hark: refund          fts5: text : "refund"
  and       two words of one message      hark: refund flight   fts5: text : ("refund" AND "flight")
  phrase    two adjacent words            hark: "refund flight" fts5: text : "refund flight"
  filtered  a word, the message's brand and calendar month
            hark: refund + brand filter + --from/--to
            fts5: text : "refund" AND brand : "northjet", time BETWEEN from AND to
Words are drawn from random messages (so common words come up as often as users type
them), lower-cased, letters only, 3 to 20 of them, not a stopword and not one of the
query parsers' operator words. Night kinds (the analyst's night): the search kinds above,
plus journey (a customer's handle), trend (a word by day) and trend-brand (a brand by
day), in the proportions 70% search, 20% journey, 10% trend, shuffled.
"""
import argparse
import calendar
import json
import random
import re
import sys

STOPWORDS = set("""a about after again all also am an and any are as at be been before being but by can could
did do does doing for from had has have having he her here hers him his how i if in into is it its just me more
most my no nor not now of off on once only or other our out over own same she should so some such than that the
their them then there these they this those through to too under until up very was we were what when where which
while who whom why will with would you your yours adj near xor""".split())
WORD = re.compile(r"^[a-z]{3,20}$")


def words_of(text):
    """The message's whitespace tokens: (lower-cased word or None, ends a clause)."""
    out = []
    for raw in text.split():
        w = raw.strip(".,!?;:()\"'").lower()  # inner punctuation (didn't, @handle) fails WORD
        ok = WORD.match(w) and w not in STOPWORDS
        out.append((w if ok else None, raw != raw.rstrip(".,!?;:)\"'")))
    return out


def month_bounds(iso):
    y, m = int(iso[0:4]), int(iso[5:7])
    last = calendar.monthrange(y, m)[1]
    return f"{y:04d}-{m:02d}-01T00:00:00Z", f"{y:04d}-{m:02d}-{last:02d}T23:59:59Z"


def fts5_phrase(text):
    return '"' + text.replace('"', '""') + '"'


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("corpus")
    ap.add_argument("--out-search", required=True)
    ap.add_argument("--out-night", required=True)
    ap.add_argument("--per-kind", type=int, default=250)
    ap.add_argument("--night", type=int, default=10000)
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args()

    messages = []  # (words, brand, time)
    customers, brands = set(), set()
    with open(args.corpus, encoding="utf-8") as f:
        for line in f:
            try:
                m = json.loads(line)
            except ValueError:
                continue
            text, brand, time = m.get("text") or "", m.get("brand") or "", m.get("time") or ""
            if m.get("role") == "customer" and m.get("author"):
                customers.add(m["author"])
            if brand:
                brands.add(brand)
            messages.append((text, brand, time))
    if not messages:
        sys.exit(f"make_queries: no messages in {args.corpus}")
    rng = random.Random(args.seed)
    customers, brands = sorted(customers), sorted(brands)

    def draw(kind):
        while True:
            text, brand, time = messages[rng.randrange(len(messages))]
            toks = words_of(text)
            words = [w for w, _ in toks if w]
            if kind == "term" and words:
                w = rng.choice(words)
                return [kind, w, f"text : {fts5_phrase(w)}", "", "", ""]
            if kind == "and":
                distinct = sorted(set(words))
                if len(distinct) >= 2:
                    a, b = rng.sample(distinct, 2)
                    return [kind, f"{a} {b}", f"text : ({fts5_phrase(a)} AND {fts5_phrase(b)})", "", "", ""]
            if kind == "phrase":
                pairs = [(toks[i][0], toks[i + 1][0]) for i in range(len(toks) - 1)
                         if toks[i][0] and toks[i + 1][0] and not toks[i][1]]
                if pairs:
                    a, b = rng.choice(pairs)
                    return [kind, f'"{a} {b}"', f"text : {fts5_phrase(f'{a} {b}')}", "", "", ""]
            if kind == "filtered" and words and brand and len(time) >= 7:
                w = rng.choice(words)
                lo, hi = month_bounds(time)
                return [kind, w, f"text : {fts5_phrase(w)} AND brand : {fts5_phrase(brand.lower())}", brand, lo, hi]

    kinds = ["term", "and", "phrase", "filtered"]
    search = [draw(k) for k in kinds for _ in range(args.per_kind)]
    rng.shuffle(search)
    with open(args.out_search, "w", encoding="utf-8") as f:
        for row in search:
            f.write("\t".join(row) + "\n")

    night = []
    n_search, n_journey = args.night * 7 // 10, args.night * 2 // 10
    n_trend = args.night - n_search - n_journey
    night += [draw(kinds[i % 4]) for i in range(n_search)]
    night += [["journey", rng.choice(customers), "", "", "", ""] for _ in range(n_journey)] if customers else []
    for i in range(n_trend):
        if i % 2 == 0 and brands:
            night.append(["trend-brand", "", "", rng.choice(brands), "", ""])
        else:
            night.append(["trend", draw("term")[1], "", "", "", ""])
    rng.shuffle(night)
    with open(args.out_night, "w", encoding="utf-8") as f:
        for row in night:
            f.write("\t".join(row) + "\n")
    print(f"make_queries: {len(search)} search queries, {len(night)} night queries from {len(messages)} messages "
          f"({len(customers)} customers, {len(brands)} brands)")


if __name__ == "__main__":
    main()
