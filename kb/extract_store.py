"""Store access for the extraction layer: statements, measures and allocations.

Kept apart from ``kb/store.py`` (which other layers edit) and written against the tables that
``Store`` already creates.  One addition: a ``details`` JSON column on ``statements``,
``measures`` and ``allocations`` for the fields the base schema has no column for (measure
kind/label/point/parent, allocation objective/purpose/measure id/passage).  It is added on the
first write (``ALTER TABLE ... ADD COLUMN``); readers cope with its absence.

The extraction step itself (``kb.extract.extract_all``) runs the extractors and writes through
the ``replace_*`` functions here; this module imports no extractor but ``kb.statements`` (for
the ``cue`` column), so the extractors may read the store without an import cycle.
"""
from __future__ import annotations

import hashlib
import json
import sqlite3
from pathlib import Path
from typing import Any, Sequence

from .store_rows import dumps as _dumps, unpack_text

_DETAIL_TABLES = ("statements", "measures", "allocations")
#: Bump when the extraction code changes in a way that changes its output.
EXTRACTION_CODE_VERSION = "3"
CUES_DIR = Path(__file__).resolve().parent / "cues"


def extraction_fingerprint() -> str:
    """Changes when the extraction code version or any reviewed cue file (``kb/cues/*.yaml``) changes,
    so a build can re-extract documents whose statements/measures/allocations are stale."""
    h = hashlib.sha256(EXTRACTION_CODE_VERSION.encode())
    for path in sorted(CUES_DIR.glob("*.yaml")):
        h.update(b"\0" + path.name.encode() + b"\0" + path.read_bytes())
    return h.hexdigest()[:16]


def _columns(conn: sqlite3.Connection, table: str) -> set[str]:
    return {r[1] for r in conn.execute(f"PRAGMA table_info({table})")}


def ensure_schema(conn: sqlite3.Connection) -> None:
    """Add the ``details`` columns and the indexes this layer reads by (idempotent)."""
    for table in _DETAIL_TABLES:
        if "details" not in _columns(conn, table):
            conn.execute(f"ALTER TABLE {table} ADD COLUMN details TEXT NOT NULL DEFAULT '{{}}'")
    conn.execute("CREATE INDEX IF NOT EXISTS statements_doc ON statements(document_id)")
    conn.execute("CREATE INDEX IF NOT EXISTS measures_section ON measures(section_id)")
    conn.execute("CREATE INDEX IF NOT EXISTS allocations_section ON allocations(section_id)")


# -- writers ------------------------------------------------------------------------------
def replace_statements(store: Any, document_id: str, rows: Sequence[dict[str, Any]]) -> None:
    """Store the document's statements of a kind pages show (commitment, result, problem).  Sentences
    classified ``other`` (85% of a regulation's sentences) are not stored: no page lists them, and a
    sentence's id keeps its position among all sentences (``<section>/s<n>``)."""
    from kb.statements import cue_json

    rows = [r for r in rows if r["kind"] != "other"]

    conn = store.conn
    ensure_schema(conn)
    conn.execute("DELETE FROM statements WHERE document_id = ?", (document_id,))
    conn.executemany(
        "INSERT INTO statements(id, section_id, document_id, start, end, kind, cue, negated, conditional, text, details)"
        " VALUES (?,?,?,?,?,?,?,?,?,?,?)",
        [(r["id"], r["section_id"], document_id, r["start"], r["end"], r["kind"], cue_json(r) or None,
          int(r["negated"]), int(r["conditional"]), "",  # the text is the section's from start to end
          _dumps({**(r.get("evidence") or {}), **({"commitment": r["commitment"]} if r.get("commitment") else {})}))
         for r in rows],
    )


def replace_measures(store: Any, document_id: str, rows: Sequence[dict[str, Any]]) -> None:
    conn = store.conn
    ensure_schema(conn)
    conn.execute("DELETE FROM measures WHERE document_id = ?", (document_id,))
    base = {"id", "section_id", "document_id", "start", "end", "article_ref", "fund", "objective", "text"}
    conn.executemany(
        "INSERT INTO measures(id, section_id, document_id, start, end, article_ref, fund, objective, text, details)"
        " VALUES (?,?,?,?,?,?,?,?,?,?)",
        [(r["id"], r["section_id"], document_id, r["start"], r["end"], r.get("article_ref"), r.get("fund"),
          r.get("objective"), r["text"], _dumps({k: v for k, v in r.items() if k not in base})) for r in rows],
    )


