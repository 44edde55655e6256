"""How rows of the knowledge base are encoded: JSON columns, compressed section bodies, rows as dicts.

One home for the codecs :mod:`kb.store` and the raw-SQL readers (the index build) share.  Compression
is raw DEFLATE (zlib without its 6-byte header and checksum: a section is a few hundred bytes, so
those bytes were 1% of the file; SQLite keeps the file's integrity).  zlib rather than zstandard:
zstandard only compresses these short texts better with a trained dictionary, which the file would
then have to carry and every build keep in step; one stream per section already stores the second
copy of a text (its Markdown) nearly for free.
"""
from __future__ import annotations

import hashlib
import json
import sqlite3
import zlib
from dataclasses import dataclass, field
from typing import Any, Iterable, Iterator

_LEVEL = 6
_RAW = -15  # raw DEFLATE: no zlib header, no checksum


def dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True)


def document_row(row: sqlite3.Row) -> dict[str, Any]:
    d = dict(row)
    d["metadata"] = json.loads(d["metadata"])
    d["warnings"] = json.loads(d["warnings"])
    return d


def pack_text(text: str) -> bytes:
    """A text (a block list or other JSON) as stored: compressed.  Read whole, never searched in SQL."""
    return zlib.compress(text.encode("utf-8"), _LEVEL, _RAW)


def unpack_text(value: bytes | None) -> str:
    """The text :func:`pack_text` stored."""
    return zlib.decompress(value, _RAW).decode("utf-8") if value else ""


def select_in(conn: sqlite3.Connection, sql: str, values: Iterable[Any], chunk: int = 500) -> Iterator[Any]:
    """The rows of ``sql`` (its ``IN ({})`` filled with placeholders) for ``values``, asked ``chunk`` at a time
    (SQLite limits the number of parameters of one statement)."""
    values = list(dict.fromkeys(values))
    for i in range(0, len(values), chunk):
        part = values[i:i + chunk]
        yield from conn.execute(sql.format(",".join("?" * len(part))), part)


def id_hash(value: str) -> int:
    """A 64-bit (signed) hash of an id, for keys that must outlive the rows they name (``first_seen``): two of
    the 10^6 sections of a large collection share one with a chance of 1 in 10^7 (the newer would then count
    as seen with the older)."""
    return int.from_bytes(hashlib.blake2b(value.encode("utf-8"), digest_size=8).digest(), "big", signed=True)


# -- a section's body: its plain text and Markdown in one compressed stream ------------------------
def pack_body(text: str, markdown: str) -> bytes:
    """``text`` and ``markdown`` as one stream: a varint header, then DEFLATE of the text's UTF-8 bytes and,
    when the Markdown differs, the Markdown's.  The header is 0 when the Markdown is the text, else the
    length of the text in bytes plus one (where the Markdown starts)."""
    t = text.encode("utf-8")
    if markdown == text:
        return b"\0" + zlib.compress(t, _LEVEL, _RAW)
    return _varint(len(t) + 1) + zlib.compress(t + markdown.encode("utf-8"), _LEVEL, _RAW)


def body_text(body: bytes) -> str:
    """The plain text of a section's body (only its part of the stream is decompressed)."""
    split, pos = _read_varint(body)
    if split == 0:
        return zlib.decompress(body[pos:], _RAW).decode("utf-8")
    if split == 1:  # no text (a max_length of 0 would mean "all")
        return ""
    return zlib.decompressobj(_RAW).decompress(body[pos:], split - 1).decode("utf-8")


def body_parts(body: bytes) -> tuple[str, str]:
    """(plain text, Markdown) of a section's body."""
    split, pos = _read_varint(body)
    data = zlib.decompress(body[pos:], _RAW)
    if split == 0:
        text = data.decode("utf-8")
        return text, text
    return data[:split - 1].decode("utf-8"), data[split - 1:].decode("utf-8")


def _varint(n: int) -> bytes:
    out = bytearray()
    while True:
        low, n = n & 0x7F, n >> 7
        if n:
            out.append(low | 0x80)
        else:
            out.append(low)
            return bytes(out)


def _read_varint(data: bytes) -> tuple[int, int]:
    """(value, position after it)."""
    n = shift = pos = 0
    while True:
        byte = data[pos]
        pos += 1
        n |= (byte & 0x7F) << shift
        if byte < 0x80:
            return n, pos
        shift += 7


# -- a document as the build's workers encode it -------------------------------------------------
@dataclass
class EncodedDocument:
    """A document as the knowledge base stores it (its ``documents`` row without fingerprint and original,
    and its ``sections`` rows without their keys, bodies compressed): made in a build's worker process,
    so that the one writing process only runs the INSERTs and pickles travel compressed.  A section row's
    parent is the parent's position in ``sections`` (:meth:`kb.store.Store.put_encoded` makes it a key)."""

    id: str
    source_path: str
    warnings: list[str]
    document: tuple
    sections: list[tuple] = field(default_factory=list)


def encode_document(doc: Any) -> EncodedDocument:
    """The rows of a :class:`corpus.model.Document`, in the column order of :meth:`kb.store.Store.put_encoded`."""
    position = {s.id: i for i, s in enumerate(doc.sections)}
    paths = {s.id: s.path for s in doc.sections}
    rows = []
    for s in doc.sections:
        parent = position.get(s.parent_id) if s.parent_id is not None else None
        if s.parent_id is not None and parent is None:  # no reader makes one: kept by its id
            parent, derived = s.parent_id, None
        else:
            derived = (paths[s.parent_id] if s.parent_id is not None else []) + [s.title]
        rows.append((
            s.id, doc.id, s.order, s.level, parent, s.title, pack_body(s.text, s.markdown),
            pack_text(dumps([[b.start, b.end, b.kind, b.level, b.page] for b in s.blocks])), s.source_line,
            dumps([[f.label, f.text] for f in s.footnotes]) if s.footnotes else None,
            None if list(s.path) == derived else dumps(list(s.path))))
    return EncodedDocument(
        doc.id, doc.source_path, list(doc.warnings),
        (doc.id, doc.source_path, doc.title, doc.format, doc.encoding, doc.sha256, doc.kind, doc.year, doc.period,
         doc.ministry, doc.source, doc.licence, dumps(doc.metadata), dumps(doc.warnings), len(doc.sections), doc.date,
         doc.kamerstuk),
        rows)


def entity_row(row: sqlite3.Row) -> dict[str, Any]:
    d = dict(row)
    for key in ("aliases", "refs", "relations", "provenance"):
        d[key] = json.loads(d[key])
    return d
