"""How rows of the knowledge base are encoded: JSON columns, compressed section text, rows as dicts.

One home for the codecs :mod:`kb.store` and the raw-SQL readers (the index build) share.
"""
from __future__ import annotations

import json
import sqlite3
import zlib
from dataclasses import dataclass, field
from typing import Any


def dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True)


def document_row(row: sqlite3.Row) -> dict[str, Any]:
    d = dict(row)
    d["metadata"] = json.loads(d["metadata"])
    d["warnings"] = json.loads(d["warnings"])
    return d


def pack_text(text: str) -> bytes:
    """A section's plain text, Markdown or block list (JSON) as stored: zlib-compressed (a third of its size,
    a fifth for block lists).  All are read a section at a time (pages, search results, the index build);
    nothing searches them in SQL."""
    return zlib.compress(text.encode("utf-8"), 6)


def unpack_text(value: str | bytes | None) -> str:
    """The plain text or Markdown of a stored section (uncompressed in knowledge bases from before compression)."""
    if isinstance(value, bytes):
        return zlib.decompress(value).decode("utf-8")
    return value or ""


@dataclass
class EncodedDocument:
    """A document as the knowledge base stores it (its ``documents`` row without fingerprint and original,
    and its ``sections`` rows, text compressed): made in a build's worker process, so that the one
    writing process only runs the INSERTs and pickles travel compressed."""

    id: str
    source_path: str
    warnings: list[str]
    document: tuple
    sections: list[tuple] = field(default_factory=list)


def encode_document(doc: Any) -> EncodedDocument:
    """The rows of a :class:`corpus.model.Document`, in the column order of :meth:`kb.store.Store.put_encoded`."""
    return EncodedDocument(
        doc.id, doc.source_path, list(doc.warnings),
        (doc.id, doc.source_path, doc.title, doc.format, doc.encoding, doc.sha256, doc.kind, doc.year, doc.period,
         doc.ministry, doc.source, doc.licence, dumps(doc.metadata), dumps(doc.warnings), len(doc.sections), doc.date,
         doc.kamerstuk),
        [(s.id, doc.id, s.order, s.level, s.parent_id, s.title, dumps(s.path), pack_text(s.text),
          pack_text(dumps([[b.start, b.end, b.kind, b.level, b.page] for b in s.blocks])),
          dumps([[f.label, f.text] for f in s.footnotes]), pack_text(s.markdown), s.source_line)
         for s in doc.sections])


def section_row(row: sqlite3.Row) -> dict[str, Any]:
    d = dict(row)
    if "markdown" in d:
        d["markdown"] = unpack_text(d["markdown"])
    if "text" in d:
        d["text"] = unpack_text(d["text"])
    for key in ("path", "blocks", "footnotes"):
        if key in d:
            d[key] = json.loads(unpack_text(d[key]) if isinstance(d[key], bytes) else d[key])
    return d


def entity_row(row: sqlite3.Row) -> dict[str, Any]:
    d = dict(row)
    for key in ("aliases", "refs", "relations", "provenance"):
        d[key] = json.loads(d[key])
    return d
