"""The reader interface and registry.

A reader turns decoded text into a title, metadata and sections.  Readers register by file
extension, so HTML/DOCX/PDF readers can be added later by writing one module and calling
:func:`register_reader`; discovery and loading never change.
"""
from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass, field
from os import PathLike
from pathlib import Path
from typing import Any

from ..model import Section


@dataclass
class ParsedDocument:
    """What a reader returns; the loader adds ids, hashes and sidecar metadata."""

    title: str | None  # title found in the content (front matter, first heading), if any
    sections: list[Section]
    metadata: dict[str, Any] = field(default_factory=dict)  # e.g. Markdown front matter
    warnings: list[str] = field(default_factory=list)


class Reader(ABC):
    """Base class for readers; subclasses set ``format`` and ``extensions``."""

    format: str = ""
    extensions: tuple[str, ...] = ()

    @abstractmethod
    def read(self, text: str, *, doc_id: str, source_path: str) -> ParsedDocument:
        """Parse decoded ``text``; raise :class:`corpus.model.ReaderError` on unusable input."""


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
