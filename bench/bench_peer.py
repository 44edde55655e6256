"""nDCG@10 of our search engine and of a plain BM25 peer on the judged dev queries, same run.

Peer: bm25s (Lucene BM25, k1=1.5, b=0.75) with PyStemmer's Dutch stemmer and bm25s' Dutch
stop words over the raw corpus files split at blank lines (one passage per paragraph).

Ours: the real index (indexer.build) over the knowledge base the product's pipeline builds
from the same corpus (readers + tagger, bench/_kb.py), queried
in-process through indexer.Searcher.  ``--sweep`` also builds and scores the
alternative set-ups (passage granularity, compound handling, stemmer, coordination).

The metric replicates ../shared/eval/score.py: a result earns the grade of the first judged
quote it contains that no earlier result earned; nDCG over the top k.

    .venv/bin/python bench/bench_peer.py [--sweep] [--corpus corpus/documents] [-v]

Prints one JSON object.
"""
from __future__ import annotations

import argparse
import json
import math
import re
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
DEFAULT_QUERIES = ROOT.parent / "shared" / "eval" / "dev_queries.jsonl"


def norm(s: str) -> str:
    return re.sub(r"\s+", " ", s.replace("\u00ad", "")).strip().lower()


def dcg(gains) -> float:
    return sum(g / math.log2(i + 2) for i, g in enumerate(gains))


def evaluate(items: list[dict], search, k: int = 10, verbose: bool = False, name: str = "") -> dict:
    """search(query) -> list of passage texts (best first)."""
    tot = {"ndcg": 0.0, "recall": 0.0, "mrr": 0.0}
    per = {}
    for it in items:
        texts = search(it["query"])[:k]
        quotes = [(norm(r["quote"]), r["grade"]) for r in it["relevant"]]
        earned, gains = set(), []
        for text in texts:
            body = norm(text)
            g = 0
            for i, (qt, grade) in enumerate(quotes):
                if i not in earned and qt in body:
                    earned.add(i)
                    g = grade
                    break
            gains.append(g)
        ideal = sorted((g for _, g in quotes), reverse=True)[:k]
        ndcg = dcg(gains) / dcg(ideal)
        top = [i for i, (_, g) in enumerate(quotes) if g >= 2]  # as score.py: graded 2 or more
        recall = len([i for i in top if i in earned]) / len(top) if top else 1.0
        rr = next((1 / (n + 1) for n, g in enumerate(gains) if g > 0), 0.0)
        tot["ndcg"] += ndcg
        tot["recall"] += recall
        tot["mrr"] += rr
        per[it["id"]] = round(ndcg, 3)
        if verbose:
            print(f"  {name} {it['id']} ndcg={ndcg:.3f} gains={gains} q={it['query']!r}", file=sys.stderr)
    n = len(items)
    return {"ndcg@10": round(tot["ndcg"] / n, 4), "recall@10": round(tot["recall"] / n, 4),
            "mrr": round(tot["mrr"] / n, 4), "per_query": per}


# -- peer --------------------------------------------------------------------------------
def peer_search_fn(corpus_dir: Path):
    import bm25s
    import Stemmer

    passages = []
    for p in sorted(corpus_dir.rglob("*")):
        if p.is_file() and p.suffix.lower() in (".md", ".txt"):
            raw = p.read_text(encoding="utf-8")
            passages.extend(x.strip() for x in re.split(r"\n\s*\n", raw) if x.strip())
    stemmer = Stemmer.Stemmer("dutch")
    tokens = bm25s.tokenize(passages, stopwords="nl", stemmer=stemmer, show_progress=False)
    retriever = bm25s.BM25()
    retriever.index(tokens, show_progress=False)

    def search(q: str) -> list[str]:
        qt = bm25s.tokenize([q], stopwords="nl", stemmer=stemmer, show_progress=False)
        if not qt.vocab:
            return []
        k = min(10, len(passages))
        docs, scores = retriever.retrieve(qt, k=k, show_progress=False)
        return [passages[int(d)] for d, s in zip(docs[0], scores[0]) if s > 0]

    return search, len(passages)


