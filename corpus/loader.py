"""Public entry points: find corpus files and load them into :class:`Document` objects.

``iter_corpus`` never stops on a bad file: it yields a :class:`ReaderError` for that file
and carries on, so one corrupt upload cannot block a rebuild of the knowledge base.  Files
that are not read at all (unknown type, links out of the corpus, FIFOs) come out of
:func:`corpus.files.scan` with their reason.
"""
from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from . import readers as _readers  # noqa: F401  (registers the built-in readers)
from .decoding import decode, looks_like_text
from .docmeta import infer_metadata
from .files import SKIPPED_DIRS, SKIPPED_STEMS, relative, read_file, scan
from .hashing import content_sha256
from .ids import assign_document_ids, document_id
from .limits import DEFAULT_LIMITS, ReadLimits, human_bytes, thousands, too_much_text
from .kinds import folder_kind, is_regulation
from .metadata import (FIELDS, derive_period, derive_year, load_sidecar, normalise_fields, sidecar_for,
                       title_from_filename)
from .model import Document, ReaderError
from .readers.base import ParsedDocument, Reader, reader_for
from .regulations import regulation_facts

__all__ = ["discover", "document_ids", "load_document", "iter_corpus", "SKIPPED_DIRS", "SKIPPED_STEMS"]


def discover(root: Path) -> list[Path]:
    """All readable documents under ``root`` (recursive, sorted by relative path).

    Skips hidden files and folders, ``__pycache__``, sidecar metadata and README/LICENSE
    files; see :func:`corpus.files.scan` for the files skipped with a reason.
    """
    return scan(Path(root)).paths


def document_ids(paths: list[Path], root: Path, previous: dict[str, str] | None = None) -> dict[Path, str]:
    """Unique, stable document ids for ``paths`` (see :func:`corpus.ids.assign_document_ids`)."""
    rels = {p: relative(p, Path(root)) for p in paths}
    ids, _notes = assign_document_ids(list(rels.values()), previous)
    return {p: ids[rel] for p, rel in rels.items()}


def _long_line(text: str, limit: int) -> tuple[int, int] | None:
    """(line number, length) of the first line longer than ``limit`` characters."""
    start = 0
    number = 1
    while True:
        end = text.find("\n", start)
        stop = len(text) if end < 0 else end
        if stop - start > limit:
            return number, stop - start
        if end < 0:
            return None
        start, number = end + 1, number + 1


def _parse(reader: Reader, data: bytes, rel: str, doc_id: str, limits: ReadLimits) -> tuple[ParsedDocument, str, list[str]]:
    """Run the reader on the file's bytes: ``(parsed, encoding, decoding warnings)``."""
    if reader.binary:
        return reader.read_bytes(data, doc_id=doc_id, source_path=rel, limits=limits), reader.format, []
    decoded = decode(data, rel, reader.declared_encoding(data))
    if not decoded.text.strip():
        raise ReaderError(rel, "leeg bestand (empty file)")
    if len(decoded.text) > limits.max_text_chars:
        raise too_much_text(rel, len(decoded.text), limits.max_text_chars)
    if reader.line_based:
        long = _long_line(decoded.text, limits.max_line_chars)
        if long:
            raise ReaderError(rel, f"regel van {thousands(long[1])} tekens (grens {thousands(limits.max_line_chars)}); "
                                   "geen lopende tekst", long[0])
        if not looks_like_text(decoded.text):
            raise ReaderError(rel, "geen leesbare tekst (vooral tekens die geen woorden of getallen vormen)")
    parsed = reader.read(decoded.text, doc_id=doc_id, source_path=rel, limits=limits)
    return parsed, decoded.encoding, decoded.warnings


