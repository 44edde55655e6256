"""Public entry points: find corpus files and load them into :class:`Document` objects.

``iter_corpus`` never stops on a bad file: it yields a :class:`ReaderError` for that file
and carries on, so one corrupt upload cannot block a rebuild of the knowledge base.
"""
from __future__ import annotations

import os
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

from . import readers as _readers  # noqa: F401  (registers the built-in readers)
from .decoding import decode_bytes
from .hashing import source_sha256
from .ids import document_id, slugify
from .metadata import (derive_period, derive_year, is_sidecar, load_sidecar, normalise_fields,
                       sidecar_for, title_from_filename)
from .model import Document, ReaderError
from .readers.base import reader_for

#: Repository furniture, not policy text.
SKIPPED_STEMS = {"readme", "license", "licence", "copying"}
SKIPPED_DIRS = {"__pycache__", "node_modules"}


def _relative(path: Path, root: Path) -> str:
    try:
        return path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return path.name


def _is_candidate(path: Path) -> bool:
    stem = path.name.split(".", 1)[0].lower()
    return (reader_for(path) is not None and not is_sidecar(path) and stem not in SKIPPED_STEMS
            and not path.name.startswith("."))


def discover(root: Path) -> list[Path]:
    """All readable documents under ``root`` (recursive, sorted by relative path).

    Skips hidden files and folders, ``__pycache__``, sidecar metadata and README/LICENSE files.
    """
    root = Path(root)
    if root.is_file():
        return [root] if _is_candidate(root) else []
    found: list[Path] = []
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith(".") and d not in SKIPPED_DIRS)
        found.extend(Path(dirpath) / f for f in filenames if _is_candidate(Path(dirpath) / f))
    return sorted(found, key=lambda p: _relative(p, root))


def document_ids(paths: list[Path], root: Path) -> dict[Path, str]:
    """Document ids: the slug of the file stem; where two files share a stem (``index.md`` in
    several folders) the slug of the relative path is used for each of them instead."""
    stems = {p: document_id(p.name[: -len(p.suffix)] if p.suffix else p.name) for p in paths}
    counts = Counter(stems.values())
    out: dict[Path, str] = {}
    for p in paths:
        rel = _relative(p, Path(root))
        out[p] = stems[p] if counts[stems[p]] == 1 else (slugify(rel.rsplit(".", 1)[0], 160) or stems[p])
    return out


def load_document(path: Path, root: Path, *, doc_id: str | None = None) -> Document:
    """Read one file (plus its sidecar metadata) into a Document.

    Raises :class:`ReaderError` naming the file (relative to ``root``) and, where known,
    the line.
    """
    path, root = Path(path), Path(root)
    rel = _relative(path, root)
    reader = reader_for(path)
    if reader is None:
        raise ReaderError(rel, f"geen lezer voor bestandstype {path.suffix or '(geen extensie)'}")
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ReaderError(rel, f"onleesbaar bestand: {exc.strerror or exc}") from exc
    if not data.strip():
        raise ReaderError(rel, "leeg bestand (empty file)")
    text, encoding = decode_bytes(data, rel)
    if not text.strip():
        raise ReaderError(rel, "leeg bestand (empty file)")
    sidecar = sidecar_for(path)
    side_meta = load_sidecar(sidecar, _relative(sidecar, root))[0] if sidecar else {}
    doc_id = doc_id or document_id(path.name[: -len(path.suffix)] if path.suffix else path.name)
    try:
        parsed = reader.read(text, doc_id=doc_id, source_path=rel)
    except ReaderError:
        raise
    except Exception as exc:  # a reader bug must not take down a whole corpus build
        raise ReaderError(rel, f"kon niet gelezen worden ({type(exc).__name__}: {exc})") from exc
    if not parsed.sections:
        raise ReaderError(rel, "geen inhoud gevonden (no content)")
    if not any(s.text for s in parsed.sections):
        parsed.warnings.append("alleen koppen, geen lopende tekst")
    fields, extra, warnings = normalise_fields({**parsed.metadata, **side_meta})
    title = fields.get("title") or parsed.title or title_from_filename(path)
    stem = path.name[: -len(path.suffix)]
    period = fields.get("period") or derive_period(stem, title)
    return Document(
        id=doc_id, source_path=rel, title=title, format=reader.format, encoding=encoding,
        sha256=source_sha256(path), kind=fields.get("kind"),
        year=fields.get("year") or (None if period else derive_year(stem, title)), period=period,
        ministry=fields.get("ministry"), source=fields.get("source"), licence=fields.get("licence"),
        metadata=extra, sections=parsed.sections, warnings=parsed.warnings + warnings)


def iter_corpus(root: Path) -> Iterator[Document | ReaderError]:
    """Yield a Document, or the ReaderError for that file, for every discovered file."""
    root = Path(root)
    paths = discover(root)
    ids = document_ids(paths, root)
    for path in paths:
        try:
            yield load_document(path, root, doc_id=ids[path])
        except ReaderError as exc:
            yield exc
