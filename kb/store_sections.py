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

from .store_rows import body_parts, body_text, select_in, unpack_text

_COLUMNS = "s.key, s.id, s.document_id, s.ord, s.level, s.parent, s.title, s.body, s.blocks, s.source_line, s.footnotes, s.path"
#: Positions in a row of ``_COLUMNS`` (rows come as tuples or :class:`sqlite3.Row`).
_KEY, _ID, _PARENT, _TITLE, _BODY, _PATH = 0, 1, 5, 6, 7, 11


def _dict(row: tuple, parent_id: str | None, path: list[str]) -> dict[str, Any]:
    _key, sid, doc, ord_, level, _parent, title, body, blocks, line, footnotes, _path = row
    text, markdown = body_parts(body)
    return {"id": sid, "document_id": doc, "ord": ord_, "level": level, "parent_id": parent_id, "title": title,
            "path": path, "text": text, "blocks": json.loads(unpack_text(blocks)),
            "footnotes": json.loads(footnotes) if footnotes else [], "markdown": markdown, "source_line": line}


def _path(row: tuple, parent_path: list[str]) -> list[str]:
    """A row's breadcrumb: the stored one, else its parent's (``[]`` for none) and its own title."""
    return json.loads(row[_PATH]) if row[_PATH] is not None else parent_path + [row[_TITLE]]


def _parent_key(row: tuple) -> int | None:
    """The parent's key; None for none, and for a parent outside the document (kept by its id)."""
    return row[_PARENT] if isinstance(row[_PARENT], int) else None


def read_sections(conn: sqlite3.Connection, document_id: str | None = None) -> list[dict[str, Any]]:
    """The sections of one document in reading order (all documents': by document, then reading order)."""
    if document_id is None:
        rows = conn.execute(f"SELECT {_COLUMNS} FROM sections s ORDER BY s.document_id, s.ord").fetchall()
    else:
        rows = conn.execute(f"SELECT {_COLUMNS} FROM sections s WHERE s.document_id = ? ORDER BY s.ord",
                            (document_id,)).fetchall()
    by_key = {r[_KEY]: r for r in rows}
    paths: dict[int, list[str]] = {}

    def path_of(row: tuple) -> list[str]:
        hit = paths.get(row[_KEY])
        if hit is None:
            parent = by_key.get(_parent_key(row))
            hit = paths[row[_KEY]] = _path(row, path_of(parent) if parent is not None else [])
        return hit

    out = []
    for r in rows:
        parent = by_key.get(_parent_key(r))
        out.append(_dict(r, parent[_ID] if parent is not None else _outside_parent(r), path_of(r)))
    return out


def read_section(conn: sqlite3.Connection, section_id: str) -> dict[str, Any] | None:
    row = conn.execute(f"SELECT {_COLUMNS}, p.id FROM sections s LEFT JOIN sections p ON p.key = s.parent"
                       " WHERE s.id = ?", (section_id,)).fetchone()
    if row is None:
        return None
    row, parent_id = tuple(row[:-1]), row[-1]
    return _dict(row, parent_id if parent_id is not None else _outside_parent(row), section_path(conn, row))


def section_brief(conn: sqlite3.Connection, section_id: str) -> tuple[str, str, list[str], str] | None:
    """(plain text, title, breadcrumb, document title) of a section, or None: what a search result shows."""
    brief = _brief(conn, "s.id = ?", (section_id,))
    return brief[1:] if brief is not None else None


def section_brief_at(conn: sqlite3.Connection, document_id: str, ord_: int) -> tuple[str, str, str, list[str], str] | None:
    """(id, plain text, title, breadcrumb, document title) of section number ``ord_`` of a document, or None:
    the search index knows its passages' sections by document and place."""
    return _brief(conn, "s.document_id = ? AND s.ord = ?", (document_id, ord_))


def _brief(conn: sqlite3.Connection, where: str, args: tuple) -> tuple[str, str, str, list[str], str] | None:
    row = conn.execute(f"SELECT {_COLUMNS}, d.title FROM sections s JOIN documents d ON d.id = s.document_id"
                       f" WHERE {where}", args).fetchone()
    if row is None:
        return None
    return row[_ID], body_text(row[_BODY]), row[_TITLE] or "", section_path(conn, tuple(row[:-1])), row[-1]


def section_texts(conn: sqlite3.Connection, section_ids: Iterable[str]) -> dict[str, str]:
    """Section id -> plain text."""
    return {sid: body_text(body) for sid, body in select_in(conn, "SELECT id, body FROM sections WHERE id IN ({})",
                                                           section_ids)}


def section_keys(conn: sqlite3.Connection, section_ids: Iterable[str]) -> dict[str, int]:
    """Section id -> key (the rows that name a section by its key: mentions, statements)."""
    ids = list(dict.fromkeys(section_ids))
    out = dict(select_in(conn, "SELECT id, key FROM sections WHERE id IN ({})", ids))
    missing = [sid for sid in ids if sid not in out]
    if missing:
        raise KeyError(f"section not in the knowledge base: {', '.join(missing[:5])}")
    return out


def section_path(conn: sqlite3.Connection, row: tuple) -> list[str]:
    """The breadcrumb of one section row: stored, or read up the parent chain to the first ancestor whose
    breadcrumb is stored or that has no parent (one query)."""
    if row[_PATH] is not None or _parent_key(row) is None:
        return _path(row, [])
    chain = conn.execute(
        "WITH RECURSIVE up(key, parent, title, path, depth) AS ("
        " SELECT key, parent, title, path, 0 FROM sections WHERE key = ?"
        " UNION ALL SELECT s.key, s.parent, s.title, s.path, up.depth + 1 FROM up JOIN sections s ON s.key = up.parent"
        "  WHERE up.path IS NULL AND up.depth < 64)"
        " SELECT title, path FROM up ORDER BY depth DESC", (row[_PARENT],)).fetchall()
    path: list[str] = []
    for title, stored in chain:  # outermost first
        path = json.loads(stored) if stored is not None else path + [title]
    return path + [row[_TITLE]]


def _outside_parent(row: tuple) -> str | None:
    """The id of a parent outside the document (no reader makes one; stored by its id), else None."""
    return row[_PARENT] if isinstance(row[_PARENT], str) else None
