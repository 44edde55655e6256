"""Tagging throughput over the whole shipped corpus.

What is measured: every section text of every document in the corpus directory (read with the project's
readers), tagged with ``Tagger.tag_many`` (``nlp.pipe``) by one tagger built once from the shipped
catalogue; ``load_seconds`` is the ``build_tagger`` wall time (spaCy pipeline, catalogue, patterns),
``seconds`` the tagging wall time after one warm-up text, ``cpu_seconds`` its CPU time (this process; steadier
than wall time on a loaded machine).  Words are whitespace-separated tokens of the
section texts.  ``--repeat N`` tags the corpus N times (for a steadier figure on a small corpus).
``--data DIR`` loads the register of regulations of that data directory (built with ``beleidsbank build
--stage register``; about 10,000 regulations for the regulations collection) into the tagger, as
``beleidsbank tag`` does (from its cached matcher, written by an untimed first build).

    .venv/bin/python bench/bench_tag.py [--corpus corpus/documents] [--model nl_core_news_sm] [--repeat 3] [--data DIR]

Prints one JSON object: {"what", "how", "words", "seconds", "words_per_second", "pipeline", ...}.
"""
from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def main() -> None:
    from settings import DEFAULT_SPACY_MODEL
    from corpus.loader import discover, load_document
    from kb.tagger import build_tagger

    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--corpus", type=Path, default=ROOT / "corpus" / "documents")
    ap.add_argument("--model", default=DEFAULT_SPACY_MODEL, help="spaCy pipeline name or path; 'none' for blank")
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--batch-size", type=int, default=64)
    ap.add_argument("--data", type=Path, default=None, help="data directory whose register of regulations to load")
    args = ap.parse_args()

    texts: list[str] = []
    for path in discover(args.corpus):
        doc = load_document(path, args.corpus)
        texts += [s.text for s in doc.sections if s.text.strip()]
    words = sum(len(t.split()) for t in texts)

    store = register = None
    if args.data is not None:
        from kb.laws.store import register_source
        from kb.store import Store
        from settings import Settings

        store = Store(Settings(data_dir=args.data).db_path, readonly=True)
        register = register_source(store.conn, args.data)
        if register is None:
            sys.exit(f"{args.data}: no register of regulations (run `beleidsbank build --stage register` first)")
        build_tagger(model=None if args.model.lower() == "none" else args.model, register=register)  # writes the cache
    t0 = time.perf_counter()
    tagger = build_tagger(model=None if args.model.lower() == "none" else args.model, register=register)
    load_seconds = time.perf_counter() - t0
    if store is not None:
        store.close()
    tagger.tag("Warm-up: de IND en het AMIF in 2020.")

    entities = 0
    t0, c0 = time.perf_counter(), time.process_time()
    for _ in range(max(1, args.repeat)):
        for ents in tagger.tag_many(texts, batch_size=args.batch_size):
            entities += len(ents)
    seconds, cpu_seconds = time.perf_counter() - t0, time.process_time() - c0
    total_words = words * max(1, args.repeat)
    print(json.dumps({
        "what": "entity tagging of every section text of the shipped corpus",
        "how": f"Tagger.tag_many (nlp.pipe, batch {args.batch_size}) over {len(texts)} section texts, "
               f"{max(1, args.repeat)} pass(es), one tagger built once; words = whitespace tokens",
        "words": total_words,
        "seconds": round(seconds, 3),
        "words_per_second": round(total_words / seconds, 1) if seconds else None,
        "cpu_seconds": round(cpu_seconds, 3),
        "words_per_cpu_second": round(total_words / cpu_seconds, 1) if cpu_seconds else None,
        "pipeline": tagger.pipeline_name,
        "load_seconds": round(load_seconds, 3),
        "register_regulations": len(tagger.register.laws) if tagger.register is not None else 0,
        "sections": len(texts),
        "entities": entities,
    }, ensure_ascii=False))


if __name__ == "__main__":
    main()
