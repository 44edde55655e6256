"""Query latency and index build time, on the shipped corpus and on a scaled corpus.

What is measured:

* build: ``indexer.build.build_index`` wall time (tmp dir + atomic swap included) for the
  shipped corpus and for the scaled store (bench/scale.py, >= 50,000 passages), with the
  writer settings given (``--procs``, ``--limitmb``);
* latency: ``Searcher.search(q, limit=10)`` wall time per query, snippets, facets and
  suggestions included, over a few hundred varied queries generated from the index's own
  material (seeded): single words from three frequency bands, 2-4 word runs from random
  passages, entity names and aliases, quoted phrases, filters (type:, jaar:, entiteit:,
  document: and the ``filters`` dict), misspellings (one edit), prefix*, fuzzy~, OR and NOT.
  The index is warm (opened, one throw-away query); ``first`` is each query's first run in
  a fresh Searcher (term cache cold for the terms it has not seen yet), ``repeat`` a second
  pass over the same queries.

    .venv/bin/python bench/bench_search.py [--scale-dir /tmp/bb-scale] [--passages 50000]
        [--queries 300] [--procs 1] [--limitmb 256] [--profile]

Prints one JSON object.
"""
from __future__ import annotations

import argparse
import json
import random
import re
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def percentile(xs: list[float], p: float) -> float:
    xs = sorted(xs)
    if not xs:
        return 0.0
    k = (len(xs) - 1) * p / 100
    lo, hi = int(k), min(int(k) + 1, len(xs) - 1)
    return xs[lo] + (xs[hi] - xs[lo]) * (k - lo)


def make_queries(searcher, n: int, seed: int = 7) -> list[tuple[str, str, dict | None]]:
    """(kind, query, filters) triples built from the index's own material."""
    from indexer.analysis import STOP_WORDS

    rng = random.Random(seed)
    st = searcher.state
    words = sorted(st.spelling.words.items(), key=lambda x: -x[1])
    words = [w for w, c in words if w not in STOP_WORDS and len(w) >= 4]
    bands = [words[:200], words[200:2000], words[2000:]] if len(words) > 2000 else [words]
    texts = []
    for d in rng.sample(range(st.N), min(400, st.N)):
        texts.append(st.stored(d).get("text", ""))
    ents = st.entities
    years = sorted({int(y) for y in st.year if y})
    kinds = [k for k in st.kinds if k]
    docs = st.doc_ids
    out: list[tuple[str, str, dict | None]] = []

    def run_of_words(k: int) -> str:
        t = rng.choice(texts)
        ws = [w for w in re.findall(r"[^\W\d_]{3,}", t) if w.lower() not in STOP_WORDS]
        if len(ws) < k:
            return " ".join(ws) or rng.choice(words)
        i = rng.randrange(0, len(ws) - k + 1)
        return " ".join(ws[i:i + k])

    def misspell(w: str) -> str:
        i = rng.randrange(1, len(w) - 1)
        op = rng.choice("dsi")
        c = rng.choice("aeiourstn")
        return w[:i] + w[i + 1:] if op == "d" else w[:i] + c + w[i + 1:] if op == "s" else w[:i] + c + w[i:]

    kinds_cycle = ["word", "words", "entity", "phrase", "filter", "filters_dict", "misspelling", "prefix",
                   "fuzzy", "or", "not", "words"]
    for i in range(n):
        kind = kinds_cycle[i % len(kinds_cycle)]
        f = None
        if kind == "word":
            q = rng.choice(rng.choice(bands))
        elif kind == "words":
            q = run_of_words(rng.randint(2, 4))
        elif kind == "entity":
            e = rng.choice(ents) if ents else {"name": rng.choice(words), "aliases": []}
            q = rng.choice([e["name"], *e["aliases"]]) + (" " + rng.choice(bands[0]) if rng.random() < 0.5 else "")
        elif kind == "phrase":
            q = f'"{run_of_words(rng.randint(2, 3))}"'
        elif kind == "filter":
            flt = rng.choice(["type", "jaar", "entiteit", "document", "jaar-range"])
            base = rng.choice(rng.choice(bands))
            if flt == "type" and kinds:
                q = f"{base} type:{rng.choice(kinds)}"
            elif flt == "jaar" and years:
                q = f"{base} jaar:{rng.choice(years)}"
            elif flt == "jaar-range" and years:
                a = rng.choice(years)
                q = f"{base} jaar:{a - 3}-{a}"
            elif flt == "entiteit" and ents:
                q = f"{base} entiteit:{rng.choice(ents)['id']}"
            else:
                q = f"{base} document:{rng.choice(docs)}"
        elif kind == "filters_dict":
            q = run_of_words(2)
            f = {"year": rng.choice(years)} if years and rng.random() < 0.5 else {"type": rng.choice(kinds or [""])}
        elif kind == "misspelling":
            q = misspell(rng.choice([w for w in bands[min(1, len(bands) - 1)] if len(w) >= 6] or words))
        elif kind == "prefix":
            q = rng.choice(words)[:rng.randint(4, 6)] + "*"
        elif kind == "fuzzy":
            q = misspell(rng.choice([w for w in words if len(w) >= 6] or words)) + "~"
        elif kind == "or":
            q = f"{rng.choice(bands[-1])} OR {rng.choice(bands[-1])}"
        else:  # not
            q = f"{rng.choice(bands[0])} -{rng.choice(bands[0])}"
        out.append((kind, q, f))
    return out


