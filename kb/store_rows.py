"""How rows of the knowledge base are encoded: JSON columns, compressed section text, rows as dicts.

One home for the codecs :mod:`kb.store` and the raw-SQL readers (the index build) share.
"""
from __future__ import annotations

import json
import sqlite3
import zlib
from typing import Any


def dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True)


def document_row(row: sqlite3.Row) -> dict[str, Any]:
    d = dict(row)
    d["metadata"] = json.loads(d["metadata"])
    d["warnings"] = json.loads(d["warnings"])
    return d


def pack_text(text: str) -> bytes:
    """A section's plain text or Markdown as stored: zlib-compressed (a third of its size).  Both are
    read a section at a time (pages, search results, the index build); nothing searches them in SQL."""
    return zlib.compress(text.encode("utf-8"), 6)


def unpack_text(value: str | bytes | None) -> str:
    """The plain text or Markdown of a stored section (uncompressed in knowledge bases from before compression)."""
    if isinstance(value, bytes):
        return zlib.decompress(value).decode("utf-8")
    return value or ""


def section_row(row: sqlite3.Row) -> dict[str, Any]:
    d = dict(row)
    if "markdown" in d:
        d["markdown"] = unpack_text(d["markdown"])
    if "text" in d:
        d["text"] = unpack_text(d["text"])
    for key in ("path", "blocks", "footnotes"):
        d[key] = json.loads(d[key])
    return d


def entity_row(row: sqlite3.Row) -> dict[str, Any]:
    d = dict(row)
    for key in ("aliases", "refs", "relations", "provenance"):
        d[key] = json.loads(d[key])
    return d
