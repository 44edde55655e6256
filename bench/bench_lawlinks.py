"""Citations of regulations resolved to BWB ids, measured on regulations the register has never seen.

What is measured: the regulations collection (``--collection``; by default ``/work/ext/regelgeving`` when it
is unpacked there, else ``../shared/corpus-regelgeving/regelgeving.tar.xz`` unpacked into a temporary
folder, about 5 seconds) is split by
a hash of each file's BWB id; the register is built from one part only (``1 - --holdout``), and the
citations are taken from the links in the other part: every paragraph (line) with a link whose target
is a BWB id becomes a text with the links replaced by their anchor text, and each anchor that names a
regulation (the anchor minus its article reference is not empty and not a stand-in such as "de wet")
is a citation of the link's BWB id.  The tagger (blank pipeline, catalogue, that register) tags each
text; a citation counts as resolved when an entity overlapping its name carries that BWB id, as wrong
when overlapping entities carry only other BWB ids (the rule of ``score.py lawlinks``).  ``--dev``
also scores the judged dev set the same way in-process, with the register of the whole collection.

    .venv/bin/python bench/bench_lawlinks.py [--collection DIR] [--holdout 0.2] [--sample 3000] [--dev] [-v]

Prints one JSON object: {"what", "how", "heldout": {...}, "dev": {...}}.
"""
from __future__ import annotations

import argparse
import hashlib
import json
import random
import re
import sys
import tarfile
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
ARCHIVE = ROOT.parent / "shared" / "corpus-regelgeving" / "regelgeving.tar.xz"

#: A Markdown link; the target may hold a folder in brackets (".../1990/(rvv/1990)/BWBR0004825/README.md").
_LINK = re.compile(r"\[([^\]\n]{1,400})\]\(((?:\([^()\s]*\)|[^)\s])*)[^)]*\)")
_BWB_TARGET = re.compile(r"/(BWB[RVW]\d{4,7})/README\.md$")


def _held_out(bwb: str, share: float) -> bool:
    return int(hashlib.sha1(bwb.encode()).hexdigest()[:8], 16) % 1000 < share * 1000


def paragraphs_with_citations(path: Path) -> list[dict]:
    """Items like the dev set's: {"text", "citations": [{"start", "end", "text", "bwb"}]}."""
    from kb.laws.citation import split_anchor
    from kb.laws.register import usable_name

    items = []
    for line in path.read_text(encoding="utf-8", errors="replace").splitlines():
        if "README.md" not in line:
            continue
        out, cites, pos = [], [], 0
        length = 0
        for m in _LINK.finditer(line):
            before = line[pos:m.start()]
            out.append(before)
            length += len(before)
            anchor = m.group(1)
            target = _BWB_TARGET.search(m.group(2))
            if target:
                _article, _book, name = split_anchor(anchor)
                if name and (usable_name(name) or usable_name(name[:1].upper() + name[1:])):
                    at = anchor.rfind(name)
                    cites.append({"start": length + at, "end": length + at + len(name), "text": name,
                                  "bwb": target.group(1)})
            out.append(anchor)
            length += len(anchor)
            pos = m.end()
        out.append(line[pos:])
        if cites:
            items.append({"text": "".join(out), "citations": cites})
    return items


def score(tagger, items: list[dict], verbose: bool = False) -> dict:
    hit = wrong = total = 0
    for it in items:
        ents = [e for e in tagger.tag(it["text"])]
        for c in it["citations"]:
            total += 1
            over = [e for e in ents if e.start < c["end"] and c["start"] < e.end and e.refs.get("bwb")]
            if any(e.refs["bwb"] == c["bwb"] for e in over):
                hit += 1
            else:
                wrong += bool(over)
                if verbose:
                    got = [(e.text, e.refs["bwb"]) for e in over]
                    print(f"  {'WRONG ' if over else 'MISSED'} {c['text']!r} -> {c['bwb']} got {got}", file=sys.stderr)
    return {"citations": total, "resolved": round(hit / total, 4) if total else None,
            "precision": round(hit / (hit + wrong), 4) if hit + wrong else None, "wrong": wrong, "found": hit}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--collection", type=Path, default=None)
    ap.add_argument("--holdout", type=float, default=0.2, help="share of regulations kept out of the register")
    ap.add_argument("--sample", type=int, default=3000, help="held-out paragraphs scored (random, fixed seed)")
    ap.add_argument("--seed", type=int, default=14)
    ap.add_argument("--dev", type=Path, nargs="?", const=ROOT.parent / "shared" / "eval" / "dev_lawlinks.json",
                    default=None, help="also score this judged set with the whole collection's register")
    ap.add_argument("-v", "--verbose", action="store_true", help="print every missed or wrong citation (stderr)")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory(prefix="regelgeving-") as tmp:
        args.collection = args.collection or _collection(Path(tmp))
        run(args)


def _collection(tmp: Path) -> Path:
    unpacked = Path("/work/ext/regelgeving")
    if unpacked.is_dir():
        return unpacked
    if not ARCHIVE.is_file():
        sys.exit(f"no regulations collection: neither {unpacked} nor {ARCHIVE} exists")
    with tarfile.open(ARCHIVE, "r:xz") as tar:
        tar.extractall(tmp, filter="data")
    return tmp / "regelgeving"


def run(args: argparse.Namespace) -> None:
    from kb.laws.extract import read_regulation
    from kb.laws.store import InMemoryRegister
    from kb.tagger import build_tagger

    if not args.collection.is_dir():
        sys.exit(f"{args.collection}: no regulations collection here")

    t0 = time.perf_counter()
    paths = sorted(args.collection.glob("*/*.md"))
    files = [read_regulation(p) for p in paths]
    read_seconds = time.perf_counter() - t0
    inside = [f for f in files if not _held_out(f.bwb or "", args.holdout)]
    outside = [p for p, f in zip(paths, files) if _held_out(f.bwb or "", args.holdout)]
    items = [it for p in outside for it in paragraphs_with_citations(p)]
    random.Random(args.seed).shuffle(items)
    items = items[: args.sample]

    t0 = time.perf_counter()
    tagger = build_tagger(model=None, register=InMemoryRegister.from_files(inside))
    build_seconds = time.perf_counter() - t0
    t0 = time.perf_counter()
    heldout = score(tagger, items, args.verbose)
    heldout.update({"paragraphs": len(items), "register_files": len(inside), "heldout_files": len(outside),
                    "seconds": round(time.perf_counter() - t0, 2)})
    result = {
        "what": "citations of regulations resolved to the cited BWB id, on regulations outside the register",
        "how": f"collection {args.collection} split by hash of the BWB id, {args.holdout:.0%} held out; register "
               f"from the rest; {len(items)} held-out paragraphs with linked citations (seed {args.seed}); "
               "tagged with the blank pipeline; resolved/precision as score.py lawlinks",
        "heldout": heldout, "read_seconds": round(read_seconds, 2), "tagger_build_seconds": round(build_seconds, 2),
    }
    if args.dev:
        gold = json.loads(args.dev.read_text(encoding="utf-8"))["items"]
        full = build_tagger(model=None, register=InMemoryRegister.from_files(files))
        result["dev"] = score(full, gold, args.verbose)
        dev_outside = [it for it in gold if _held_out(it["doc"], args.holdout)]
        result["dev_outside_split"] = score(tagger, dev_outside, False)
    print(json.dumps(result, ensure_ascii=False))


if __name__ == "__main__":
    main()
