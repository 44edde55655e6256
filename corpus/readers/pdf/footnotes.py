"""Footnotes: the small-type lines at the foot of a page (or of each column) that start with a number.

Split off the page before the lines are read, so they do not end up inside the body text; the
layout attaches each to the block that refers to it.
"""
from __future__ import annotations

import re

from .extract import Page, Span
from .lines import column_gutter, visual_rows
from .paragraphs import join_text

FOOTNOTE_START_RE = re.compile(r"^(\d{1,3})\s+\S")


def split_footnotes(page: Page, size: float) -> list[tuple[str, str]]:
    """Remove the footnote zones at the foot of the page (or of each column); return ``(label, text)``."""
    gutter = column_gutter(page.spans)
    if gutter is None:
        return _split_footnotes(page, page.spans, size)
    left = [s for s in page.spans if s.x1 <= gutter + 1]
    right = [s for s in page.spans if s.x0 >= gutter - 1 and s.x1 > gutter + 1]
    return _split_footnotes(page, left, size) + _split_footnotes(page, right, size)


def _split_footnotes(page: Page, spans: list[Span], size: float) -> list[tuple[str, str]]:
    rows = visual_rows(spans)
    zone: list[list[Span]] = []
    for row in reversed(rows):
        if max(s.size for s in row) >= size - 0.4:
            break
        zone.insert(0, row)
    while zone and not FOOTNOTE_START_RE.match(" ".join(s.text for s in zone[0])):
        zone.pop(0)
    if not zone:
        return []
    notes: list[tuple[str, str]] = []
    for row in zone:
        text = " ".join(s.text for s in row)
        m = FOOTNOTE_START_RE.match(text)
        if m:
            notes.append((m.group(1), text[len(m.group(1)):].strip()))
        elif notes:
            notes[-1] = (notes[-1][0], join_text(notes[-1][1], text, False))
    dropped = {id(s) for row in zone for s in row}
    page.spans = [s for s in page.spans if id(s) not in dropped]
    return notes
