"""Stable, readable identifiers for documents and sections.

Ids are built from titles (not positions) so links and stored annotations survive small
edits elsewhere in a document; repeated headings get ``-2``, ``-3`` suffixes in document
order, which keeps the same input mapping to the same ids on every build.
"""
from __future__ import annotations

from nltext.fold import slug

INTRO_SLUG = "inleiding"
INTRO_TITLE = "Inleiding"
MAX_SLUG_LENGTH = 80


def slugify(text: str, max_length: int = MAX_SLUG_LENGTH) -> str:
    """Lower-case ASCII slug (:func:`nltext.fold.slug`): accents folded ("financiële" ->
    "financiele"), words joined by '-', apostrophes inside words dropped ("LO's" -> "los"),
    '&' read as "en"; long slugs are cut at a hyphen so ids stay usable in URLs."""
    return slug(text, max_length)


def document_id(stem: str) -> str:
    """Document id = slug of the file stem (e.g. ``jenv-jaarverslag-2020-beleidsverslag``)."""
    return slugify(stem, max_length=120) or "document"


class SectionIdAllocator:
    """Hands out ``{doc_id}:{slug}`` ids, unique within one document, in document order."""

    def __init__(self, doc_id: str) -> None:
        self.doc_id = doc_id
        self._used: set[str] = set()

    def allocate(self, title: str, *, intro: bool = False) -> str:
        base = INTRO_SLUG if intro else (slugify(title) or "sectie")
        candidate, n = base, 1
        while candidate in self._used:
            n += 1
            candidate = f"{base}-{n}"
        self._used.add(candidate)
        return f"{self.doc_id}:{candidate}"
