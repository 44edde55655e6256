"""The build: corpus → knowledge base → index, incremental and all-or-nothing.

Stages, each with a progress bar on stderr:

0. the register of regulations: every regulation file (``<BWB-id>.md``) in the corpus with its titles
   and the names its citations use (:mod:`kb.laws`); runs alone with ``stage="register"``
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
from typing import TYPE_CHECKING, Any, Callable

from tqdm import tqdm

from corpus.files import read_file, relative, scan
from corpus.hashing import source_sha256
from corpus.ids import assign_document_ids
from corpus.limits import ReadLimits
from corpus.loader import load_document
from corpus.model import ReaderError
from kb.store import Store
from settings import Settings

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
    #: Files not read, with the reason ("scan.pdf", "geen tekstlaag"); also stored in the knowledge base.
    unread: list[tuple[str, str]] = field(default_factory=list)
    pipeline: str = ""
    index_rebuilt: bool = False
    seconds: float = 0.0
    counts: dict[str, Any] = field(default_factory=dict)  # Store.collection_counts()
    register: "RegisterReport | None" = None

    @property
    def changed(self) -> bool:
        return bool(self.read or self.removed or self.tagged)


def _bar(iterable, *, desc: str, total: int | None = None, progress: bool = True):
    return tqdm(iterable, desc=desc, total=total, unit="doc", file=sys.stderr, disable=not progress, leave=False)


def read_limits(settings: Settings) -> ReadLimits:
    """The corpus layer's reading limits, from the one settings object."""
    r = settings.reading
    return ReadLimits(max_file_bytes=r.max_file_bytes, max_text_chars=r.max_text_chars, max_line_chars=r.max_line_chars,
                      max_yaml_bytes=r.max_yaml_bytes, max_yaml_depth=r.max_yaml_depth, ocr=r.ocr)


def _keep_original(path: Path, corpus_dir: Path, doc_id: str, settings: Settings, limits: ReadLimits) -> str:
    """Copy the source file to ``originals/<doc-id><ext>`` in the data directory; return that relative path.

    A copy (not the corpus path) so the file served as "origineel" always belongs to the
    knowledge base that describes it, even when the corpus folder moves or changes later.
    """
    name = f"{doc_id}{path.suffix.lower()}"
    target = settings.originals_dir / name
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(f".{name}.tmp")
    tmp.write_bytes(read_file(path, corpus_dir, limits.max_file_bytes))
    tmp.replace(target)
    return f"{settings.originals_dir.name}/{name}"


def _sweep_originals(settings: Settings, keep: set[str]) -> None:
    """Remove copies of documents that are no longer in the knowledge base."""
    if settings.originals_dir.is_dir():
        for f in settings.originals_dir.iterdir():
            if f.is_file() and f"{settings.originals_dir.name}/{f.name}" not in keep:
                f.unlink(missing_ok=True)


#: Stages a build can be limited to (``beleidsbank build --stage``).
STAGES = ("all", "register")


def build(settings: Settings, *, progress: bool = True, echo: Callable[[str], None] | None = None,
          stage: str = "all") -> BuildReport:
    """Bring the knowledge base and index in ``settings.data_dir`` up to date with the corpus;
    ``stage="register"`` updates only the register of regulations (titles and links; no tagging)."""
    from indexer.build import build_index, index_is_current
    from kb.annotate import annotate_document, discover_definitions
    from kb.extract_store import extraction_fingerprint
    from kb.extract import extract_all
    from kb.laws.store import build_register, register_source
    from kb.tagger import build_tagger

    say = echo or (lambda msg: print(msg, file=sys.stderr))
    started = time.perf_counter()
    report = BuildReport()
    corpus_dir = settings.corpus_dir.resolve()
    if not corpus_dir.is_dir():
        raise FileNotFoundError(f"{corpus_dir}: corpus directory not found")
    limits = read_limits(settings)
    found = scan(corpus_dir)
    paths = found.paths
    rels = {path: relative(path, corpus_dir) for path in paths}
    for skipped in found.skipped:
        report.unread.append((skipped.path, skipped.reason))
        report.errors.append(f"{skipped.path}: {skipped.reason}")
        say(f"niet gelezen: {skipped.path}: {skipped.reason}")
    store = Store(settings.db_path)
    try:
        known = {d["source_path"]: d for d in store.documents()}
        ids, id_notes = assign_document_ids(list(rels.values()), {rel: row["id"] for rel, row in known.items()})
        for note in id_notes:
            say(f"waarschuwing: {note}")
        with store.transaction():
            # 0. the register of regulations (reads only the regulation files that changed)
            report.register = build_register(
                store.conn, corpus_dir, paths, sha256=lambda p: source_sha256(p, corpus_dir, limits),
                read_text=lambda p: read_file(p, corpus_dir, limits.max_file_bytes).decode("utf-8", "replace"),
                progress=progress)
            for err in report.register.errors:
                report.errors.append(err)
                say(f"niet gelezen: {err}")
            if stage == "register":
                report.seconds = round(time.perf_counter() - started, 2)
                return report
            register = register_source(store.conn, settings.data_dir)
            # 1. drop removed files first (a new file may take over a freed id), then read new and changed ones
            current = set(rels.values())
            for rel, row in known.items():
                if rel not in current:
                    store.delete_document(row["id"])
                    report.removed.append(row["id"])
            for path in _bar(paths, desc="Lezen", progress=progress):
                rel = rels[path]
                try:
                    digest = source_sha256(path, corpus_dir, limits)
                    if rel in known and known[rel]["sha256"] == digest and known[rel]["id"] == ids[rel]:
                        report.unchanged.append(known[rel]["id"])
                        if not known[rel].get("original") or not (settings.data_dir / known[rel]["original"]).is_file():
                            store.set_original(ids[rel], _keep_original(path, corpus_dir, ids[rel], settings, limits))
                        continue
                    doc = load_document(path, corpus_dir, doc_id=ids[rel], limits=limits)
                    original = _keep_original(path, corpus_dir, doc.id, settings, limits)
                except ReaderError as exc:
                    reason = str(exc)[len(rel) + 2:] if str(exc).startswith(rel + ":") else str(exc)
                    report.unread.append((rel, reason))
                    report.errors.append(str(exc))
                    say(f"niet gelezen: {exc}")
                    continue
                except OSError as exc:
                    report.unread.append((rel, f"onleesbaar: {exc.strerror or exc}"))
                    report.errors.append(f"{rel}: {exc}")
                    say(f"niet gelezen: {rel}: {exc}")
                    continue
                if rel in known and known[rel]["id"] != doc.id:
                    store.delete_document(known[rel]["id"])
                store.put_document(doc, fingerprint="", original=original)
                report.read.append(doc.id)
                if doc.warnings:
                    for w in doc.warnings:
                        say(f"waarschuwing: {doc.source_path}: {w}")
            store.replace_unread(sorted(report.unread))

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
        report.counts = store.collection_counts()
        _sweep_originals(settings, {d["original"] for d in store.documents() if d.get("original")})
        if not report.counts.get("documents"):
            say(f"lege kennisbank: geen leesbaar document in {corpus_dir}"
                + (f" ({len(report.unread)} bestand(en) niet gelezen)" if report.unread else ""))
    finally:
        store.close()
    report.seconds = round(time.perf_counter() - started, 2)
    return report


def is_built(settings: Settings) -> bool:
    """True when a knowledge base and an index exist in the data directory."""
    return settings.db_path.exists() and settings.index_dir.is_dir()
