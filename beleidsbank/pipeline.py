"""The build: corpus → knowledge base → index, incremental and all-or-nothing.

Stages, each with a progress bar on stderr:

0. the register of regulations: every regulation file (``<BWB-id>.md``) in the corpus with its titles
   and the names its citations use (:mod:`kb.laws`); runs alone with ``stages=("register",)``
   (``beleidsbank build --stage register``);
1. read every new or changed source file (unchanged files are recognised by their hash and
   not read again; removed files are removed from the knowledge base);
2. collect the abbreviation definitions each document makes ("Dienst Terugkeer en Vertrek
   (DT&V)") so they apply corpus-wide;
3. tag every document whose tagging fingerprint changed (catalogue, definitions, code or
   pipeline) and extract its statements, measures and allocations;
4. rebuild the search index if the knowledge base changed.

Stages 1-3 run in one SQLite transaction: a build that fails half-way leaves the previous
knowledge base untouched.  The index is built into a fresh directory and swapped in only
when complete.
"""
from __future__ import annotations

import hashlib
import logging
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Callable

from tqdm import tqdm

from beleidsbank.config import Settings
from corpus.hashing import source_sha256
from corpus.loader import discover, load_document
from corpus.model import ReaderError
from kb.store import Store

if TYPE_CHECKING:
    from kb.laws.store import RegisterReport

log = logging.getLogger(__name__)



@dataclass
class BuildReport:
    read: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    tagged: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    pipeline: str = ""
    index_rebuilt: bool = False
    seconds: float = 0.0
    counts: dict[str, int] = field(default_factory=dict)
    register: "RegisterReport | None" = None

    @property
    def changed(self) -> bool:
        return bool(self.read or self.removed or self.tagged)


def _bar(iterable, *, desc: str, total: int | None = None, progress: bool = True):
    return tqdm(iterable, desc=desc, total=total, unit="doc", file=sys.stderr, disable=not progress, leave=False)


#: Stages a build can be limited to (``beleidsbank build --stage``).
STAGES = ("register", "all")


def build(settings: Settings, *, progress: bool = True, echo: Callable[[str], None] | None = None,
          stage: str = "all") -> BuildReport:
    """Bring the knowledge base and index in ``settings.data_dir`` up to date with the corpus;
    ``stage="register"`` updates only the register of regulations (titles and links; no tagging)."""
    from indexer.build import build_index, index_is_current
    from kb.annotate import annotate_document, discover_definitions
    from kb.extract_store import extraction_fingerprint
    from kb.laws.store import build_register, register_source
    from kb.statements import extract_all
    from kb.tagger import build_tagger

    say = echo or (lambda msg: print(msg, file=sys.stderr))
    started = time.perf_counter()
    report = BuildReport()
    corpus_dir = settings.corpus_dir.resolve()
    if not corpus_dir.is_dir():
        raise FileNotFoundError(f"{corpus_dir}: corpus directory not found")
    paths = discover(corpus_dir)
    store = Store(settings.db_path)
    try:
        known = {d["source_path"]: d for d in store.documents()}
        with store.transaction():
            # 0. the register of regulations (reads only regulation files that changed)
            report.register = build_register(store.conn, corpus_dir, paths, sha256=source_sha256, progress=progress)
            for err in report.register.errors:
                report.errors.append(err)
                say(f"overgeslagen: {err}")
            if stage == "register":
                report.seconds = round(time.perf_counter() - started, 2)
                return report
            register = register_source(store.conn, settings.data_dir)
            # 1. read new and changed files; drop removed ones
            seen_paths: set[str] = set()
            for path in _bar(paths, desc="Lezen", progress=progress):
                rel = path.relative_to(corpus_dir).as_posix()
                seen_paths.add(rel)
                try:
                    digest = source_sha256(path)
                    if rel in known and known[rel]["sha256"] == digest:
                        report.unchanged.append(known[rel]["id"])
                        continue
                    doc = load_document(path, corpus_dir)
                except ReaderError as exc:
                    report.errors.append(str(exc))
                    say(f"overgeslagen: {exc}")
                    continue
                except OSError as exc:
                    report.errors.append(f"{path}: {exc}")
                    say(f"overgeslagen: {path}: {exc}")
                    continue
                if rel in known and known[rel]["id"] != doc.id:
                    store.delete_document(known[rel]["id"])
                store.put_document(doc, fingerprint="")
                report.read.append(doc.id)
                if doc.warnings:
                    for w in doc.warnings:
                        say(f"waarschuwing: {doc.source_path}: {w}")
            for rel, row in known.items():
                if rel not in seen_paths:
                    store.delete_document(row["id"])
                    report.removed.append(row["id"])

            # 2. definitions of the documents just read
            tagger = build_tagger(definitions=store.definitions(), model=settings.spacy_model, register=register)
            if report.read:
                for doc_id in _bar(report.read, desc="Afkortingen", progress=progress):
                    doc = store.load_document(doc_id)
                    store.replace_definitions(doc_id, discover_definitions(doc, tagger))
                tagger = build_tagger(definitions=store.definitions(), model=settings.spacy_model, register=register)
            report.pipeline = tagger.pipeline_name

            # 3. tag and extract where the fingerprint changed
            fingerprint = hashlib.sha256(f"{tagger.fingerprint}|{extraction_fingerprint()}".encode()).hexdigest()[:16]
            stale = [doc_id for doc_id, (_, fp) in store.document_fingerprints().items() if fp != fingerprint]
            for doc_id in _bar(sorted(stale), desc="Taggen", progress=progress):
                doc = store.load_document(doc_id)
                annotate_document(store, doc, tagger)
                extract_all(store, doc)
                store.set_fingerprint(doc_id, fingerprint)
                report.tagged.append(doc_id)
            if report.changed or not store.entities():
                store.replace_entities(tagger.entity_rows())
            store.set_meta("pipeline", tagger.pipeline_name)
            store.set_meta("corpus_dir", str(corpus_dir))

        # 4. index
        if report.changed or not index_is_current(store, settings.index_dir):
            build_index(store, settings.index_dir, progress=progress)
            report.index_rebuilt = True
        report.counts = store.counts()
    finally:
        store.close()
    report.seconds = round(time.perf_counter() - started, 2)
    return report


def is_built(settings: Settings) -> bool:
    """True when a knowledge base and an index exist in the data directory."""
    return settings.db_path.exists() and settings.index_dir.is_dir()
