"""The knowledge base's SQLite schema: its tables, views and indexes, and the format version.

Kept apart from :mod:`kb.store` so that the layout of the file can be read in one place; the store
creates it on open.

Format 2 (issue 13: the knowledge base of the 8,929 regulations was 534 MB, a third of it stored twice
or derivable):

* a section's plain text and Markdown are one compressed ``body`` (:func:`kb.store_rows.pack_body`; half
  of the regulations' sections have a Markdown equal to their text, and the rest differs in a few marks,
  which the compressor's window makes nearly free);
* ``path`` (the breadcrumb) is stored only where it is not the parent's path plus the section's own
  title, and ``parent`` is the parent's ``key``, not its id (:mod:`kb.store_sections` derives both);
* mentions and statements name their section by its integer ``key`` (``mention_rows``,
  ``statement_rows``), and mentions their entity by an integer key (``entity_keys``): the ids are not
  repeated in every row and index; the views ``mentions`` and ``statements`` give raw-SQL readers the
  columns they always had;
* a statement's id is its section's id and its sentence number (``<section>/s<n>``), its cue and
  details one compressed blob, its text its section's text from ``start`` to ``end``;
* ``first_seen`` (which build first held a section) is keyed by a 64-bit hash of the section's id;
* defaults (``[]``, ``{}``) are NULL.

A file of another format is not read (:class:`FormatError`): the build makes a new one from the corpus.
"""
from __future__ import annotations

#: The format of the file; a file of another format is rebuilt (:class:`FormatError`).
SCHEMA_VERSION = 2


class FormatError(RuntimeError):
    """The file is a knowledge base of another format (made by an older version)."""

    def __init__(self, path: object, found: str | None) -> None:
        self.found = found
        what = f"formaat {found}" if found else "een onbekend formaat"
        super().__init__(f"{path}: kennisbank in {what}; deze versie gebruikt formaat {SCHEMA_VERSION}."
                         " Bouw hem opnieuw met `beleidsbank build`.")


SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS documents (
    id TEXT PRIMARY KEY,
    source_path TEXT NOT NULL,
    title TEXT NOT NULL,
    format TEXT NOT NULL,
    encoding TEXT NOT NULL,
    sha256 TEXT NOT NULL,
    fingerprint TEXT NOT NULL DEFAULT '',
    kind TEXT,
    year INTEGER,
    period TEXT,
    ministry TEXT,
    source TEXT,
    licence TEXT,
    metadata TEXT NOT NULL DEFAULT '{}',
    warnings TEXT NOT NULL DEFAULT '[]',
    section_count INTEGER NOT NULL DEFAULT 0,
    date TEXT,
    kamerstuk TEXT,
    original TEXT,
    source_stat TEXT
);
CREATE TABLE IF NOT EXISTS unread (
    source_path TEXT PRIMARY KEY,
    reason TEXT NOT NULL
);
-- parent: the parent's key; path: JSON, only when not the parent's path + [title]; footnotes: JSON, NULL = [];
-- body and blocks compressed (kb.store_rows)
CREATE TABLE IF NOT EXISTS sections (
    key INTEGER PRIMARY KEY,
    id TEXT NOT NULL UNIQUE,
    document_id TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    ord INTEGER NOT NULL,
    level INTEGER NOT NULL,
    parent INTEGER,
    title TEXT NOT NULL,
    body BLOB NOT NULL,
    blocks BLOB NOT NULL,
    source_line INTEGER NOT NULL DEFAULT 0,
    footnotes TEXT,
    path TEXT
);
CREATE INDEX IF NOT EXISTS sections_doc ON sections(document_id, ord);
CREATE TABLE IF NOT EXISTS entities (
    id TEXT PRIMARY KEY,
    label TEXT NOT NULL,
    name TEXT NOT NULL,
    aliases TEXT NOT NULL DEFAULT '[]',
    description TEXT NOT NULL DEFAULT '',
    refs TEXT NOT NULL DEFAULT '{}',
    relations TEXT NOT NULL DEFAULT '[]',
    origin TEXT NOT NULL DEFAULT 'catalogue',
    provenance TEXT NOT NULL DEFAULT '[]'
);
-- every entity id a mention names (catalogue, derived, or a value's type such as "date"); only grows
CREATE TABLE IF NOT EXISTS entity_keys (
    key INTEGER PRIMARY KEY,
    id TEXT NOT NULL UNIQUE
);
-- entity: the entity's key (entity_keys); related: JSON, NULL = []; refs: JSON, NULL = {}
CREATE TABLE IF NOT EXISTS mention_rows (
    id INTEGER PRIMARY KEY,
    section INTEGER NOT NULL REFERENCES sections(key) ON DELETE CASCADE,
    entity INTEGER,
    label TEXT NOT NULL,
    start INTEGER NOT NULL,
    end INTEGER NOT NULL,
    surface TEXT NOT NULL,
    value TEXT,
    article TEXT,
    related TEXT,
    refs TEXT
);
CREATE INDEX IF NOT EXISTS mention_rows_section ON mention_rows(section);
CREATE INDEX IF NOT EXISTS mention_rows_entity ON mention_rows(entity);
CREATE VIEW IF NOT EXISTS mentions AS
    SELECT m.id, k.id AS entity_id, m.label, s.id AS section_id, s.document_id, m.start, m.end, m.surface, m.value,
           COALESCE(m.related, '[]') AS related, COALESCE(m.refs, '{}') AS refs, m.article
    FROM mention_rows m LEFT JOIN sections s ON s.key = m.section LEFT JOIN entity_keys k ON k.key = m.entity;
CREATE TABLE IF NOT EXISTS definitions (
    id INTEGER PRIMARY KEY,
    document_id TEXT NOT NULL,
    section_id TEXT NOT NULL,
    short TEXT NOT NULL,
    long TEXT NOT NULL,
    entity_id TEXT NOT NULL,
    label TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS definitions_doc ON definitions(document_id);
-- n: the sentence's number in its section (id <section id>/s<n>); sid: the id when it is not of that form;
-- extra: compressed "<cue JSON>\\n<details JSON>" (kb.extract_store), NULL when both are empty
CREATE TABLE IF NOT EXISTS statement_rows (
    section INTEGER NOT NULL REFERENCES sections(key) ON DELETE CASCADE,
    n INTEGER,
    start INTEGER NOT NULL,
    end INTEGER NOT NULL,
    kind TEXT NOT NULL,
    negated INTEGER NOT NULL DEFAULT 0,
    conditional INTEGER NOT NULL DEFAULT 0,
    extra BLOB,
    sid TEXT
);
CREATE UNIQUE INDEX IF NOT EXISTS statement_rows_key ON statement_rows(section, n);
CREATE VIEW IF NOT EXISTS statements AS
    SELECT COALESCE(t.sid, s.id || '/s' || t.n) AS id, s.id AS section_id, s.document_id, t.start, t.end, t.kind,
           t.negated, t.conditional
    FROM statement_rows t LEFT JOIN sections s ON s.key = t.section;
CREATE TABLE IF NOT EXISTS measures (
    id TEXT PRIMARY KEY,
    section_id TEXT NOT NULL REFERENCES sections(id) ON DELETE CASCADE,
    document_id TEXT NOT NULL,
    start INTEGER NOT NULL,
    end INTEGER NOT NULL,
    article_ref TEXT,
    fund TEXT,
    objective TEXT,
    text TEXT NOT NULL,
    details TEXT NOT NULL DEFAULT '{}'
);
CREATE INDEX IF NOT EXISTS measures_doc ON measures(document_id);
CREATE INDEX IF NOT EXISTS measures_section ON measures(section_id);
CREATE TABLE IF NOT EXISTS allocations (
    id TEXT PRIMARY KEY,
    section_id TEXT NOT NULL REFERENCES sections(id) ON DELETE CASCADE,
    document_id TEXT NOT NULL,
    start INTEGER NOT NULL,
    end INTEGER NOT NULL,
    fund TEXT NOT NULL,
    share REAL NOT NULL,
    measure TEXT,
    recipients TEXT NOT NULL DEFAULT '[]',
    parent_id TEXT,
    text TEXT NOT NULL,
    details TEXT NOT NULL DEFAULT '{}'
);
CREATE INDEX IF NOT EXISTS allocations_doc ON allocations(document_id);
CREATE INDEX IF NOT EXISTS allocations_section ON allocations(section_id);
CREATE TABLE IF NOT EXISTS builds (
    id INTEGER PRIMARY KEY,
    at TEXT NOT NULL
);
-- section: a 64-bit hash of the section's id (kb.store_rows.id_hash): it outlives the section's rows, which a
-- changed document replaces, and is a sixth of the id's size
CREATE TABLE IF NOT EXISTS first_seen (
    section INTEGER PRIMARY KEY,
    build INTEGER NOT NULL
);
"""
