"""Store access for the extraction layer: statements, measures and allocations.

Kept apart from ``kb/store.py`` (which other layers edit) and written against the tables that
``Store`` creates (:mod:`kb.store_schema`).  ``details`` holds, as JSON, the fields the schema has no
column for (measure kind/label/point/parent, allocation objective/purpose/measure id/passage, a
statement's evidence and commitment).  A statement row (``statement_rows``) names its section by key and
its sentence by number, and keeps its cue and details in one compressed blob (``extra``).

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

from .store_rows import dumps as _dumps, pack_text, unpack_text
from .store_sections import section_keys, section_texts

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


# -- writers ------------------------------------------------------------------------------
def replace_statements(store: Any, document_id: str, rows: Sequence[dict[str, Any]]) -> None:
    """Store the document's statements of a kind pages show (commitment, result, problem).  Sentences
    classified ``other`` (85% of a regulation's sentences) are not stored: no page lists them, and a
    sentence's id keeps its position among all sentences (``<section>/s<n>``)."""
    from kb.statements import cue_json

    rows = [r for r in rows if r["kind"] != "other"]
    conn = store.conn
    conn.execute("DELETE FROM statement_rows WHERE section IN (SELECT key FROM sections WHERE document_id = ?)",
                 (document_id,))
    keys = section_keys(conn, (r["section_id"] for r in rows))
    conn.executemany(
        "INSERT INTO statement_rows(section, n, sid, start, end, kind, negated, conditional, extra)"
        " VALUES (?,?,?,?,?,?,?,?,?)",
        [(keys[r["section_id"]], *_number(r["id"], r["section_id"]), r["start"], r["end"], r["kind"],
          int(r["negated"]), int(r["conditional"]),
          _pack_extra(cue_json(r), _dumps({**(r.get("evidence") or {}),
                                           **({"commitment": r["commitment"]} if r.get("commitment") else {})})))
         for r in rows],
    )


def _number(statement_id: str, section_id: str) -> tuple[int | None, str | None]:
    """(n, None) for the id ``<section id>/s<n>``, else (None, the id)."""
    rest = statement_id[len(section_id) + 2:] if statement_id.startswith(f"{section_id}/s") else ""
    if rest.isascii() and rest.isdigit() and str(int(rest)) == rest:
        return int(rest), None
    return None, statement_id


def _pack_extra(cue: str, details: str) -> bytes | None:
    """A statement's cue JSON (``""`` for none) and details JSON as one compressed blob; None for neither."""
    return None if not cue and details == "{}" else pack_text(f"{cue}\n{details}")


def _unpack_extra(extra: bytes | None) -> tuple[str, str]:
    if extra is None:
        return "", "{}"
    cue, _, details = unpack_text(extra).partition("\n")
    return cue, details


def replace_measures(store: Any, document_id: str, rows: Sequence[dict[str, Any]]) -> None:
    conn = store.conn
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
    """Statements as dicts (``id, section_id, document_id, start, end, kind, cue, negated, conditional,
    text`` and the details' fields), in reading order.  The text is the section's from ``start`` to ``end``
    (not stored a second time: 30 MB of the regulations' knowledge base)."""
    where, params = _where(**{"s.id": section_id, "s.document_id": document_id, "t.kind": kind})
    rows = store.conn.execute(
        "SELECT COALESCE(t.sid, s.id || '/s' || t.n), s.id, s.document_id, t.start, t.end, t.kind, t.negated,"
        f" t.conditional, t.extra FROM statement_rows t JOIN sections s ON s.key = t.section{where}"
        " ORDER BY s.document_id, s.ord, t.start, t.rowid", params).fetchall()
    texts = section_texts(store.conn, (r[1] for r in rows))
    out = []
    for sid, section_id, doc_id, start, end, kind, negated, conditional, extra in rows:
        cue, details = _unpack_extra(extra)
        d = {"id": sid, "section_id": section_id, "document_id": doc_id, "start": start, "end": end, "kind": kind,
             "cue": json.loads(cue) if cue else None, "negated": negated, "conditional": conditional,
             "text": texts.get(section_id, "")[start:end]}
        for k, v in json.loads(details).items():
            d.setdefault(k, v)
        out.append(d)
    return out


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
