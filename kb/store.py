"""The SQLite knowledge base: documents, sections, entities, mentions, statements.

One real SQLite file per generation (see ``beleidsbank.generations``).  A build writes into a
private copy (``building=True``: WAL, no fsync per commit, batched commits: a crash only loses
that unpublished copy) and :meth:`Store.finish_build` leaves a compact file with no WAL beside it;
published files are only ever read (``readonly=True``).  Every per-document delete has an index
on ``document_id``, so replacing one document costs the same whatever the size of the collection.
"""
from __future__ import annotations

import sqlite3
from contextlib import contextmanager
from datetime import datetime, timezone
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterator, Sequence

from corpus.model import Block, Document, Footnote, Section

from .store_rows import EncodedDocument, encode_document
from .store_rows import dumps as _dumps, document_row as _document_row, entity_row as _entity_row, id_hash, pack_text, select_in, unpack_text
from .store_schema import SCHEMA, SCHEMA_VERSION, FormatError
from . import store_mentions as _mentions
from .store_sections import read_section, read_sections

__all__ = ["FormatError", "Mention", "SCHEMA", "SCHEMA_VERSION", "Store", "pack_text", "unpack_text"]

#: What ``counts`` counts: the tables behind the views ``mentions`` and ``statements``.
_COUNTED = {"documents": "documents", "sections": "sections", "entities": "entities", "mentions": "mention_rows",
            "statements": "statement_rows", "measures": "measures", "allocations": "allocations"}

@dataclass
class Mention:
    entity_id: str | None
    label: str
    section_id: str
    document_id: str
    start: int
    end: int
    surface: str
    value: str | None = None
    related: Sequence[str] = ()
    refs: dict[str, str] | None = None  # LAW: {"bwb": ...} / {"celex": ...}
    article: str | None = None  # LAW: the article cited ("49, eerste lid")


