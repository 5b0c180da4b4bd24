#!/usr/bin/env python3
"""Checks the brand lexicons of this folder (or the files given): valid JSON in the format of
README.md, unique names (case-insensitive), competitors that name other brands of the same
file, handles starting with '@', hashtags with '#', every entry non-empty under the matching
rule, and no entry whose token sequence is claimed by two brands. Prints one line per file;
exits 1 on the first file with problems.

  python3 corpora/brands/validate_lexicons.py [FILE.json ...]
"""
import glob
import json
import os
import sys

FIELDS = ("name", "aliases", "handles", "hashtags", "misspellings", "market", "competitors")


def is_word(b):
    return b >= 0x80 or b == 0x5F or 0x30 <= b <= 0x39 or 0x41 <= b <= 0x5A or 0x61 <= b <= 0x7A


def tokenize(text):
    """The matching rule: ASCII case-folded; a token is a maximal run of ASCII letters, digits,
    '_' or non-ASCII bytes; '@'/'#' right before a token, at the start or after a non-word
    byte, makes it a handle/hashtag token; every other byte separates."""
    data = text.encode("utf-8")
    tokens, i, n = [], 0, len(data)
    while i < n:
        if not is_word(data[i]):
            i += 1
            continue
        j = i
        while j < n and is_word(data[j]):
            j += 1
        word = data[i:j].decode("utf-8", "replace")
        word = "".join(c.lower() if c.isascii() else c for c in word)
        if i > 0 and data[i - 1] in b"@#" and (i == 1 or not is_word(data[i - 2])):
            word = chr(data[i - 1]) + word
        tokens.append(word)
        i = j
    return tuple(tokens)


def check(path):
    problems = []
    try:
        doc = json.load(open(path, encoding="utf-8"))
    except Exception as e:  # noqa: BLE001
        return [f"not valid JSON: {e}"], 0
    if not isinstance(doc, dict) or not isinstance(doc.get("brands"), list):
        return ['top level must be {"brands": [...]}'], 0
    brands = doc["brands"]
    names = {}
    for b in brands:
        if not isinstance(b, dict) or not isinstance(b.get("name"), str) or not b["name"].strip():
            problems.append(f"brand without a name: {b!r}")
            continue
        key = b["name"].lower()
        if key in names:
            problems.append(f"duplicate name (case-insensitive): {b['name']}")
        names[key] = b
    owner = {}
    for b in brands:
        if not isinstance(b, dict) or "name" not in b:
            continue
        name = b["name"]
        for k in b:
            if k not in FIELDS:
                problems.append(f"{name}: unknown field {k}")
        if not isinstance(b.get("market"), str) or not b["market"]:
            problems.append(f"{name}: market must be a non-empty string")
        for k in ("aliases", "handles", "hashtags", "misspellings", "competitors"):
            v = b.get(k, [])
            if not isinstance(v, list) or not all(isinstance(x, str) and x for x in v):
                problems.append(f"{name}: {k} must be a list of non-empty strings")
        for h in b.get("handles", []):
            if not h.startswith("@") or tokenize(h) != (h.lower(),):
                problems.append(f"{name}: handle {h!r} must be '@' and one token")
        for h in b.get("hashtags", []):
            if not h.startswith("#") or tokenize(h) != (h.lower(),):
                problems.append(f"{name}: hashtag {h!r} must be '#' and one token")
        for c in b.get("competitors", []):
            other = names.get(c.lower())
            if other is None:
                problems.append(f"{name}: competitor {c!r} is not a brand of this file")
            elif other is b:
                problems.append(f"{name}: lists itself as a competitor")
        entries = [name] + [x for k in ("aliases", "misspellings", "handles", "hashtags")
                            for x in b.get(k, [])]
        seen = set()
        for e in entries:
            toks = tokenize(e)
            if not toks:
                problems.append(f"{name}: entry {e!r} has no token")
                continue
            if toks in seen:
                problems.append(f"{name}: entry {e!r} repeats another entry's tokens {toks}")
            seen.add(toks)
            if toks in owner and owner[toks] != name:
                problems.append(f"{name}: entry {e!r} also belongs to {owner[toks]}")
            owner[toks] = name
    return problems, len(brands)


def main(argv):
    here = os.path.dirname(os.path.abspath(__file__))
    paths = argv[1:] or sorted(glob.glob(os.path.join(here, "*.json")))
    bad = 0
    for p in paths:
        problems, n = check(p)
        print(f"{os.path.basename(p)}: {n} brands, {'ok' if not problems else 'PROBLEMS'}")
        for x in problems:
            print("  " + x)
        bad += bool(problems)
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
