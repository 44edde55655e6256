"""The register of regulations in the knowledge base (SQLite), and the register stage of a build.

Tables (created on first use, next to the knowledge base's own):

    law_files   one row per regulation file read: source path, sha256, what :mod:`kb.laws.extract` found
                (JSON, zlib-compressed: 15 MB of the regulations' knowledge base uncompressed); unchanged
                files are not read again
    laws        one row per regulation: BWB id, kind, official title, short titles, in the collection or
                only cited by it
    law_names   the name evidence (:class:`kb.laws.register.NameRow`)

``meta.law_register`` holds the register's digest; the tagger's compiled form is cached under it.
"""
from __future__ import annotations

import hashlib
import json
import sqlite3
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable

from tqdm import tqdm

from corpus.model import ReaderError
from kb.store_rows import pack_text, unpack_text

from .compiled import register_digest
from .data import WORDS_FILE
from .extract import BWB_ID, RegulationFile, read_regulation
from .register import NameRow, Regulation, aggregate

SCHEMA = """
CREATE TABLE IF NOT EXISTS law_files (
    source_path TEXT PRIMARY KEY,
    sha256 TEXT NOT NULL,
    data TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS laws (
    bwb TEXT PRIMARY KEY,
    kind TEXT NOT NULL DEFAULT '',
    title TEXT NOT NULL DEFAULT '',
    citeertitels TEXT NOT NULL DEFAULT '[]',
    in_collection INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE IF NOT EXISTS law_names (
    name TEXT NOT NULL,
    bwb TEXT NOT NULL,
    source TEXT NOT NULL,
    book TEXT NOT NULL DEFAULT '',
    docs INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX IF NOT EXISTS law_names_bwb ON law_names(bwb);
"""
META_KEY = "law_register"
CODE_KEY = "law_register_code"
#: The modules whose rules decide what a regulation file contributes; a change to one re-reads every file.
_CODE_FILES = ("extract.py", "register.py", "citation.py", "data.py")


def register_code_version() -> str:
    """Hash of the reading and mining rules (their modules and word lists)."""
    h = hashlib.sha256()
    here = Path(__file__).resolve().parent
    for path in [here / name for name in _CODE_FILES] + [WORDS_FILE]:
        h.update(path.name.encode() + b"\0" + path.read_bytes())
    return h.hexdigest()[:16]


@dataclass
class RegisterReport:
    files: int = 0  # regulation files in the collection
    read: int = 0  # of which read now (new or changed)
    changed: int = 0  # of those read, the ones whose titles or names changed (the register is aggregated again)
    removed: int = 0
    regulations: int = 0  # in the register (files + regulations only cited)
    names: int = 0
    digest: str = ""
    errors: list[str] = field(default_factory=list)


@dataclass
class RegisterSource:
    """A register in a knowledge base, read (through the caller's open connection, which may be inside the
    build's transaction) only when the tagger has no cached compiled form of it."""

    digest: str
    conn: sqlite3.Connection
    cache_dir: Path | None

    def rows(self) -> tuple[dict[str, Regulation], list[NameRow]]:
        return read_register(self.conn)


@dataclass
class InMemoryRegister:
    """A register that lives in memory only (tests, benchmarks): same interface as :class:`RegisterSource`."""

    regs: dict[str, Regulation]
    names: list[NameRow]
    cache_dir: Path | None = None
    digest: str = ""

    def __post_init__(self) -> None:
        self.digest = self.digest or register_digest(self.regs.values(), self.names)

    def rows(self) -> tuple[dict[str, Regulation], list[NameRow]]:
        return self.regs, self.names

    @classmethod
    def from_files(cls, files: Iterable[RegulationFile]) -> "InMemoryRegister":
        regs, rows = aggregate(files)
        return cls(regs, rows)


def ensure_tables(conn: sqlite3.Connection) -> None:
    """Create the register's tables; statement by statement, since ``executescript`` would commit the caller's
    open transaction (the build's, which must stay all-or-nothing)."""
    for statement in SCHEMA.split(";"):
        if statement.strip():
            conn.execute(statement)


def _has_tables(conn: sqlite3.Connection) -> bool:
    row = conn.execute("SELECT name FROM sqlite_master WHERE type='table' AND name='law_names'").fetchone()
    return row is not None


def regulation_paths(corpus_dir: Path, paths: Iterable[Path]) -> list[Path]:
    """The regulation files among a corpus' files: Markdown named by a BWB id."""
    return [p for p in paths if p.suffix.lower() == ".md" and BWB_ID.match(p.stem)]


#: What reading one regulation file gives: what it says, or why it could not be read.
ReadOutcome = tuple[Path, "RegulationFile | str"]
#: Reads many regulation files (in worker processes, say), outcomes in any order.
ReadMany = Callable[[list[Path]], Iterable[ReadOutcome]]


def read_one_regulation(path: Path, read_text: Callable[[Path], str] | None) -> ReadOutcome:
    """Read one regulation file; an unreadable one gives the reason instead (the register reports it)."""
    try:
        return path, read_regulation(path, read_text(path) if read_text is not None else None)
    except (OSError, UnicodeError, ReaderError) as exc:
        return path, str(exc)


