"""Make a large knowledge-base store (>= 50,000 passages) from the real texts, for benchmarks.

How: the base documents are the shipped corpus (read and tagged by the product's pipeline,
bench/_kb.py) plus, when present, the Algoritmekader pages in ../shared/corpus-extra (read by
corpus.loader).
Copies of every base document are added until the passage count (as the indexer will cut
it) reaches the target.  Copy ``c`` of a document gets id ``<id>-v<c>``, a year shifted back
by ``c % 15`` and one of three variations:

* ``c % 3 == 0``: every block's sentences shuffled (seeded);
* ``c % 3 == 1``: re-sectioned with sliding windows: each section's blocks are regrouped into
  overlapping windows of 2-4 blocks, each window a section of its own;
* ``c % 3 == 2``: 15 % of the blocks dropped and the rest sentence-shuffled.

Mentions are re-tagged on the varied text by alias matching (indexer.entities.AliasMatcher) with
the base store's entity table (names and aliases), so entity facets and filters behave as on
real data.

    .venv/bin/python bench/scale.py --out /tmp/bb-scale [--passages 50000]

Prints JSON with the counts and how the store was made.
"""
from __future__ import annotations

import argparse
import json
import random
import re
import sys
import time
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from corpus.model import Block, Document, Section  # noqa: E402
from kb.store import Mention, Store  # noqa: E402

_SENT_RE = re.compile(r"(?<=[.!?])\s+(?=[A-Z0-9])")


def _shuffle_sentences(text: str, rng: random.Random) -> str:
    sents = _SENT_RE.split(text)
    if len(sents) > 2:
        rng.shuffle(sents)
    return " ".join(sents)


def _section_from_blocks(sec: Section, doc_id: str, sid: str, order: int, blocks: list[str], title: str,
                         path: list[str]) -> Section:
    text, out = "", []
    for b in blocks:
        if text:
            text += "\n\n"
        out.append(Block(len(text), len(text) + len(b)))
        text += b
    return Section(id=sid, document_id=doc_id, title=title, level=sec.level, parent_id=None, path=path,
                   order=order, text=text, blocks=out)


def vary(doc: Document, c: int, seed: int = 0) -> Document:
    rng = random.Random(hash((doc.id, c, seed)) & 0xFFFFFFFF)
    new_id = f"{doc.id}-v{c}"
    new = replace(doc, id=new_id, source_path=f"scaled/{new_id}", title=f"{doc.title} (variant {c})",
                  year=(doc.year or 2020) - (c % 15), sha256=f"{c:08d}{doc.sha256[8:]}", sections=[])
    mode = c % 3
    order = 0
    for sec in doc.sections:
        blocks = [sec.text[b.start:b.end] for b in sec.blocks]
        if mode == 0:
            blocks = [_shuffle_sentences(b, rng) for b in blocks]
            groups = [(sec.title, blocks)]
        elif mode == 1:
            if len(blocks) <= 2:
                groups = [(sec.title, blocks)]
            else:
                w = rng.randint(2, 4)
                step = max(1, w - 1)
                groups = [(f"{sec.title} ({i // step + 1})", blocks[i:i + w]) for i in range(0, len(blocks), step)]
        else:
            kept = [b for b in blocks if rng.random() > 0.15] or blocks[:1]
            groups = [(sec.title, [_shuffle_sentences(b, rng) for b in kept])]
        for title, bl in groups:
            sid = f"{new_id}/{sec.id.split('/', 1)[-1]}-{order}"
            path = [*sec.path[:-1], title] if sec.path else [title]
            new.sections.append(_section_from_blocks(sec, new_id, sid, order, bl, title, path))
            order += 1
    return new


