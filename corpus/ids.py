"""Stable, readable identifiers for documents and sections.

Ids are built from titles (not positions) so links and stored annotations survive small
edits elsewhere in a document; repeated headings get ``-2``, ``-3`` suffixes in document
order, which keeps the same input mapping to the same ids on every build.
"""
from __future__ import annotations

import re
import unicodedata

INTRO_SLUG = "inleiding"
INTRO_TITLE = "Inleiding"
MAX_SLUG_LENGTH = 80

# Letters that NFKD does not decompose into ASCII.
_SPECIAL = str.maketrans({
    "ß": "ss", "æ": "ae", "Æ": "ae", "ø": "o", "Ø": "o", "œ": "oe", "Œ": "oe",
    "ł": "l", "Ł": "l", "đ": "d", "Đ": "d", "ð": "d", "þ": "th", "ĳ": "ij", "Ĳ": "ij",
    "€": " euro ", "&": " en ", "%": " procent ",
})
_APOSTROPHES = re.compile(r"(?<=\w)['’‘`´](?=\w)")
_NON_ALNUM = re.compile(r"[^a-z0-9]+")


def slugify(text: str, max_length: int = MAX_SLUG_LENGTH) -> str:
    """Lower-case ASCII slug: accents folded ("financiële" -> "financiele"), words joined by '-'.

    Apostrophes inside words are dropped ("LO's" -> "los"), '&' reads as "en". Long slugs are
    cut at a hyphen so ids stay usable in URLs.
    """
    text = _APOSTROPHES.sub("", text.translate(_SPECIAL))
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    slug = _NON_ALNUM.sub("-", folded.lower()).strip("-")
    if len(slug) > max_length:
        cut = slug[: max_length + 1]
        slug = cut[: cut.rfind("-")] if "-" in cut else slug[:max_length]
    return slug


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
