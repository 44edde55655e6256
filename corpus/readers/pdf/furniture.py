"""Page furniture: running headers and footers, and page numbers, found and removed before layout.

Furniture is what recurs in the top or bottom band of many pages (digits ignored, so "Pagina 3"
and "Pagina 4" are one line), plus lone page numbers there.  Removed first so that it never
breaks a paragraph that runs on across a page.
"""
from __future__ import annotations

import re
from collections import Counter

from ..pdftext import PAGE_NUMBER_RE
from .extract import Page, Span

BAND = 0.09  # top and bottom share of the page where running headers and footers live


def _key(text: str) -> str:
    return re.sub(r"\d+", "#", " ".join(text.split())).lower()


def _in_band(span: Span, page: Page) -> bool:
    return span.bottom <= BAND * page.height * 1.4 or span.top >= (1 - BAND) * page.height


def remove_furniture(pages: list[Page]) -> list[str]:
    """Drop running headers/footers and page numbers from the pages; return their texts."""
    counts: Counter[str] = Counter()
    for page in pages:
        counts.update({_key(s.text) for s in page.spans if _in_band(s, page)})
    need = max(2, 0.3 * len(pages))
    found: list[str] = []
    for page in pages:
        kept = []
        for s in page.spans:
            if _in_band(s, page) and ((len(pages) >= 2 and counts[_key(s.text)] >= need) or PAGE_NUMBER_RE.match(s.text)):
                if s.text not in found:
                    found.append(s.text)
                continue
            kept.append(s)
        page.spans = kept
    return found