def measure(index_dir: Path, n_queries: int, profile: bool = False) -> dict:
    from indexer import Searcher

    t = time.perf_counter()
    s = Searcher(index_dir)
    open_ms = (time.perf_counter() - t) * 1000
    qs = make_queries(s, n_queries)
    s2 = Searcher(index_dir)  # fresh: term cache empty
    s2.search("warm up", limit=10)
    t = time.perf_counter()
    _ = s2.state.spelling.deletes  # the spelling index is built on first need; report its cost separately
    spell_ms = (time.perf_counter() - t) * 1000
    prof = None
    if profile:
        import cProfile
        import io
        import pstats

        prof = cProfile.Profile()
        prof.enable()
    first, per_kind, slow = [], {}, []
    for kind, q, f in qs:
        t = time.perf_counter()
        s2.search(q, limit=10, filters=f)
        ms = (time.perf_counter() - t) * 1000
        first.append(ms)
        per_kind.setdefault(kind, []).append(ms)
        slow.append((round(ms, 1), kind, q[:60]))
    if prof is not None:
        prof.disable()
        buf = io.StringIO()
        pstats.Stats(prof, stream=buf).sort_stats("cumulative").print_stats(25)
        print(buf.getvalue(), file=sys.stderr)
    repeat = []
    for kind, q, f in qs:
        t = time.perf_counter()
        s2.search(q, limit=10, filters=f)
        repeat.append((time.perf_counter() - t) * 1000)
    r = lambda x: round(x, 2)  # noqa: E731
    return {
        "passages": s2.doc_count, "queries": len(qs), "open_ms": r(open_ms), "spelling_index_ms": r(spell_ms),
        "first": {"p50_ms": r(percentile(first, 50)), "p95_ms": r(percentile(first, 95)),
                  "max_ms": r(max(first))},
        "repeat": {"p50_ms": r(percentile(repeat, 50)), "p95_ms": r(percentile(repeat, 95)),
                   "max_ms": r(max(repeat))},
        "first_p95_by_kind_ms": {k: r(percentile(v, 95)) for k, v in sorted(per_kind.items())},
        "slowest_first": sorted(slow, reverse=True)[:5],
        "examples": [q for _, q, _ in qs[:12]],
    }


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--scale-dir", default=None, help="reuse/create the scaled store here (default: a temp dir)")
    ap.add_argument("--passages", type=int, default=50_000)
    ap.add_argument("--queries", type=int, default=300)
    ap.add_argument("--procs", type=int, default=1)
    ap.add_argument("--limitmb", type=int, default=1024)
    ap.add_argument("--skip-scale", action="store_true")
    ap.add_argument("--reuse-index", action="store_true", help="do not rebuild the scaled index if it exists")
    ap.add_argument("--profile", action="store_true", help="cProfile the scaled first pass (stderr)")
    args = ap.parse_args()

    from _kb import pipeline_store
    from indexer.build import build_index
    from kb.store import Store

    out: dict = {"what": "Searcher.search latency (limit 10, snippets+facets+suggestions) and build_index time",
                 "how": __doc__.split("What is measured:")[1].split("    .venv")[0].strip().replace("\n", " ")}
    with tempfile.TemporaryDirectory(prefix="bb-bench-") as tmp:
        work = Path(tmp)
        store = pipeline_store(work / "data", ROOT / "corpus" / "documents")
        t = time.perf_counter()
        st = build_index(store, work / "index", progress=False, procs=args.procs, limitmb=args.limitmb)
        out["shipped"] = {"store": getattr(store, "origin", "?"), "build_s": round(time.perf_counter() - t, 2),
                          "build": st["seconds"], **measure(work / "index", args.queries)}
        store.close()
        if not args.skip_scale:
            sys.path.insert(0, str(Path(__file__).resolve().parent))
            from scale import make_scaled_store  # noqa: E402

            sdir = Path(args.scale_dir) if args.scale_dir else work / "scale"
            db = sdir / "beleidsbank.sqlite"
            if not db.exists():
                extra = ROOT.parent / "shared" / "corpus-extra" / "algoritmekader"
                out["scale_store"] = make_scaled_store(sdir, passages=args.passages, extra_dir=extra)
            store = Store(db)
            ix = sdir / "index"
            if not (args.reuse_index and (ix / "build.json").exists()):
                t = time.perf_counter()
                st = build_index(store, ix, progress=False, procs=args.procs, limitmb=args.limitmb)
                out["scaled_build"] = {"build_s": round(time.perf_counter() - t, 2), "procs": args.procs,
                                       "limitmb": args.limitmb, "phases_s": st["seconds"]}
            store.close()
            out["scaled"] = measure(ix, args.queries, profile=args.profile)
    print(json.dumps(out, ensure_ascii=False, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
