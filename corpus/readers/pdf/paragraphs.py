"""Lines grouped into paragraphs, list items, captions and tables.

A new paragraph starts at a change of type, a wider line gap, an indent, or after a short line
that ends a sentence; a list item starts at a bullet or item number; a table is a run of lines
made of several cells (wide gaps) whose columns line up.  Hyphenation at line ends is undone
when two lines are joined.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, replace
from statistics import median

from ...structured import is_caption
from ..pdftext import KEEP_HYPHEN_BEFORE
from .extract import Span
from .lines import Line

FINAL = ".!?:;…"
NUMBER_RE = re.compile(r"^(\d{1,2}(?:\.\d{1,2}){0,4})\.?\s+\S")
BULLET_RE = re.compile(r"^([•●▪◦·‣⁃■□➢►❖✓*]|[-–—](?=\s))\s*")
ITEM_NUMBER_RE = re.compile(r"^(\(?\d{1,2}[.)]|\(?[a-z][.)])\s+")


def join_text(a: str, b: str, soft_hyphen: bool) -> str:
    """Join two lines of a paragraph, undoing hyphenation at the line end."""
    a, b = a.rstrip(), b.strip()
    if not a or not b:
        return a or b
    if a.endswith("-") and soft_hyphen:
        return a[:-1] + b
    if re.search(r"[^\W\d_]-$", a):
        word = b.split()[0].rstrip(",.;:")
        if b[:1].islower() and word not in KEEP_HYPHEN_BEFORE:
            return a[:-1] + b
        return a + (" " if word in KEEP_HYPHEN_BEFORE else "") + b
    return a + " " + b


@dataclass
class Para:
    lines: list[Line]
    kind: str = "paragraph"  # paragraph | list_item | table | caption
    marker: str = ""

    @property
    def text(self) -> str:
        out = ""
        for i, ln in enumerate(self.lines):
            soft = i > 0 and self.lines[i - 1].spans[-1].hyphen_end
            out = join_text(out, ln.text, soft) if out else ln.text
        return out


def paragraphs(lines: list[Line], size: float) -> list[Para]:
    """Group lines into paragraphs, list items and tables."""
    out: list[Para] = []
    pitch = median([b.top - a.top for a, b in zip(lines, lines[1:])
                    if 0 < b.top - a.top < 3 * size and abs(a.size - size) < 0.6 and abs(b.size - size) < 0.6]
                   or [1.3 * size])
    gaps = [b.top - a.top for a, b in zip(lines, lines[1:]) if a.page == b.page and a.column == b.column]
    spaced = sum(1 for g in gaps if 1.35 * pitch < g < 4 * pitch) >= 0.03 * len(lines)  # paragraphs set apart
    i = 0
    while i < len(lines):
        ln = lines[i]
        # a table: two or more consecutive multi-cell lines in a single-column context
        if ln.column == 0 and cell_count(ln, size) >= 2:
            j = i
            while j < len(lines) and lines[j].column == 0 and lines[j].page == ln.page and cell_count(lines[j], size) >= 2:
                j += 1
            if j - i >= 2:
                out.append(Para(lines[i:j], "table"))
                i = j
                continue
        text = ln.text
        bullet = BULLET_RE.match(text) or (ITEM_NUMBER_RE.match(text) if not NUMBER_RE.match(text) or
                                           re.match(r"^\d{1,2}\.\s+[a-zà-ý]", text) else None)
        prev = out[-1] if out else None
        last = prev.lines[-1] if prev else None
        starts_new = (
            prev is None or prev.kind in ("table", "caption") or bullet is not None or is_caption(text)
            or abs(ln.size - last.size) > 0.6 or ln.bold != last.bold
            or (ln.page == last.page and ln.column == last.column
                and ln.top - last.top > 1.35 * max(pitch, 1.15 * min(ln.size, last.size)))
            or (last.text.rstrip()[-1:] in FINAL and (
                (not spaced and last.x1 < _right_edge(prev, lines) - 2 * size)
                or ((ln.page != last.page or ln.column != last.column) and last.x1 < _right_edge(prev, lines) - 4 * size)
                or ln.x0 > last.x0 + 0.8 * size))
            or (ln.page == last.page and ln.column == last.column and ln.x0 > last.x0 + 0.8 * size
                and prev.kind != "list_item")
        )
        if prev is not None and prev.kind == "list_item" and not bullet and ln.x0 > prev.lines[0].x0 + 0.5 * size \
                and ln.page == last.page and ln.top - last.top <= 1.35 * pitch:
            starts_new = False  # the wrapped continuation of a list item
        if starts_new:
            if bullet:
                marker = bullet.group(1)
                stripped = Line([_strip_marker(ln.spans[0], bullet.end())] + ln.spans[1:], ln.column)
                out.append(Para([stripped], "list_item", marker))
            else:
                out.append(Para([ln], "caption" if is_caption(text) else "paragraph"))
        else:
            prev.lines.append(ln)
        i += 1
    return out


def cell_count(line: Line, size: float) -> int:
    """Number of cells: spans separated by a gap wider than ~1.5 em."""
    n = 1
    for a, b in zip(line.spans, line.spans[1:]):
        if b.x0 - a.x1 > 1.5 * size:
            n += 1
    return n


def table_rows(lines: list[Line]) -> list[list[str]]:
    """Cells of a table, assigned to columns by overlapping x ranges."""
    cols: list[list[float]] = []
    for s in sorted((s for ln in lines for s in ln.spans), key=lambda s: s.x0):
        if cols and s.x0 <= cols[-1][1]:
            cols[-1][1] = max(cols[-1][1], s.x1)
        else:
            cols.append([s.x0, s.x1])
    rows = []
    for ln in lines:
        row = [""] * len(cols)
        for s in ln.spans:
            i = next(i for i, c in enumerate(cols) if c[0] <= s.x0 <= c[1])
            row[i] = (row[i] + " " + s.text).strip()
        rows.append(row)
    return rows


def _strip_marker(span: Span, cut: int) -> Span:
    return replace(span, text=span.text[cut:].lstrip() or span.text)


def _right_edge(para: Para, lines: list[Line]) -> float:
    same = [ln.x1 for ln in lines if ln.page == para.lines[-1].page and ln.column == para.lines[-1].column]
    return max(same) if same else para.lines[-1].x1
