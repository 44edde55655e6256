"""The knowledge base's SQLite schema: its tables, indexes and the columns added since the first release.

Kept apart from :mod:`kb.store` so that the layout of the file can be read in one place; the store
creates it on open and adds :data:`ADDED_COLUMNS` to older files.

Size (issue 13: the knowledge base of the 8,929 regulations was 601 MB): section text, Markdown and
block lists are stored zlib-compressed (:mod:`kb.store_rows`); a statement's text is not stored, it is
its section's text from ``start`` to ``end`` (:mod:`kb.extract_store`); ``first_seen`` is WITHOUT ROWID
(its key is all it is looked up by; a rowid table kept the key twice).  Files made before keep their
layout and stay readable.
"""
from __future__ import annotations

SCHEMA_VERSION = 1

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
    original TEXT
);
CREATE TABLE IF NOT EXISTS unread (
    source_path TEXT PRIMARY KEY,
    reason TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS sections (
    id TEXT PRIMARY KEY,
    document_id TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    ord INTEGER NOT NULL,
    level INTEGER NOT NULL,
    parent_id TEXT,
    title TEXT NOT NULL,
    path TEXT NOT NULL,
    text TEXT NOT NULL,
    blocks TEXT NOT NULL,
    footnotes TEXT NOT NULL,
    markdown TEXT NOT NULL,
    source_line INTEGER NOT NULL DEFAULT 0
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
CREATE TABLE IF NOT EXISTS mentions (
    id INTEGER PRIMARY KEY,
    entity_id TEXT,
    label TEXT NOT NULL,
    section_id TEXT NOT NULL REFERENCES sections(id) ON DELETE CASCADE,
    document_id TEXT NOT NULL,
    start INTEGER NOT NULL,
    end INTEGER NOT NULL,
    surface TEXT NOT NULL,
    value TEXT,
    related TEXT NOT NULL DEFAULT '[]',
    refs TEXT NOT NULL DEFAULT '{}',
    article TEXT
);
CREATE INDEX IF NOT EXISTS mentions_entity ON mentions(entity_id);
CREATE INDEX IF NOT EXISTS mentions_section ON mentions(section_id);
CREATE INDEX IF NOT EXISTS mentions_doc ON mentions(document_id);
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
CREATE TABLE IF NOT EXISTS statements (
    id TEXT PRIMARY KEY,
    section_id TEXT NOT NULL REFERENCES sections(id) ON DELETE CASCADE,
    document_id TEXT NOT NULL,
    start INTEGER NOT NULL,
    end INTEGER NOT NULL,
    kind TEXT NOT NULL,
    cue TEXT,
    negated INTEGER NOT NULL DEFAULT 0,
    conditional INTEGER NOT NULL DEFAULT 0,
    text TEXT NOT NULL,
    details TEXT NOT NULL DEFAULT '{}'
);
CREATE INDEX IF NOT EXISTS statements_section ON statements(section_id);
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
CREATE TABLE IF NOT EXISTS builds (
    id INTEGER PRIMARY KEY,
    at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS first_seen (
    section_id TEXT PRIMARY KEY,
    document_id TEXT NOT NULL,
    build INTEGER NOT NULL
) WITHOUT ROWID;
"""

#: Columns added after the first release: (table, column, type); added to older files on open.
ADDED_COLUMNS = (("documents", "date", "TEXT"), ("documents", "kamerstuk", "TEXT"), ("documents", "original", "TEXT"),
                 ("documents", "source_stat", "TEXT"),
                 ("mentions", "refs", "TEXT NOT NULL DEFAULT '{}'"), ("mentions", "article", "TEXT"))