class Store:
    """Thin access layer over the SQLite file; rows come back as dicts."""

    def __init__(self, path: Path, *, readonly: bool = False, building: bool = False) -> None:
        self.path = Path(path)
        self.readonly = readonly
        self._build: int | None = None
        if readonly:
            if not self.path.exists():
                raise FileNotFoundError(f"{self.path}: knowledge base not found; run `beleidsbank build` first")
            uri = f"file:{self.path}?mode=ro"
            self.conn = sqlite3.connect(uri, uri=True, check_same_thread=False)
            self._check_format(new_ok=False)
        else:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self.conn = sqlite3.connect(self.path, check_same_thread=False)
            self._check_format(new_ok=True)
            self.conn.execute("PRAGMA journal_mode=WAL")
            if building:  # a private copy: durability comes from publishing the finished generation
                self.conn.execute("PRAGMA synchronous=OFF")
                self.conn.execute("PRAGMA cache_size=-65536")
                self.conn.execute("PRAGMA temp_store=MEMORY")
            self.conn.executescript(SCHEMA)
            self.conn.execute("INSERT OR IGNORE INTO meta(key, value) VALUES ('schema_version', ?)", (str(SCHEMA_VERSION),))
            self.conn.commit()
        self.conn.row_factory = sqlite3.Row
        self.conn.execute("PRAGMA foreign_keys=ON")

    def _check_format(self, *, new_ok: bool) -> None:
        """Refuse a file of another format (:class:`kb.store_schema.FormatError`): its rows would be misread.
        An empty file is a new knowledge base when writing."""
        conn = self.conn
        if conn.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'meta'").fetchone() is None:
            if new_ok and conn.execute("SELECT COUNT(*) FROM sqlite_master").fetchone()[0] == 0:
                return
            conn.close()
            raise FormatError(self.path, None)
        row = conn.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
        if row is None or row[0] != str(SCHEMA_VERSION):
            conn.close()
            raise FormatError(self.path, row[0] if row else None)

    def close(self) -> None:
        self.conn.close()

    def finish_build(self, *, vacuum_free_share: float = 0.2, vacuum_free_bytes: int = 32_000_000) -> dict[str, Any]:
        """Make the file ready to publish: statistics for the query planner, the space of removed
        documents given back when it is worth it (VACUUM), the WAL folded in and removed (journal
        mode DELETE: a published file is never written again, so it needs none)."""
        conn = self.conn
        page = conn.execute("PRAGMA page_size").fetchone()[0]
        free = conn.execute("PRAGMA freelist_count").fetchone()[0] * page
        total = conn.execute("PRAGMA page_count").fetchone()[0] * page
        conn.execute("PRAGMA optimize")
        vacuumed = bool(total and free >= vacuum_free_bytes and free / total >= vacuum_free_share)
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        conn.execute("PRAGMA journal_mode=DELETE")
        if vacuumed:
            conn.execute("VACUUM")
        return {"bytes": self.path.stat().st_size, "free_bytes_before": free, "vacuumed": vacuumed}

    def __enter__(self) -> "Store":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def commit(self) -> None:
        """Commit what the build wrote so far (batched commits keep the WAL small)."""
        self.conn.commit()

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """All-or-nothing: an exception rolls every change in the block back."""
        try:
            self.conn.execute("BEGIN IMMEDIATE")
            yield self.conn
            self.conn.execute("COMMIT")
        except BaseException:
            self.conn.execute("ROLLBACK")
            raise

    # -- meta ---------------------------------------------------------------------------
    def get_meta(self, key: str, default: str | None = None) -> str | None:
        row = self.conn.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return row["value"] if row else default

    def set_meta(self, key: str, value: str) -> None:
        self.conn.execute("INSERT OR REPLACE INTO meta(key, value) VALUES (?, ?)", (key, value))

    # -- documents and sections ---------------------------------------------------------
    def document_fingerprints(self) -> dict[str, tuple[str, str]]:
        """Document id -> (sha256 of the source, pipeline fingerprint)."""
        rows = self.conn.execute("SELECT id, sha256, fingerprint FROM documents")
        return {r["id"]: (r["sha256"], r["fingerprint"]) for r in rows}

    def put_document(self, doc: Document, fingerprint: str = "", original: str | None = None) -> None:
        """Replace a document and its sections (and, by cascade, their mentions).

        ``original`` is where the kept copy of the source file lives, relative to the data directory.
        """
        self.put_encoded(encode_document(doc), fingerprint, original)

    def put_encoded(self, enc: EncodedDocument, fingerprint: str = "", original: str | None = None) -> None:
        """:meth:`put_document` for a document already encoded (:func:`kb.store_rows.encode_document`)."""
        self.delete_document(enc.id)
        self.conn.execute(
            "INSERT INTO documents(id, source_path, title, format, encoding, sha256, kind, year, period,"
            " ministry, source, licence, metadata, warnings, section_count, date, kamerstuk, fingerprint, original)"
            " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
            enc.document + (fingerprint, original),
        )
        base = self.conn.execute("SELECT COALESCE(MAX(key), 0) + 1 FROM sections").fetchone()[0]
        self.conn.executemany(
            "INSERT INTO sections(key, id, document_id, ord, level, parent, title, body, blocks, source_line,"
            " footnotes, path) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
            [(base + i, sid, doc, ord_, level, base + parent if type(parent) is int else parent, *rest)
             for i, (sid, doc, ord_, level, parent, *rest) in enumerate(enc.sections)])
        build = self._current_build()
        self.conn.executemany("INSERT OR IGNORE INTO first_seen(section, build) VALUES (?,?)",
                              [(id_hash(sec[0]), build) for sec in enc.sections])

    # -- builds: which build first held a passage (new passages first in the Atom feeds) -------
    def _current_build(self) -> int:
        """The build this writer is part of: a row in ``builds``, made when it first stores a document."""
        if self._build is None:
            at = datetime.now(timezone.utc).isoformat(timespec="seconds")
            self._build = int(self.conn.execute("INSERT INTO builds(at) VALUES (?)", (at,)).lastrowid)
        return self._build

    def first_seen(self, section_ids: Sequence[str]) -> dict[str, dict[str, Any]]:
        """Section id -> ``{"build", "at"}`` of the build that first stored it, by section id (a section never
        stored is absent)."""
        by_hash = {id_hash(sid): sid for sid in section_ids}
        rows = select_in(self.conn, "SELECT f.section, f.build, b.at FROM first_seen f JOIN builds b ON b.id = f.build"
                                    " WHERE f.section IN ({})", by_hash)
        return dict(sorted((by_hash[r["section"]], {"build": r["build"], "at": r["at"]}) for r in rows))

    def latest_build(self) -> dict[str, Any] | None:
        """``{"build", "at"}`` of the last build that stored a document, or None."""
        row = self.conn.execute("SELECT id, at FROM builds ORDER BY id DESC LIMIT 1").fetchone()
        return {"build": row["id"], "at": row["at"]} if row else None

    def set_original(self, document_id: str, original: str | None) -> None:
        """Where the kept copy of the source file lives (relative to the data directory)."""
        self.conn.execute("UPDATE documents SET original = ? WHERE id = ?", (original, document_id))

    def set_source_stats(self, stats: dict[str, str]) -> None:
        """Record what ``stat`` said about each document's source file (id -> key), so that the next build
        need not hash it again while the key holds (:func:`corpus.hashing.stat_key`)."""
        self.conn.executemany("UPDATE documents SET source_stat = ? WHERE id = ?", [(k, d) for d, k in stats.items()])

    def set_fingerprint(self, document_id: str, fingerprint: str) -> None:
        self.conn.execute("UPDATE documents SET fingerprint = ? WHERE id = ?", (fingerprint, document_id))

    def delete_document(self, document_id: str) -> None:
        for table in ("mention_rows", "statement_rows"):
            self.conn.execute(f"DELETE FROM {table} WHERE section IN (SELECT key FROM sections WHERE document_id = ?)",
                              (document_id,))
        for table in ("definitions", "measures", "allocations"):
            self.conn.execute(f"DELETE FROM {table} WHERE document_id = ?", (document_id,))
        self.conn.execute("DELETE FROM sections WHERE document_id = ?", (document_id,))
        self.conn.execute("DELETE FROM documents WHERE id = ?", (document_id,))

    def documents(self) -> list[dict[str, Any]]:
        rows = self.conn.execute("SELECT * FROM documents ORDER BY year IS NULL, year, title")
        return [_document_row(r) for r in rows]

    def document(self, document_id: str) -> dict[str, Any] | None:
        row = self.conn.execute("SELECT * FROM documents WHERE id = ?", (document_id,)).fetchone()
        return _document_row(row) if row else None

    def sections(self, document_id: str | None = None) -> list[dict[str, Any]]:
        """The sections of one document (or of all) in reading order (:mod:`kb.store_sections`)."""
        return read_sections(self.conn, document_id)

    def section(self, section_id: str) -> dict[str, Any] | None:
        return read_section(self.conn, section_id)

    def neighbours(self, section_id: str) -> tuple[dict[str, Any] | None, dict[str, Any] | None]:
        """The previous and next section of the same document."""
        sec = self.conn.execute("SELECT document_id, ord FROM sections WHERE id = ?", (section_id,)).fetchone()
        if sec is None:
            return None, None
        prev = self.conn.execute(
            "SELECT id, title FROM sections WHERE document_id = ? AND ord < ? ORDER BY ord DESC LIMIT 1",
            (sec["document_id"], sec["ord"]),
        ).fetchone()
        nxt = self.conn.execute(
            "SELECT id, title FROM sections WHERE document_id = ? AND ord > ? ORDER BY ord LIMIT 1",
            (sec["document_id"], sec["ord"]),
        ).fetchone()
        return (dict(prev) if prev else None), (dict(nxt) if nxt else None)

    def load_document(self, document_id: str) -> Document | None:
        """Rebuild the reader's :class:`Document` from the store (for re-tagging without re-reading)."""
        row = self.document(document_id)
        if row is None:
            return None
        doc = Document(
            id=row["id"], source_path=row["source_path"], title=row["title"], format=row["format"],
            encoding=row["encoding"], sha256=row["sha256"], kind=row["kind"], year=row["year"],
            period=row["period"], ministry=row["ministry"], source=row["source"], licence=row["licence"],
            metadata=row["metadata"], warnings=row["warnings"], date=row.get("date"), kamerstuk=row.get("kamerstuk"),
        )
        for s in self.sections(document_id):
            doc.sections.append(
                Section(
                    id=s["id"], document_id=document_id, title=s["title"], level=s["level"],
                    parent_id=s["parent_id"], path=s["path"], order=s["ord"], text=s["text"],
                    blocks=[Block(b[0], b[1], b[2], b[3], b[4] if len(b) > 4 else None) for b in s["blocks"]],
                    footnotes=[Footnote(f[0], f[1]) for f in s["footnotes"]], markdown=s["markdown"],
                    source_line=s["source_line"],
                )
            )
        return doc

    # -- files the build could not read --------------------------------------------------
    def replace_unread(self, rows: Sequence[tuple[str, str]]) -> None:
        """The files the last build could not read: ``(source_path, reason)``, replacing the previous list."""
        self.conn.execute("DELETE FROM unread")
        self.conn.executemany("INSERT OR REPLACE INTO unread(source_path, reason) VALUES (?, ?)", list(rows))

    def unread(self) -> list[dict[str, Any]]:
        """Files the last build could not read, with the reason ("geen tekstlaag", ...), by path."""
        return [dict(r) for r in self.conn.execute("SELECT source_path, reason FROM unread ORDER BY source_path")]

    # -- entities and mentions ----------------------------------------------------------
    def replace_entities(self, rows: Sequence[dict[str, Any]]) -> None:
        self.conn.execute("DELETE FROM entities")
        self.conn.executemany(
            "INSERT INTO entities(id, label, name, aliases, description, refs, relations, origin, provenance)"
            " VALUES (?,?,?,?,?,?,?,?,?)",
            [
                (
                    r["id"], r["label"], r["name"], _dumps(r.get("aliases", [])), r.get("description", ""),
                    _dumps(r.get("refs", {})), _dumps(r.get("relations", [])), r.get("origin", "catalogue"),
                    _dumps(r.get("provenance", [])),
                )
                for r in rows
            ],
        )

    def entity_table(self) -> list[dict[str, Any]]:
        """Every entity row, without mention counts (cheap at any size)."""
        return [_entity_row(r) for r in self.conn.execute("SELECT * FROM entities ORDER BY id")]

    def entities(self, label: str | None = None) -> list[dict[str, Any]]:
        """Entity rows with ``mention_count`` and ``section_count``, most mentioned first."""
        return [_entity_row(r) for r in _mentions.entities_with_counts(self.conn, label)]

    def entity(self, entity_id: str) -> dict[str, Any] | None:
        row = _mentions.entity_with_counts(self.conn, entity_id)
        return _entity_row(row) if row else None

    def delete_mentions(self, document_id: str) -> None:
        _mentions.delete_mentions(self.conn, document_id)

    def add_mentions(self, mentions: Sequence[Mention]) -> None:
        """Store mentions of sections already stored (a mention of an unknown section is a KeyError)."""
        _mentions.add_mentions(self.conn, mentions)

    def mentions(self, *, section_id: str | None = None, entity_id: str | None = None,
                 document_id: str | None = None) -> list[dict[str, Any]]:
        return _mentions.read_mentions(self.conn, section_id=section_id, entity_id=entity_id, document_id=document_id)

    def mentioned_entities(self) -> set[str]:
        """The ids of the entities at least one mention names."""
        return _mentions.mentioned_entities(self.conn)

    def cooccurring(self, entity_id: str, limit: int = 10) -> list[dict[str, Any]]:
        """Entities that share the most sections with the given one."""
        return _mentions.cooccurring(self.conn, entity_id, limit)

    def replace_definitions(self, document_id: str, rows: Sequence[dict[str, Any]]) -> None:
        self.conn.execute("DELETE FROM definitions WHERE document_id = ?", (document_id,))
        self.conn.executemany(
            "INSERT INTO definitions(document_id, section_id, short, long, entity_id, label) VALUES (?,?,?,?,?,?)",
            [(document_id, r["section_id"], r["short"], r["long"], r["entity_id"], r["label"]) for r in rows],
        )

    def definitions(self) -> list[dict[str, Any]]:
        return [dict(r) for r in self.conn.execute("SELECT * FROM definitions ORDER BY id")]

    # -- counts -------------------------------------------------------------------------
    def collection_counts(self) -> dict[str, Any]:
        """What the collection holds as its users see it, so the home page, the lists and the build
        summary give the same numbers: ``entities`` are the catalogue entities mentioned at least once
        (``catalogue``: all of them), ``mentions`` their mentions (``values``: dates, amounts and
        percentages, which are no entities), ``statements`` the commitments, results and problems
        (``statement_kinds`` per kind; sentences of kind "other" are no statement)."""
        one = lambda sql: self.conn.execute(sql).fetchone()[0]  # noqa: E731
        kinds = {r[0]: r[1] for r in self.conn.execute(
            "SELECT kind, COUNT(*) FROM statement_rows WHERE kind != 'other' GROUP BY kind ORDER BY kind")}
        mentioned = _mentions.mention_counts(self.conn)
        return {
            "documents": one("SELECT COUNT(*) FROM documents"),
            "sections": one("SELECT COUNT(*) FROM sections"),
            "entities": mentioned["entities"],
            "catalogue": one("SELECT COUNT(*) FROM entities"),
            "mentions": mentioned["mentions"],
            "values": mentioned["values"],
            "statements": sum(kinds.values()),
            "statement_kinds": kinds,
            "measures": one("SELECT COUNT(*) FROM measures"),
            "allocations": one("SELECT COUNT(*) FROM allocations"),
            "unread": len(self.unread()),
        }

    def counts(self) -> dict[str, int]:
        return {name: self.conn.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0] for name, table in _COUNTED.items()}