def base_documents(workdir: Path, corpus_dir: Path, extra_dir: Path | None) -> tuple[list[Document], list[dict], str]:
    from _kb import pipeline_store
    from corpus.ids import slugify
    from corpus.loader import load_document
    from corpus.model import ReaderError

    store = pipeline_store(workdir / "base", corpus_dir)
    origin = getattr(store, "origin", "?")
    docs = [store.load_document(d["id"]) for d in store.documents()]
    ents = [{"id": e["id"], "label": e["label"], "name": e["name"], "aliases": e["aliases"]} for e in store.entities()]
    store.close()
    if extra_dir is not None and extra_dir.is_dir():
        for p in sorted(extra_dir.rglob("*.md")):
            if p.name.upper().startswith("LICENSE"):
                continue
            try:
                rel_id = slugify(str(p.relative_to(extra_dir).with_suffix("")))  # unique per file
                d = load_document(p, extra_dir, doc_id=rel_id)
            except ReaderError as exc:
                print(f"scale: overgeslagen: {exc}", file=sys.stderr)
                continue
            d.kind = "algoritmekader"
            d.year = 2024
            d.id = "ak-" + d.id
            for s in d.sections:
                s.document_id = d.id
                s.id = "ak-" + s.id
                if s.parent_id:
                    s.parent_id = "ak-" + s.parent_id
            docs.append(d)
    return docs, ents, origin


def alias_tagger(entities: list[dict]):
    """Mentions of the entities' names and aliases in every section of a document."""
    from indexer.entities import AliasMatcher

    matcher = AliasMatcher(entities)
    label = {e["id"]: e["label"] for e in entities}

    def tag(doc: Document) -> list[Mention]:
        return [Mention(m.entity_id, label[m.entity_id], sec.id, doc.id, m.char_start, m.char_end, m.surface)
                for sec in doc.sections for m in matcher.find(sec.text)]

    return tag


def count_passages(docs: list[Document]) -> int:
    """Passages as the indexer will cut them (default options)."""
    from indexer.schema import passages_for_section
    from settings import IndexOptions

    opts = IndexOptions()
    n = 0
    for d in docs:
        for s in d.sections:
            sec = {"id": s.id, "title": s.title, "text": s.text,
                   "blocks": [[b.start, b.end, b.kind, b.level] for b in s.blocks]}
            n += len(passages_for_section(sec, opts))
    return n


def make_scaled_store(out_dir: Path, *, passages: int = 50_000, corpus_dir: Path | None = None,
                      extra_dir: Path | None = None, progress: bool = True) -> dict:
    t0 = time.perf_counter()
    out_dir.mkdir(parents=True, exist_ok=True)
    corpus_dir = corpus_dir or ROOT / "corpus" / "documents"
    docs, ents, origin = base_documents(out_dir, corpus_dir, extra_dir)
    base_n = count_passages(docs)
    all_docs = list(docs)
    total = base_n
    c = 1
    while total < passages:
        batch = [vary(d, c) for d in docs]
        total += count_passages(batch)
        all_docs.extend(batch)
        c += 1
    db = out_dir / "beleidsbank.sqlite"
    if db.exists():
        db.unlink()
    store = Store(db)
    with store.transaction():
        store.replace_entities(ents)
        tag = alias_tagger(ents)
        for d in all_docs:
            store.put_document(d)
            store.add_mentions(tag(d))
    counts = store.counts()
    store.close()
    return {"store": str(db), "base_reader": origin, "base_documents": len(docs), "base_passages": base_n,
            "copies": c - 1, "passages": total, "counts": counts, "seconds": round(time.perf_counter() - t0, 1),
            "how": " ".join(__doc__.split("\n\n")[1:4]).replace("\n", " ")}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--out", required=True)
    ap.add_argument("--passages", type=int, default=50_000)
    ap.add_argument("--no-extra", action="store_true", help="leave out ../shared/corpus-extra")
    args = ap.parse_args()
    extra = None if args.no_extra else ROOT.parent / "shared" / "corpus-extra" / "algoritmekader"
    print(json.dumps(make_scaled_store(Path(args.out), passages=args.passages, extra_dir=extra), indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
