"""Search quality at scale (issue 13): nDCG@10 of our search and of the lexical peers on judged query sets
over the Dutch regulations collection, same passages, same gain rules.

Ours: the built generation in ``--data`` (``beleidsbank build --corpus /work/ext/regelgeving``), queried
in-process through ``indexer.Searcher`` with the knowledge base beside it (as ``beleidsbank search --json``
does, so regulation recognition reads the same register).  Peers (``--peers bm25s,tantivy``): the engines
of bench/scale_peers.py over exactly our passages (the stored text of every passage, exported once to
``--work``), in this process.  The metric replicates ../shared/eval/score.py (bench/bench_peer.evaluate):
a result earns the grade of the first judged quote it contains that no earlier result earned.

    .venv/bin/python bench/bench_quality_scale.py --data /work/ext/regsearch-data \
        [--queries ../shared/eval/dev_queries_regelgeving.jsonl --queries other.jsonl] [--peers bm25s] [-v]

Prints one JSON object: per query set, per system, nDCG@10, recall@10, MRR and per-query nDCG.
"""
from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
DEFAULT_QUERIES = ROOT.parent / "shared" / "eval" / "dev_queries_regelgeving.jsonl"
DEFAULT_DATA = Path("/work/ext/regsearch-data")


def load_queries(path: Path) -> list[dict]:
    items = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    for it in items:
        it.setdefault("relevant", it.get("judgements", []))
    return items


def ours(data: Path, ranking=None):
    """search(query) -> passage texts, best first, through the product's Searcher and knowledge base
    (``ranking``: a ``settings.Ranking`` to try instead of the default)."""
    from indexer import Searcher
    from kb.store import Store
    from settings import Settings

    settings = Settings(data_dir=data)
    store = Store(settings.db_path, readonly=True)
    searcher = Searcher(settings.index_dir, store, ranking=ranking)

    def search(q: str) -> list[str]:
        res = searcher.search(q, limit=10, facets=False, snippets=False, suggest=False)
        return [r["text"] for r in res["results"]]

    return search


def peer(engine: str, data: Path, work: Path):
    """search(query) -> passage texts of a peer engine indexed over our passages."""
    from bench_scale import export_passages
    from scale_peers import bm25s_engine, tantivy_engine

    work.mkdir(parents=True, exist_ok=True)
    passages_file = work / "passages.jsonl"
    if not passages_file.exists():
        export_passages(data, passages_file)
    passages = [json.loads(line) for line in passages_file.open(encoding="utf-8")]
    index_dir = work / f"peer-{engine}"
    index_dir.mkdir(parents=True, exist_ok=True)
    make = {"bm25s": bm25s_engine, "tantivy": tantivy_engine}[engine]
    engine_search = make(passages, index_dir)

    def search(q: str) -> list[str]:
        return [passages[i] for i in engine_search(q, 10)]

    return search


def main() -> int:
    from bench_peer import evaluate

    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--data", type=Path, default=DEFAULT_DATA)
    ap.add_argument("--queries", type=Path, action="append")
    ap.add_argument("--peers", default="", help="comma-separated: bm25s,tantivy")
    ap.add_argument("--work", type=Path, default=Path("/work/ext/regsearch-peers"))
    ap.add_argument("-v", "--verbose", action="store_true")
    args = ap.parse_args()
    sets = {p.name: load_queries(p) for p in (args.queries or [DEFAULT_QUERIES])}
    systems = {"ours": ours(args.data)}
    for engine in filter(None, args.peers.split(",")):
        systems[engine] = peer(engine, args.data, args.work)
    out: dict = {"measured": "nDCG@10 (score.py gain rules) on judged queries over the regulations collection",
                 "data": str(args.data), "sets": {}}
    for name, items in sets.items():
        out["sets"][name] = {}
        for sysname, search in systems.items():
            t = time.perf_counter()
            res = evaluate(items, search, verbose=args.verbose, name=f"{name}:{sysname}")
            res["seconds"] = round(time.perf_counter() - t, 1)
            out["sets"][name][sysname] = res
    print(json.dumps(out, ensure_ascii=False, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
