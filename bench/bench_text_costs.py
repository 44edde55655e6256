"""Hostile input at two sizes: the probe's worst cases of issue 16 (#1, #2, #3, #4, #8, #9), replayed.

What is measured: the wall time (best of three) of the worst cases the adversarial probe found, each at a
small and a four times larger size, in one process after a warm-up —

* ``name_chain`` (#1): tagging ``"IND en COA " * n`` with the shipped tagger (the probe sent
  95,325 repetitions to ``POST /api/v1/tag``);
* ``long_word`` (#3): analysing one word of ``n`` letters with the search index's Dutch chain
  (compound splitting against the shipped corpus' vocabulary);
* ``elliptic_compound`` (#4): analysing the query ``"in- en <n random letters>"`` (shared-head
  completion tries suffixes of the long word).

* ``yaml_alias_bomb`` (#2): a front matter of ``n`` "billion laughs" alias levels (the probe's
  9-level sidecar took 131 s and 7.6 GB); refused, so the cost follows the bytes, not the expansion;
* ``large_text`` (#8): reading a plain-text document of ``n`` paragraphs (the probe's 50 MB file) with
  the corpus reader, outline and sections included;
* ``invalid_bytes`` (#9): reading ``n`` paragraphs with stray NUL, C1 and invalid UTF-8 bytes (each
  reported with its offset, none kept).

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


def _alias_bomb(levels: int) -> str:
    """Front matter whose every level refers nine times to the one before it."""
    lines = ["---", 'a0: &a0 ["lol"]']
    for i in range(1, levels + 1):
        lines.append(f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 9) + "]")
    return "\n".join(lines + ["---", "# Titel", "", "Tekst."]) + "\n"


def _paragraphs(n: int, dirty: bool) -> bytes:
    para = "Het kabinet zal de Tweede Kamer voor 1 juli 2025 informeren over de voortgang van het programma.\n\n"
    data = ("# Nota\n\n" + para * n).encode("utf-8")
    if dirty:  # after the first 64 KiB (a NUL before it makes the file binary): a NUL, a C1 control and an
        # invalid UTF-8 byte in every tenth paragraph
        head, tail = data[:70_000], data[70_000:]
        data = head + tail.replace(b"programma.\n\nHet", b"programma.\x00\xc2\x85\xff\n\nHet", n // 10)
    return data


def _read(tmp: Path, name: str, data: bytes) -> Callable[[], object]:
    from corpus.loader import load_document
    path = tmp / name
    path.write_bytes(data)
    return lambda: load_document(path, tmp)


def main() -> None:
    import tempfile

    from corpus.loader import discover, load_document
    from corpus.metadata import split_front_matter
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
    tmp = Path(tempfile.mkdtemp(prefix="bench-text-costs-"))
    count = iter(range(10**6))

    cases: dict[str, tuple[int, Callable[[int], Callable[[], object]]]] = {
        "name_chain": (2_000, lambda n: (lambda: tagger.tag("IND en COA " * n))),
        "long_word": (50_000, lambda n: (lambda w=_letters(n, next(seed)): Analyzer(vocab).tokens(w))),
        "elliptic_compound": (490, lambda n: (lambda w=_letters(n, next(seed)): Analyzer(vocab).tokens("in- en " + w))),
        "yaml_alias_bomb": (2, lambda n: (lambda t=_alias_bomb(n): split_front_matter(t, "bom.md"))),
        "large_text": (5_000, lambda n: _read(tmp, f"groot-{next(count)}.txt", _paragraphs(n, False))),
        "invalid_bytes": (5_000, lambda n: _read(tmp, f"vuil-{next(count)}.txt", _paragraphs(n, True))),
    }
    out = []
    for name, (small, make) in cases.items():
        small *= args.scale
        make(small)()  # warm-up
        sizes = [small, 4 * small]
        secs = [min(_seconds(call) for _ in range(3)) for call in (make(n) for n in sizes)]  # best of three
        out.append({"case": name, "sizes": sizes, "seconds": [round(s, 6) for s in secs],
                    "ratio": round(secs[1] / secs[0], 2) if secs[0] else None})
    print(json.dumps({
        "what": "cost of the hostile inputs of issue 16 (#1 name chains, #2 YAML alias bombs, #3 long words, "
                "#4 elliptic compounds, #8 large text files, #9 invalid bytes)",
        "how": "wall time per size, best of three calls after a warm-up, sizes n and 4n; ratio ~4 is linear, ~1 capped",
        "cases": out,
    }, indent=2))
    for f in tmp.iterdir():
        f.unlink()
    tmp.rmdir()


if __name__ == "__main__":
    main()