# -- ours --------------------------------------------------------------------------------
def build_ours(store, workdir: Path, options, name: str):
    from indexer.build import build_index

    ix = workdir / f"index-{name}"
    t = time.perf_counter()
    stats = build_index(store, ix, progress=False, options=options)
    return ix, stats, time.perf_counter() - t


def ours_search_fn(index_dir: Path, ranking=None):
    from indexer import Searcher

    s = Searcher(index_dir, ranking=ranking)

    def search(q: str) -> list[str]:
        return [r["text"] for r in s.search(q, limit=10, facets=False, snippets=False, suggest=False)["results"]]

    return search


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--queries", default=str(DEFAULT_QUERIES))
    ap.add_argument("--corpus", default=str(ROOT / "corpus" / "documents"))
    ap.add_argument("--sweep", action="store_true", help="also score alternative index/ranking set-ups")
    ap.add_argument("-v", "--verbose", action="store_true")
    args = ap.parse_args()

    from _kb import pipeline_store
    from settings import Ranking
    from settings import IndexOptions

    items = [json.loads(l) for l in open(args.queries, encoding="utf-8") if l.strip()]
    corpus = Path(args.corpus)
    out: dict = {"what": "nDCG@10 on judged dev queries (score.py formula), ours vs plain BM25 peer",
                 "queries": len(items), "corpus": str(corpus)}

    t = time.perf_counter()
    peer, n_peer = peer_search_fn(corpus)
    out["peer"] = {"how": "bm25s BM25 + PyStemmer dutch + Dutch stop words, raw files split at blank lines",
                   "passages": n_peer, **evaluate(items, peer, verbose=args.verbose, name="peer"),
                   "seconds": round(time.perf_counter() - t, 2)}

    with tempfile.TemporaryDirectory(prefix="bb-peer-") as tmp:
        work = Path(tmp)
        store = pipeline_store(work / "data", corpus)
        out["store"] = {"reader": getattr(store, "origin", "?"), **store.counts()}
        configs = {"default": (IndexOptions(), Ranking())}
        if args.sweep:
            base = IndexOptions()
            configs.update({
                "granularity=section": (replace(base, granularity="section"), Ranking()),
                "granularity=block": (replace(base, granularity="block"), Ranking()),
                "window<=60w": (replace(base, max_words=60), Ranking()),
                "window<=200w,4blocks": (replace(base, max_words=200, max_blocks=4), Ranking()),
                "compounds=inline": (replace(base, compounds="inline"), Ranking()),
                "compounds=none": (replace(base, compounds="none"), Ranking()),
                "stemmer=dutch(snowball3)": (replace(base, stemmer="dutch"), Ranking()),
                "coord=0 (pure OR)": (base, Ranking(coord_power=0)),
                "coord=1": (base, Ranking(coord_power=1)),
                "coord=3": (base, Ranking(coord_power=3)),
                "AND-then-OR": (base, Ranking(strict=True, coord_power=0)),
                "no-entity-boost": (base, Ranking(entity_weight=0.0)),
                "title-weight=3": (base, Ranking(field_weights={**Ranking().field_weights, "title": 3.0})),
                "title-weight=0.5": (base, Ranking(field_weights={**Ranking().field_weights, "title": 0.5})),
            })
        built: dict = {}
        results = {}
        for name, (opts, ranking) in configs.items():
            key = json.dumps(opts.to_dict(), sort_keys=True)
            if key not in built:
                built[key] = build_ours(store, work, opts, f"{len(built)}")
            ix, stats, secs = built[key]
            res = evaluate(items, ours_search_fn(ix, ranking), verbose=args.verbose, name=name)
            res["passages"] = stats["passages"]
            res["build_seconds"] = round(secs, 2)
            results[name] = res
        out["ours"] = results
        store.close()
    o = out["ours"]["default"]["ndcg@10"]
    p = out["peer"]["ndcg@10"]
    out["summary"] = {"ours": o, "peer": p, "margin": round(o - p, 4), "target": "ours >= 0.93 and >= peer + 0.08",
                      "met": o >= 0.93 and o >= p + 0.08}
    print(json.dumps(out, ensure_ascii=False, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
