"""In-process search latency over the scale benchmark's 300 queries (bench/bench_scale.py), per query.

What the HTTP benchmark measures, without HTTP and gunicorn in between, so that the slow queries can
be found and profiled: one fresh process opens the built data (``--data``, read only), runs the last
30 queries as a warm-up (as bench_scale.py does), then every query once in order with the options of
the API's search (limit 10, snippets, facets and suggestions on), and prints JSON: p50/p95/max, the
slowest queries, and the work counted by the index state (postings read, posting blocks decoded).

``--dump FILE`` also writes every query's result (ids, scores, order, totals, facets, snippets,
suggestion) as JSON lines, so two branches can be compared (bench/compare_search_dumps.py).
``--profile N`` runs the N slowest queries again under cProfile in a fresh state and prints the top.

    .venv/bin/python bench/bench_search_inprocess.py --data /work/ext/scale-bench/data-s1 [--dump out.jsonl]
"""
from __future__ import annotations

import argparse
import cProfile
import gc
import io
import json
import pstats
import resource
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
QUERIES = Path("/work/ext/scale-bench/queries-s1.json")


def _pct(xs: list[float]) -> dict:
    xs = sorted(xs)
    return {"n": len(xs), "p50": round(xs[len(xs) // 2], 1), "p95": round(xs[int(len(xs) * 0.95) - 1], 1),
            "max": round(xs[-1], 1)}


def _open(data: Path):
    from indexer import Searcher
    from kb.store import Store
    from settings import DB_FILENAME, INDEX_DIRNAME, current_generation

    gen = current_generation(data)
    return Searcher(gen / INDEX_DIRNAME, Store(gen / DB_FILENAME, readonly=True))


def _warm(data: Path):
    """A searcher opened and warmed as a server worker is (beleidsbank.server.warm_up)."""
    s = _open(data)
    s.search("beleid", limit=1)
    _ = s.state.spelling.deletes
    return s


def _fingerprint(s, q: str) -> str:
    """The exact float32 score of every passage the query matches, hashed with the passages' numbers
    (the API rounds scores to 4 decimals; this sees every bit)."""
    import hashlib

    import numpy as np
    from indexer.explain import Explanation

    run = s._run(s.state, q, None, Explanation())
    docs = np.flatnonzero(run.mask)
    return hashlib.sha1(docs.astype(np.int64).tobytes() + run.score[docs].astype(np.float32).tobytes()).hexdigest()


def _summary(res: dict, fingerprint: str) -> dict:
    """What must stay identical between two implementations."""
    return {"query": res["query"], "fingerprint": fingerprint, "total": res["total"], "passages": res["passages"],
            "hits": [(r["id"], r["score"]) for r in res["results"]],
            "snippets": [r["snippet"] for r in res["results"]],
            "more": [r["more_in_section"] for r in res["results"]],
            "facets": res["facets"], "suggestion": res["suggestion"], "explain": res["explain"]}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", type=Path, default=Path("/work/ext/scale-bench/data-s1"))
    ap.add_argument("--queries", type=Path, default=QUERIES)
    ap.add_argument("--dump", type=Path, default=None)
    ap.add_argument("--slowest", type=int, default=15)
    ap.add_argument("--profile", type=int, default=0, help="profile the N slowest queries (cold state)")
    ap.add_argument("--no-warmup", action="store_true")
    ap.add_argument("--group", default="none", choices=("none", "section"), help="as the API's group (the UI uses section)")
    ap.add_argument("--warm-df", type=int, default=0, help="also Searcher.warm(min_df, --warm-seconds) after opening")
    ap.add_argument("--warm-seconds", type=float, default=3.0, help="CPU seconds (Limits.search_warm_seconds)")
    ap.add_argument("--warm-terms", type=int, default=None, help="at most this many terms (the same work on any machine)")
    args = ap.parse_args()
    queries = json.loads(args.queries.read_text(encoding="utf-8"))
    t0 = time.perf_counter()
    s = _warm(args.data)
    st = s.state
    warmed = s.warm(args.warm_df, args.warm_seconds, args.warm_terms) if args.warm_df else None
    open_ms = (time.perf_counter() - t0) * 1000
    t = time.perf_counter()
    s.search(queries[0], limit=10)
    first_ms = (time.perf_counter() - t) * 1000
    if not args.no_warmup:
        for q in queries[-30:]:
            s.search(q, limit=10)
    work0 = dict(getattr(st, "work", {}))
    faults0 = resource.getrusage(resource.RUSAGE_SELF).ru_minflt
    times: list[tuple[float, str]] = []
    cpu: list[float] = []  # CPU seconds of this process per query: less disturbed by other work on the machine
    dump = open(args.dump, "w", encoding="utf-8") if args.dump else None
    gc.collect()
    for q in queries:
        c, t = time.process_time(), time.perf_counter()
        res = s.search(q, limit=10, group=args.group)
        ms = (time.perf_counter() - t) * 1000
        cpu.append((time.process_time() - c) * 1000)
        times.append((ms, q))
        if dump:
            dump.write(json.dumps(_summary(res, _fingerprint(s, q)), ensure_ascii=False) + "\n")
    if dump:
        dump.close()
    work = {k: v - work0.get(k, 0) for k, v in getattr(st, "work", {}).items()}
    work["page_faults"] = resource.getrusage(resource.RUSAGE_SELF).ru_minflt - faults0
    slow = sorted(times, reverse=True)[:args.slowest]
    out = {"what": "in-process Searcher.search over the scale benchmark's queries (limit 10, facets, snippets, "
                   "suggestions), after a 30-query warm-up, one process",
           "open_ms": round(open_ms, 1), "warmed": warmed, "first_query_ms": round(first_ms, 1),
           "ms": _pct([x for x, _ in times]), "cpu_ms": _pct(cpu), "work": work,
           "slowest": [{"ms": round(x, 1), "q": q} for x, q in slow]}
    print(json.dumps(out, indent=1, ensure_ascii=False))
    if args.profile:
        from indexer import state as state_mod

        state_mod._STATES.clear()  # a fresh generation: the slow queries' terms are read again
        s2 = _warm(args.data)
        prof = cProfile.Profile()
        for _, q in slow[:args.profile]:
            prof.enable()
            s2.search(q, limit=10)
            prof.disable()
        buf = io.StringIO()
        pstats.Stats(prof, stream=buf).sort_stats("cumulative").print_stats(45)
        pstats.Stats(prof, stream=buf).sort_stats("tottime").print_stats(30)
        print(buf.getvalue(), file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
