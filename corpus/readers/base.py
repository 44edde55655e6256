"""The reader interface and registry.

A reader turns a file into a title, metadata and sections.  Text formats (.txt, .md, .html)
receive decoded text; binary formats (.pdf, .docx) set ``binary = True`` and receive the
file's bytes.  Readers register by file extension, so a new format is one module calling
:func:`register_reader`; discovery and loading never change.
"""
from __future__ import annotations

from abc import ABC
from dataclasses import dataclass, field
from os import PathLike
from pathlib import Path
from typing import Any

from ..limits import DEFAULT_LIMITS, ReadLimits
from ..model import Section


@dataclass
class ParsedDocument:
    """What a reader returns; the loader adds ids, hashes and sidecar metadata."""

    title: str | None  # title found in the content (front matter, first heading), if any
    sections: list[Section]
    metadata: dict[str, Any] = field(default_factory=dict)  # e.g. Markdown front matter, HTML <meta> tags
    warnings: list[str] = field(default_factory=list)
    #: Text the reader removed as page furniture (running headers/footers); metadata such as the
    #: parliamentary number is often printed only there.
    furniture: list[str] = field(default_factory=list)
    encoding: str | None = None  # for binary formats: what the text came from ("pdf", "docx")
    pages: int | None = None  # number of pages, where the format has pages


class Reader(ABC):
    """Base class for readers; subclasses set ``format`` and ``extensions``."""

    format: str = ""
    extensions: tuple[str, ...] = ()
    binary: bool = False  # True: gets bytes (read_bytes); False: gets decoded text (read)
    line_based: bool = False  # True: the per-line length limit applies (plain text, Markdown)

    def read(self, text: str, *, doc_id: str, source_path: str,
             limits: ReadLimits = DEFAULT_LIMITS) -> ParsedDocument:
        """Parse decoded ``text``; raise :class:`corpus.model.ReaderError` on unusable input."""
        raise NotImplementedError

    def read_bytes(self, data: bytes, *, doc_id: str, source_path: str,
                   limits: ReadLimits = DEFAULT_LIMITS) -> ParsedDocument:
        """Parse a binary file's bytes (binary readers only)."""
        raise NotImplementedError

    def declared_encoding(self, data: bytes) -> str | None:
        """An encoding the file names itself (HTML ``<meta charset>``), if any."""
        return None


_REGISTRY: dict[str, Reader] = {}


def register_reader(reader: Reader | type[Reader]) -> Reader:
    """Register a reader (instance or class) for its extensions; later registrations win."""
    instance = reader() if isinstance(reader, type) else reader
    for ext in instance.extensions:
        _REGISTRY[ext.lower() if ext.startswith(".") else "." + ext.lower()] = instance
    return instance


def reader_for(path: str | PathLike[str]) -> Reader | None:
    """The reader for a file name (by extension, case-insensitive), or None."""
    return _REGISTRY.get(Path(path).suffix.lower())


def registered_extensions() -> tuple[str, ...]:
    return tuple(sorted(_REGISTRY))