def load_document(path: Path, root: Path, *, doc_id: str | None = None,
                  limits: ReadLimits = DEFAULT_LIMITS) -> Document:
    """Read one file (plus its sidecar metadata) into a Document.

    Raises :class:`ReaderError` naming the file (relative to ``root``) and, where known,
    the line.
    """
    path, root = Path(path), Path(root)
    base = root if root.is_dir() else root.parent
    rel = relative(path, base)
    reader = reader_for(path)
    if reader is None:
        raise ReaderError(rel, f"geen lezer voor bestandstype {path.suffix or '(geen extensie)'}")
    data = read_file(path, base, limits.max_file_bytes)
    if not data.strip():
        raise ReaderError(rel, "leeg bestand (empty file)")
    sidecar = sidecar_for(path)
    side_meta = load_sidecar(sidecar, relative(sidecar, base), root=base, limits=limits)[0] if sidecar else {}
    doc_id = doc_id or document_id(path.name[: -len(path.suffix)] if path.suffix else path.name)
    try:
        parsed, encoding, decode_warnings = _parse(reader, data, rel, doc_id, limits)
    except ReaderError:
        raise
    except RecursionError as exc:
        raise ReaderError(rel, "te diep geneste structuur; niet gelezen") from exc
    except MemoryError as exc:
        raise ReaderError(rel, f"te groot om te lezen ({human_bytes(len(data))})") from exc
    except Exception as exc:  # a reader bug must not take down a whole corpus build
        raise ReaderError(rel, f"kon niet gelezen worden ({type(exc).__name__}: {exc})") from exc
    if not parsed.sections:
        raise ReaderError(rel, "geen inhoud gevonden (no content)")
    if not any(s.text for s in parsed.sections):
        parsed.warnings.append("alleen koppen, geen lopende tekst")
    inferred = infer_metadata(parsed.sections, parsed.furniture, title=parsed.title)
    fields, extra, warnings = normalise_fields({**parsed.metadata, **side_meta})
    # The document's own metadata first, then the folder it sits in ("AMvB/..."), then its words.
    kind = fields.get("kind") or folder_kind(rel) or inferred.get("kind")
    regulation = regulation_facts(rel, parsed.sections, parsed.title, is_regulation(kind))
    letterhead = {k: v for k, v in inferred.items() if k not in FIELDS}
    extra = {**letterhead, **regulation.metadata, **extra}  # what the document's metadata states wins over rules
    title = (fields.get("title") or regulation.title or parsed.title or letterhead.get("onderwerp")
             or title_from_filename(path))
    stem = path.name[: -len(path.suffix)]
    named = extra.get("intitule") or title  # a citeertitel's year ("Evaluatie 2006 ...") is no date of the text
    period = fields.get("period") or derive_period(stem, named)
    date = fields.get("date") or regulation.date or inferred.get("date")
    year = fields.get("year") or (None if period else derive_year(stem, named)) or (int(date[:4]) if date else None)
    return Document(
        id=doc_id, source_path=rel, title=title, format=reader.format, encoding=encoding,
        sha256=content_sha256(data, path, base, limits), kind=kind,
        year=year, period=period, ministry=fields.get("ministry") or inferred.get("ministry"),
        date=date, kamerstuk=fields.get("kamerstuk") or inferred.get("kamerstuk"),
        source=fields.get("source"), licence=fields.get("licence"),
        metadata=extra, sections=parsed.sections, warnings=decode_warnings + parsed.warnings + warnings)


def iter_corpus(root: Path, limits: ReadLimits = DEFAULT_LIMITS) -> Iterator[Document | ReaderError]:
    """Yield a Document, or the ReaderError for that file, for every discovered file.

    Files the scan skips (unknown type, links out of the corpus, special files) are yielded
    as ReaderErrors too, so nothing disappears without a reason.
    """
    root = Path(root)
    found = scan(root)
    base = root if root.is_dir() else root.parent
    ids = document_ids(found.paths, base)
    items: list[tuple[str, Path | str]] = [(relative(p, base), p) for p in found.paths]
    items += [(s.path, s.reason) for s in found.skipped]
    for rel, item in sorted(items, key=lambda x: x[0]):
        if isinstance(item, str):
            yield ReaderError(rel, item)
            continue
        try:
            yield load_document(item, base, doc_id=ids[item], limits=limits)
        except ReaderError as exc:
            yield exc
