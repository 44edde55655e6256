"""Reading sections back from the knowledge base: the rows of :mod:`kb.store_schema` made into the dicts
every layer uses (``id, document_id, ord, level, parent_id, title, path, text, blocks, footnotes,
markdown, source_line``), with the parent's id and the breadcrumb derived where the file does not store
them (:func:`kb.store_rows.encode_document` stores ``path`` only where it is not the parent's path plus
the section's own title).

Functions over a connection, so that readers with their own connection (the search index's) read a
section the same way as :class:`kb.store.Store`.
"""
from __future__ import annotations

import json
import sqlite3
from typing import Any, Iterable

from .store_rows import body_parts, body_text, unpack_text

_COLUMNS = "s.key, s.id, s.document_id, s.ord, s.level, s.parent, s.title, s.body, s.blocks, s.source_line, s.footnotes, s.path"


def _dict(row: tuple, parent_id: str | None, path: list[str]) -> dict[str, Any]:
    _key, sid, doc, ord_, level, _parent, title, body, blocks, line, footnotes, _path = row
    text, markdown = body_parts(body)
    return {"id": sid, "document_id": doc, "ord": ord_, "level": level, "parent_id": parent_id, "title": title,
            "path": path, "text": text, "blocks": json.loads(unpack_text(blocks)),
            "footnotes": json.loads(footnotes) if footnotes else [], "markdown": markdown, "source_line": line}


def read_sections(conn: sqlite3.Connection, document_id: str | None = None) -> list[dict[str, Any]]:
    """The sections of one document in reading order (all documents': by document, then reading order)."""
    if document_id is None:
        rows = conn.execute(f"SELECT {_COLUMNS} FROM sections s ORDER BY s.document_id, s.ord").fetchall()
    else:
        rows = conn.execute(f"SELECT {_COLUMNS} FROM sections s WHERE s.document_id = ? ORDER BY s.ord",
                            (document_id,)).fetchall()
    by_key = {r[0]: r for r in rows}
    paths: dict[int, list[str]] = {}

    def path_of(row: tuple) -> list[str]:
        hit = paths.get(row[0])
        if hit is None:
            hit = paths[row[0]] = _path(row, lambda key: by_key.get(key), path_of)
        return hit

    return [_dict(r, _parent_id(r, by_key.get(r[5]) if isinstance(r[5], int) else None), path_of(r)) for r in rows]


def read_section(conn: sqlite3.Connection, section_id: str) -> dict[str, Any] | None:
    row = conn.execute(f"SELECT {_COLUMNS}, p.id FROM sections s LEFT JOIN sections p ON p.key = s.parent"
                       " WHERE s.id = ?", (section_id,)).fetchone()
    if row is None:
        return None
    row, parent_id = tuple(row[:-1]), row[-1]
    return _dict(row, parent_id if parent_id is not None else _parent_id(row, None), section_path(conn, row))


def section_brief(conn: sqlite3.Connection, section_id: str) -> tuple[str, str, list[str], str] | None:
    """(plain text, title, breadcrumb, document title) of a section, or None: what a search result shows."""
    row = conn.execute(f"SELECT {_COLUMNS}, d.title FROM sections s JOIN documents d ON d.id = s.document_id"
                       " WHERE s.id = ?", (section_id,)).fetchone()
    if row is None:
        return None
    return body_text(row[7]), row[6] or "", section_path(conn, tuple(row[:-1])), row[-1]


def section_texts(conn: sqlite3.Connection, section_ids: Iterable[str]) -> dict[str, str]:
    """Section id -> plain text."""
    ids = list(dict.fromkeys(section_ids))
    out: dict[str, str] = {}
    for i in range(0, len(ids), 500):
        chunk = ids[i:i + 500]
        out.update((sid, body_text(body)) for sid, body in conn.execute(
            f"SELECT id, body FROM sections WHERE id IN ({','.join('?' * len(chunk))})", chunk))
    return out


def section_keys(conn: sqlite3.Connection, section_ids: Iterable[str]) -> dict[str, int]:
    """Section id -> key (the rows that name a section by its key: mentions, statements)."""
    ids = list(dict.fromkeys(section_ids))
    out: dict[str, int] = {}
    for i in range(0, len(ids), 500):
        chunk = ids[i:i + 500]
        out.update(conn.execute(f"SELECT id, key FROM sections WHERE id IN ({','.join('?' * len(chunk))})", chunk))
    missing = [sid for sid in ids if sid not in out]
    if missing:
        raise KeyError(f"section not in the knowledge base: {', '.join(missing[:5])}")
    return out


def section_path(conn: sqlite3.Connection, row: tuple) -> list[str]:
    """The breadcrumb of a section row: stored, or its ancestors' titles read up the parent chain."""
    if row[11] is not None or not isinstance(row[5], int):
        return _path(row, lambda key: None, lambda r: [])
    chain = conn.execute(
        "WITH RECURSIVE up(key, parent, title, path, depth) AS ("
        " SELECT key, parent, title, path, 0 FROM sections WHERE key = ?"
        " UNION ALL SELECT s.key, s.parent, s.title, s.path, up.depth + 1 FROM up JOIN sections s ON s.key = up.parent"
        "  WHERE up.path IS NULL AND up.depth < 64)"
        " SELECT title, path, parent FROM up ORDER BY depth DESC", (row[5],)).fetchall()
    path: list[str] = []
    for title, stored, parent in chain:  # outermost first
        path = json.loads(stored) if stored is not None else path + [title]
    return path + [row[6]]


def _path(row: tuple, parent_row, path_of) -> list[str]:
    if row[11] is not None:
        return json.loads(row[11])
    parent = parent_row(row[5]) if isinstance(row[5], int) else None
    return (path_of(parent) if parent is not None else []) + [row[6]]


def _parent_id(row: tuple, parent: tuple | None) -> str | None:
    if parent is not None:
        return parent[1]
    return row[5] if isinstance(row[5], str) else None  # a parent outside the document is kept by its id
