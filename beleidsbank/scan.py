"""The build's ``bestanden`` stage: find the source files, decide which changed, and hash only where needed.

Hashing every file of a large collection on every build costs seconds (8,929 regulations, 171 MB:
about 5 s).  A file whose :func:`corpus.hashing.stat_key` (size, mtime, ctime, inode of the file and
its sidecars) is the one recorded when it was last read or hashed is taken as unchanged without
reading it; any other file is hashed, and the hash stays the truth (a touched but identical file is
not read again, only its new stat recorded).  What a stat check can miss is documented at
:func:`corpus.hashing.stat_key`; ``beleidsbank build --rehash`` (``settings.build.trust_stat = False``)
hashes everything.
"""
from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from beleidsbank.build_report import BuildReport, progress_bar
from corpus.files import relative, scan
from corpus.hashing import source_sha256, stat_key
from corpus.ids import assign_document_ids
from kb.store import Store
from settings import Settings


@dataclass
class Known:
    """A document of the previous build: its id, source hash, kept original and recorded stat."""

    id: str
    sha256: str
    original: str | None
    stat: str | None


@dataclass
class ScanResult:
    todo: list[tuple[str, str, str]] = field(default_factory=list)  # (path, relative path, id) to read
    known: dict[str, Known] = field(default_factory=dict)  # relative path -> the previous build's document
    originals: list[tuple[str, str, str]] = field(default_factory=list)  # unchanged, kept original missing
    paths: list[Path] = field(default_factory=list)  # every readable file found
    digests: dict[Path, str] = field(default_factory=dict)  # path -> sha256 (hashed now or trusted by stat)
    sizes: dict[str, int] = field(default_factory=dict)  # path of each file to read -> bytes (read largest first)
    stats: dict[str, str] = field(default_factory=dict)  # document id -> stat key to record after the build
    hashed: int = 0  # files actually read and hashed


def known_documents(prev_store: Store | None) -> dict[str, Known]:
    """The previous build's documents by relative path (columns added later read as NULL in older files)."""
    if prev_store is None:
        return {}
    columns = {r[1] for r in prev_store.conn.execute("PRAGMA table_info(documents)")}
    original = "original" if "original" in columns else "NULL"  # a knowledge base from before kept originals
    stat = "source_stat" if "source_stat" in columns else "NULL"
    return {r[1]: Known(r[0], r[2], r[3], r[4]) for r in prev_store.conn.execute(
        f"SELECT id, source_path, sha256, {original}, {stat} FROM documents")}


def scan_corpus(settings: Settings, corpus_dir: Path, prev_store: Store | None, report: BuildReport, progress: bool,
                say: Callable[[str], None]) -> ScanResult:
    """Files to read, unchanged files (``report.unchanged``), removed ones (``report.removed``) and files
    not read with their reason (``report.unread``)."""
    limits = settings.reading
    res = ScanResult(known=known_documents(prev_store))
    known = res.known
    found = scan(corpus_dir)
    res.paths = found.paths
    for skipped in found.skipped:
        report.unread.append((skipped.path, skipped.reason))
        report.errors.append(f"{skipped.path}: {skipped.reason}")
        say(f"niet gelezen: {skipped.path}: {skipped.reason}")
    rels = {path: relative(path, corpus_dir) for path in found.paths}
    ids, notes = assign_document_ids(list(rels.values()), {rel: k.id for rel, k in known.items()})
    for note in notes:
        say(f"waarschuwing: {note}")
    huge = settings.build.huge_document_bytes
    trust = settings.build.trust_stat
    now = time.time_ns()
    for path in progress_bar(found.paths, desc="Bestanden", progress=progress, unit="bestand"):
        rel = rels[path]
        prev = known.get(rel)
        key = stat_key(path, now) if trust else None  # before any reading: a later write changes it
        try:
            size = path.stat().st_size
            if prev is not None and key is not None and prev.stat == key and size <= limits.max_file_bytes:
                digest = prev.sha256
            else:
                digest = source_sha256(path, corpus_dir, limits)
                res.hashed += 1
        except Exception as exc:  # ReaderError (too large, unreadable) or OSError
            reason = str(exc)[len(rel) + 2:] if str(exc).startswith(rel + ":") else str(exc)
            report.unread.append((rel, reason))
            report.errors.append(f"{rel}: {reason}")
            say(f"niet gelezen: {rel}: {reason}")
            continue
        res.digests[path] = digest
        if key is not None and (prev is None or prev.stat != key):
            res.stats[ids[rel]] = key
        if prev is not None and prev.sha256 == digest and prev.id == ids[rel]:
            report.unchanged.append(prev.id)
            if not prev.original or not (settings.data_dir / prev.original).is_file():
                res.originals.append((str(path), rel, ids[rel]))
            continue
        if size > huge:
            msg = (f"{rel}: groot bestand ({size / 1e6:.0f} MB, grens {huge / 1e6:.0f} MB); het bouwen duurt lang "
                   "en de pagina's van dit document worden traag")
            report.warnings.append(msg)
            say(f"waarschuwing: {msg}")
        res.todo.append((str(path), rel, ids[rel]))
        res.sizes[str(path)] = size
    present = set(rels.values())
    report.removed = sorted(rel for rel in known if rel not in present)
    return res
