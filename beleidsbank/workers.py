"""Per-document build work in worker processes: read + find definitions; tag + extract.

Both cores work.  The workers are forked *after* the main process built the tagger, so they
inherit the spaCy pipeline copy-on-write instead of unpickling it, and they return plain rows that
the main process alone writes to SQLite (one writer, batched commits).  Reading returns the rows
already encoded (text compressed, JSON made: :func:`kb.store_rows.encode_document`), so the writer
only INSERTs, and it takes results in the order they finish (:func:`indexer.parallel.unordered_map`): documents vary
in size by a factor of a thousand, and with results in input order one large document held up the
other core once the in-flight limit was reached.  Tagging keeps input order (mention row ids follow it).
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from indexer.parallel import ordered_map, unordered_map  # noqa: F401  (the pools the build stages share)

#: What the forked workers inherit: the tagger, the corpus folder, the knowledge base to read.
_CONTEXT: dict[str, Any] = {}


def set_context(**values: Any) -> None:
    """Set what the next pool's workers (and in-process runs) use; call before ``ordered_map``."""
    clear_context()
    _CONTEXT.update(values)


def clear_context() -> None:
    """Forget the context; closes the read connection an in-process run opened (it would keep the
    knowledge base locked against the build's final compaction)."""
    store = _CONTEXT.get("_store")
    if store is not None:
        store.close()
    _CONTEXT.clear()


@dataclass
class ReadResult:
    rel: str
    doc: Any = None  # kb.store_rows.EncodedDocument (id, source_path, warnings, rows)
    definitions: list[dict[str, Any]] | None = None
    original: str | None = None  # the kept copy of the source, relative to the data directory
    error: str | None = None  # "<file>: <reason>"
    reason: str | None = None  # the reason alone, for the list of unread files


def read_one(item: tuple[str, str, str]) -> ReadResult:
    """Read one source file (keeping a copy of the original) and find the abbreviation definitions it makes."""
    from beleidsbank.originals import keep_original
    from corpus.loader import load_document
    from corpus.model import ReaderError
    from kb.annotate import discover_definitions
    from kb.store_rows import encode_document

    path, rel, doc_id = item
    corpus_dir, limits = _CONTEXT["corpus_dir"], _CONTEXT["limits"]
    try:
        doc = load_document(Path(path), corpus_dir, doc_id=doc_id, limits=limits)
        original = keep_original(Path(path), corpus_dir, doc.id, _CONTEXT["settings"], limits)
    except ReaderError as exc:
        msg = str(exc)
        return ReadResult(rel, error=msg, reason=msg[len(rel) + 2:] if msg.startswith(rel + ":") else msg)
    except OSError as exc:
        return ReadResult(rel, error=f"{rel}: {exc}", reason=f"onleesbaar: {exc.strerror or exc}")
    return ReadResult(rel, encode_document(doc), discover_definitions(doc, _CONTEXT["tagger"]), original)


def regulation_text(path: Path, corpus_dir: Path, max_file_bytes: int) -> str:
    """A regulation file's text as the register reads it: the corpus layer's safe, size-limited reading."""
    from corpus.files import read_file

    return read_file(path, corpus_dir, max_file_bytes).decode("utf-8", "replace")


def read_regulation_file(path: Path) -> Any:
    """What one regulation file says about itself, for the register (:func:`kb.laws.store.read_one_regulation`)."""
    from kb.laws.store import read_one_regulation

    corpus_dir, limits = _CONTEXT["corpus_dir"], _CONTEXT["limits"]
    return read_one_regulation(path, lambda p: regulation_text(p, corpus_dir, limits.max_file_bytes))


@dataclass
class TagResult:
    doc_id: str
    mentions: list[Any]
    statements: list[dict[str, Any]]
    measures: list[dict[str, Any]]
    allocations: list[dict[str, Any]]
    derived: dict[str, dict[str, Any]]  # entity id -> row, for entities derived while tagging


def tag_one(doc_id: str) -> TagResult:
    """Tag one document of the knowledge base and extract its statements, measures, allocations."""
    from kb.allocations import extract_allocations
    from kb.annotate import document_mentions
    from kb.measures import extract_measures
    from kb.statements import extract_statements
    from kb.statements.extract import attach_mentions

    tagger = _CONTEXT["tagger"]
    doc = _reader_store().load_document(doc_id)
    mentions = document_mentions(doc, tagger)
    known = tagger.index.entities
    derived: dict[str, dict[str, Any]] = {}
    for m in mentions:
        if m.entity_id and m.entity_id not in known and m.entity_id not in derived:
            ent = tagger.entity(m.entity_id)
            if ent is not None:
                derived[m.entity_id] = ent.row()
    statements = extract_statements(doc)
    attach_mentions(statements, ({"entity_id": m.entity_id, "label": m.label, "section_id": m.section_id,
                                  "start": m.start, "end": m.end} for m in mentions))
    return TagResult(doc_id, mentions, statements, extract_measures(doc), extract_allocations(doc), derived)


def _reader_store():
    """A read-only connection to the knowledge base being built (one per worker process)."""
    store = _CONTEXT.get("_store")
    if store is None:
        from kb.store import Store

        store = _CONTEXT["_store"] = Store(_CONTEXT["db_path"], readonly=True)
    return store