def replace_allocations(store: Any, document_id: str, rows: Sequence[dict[str, Any]]) -> None:
    conn = store.conn
    ensure_schema(conn)
    conn.execute("DELETE FROM allocations WHERE document_id = ?", (document_id,))
    base = {"id", "section_id", "document_id", "start", "end", "fund", "share", "measure", "recipients", "text"}
    conn.executemany(
        "INSERT INTO allocations(id, section_id, document_id, start, end, fund, share, measure, recipients, parent_id,"
        " text, details) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
        [(r["id"], r["section_id"], document_id, r["start"], r["end"], r["fund"], float(r["share"]), r.get("measure"),
          _dumps(r.get("recipients") or []), None, r["text"],
          _dumps({k: v for k, v in r.items() if k not in base})) for r in rows],
    )


# -- readers ------------------------------------------------------------------------------
def _where(**filters: Any) -> tuple[str, list[Any]]:
    clauses, params = [], []
    for col, val in filters.items():
        if val is not None:
            clauses.append(f"{col} = ?")
            params.append(val)
    return (f" WHERE {' AND '.join(clauses)}" if clauses else ""), params


def _details(row: sqlite3.Row) -> dict[str, Any]:
    d = dict(row)
    extra = d.pop("details", None)
    if extra:
        for k, v in json.loads(extra).items():
            d.setdefault(k, v)
    return d


def _order(table: str) -> str:
    return (f" ORDER BY {table}.document_id, (SELECT ord FROM sections s WHERE s.id = {table}.section_id),"
            f" {table}.start, {table}.rowid")


def read_statements(store: Any, *, section_id: str | None = None, document_id: str | None = None,
                    kind: str | None = None) -> list[dict[str, Any]]:
    where, params = _where(section_id=section_id, document_id=document_id, kind=kind)
    rows = store.conn.execute(f"SELECT * FROM statements{where}{_order('statements')}", params)
    out = []
    for r in rows:
        d = _details(r)
        d["cue"] = json.loads(d["cue"]) if d.get("cue") else None
        out.append(d)
    _fill_texts(store.conn, out)
    return out


def _fill_texts(conn: sqlite3.Connection, rows: list[dict[str, Any]]) -> None:
    """A statement's text is its section's text from ``start`` to ``end``; it is not stored a second time
    (30 MB of the regulations' knowledge base).  Rows written before keep their stored text."""
    ids = list(dict.fromkeys(r["section_id"] for r in rows if not r.get("text")))
    texts: dict[str, str] = {}
    for i in range(0, len(ids), 500):
        chunk = ids[i:i + 500]
        texts.update((sid, unpack_text(text)) for sid, text in conn.execute(
            f"SELECT id, text FROM sections WHERE id IN ({','.join('?' * len(chunk))})", chunk))
    for r in rows:
        if not r.get("text"):
            r["text"] = texts.get(r["section_id"], "")[r["start"]:r["end"]]


def read_measures(store: Any, *, section_id: str | None = None, document_id: str | None = None,
                  fund: str | None = None) -> list[dict[str, Any]]:
    where, params = _where(section_id=section_id, document_id=document_id, fund=fund)
    return [_details(r) for r in store.conn.execute(f"SELECT * FROM measures{where}{_order('measures')}", params)]


def read_allocations(store: Any, *, section_id: str | None = None, document_id: str | None = None,
                     fund: str | None = None) -> list[dict[str, Any]]:
    where, params = _where(section_id=section_id, document_id=document_id, fund=fund)
    out = []
    for r in store.conn.execute(f"SELECT * FROM allocations{where}{_order('allocations')}", params):
        d = _details(r)
        d["recipients"] = json.loads(d["recipients"]) if d.get("recipients") else []
        out.append(d)
    return out
