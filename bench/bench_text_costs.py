"""Hostile text at two sizes: the text-cost findings of issue 16 (#1, #3, #4), replayed.

What is measured: the wall time of the worst cases the adversarial probe found, each at a
small and a four times larger size, in one process after a warm-up —

* ``name_chain`` (#1): tagging ``"IND en COA " * n`` with the shipped tagger (the probe sent
  95,325 repetitions to ``POST /api/v1/tag``);
* ``long_word`` (#3): analysing one word of ``n`` letters with the search index's Dutch chain
  (compound splitting against the shipped corpus' vocabulary);
* ``elliptic_compound`` (#4): analysing the query ``"in- en <n random letters>"`` (shared-head
  completion tries suffixes of the long word).

``ratio`` is large-size time over small-size time: about 4 means linear, 16 quadratic.  The
regression tests count operations instead (tests/test_tagger_cost.py, tests/test_nltext_analysis.py);
timings here are noisy on a shared machine.

    .venv/bin/python bench/bench_text_costs.py [--scale 1]

Prints one JSON object: {"what", "how", "cases": [{"case", "sizes", "seconds", "ratio"}]}.
"""
from __future__ import annotations

import argparse
import json
import random
import string
import sys
import time
from pathlib import Path
from typing import Callable

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def _seconds(fn: Callable[[], object]) -> float:
    t = time.perf_counter()
    fn()
    return time.perf_counter() - t


def _letters(n: int, seed: int) -> str:
    rnd = random.Random(seed)
    return "".join(rnd.choice(string.ascii_lowercase) for _ in range(n))


def main() -> None:
    from corpus.loader import discover, load_document
    from kb.tagger.pipeline import build_tagger
    from nltext import Analyzer, build_vocabulary, vocabulary_counts

    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--scale", type=int, default=1, help="multiply every size by this")
    args = ap.parse_args()

    corpus = ROOT / "corpus" / "documents"
    texts = [s.text for p in discover(corpus) for s in load_document(p, corpus).sections]
    vocab = build_vocabulary(vocabulary_counts(texts))
    tagger = build_tagger()
    seed = iter(range(10**6))

    cases: dict[str, tuple[int, Callable[[int], Callable[[], object]]]] = {
        "name_chain": (2_000, lambda n: (lambda: tagger.tag("IND en COA " * n))),
        "long_word": (50_000, lambda n: (lambda w=_letters(n, next(seed)): Analyzer(vocab).tokens(w))),
        "elliptic_compound": (490, lambda n: (lambda w=_letters(n, next(seed)): Analyzer(vocab).tokens("in- en " + w))),
    }
    out = []
    for name, (small, make) in cases.items():
        small *= args.scale
        make(small)()  # warm-up
        sizes = [small, 4 * small]
        secs = [_seconds(make(n)) for n in sizes]
        out.append({"case": name, "sizes": sizes, "seconds": [round(s, 4) for s in secs],
                    "ratio": round(secs[1] / secs[0], 2) if secs[0] else None})
    print(json.dumps({
        "what": "cost of the hostile text inputs of issue 16 (#1 name chains, #3 long words, #4 elliptic compounds)",
        "how": "wall time of one call per size after a warm-up, sizes n and 4n; ratio ~4 is linear",
        "cases": out,
    }, indent=2))


if __name__ == "__main__":
    main()
