"""Mentions in the knowledge base: stored by the integer keys of their section and entity (``mention_rows``,
``entity_keys``: a regulation's 500,000 mentions repeated both ids in every row and index), read back as the
dicts every layer uses (``id, entity_id, label, section_id, document_id, start, end, surface, value, related,
refs, article, section_ord``).  Raw-SQL readers use the view ``mentions`` (:mod:`kb.store_schema`).

Functions over a connection; :class:`kb.store.Store` exposes them as methods.
"""
from __future__ import annotations

import json
import sqlite3
from typing import Any, Iterable, Sequence

from .store_rows import dumps, select_in
from .store_sections import section_keys

#: The key of an entity id (NULL for an id no mention names).
_KEY = "(SELECT key FROM entity_keys WHERE id = ?)"


def entity_keys(conn: sqlite3.Connection, entity_ids: Iterable[str]) -> dict[str, int]:
    """Entity id -> key, made for the ids that have none yet (the table only grows: a few bytes an id)."""
    ids = list(dict.fromkeys(entity_ids))
    out = dict(select_in(conn, "SELECT id, key FROM entity_keys WHERE id IN ({})", ids))
    for eid in ids:
        if eid not in out:
            out[eid] = int(conn.execute("INSERT INTO entity_keys(id) VALUES (?)", (eid,)).lastrowid)
    return out


def add_mentions(conn: sqlite3.Connection, mentions: Sequence[Any]) -> None:
    """Store mentions (:class:`kb.store.Mention`) of sections already stored (an unknown section: KeyError)."""
    sections = section_keys(conn, (m.section_id for m in mentions))
    entities = entity_keys(conn, (m.entity_id for m in mentions if m.entity_id is not None))
    conn.executemany(
        "INSERT INTO mention_rows(section, entity, label, start, end, surface, value, article, related, refs)"
        " VALUES (?,?,?,?,?,?,?,?,?,?)",
        [(sections[m.section_id], entities.get(m.entity_id), m.label, m.start, m.end, m.surface, m.value, m.article,
          dumps(list(m.related)) if m.related else None, dumps(dict(m.refs)) if m.refs else None)
         for m in mentions])


def delete_mentions(conn: sqlite3.Connection, document_id: str) -> None:
    conn.execute("DELETE FROM mention_rows WHERE section IN (SELECT key FROM sections WHERE document_id = ?)",
                 (document_id,))


def read_mentions(conn: sqlite3.Connection, *, section_id: str | None = None, entity_id: str | None = None,
                  document_id: str | None = None) -> list[dict[str, Any]]:
    """The mentions of a section, an entity and/or a document, in reading order."""
    clauses, params = [], []
    for clause, val in (("s.id = ?", section_id), (f"m.entity = {_KEY}", entity_id), ("s.document_id = ?", document_id)):
        if val is not None:
            clauses.append(clause)
            params.append(val)
    where = f"WHERE {' AND '.join(clauses)}" if clauses else ""
    rows = conn.execute(
        "SELECT m.id, k.id AS entity_id, m.label, s.id AS section_id, s.document_id, m.start, m.end, m.surface, m.value,"
        " m.related, m.refs, m.article, s.ord AS section_ord"
        " FROM mention_rows m JOIN sections s ON s.key = m.section LEFT JOIN entity_keys k ON k.key = m.entity"
        f" {where} ORDER BY s.document_id, s.ord, m.start, m.id", params)
    out = []
    for r in rows:
        d = dict(r)
        d["related"] = json.loads(d["related"]) if d["related"] else []
        d["refs"] = json.loads(d["refs"]) if d["refs"] else {}
        out.append(d)
    return out


def entities_with_counts(conn: sqlite3.Connection, label: str | None = None) -> list[sqlite3.Row]:
    """Entity rows with ``mention_count`` and ``section_count``, most mentioned first."""
    sql = ("SELECT e.*, COUNT(m.id) AS mention_count, COUNT(DISTINCT m.section) AS section_count FROM entities e"
           " LEFT JOIN entity_keys k ON k.id = e.id LEFT JOIN mention_rows m ON m.entity = k.key")
    params: tuple[Any, ...] = ()
    if label:
        sql += " WHERE e.label = ?"
        params = (label,)
    return conn.execute(sql + " GROUP BY e.id ORDER BY mention_count DESC, e.name", params).fetchall()


def entity_with_counts(conn: sqlite3.Connection, entity_id: str) -> sqlite3.Row | None:
    return conn.execute(
        f"SELECT e.*, (SELECT COUNT(*) FROM mention_rows m WHERE m.entity = {_KEY}) AS mention_count,"
        f" (SELECT COUNT(DISTINCT section) FROM mention_rows m WHERE m.entity = {_KEY}) AS section_count"
        " FROM entities e WHERE e.id = ?", (entity_id, entity_id, entity_id)).fetchone()


def cooccurring(conn: sqlite3.Connection, entity_id: str, limit: int = 10) -> list[dict[str, Any]]:
    """Entities that share the most sections with the given one."""
    rows = conn.execute(
        "SELECT e.id, e.name, e.label, COUNT(DISTINCT m2.section) AS shared"
        " FROM mention_rows m1 JOIN mention_rows m2 ON m1.section = m2.section AND m2.entity != m1.entity"
        " JOIN entity_keys k ON k.key = m2.entity JOIN entities e ON e.id = k.id"
        f" WHERE m1.entity = {_KEY} GROUP BY e.id ORDER BY shared DESC, e.name LIMIT ?", (entity_id, limit))
    return [dict(r) for r in rows]


def mention_counts(conn: sqlite3.Connection) -> dict[str, int]:
    """``entities``: entities of the entity table mentioned at least once; ``mentions``: their mentions;
    ``values``: the other mentions (dates, amounts, percentages: no entities)."""
    entities = mentions = values = 0
    for n, known in conn.execute(
            "SELECT c.n, e.id IS NOT NULL FROM (SELECT entity, COUNT(*) AS n FROM mention_rows GROUP BY entity) c"
            " LEFT JOIN entity_keys k ON k.key = c.entity LEFT JOIN entities e ON e.id = k.id"):
        if known:
            entities, mentions = entities + 1, mentions + n
        else:
            values += n
    return {"entities": entities, "mentions": mentions, "values": values}


def mentioned_entities(conn: sqlite3.Connection) -> set[str]:
    """The ids of the entities at least one mention names."""
    return {r[0] for r in conn.execute(
        "SELECT id FROM entity_keys WHERE key IN (SELECT DISTINCT entity FROM mention_rows)")}
