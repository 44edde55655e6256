"""The document model every reader produces and every later layer consumes.

A :class:`Document` is a flat list of :class:`Section` objects in reading order; the
tree is expressed through ``parent_id`` and ``level``.  Section text is plain text whose
blocks (paragraphs, list items) are separated by a blank line and located by character
offsets, so later layers (tagging, statements, search snippets) can point at an exact
passage.
"""
from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any


@dataclass
class Block:
    """One paragraph or list item inside a section's ``text``."""

    start: int
    end: int
    kind: str = "paragraph"  # "paragraph" | "list_item" | "heading_text" | "quote" | "table" | "code"
    level: int = 0  # nesting depth for list items
    page: int | None = None  # 1-based page of the original (PDF) where the block starts; None if unpaged


@dataclass
class Footnote:
    label: str
    text: str


@dataclass
class Section:
    id: str
    document_id: str
    title: str
    level: int  # 0 = document introduction, 1 = chapter, 2 = topic, ...
    parent_id: str | None
    path: list[str]  # breadcrumb: titles of the ancestors, outermost first, then this title
    order: int  # position in the document, 0-based
    text: str = ""
    blocks: list[Block] = field(default_factory=list)
    footnotes: list[Footnote] = field(default_factory=list)
    markdown: str = ""  # Markdown rendition for display (document markup converted, never raw HTML)
    source_line: int = 0  # 1-based line in the source file where the section starts

    @property
    def paragraphs(self) -> list[str]:
        return [self.text[b.start : b.end] for b in self.blocks]

    @property
    def list_items(self) -> list[str]:
        return [self.text[b.start : b.end] for b in self.blocks if b.kind == "list_item"]

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class Document:
    id: str  # slug of the file name, stable across builds
    source_path: str  # path relative to the corpus directory
    title: str
    format: str  # "text" | "markdown" | ...
    encoding: str  # encoding the bytes were decoded with
    sha256: str
    kind: str | None = None  # jaarverslag, contourennota, ...
    year: int | None = None
    period: str | None = None  # e.g. "2021-2027"
    ministry: str | None = None
    date: str | None = None  # ISO date the document states ("Den Haag, 21 februari 2022" -> "2022-02-21")
    kamerstuk: str | None = None  # parliamentary number, e.g. "35 200, nr. 1"
    source: str | None = None  # URL or bibliographic source
    licence: str | None = None
    metadata: dict[str, Any] = field(default_factory=dict)  # everything else (front matter, sidecar)
    sections: list[Section] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


class ReaderError(Exception):
    """A file could not be read; the message names the file (and line where known)."""

    def __init__(self, path: str, message: str, line: int | None = None) -> None:
        self.path = path
        self.line = line
        where = f"{path}:{line}" if line else path
        super().__init__(f"{where}: {message}")
