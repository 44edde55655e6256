"""Positioned spans into lines in reading order, and the body type size they are set in.

A page has two columns when a vertical gutter separates two stacks of lines that each fill
their half; spans crossing the gutter (a chapter title) split the page into bands, and each band
is read left column first.  The body size is the most common font size, weighted by text length.
Furniture, footnotes, paragraphs and headings are all measured against these lines.
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from statistics import median

from .extract import Page, Span


@dataclass
class Line:
    spans: list[Span]
    column: int = 0  # 0 single column, 1 left, 2 right

    @property
    def text(self) -> str:
        return " ".join(s.text for s in self.spans)

    @property
    def x0(self) -> float:
        return min(s.x0 for s in self.spans)

    @property
    def x1(self) -> float:
        return max(s.x1 for s in self.spans)

    @property
    def top(self) -> float:
        return min(s.top for s in self.spans)

    @property
    def bottom(self) -> float:
        return max(s.bottom for s in self.spans)

    @property
    def size(self) -> float:
        return max(self.spans, key=lambda s: len(s.text)).size

    @property
    def bold(self) -> bool:
        return all(s.bold for s in self.spans)

    @property
    def page(self) -> int:
        return self.spans[0].page


def body_size(pages: list[Page]) -> float:
    sizes: Counter[float] = Counter()
    for page in pages:
        for s in page.spans:
            sizes[round(s.size * 2) / 2] += len(s.text)
    return sizes.most_common(1)[0][0] if sizes else 10.0


def visual_rows(spans: list[Span]) -> list[list[Span]]:
    """Spans grouped into visual rows (overlapping vertical extent), top to bottom, left to right."""
    rows: list[list[Span]] = []
    for s in sorted(spans, key=lambda s: (s.top, s.x0)):
        if rows:
            last = rows[-1]
            top, bottom = min(x.top for x in last), max(x.bottom for x in last)
            if min(bottom, s.bottom) - max(top, s.top) >= 0.5 * min(bottom - top, s.height):
                last.append(s)
                continue
        rows.append([s])
    return [sorted(r, key=lambda s: s.x0) for r in rows]


def column_gutter(spans: list[Span]) -> float | None:
    """The x of a vertical gutter between two filled columns, or None for a single column."""
    if len(spans) < 8:
        return None
    left, right = min(s.x0 for s in spans), max(s.x1 for s in spans)
    width = right - left
    best: tuple[int, float] | None = None
    x = left + 0.3 * width
    while x <= left + 0.7 * width:
        crossing = sum(1 for s in spans if s.x0 < x - 1 and s.x1 > x + 1)
        if best is None or crossing < best[0]:
            best = (crossing, x)
        x += 2.0
    if best is None or best[0] > 0.25 * len(spans):
        return None
    g = best[1]
    lefts = [s for s in spans if s.x1 <= g]
    rights = [s for s in spans if s.x0 >= g]
    if len(lefts) < 4 or len(rights) < 4:
        return None
    # Text columns are filled: most lines run (nearly) to the gutter; table cells do not.
    lw = median(s.x1 - s.x0 for s in lefts)
    rw = median(s.x1 - s.x0 for s in rights)
    return g if lw >= 0.6 * (g - left) and rw >= 0.6 * (right - g) else None


def reading_order(page: Page) -> list[Line]:
    """Lines of a page in reading order: bands split by full-width lines, left column before right."""
    gutter = column_gutter(page.spans)
    if gutter is None:
        return [Line(r) for r in visual_rows(page.spans)]
    lines: list[Line] = []
    band: list[Span] = []

    def flush() -> None:
        left = [s for s in band if s.x1 <= gutter + 1]
        right = [s for s in band if s.x1 > gutter + 1]
        lines.extend(Line(r, 1) for r in visual_rows(left))
        lines.extend(Line(r, 2) for r in visual_rows(right))
        band.clear()

    for s in sorted(page.spans, key=lambda s: s.top):
        if s.x0 < gutter - 1 and s.x1 > gutter + 1:
            flush()
            lines.append(Line([s]))
        else:
            band.append(s)
    flush()
    return lines
