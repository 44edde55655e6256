"""Compare two result dumps of bench/bench_search_inprocess.py (``--dump``): same queries, same hits in
the same order with the same scores (every matching passage's exact score: ``fingerprint``), totals, facet counts, snippets, suggestions and explanations.

    .venv/bin/python bench/compare_search_dumps.py main.jsonl branch.jsonl

Prints JSON: how many queries were compared and, per part, how many differ (with the first few
differing queries); exits 1 when anything differs.
"""
from __future__ import annotations

import json
import sys
from pathlib import Path

PARTS = ("fingerprint", "total", "passages", "hits", "snippets", "more", "facets", "suggestion", "explain")


def load(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def compare(a: list[dict], b: list[dict]) -> dict:
    out: dict = {"queries": len(a), "same_queries": [x["query"] for x in a] == [x["query"] for x in b],
                 "hits_compared": sum(len(x["hits"]) for x in a), "differ": {}}
    for part in PARTS:
        bad = [x["query"] for x, y in zip(a, b) if x.get(part) != y.get(part)]
        out["differ"][part] = {"count": len(bad), "first": bad[:5]}
    out["identical"] = out["same_queries"] and len(a) == len(b) and not any(
        v["count"] for v in out["differ"].values())
    return out


def main() -> int:
    if len(sys.argv) != 3:
        print(__doc__, file=sys.stderr)
        return 2
    res = compare(load(Path(sys.argv[1])), load(Path(sys.argv[2])))
    print(json.dumps(res, indent=1, ensure_ascii=False))
    return 0 if res["identical"] else 1


if __name__ == "__main__":
    sys.exit(main())