def build_register(conn: sqlite3.Connection, corpus_dir: Path, paths: Iterable[Path], *,
                   sha256: Callable[[Path], str], read_text: Callable[[Path], str] | None = None,
                   read_many: ReadMany | None = None, progress: bool = True) -> RegisterReport:
    """Bring the register up to date with the regulation files among ``paths`` (inside the caller's
    transaction).  Reads only new and changed files, with ``sha256`` and ``read_text`` (the corpus layer's
    safe, size-limited reading) or ``read_many`` (the build reads them on every core); a file that cannot
    be read is reported by name and reason.  Rows are written in file order, whatever order they were
    read in."""
    ensure_tables(conn)
    report = RegisterReport()
    regs = regulation_paths(corpus_dir, paths)
    report.files = len(regs)
    code = register_code_version()
    if _meta(conn, CODE_KEY) != code:  # the reading or mining rules changed: what was read before is stale
        conn.execute("DELETE FROM law_files")
        conn.execute("DELETE FROM meta WHERE key = ?", (META_KEY,))
    known = {r[0]: r[1] for r in conn.execute("SELECT source_path, sha256 FROM law_files")}
    seen: set[str] = set()
    todo: list[tuple[Path, str, str]] = []  # (path, relative path, digest) of the files to read
    for path in regs:
        rel = path.relative_to(corpus_dir).as_posix()
        seen.add(rel)
        try:
            digest = sha256(path)
        except (OSError, UnicodeError, ReaderError) as exc:
            report.errors.append(_unread(rel, exc))
            continue
        if known.get(rel) != digest:
            todo.append((path, rel, digest))
    reader = read_many or (lambda ps: (read_one_regulation(p, read_text) for p in ps))
    outcomes: dict[Path, RegulationFile | str] = {}
    for path, outcome in tqdm(reader([t[0] for t in todo]), total=len(todo), desc="Regelingen", unit="doc",
                              file=sys.stderr, disable=not progress, leave=False):
        outcomes[path] = outcome
    for path, rel, digest in todo:
        found = outcomes[path]
        if isinstance(found, str):
            report.errors.append(_unread(rel, found))
            continue
        data = json.dumps(found.to_dict(), ensure_ascii=False)
        report.read += 1
        if rel in known:
            before = conn.execute("SELECT data FROM law_files WHERE source_path = ?", (rel,)).fetchone()
            if before is not None and unpack_text(before[0]) == data:  # text changed, titles and names not
                conn.execute("UPDATE law_files SET sha256 = ? WHERE source_path = ?", (digest, rel))
                continue
        conn.execute("INSERT OR REPLACE INTO law_files(source_path, sha256, data) VALUES (?,?,?)",
                     (rel, digest, pack_text(data)))
        report.changed += 1
    for rel in set(known) - seen:
        conn.execute("DELETE FROM law_files WHERE source_path = ?", (rel,))
        report.removed += 1
    if report.changed or report.removed or not _has_digest(conn):
        files = (RegulationFile.from_dict(json.loads(unpack_text(r[0]))) for r in conn.execute("SELECT data FROM law_files"))
        regs_by_id, rows = aggregate(files)
        write_register(conn, regs_by_id, rows)
        conn.execute("INSERT OR REPLACE INTO meta(key, value) VALUES (?, ?)", (CODE_KEY, code))
    report.regulations = conn.execute("SELECT COUNT(*) FROM laws").fetchone()[0]
    report.names = conn.execute("SELECT COUNT(*) FROM law_names").fetchone()[0]
    report.digest = _digest(conn) or ""
    return report


def _unread(rel: str, reason: object) -> str:
    message = str(reason)
    return message if message.startswith(rel) else f"{rel}: {message}"


def write_register(conn: sqlite3.Connection, regs: dict[str, Regulation], rows: list[NameRow]) -> str:
    ensure_tables(conn)
    conn.execute("DELETE FROM laws")
    conn.execute("DELETE FROM law_names")
    conn.executemany("INSERT INTO laws(bwb, kind, title, citeertitels, in_collection) VALUES (?,?,?,?,?)",
                     [(r.bwb, r.kind, r.title, json.dumps(r.citeertitels, ensure_ascii=False), int(r.in_collection))
                      for r in regs.values()])
    conn.executemany("INSERT INTO law_names(name, bwb, source, book, docs) VALUES (?,?,?,?,?)",
                     [(n.name, n.bwb, n.source, n.book, n.docs) for n in rows])
    digest = register_digest(regs.values(), rows) if regs else ""
    conn.execute("INSERT OR REPLACE INTO meta(key, value) VALUES (?, ?)", (META_KEY, digest))
    return digest


def read_register(conn: sqlite3.Connection) -> tuple[dict[str, Regulation], list[NameRow]]:
    if not _has_tables(conn):
        return {}, []
    regs = {r[0]: Regulation(bwb=r[0], kind=r[1], title=r[2], citeertitels=json.loads(r[3]), in_collection=bool(r[4]))
            for r in conn.execute("SELECT bwb, kind, title, citeertitels, in_collection FROM laws")}
    rows = [NameRow(name=r[0], bwb=r[1], source=r[2], book=r[3], docs=r[4])
            for r in conn.execute("SELECT name, bwb, source, book, docs FROM law_names")]
    return regs, rows


def _meta(conn: sqlite3.Connection, key: str) -> str | None:
    row = conn.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
    return row[0] if row else None


def _digest(conn: sqlite3.Connection) -> str | None:
    return _meta(conn, META_KEY)


def _has_digest(conn: sqlite3.Connection) -> bool:
    return _digest(conn) is not None


def register_source(conn: sqlite3.Connection, cache_dir: Path | None) -> RegisterSource | None:
    """The register of a knowledge base (read while ``conn`` is open), or None when it has none or an empty one.
    ``cache_dir`` is where the tagger keeps its compiled form (the data directory)."""
    try:
        digest = _digest(conn)
    except sqlite3.Error:  # a knowledge base from before the register: no meta row, or no meta table
        return None
    if not digest:
        return None
    return RegisterSource(digest=digest, conn=conn, cache_dir=cache_dir)
