"""Layout analysis of PDF pages: from positioned spans to headings, paragraphs, tables and footnotes.

Plain Python over :class:`~corpus.readers.pdf.extract.Span` objects.  The rules are about
typography, not about any one document:

* page furniture is what recurs in the top or bottom band of many pages (digits ignored, so
  "Pagina 3" and "Pagina 4" are one line), plus lone page numbers there;
* footnotes are the small-type lines at the foot of a page that start with a number;
* a page has two columns when a vertical gutter separates two stacks of lines that each
  fill their half; spans crossing the gutter (a chapter title) split the page into bands,
  and each band is read left column first;
* a table is a run of lines made of several cells (wide gaps) whose columns line up;
* the body size is the most common font size; a heading is a short block set larger than
  that, or bold at body size, and its level comes from its number ("2.1" is level 2) or
  from the rank of its type style among the styles of numbered headings.
"""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from statistics import median

from ...inline import FN_CLOSE, FN_OPEN
from ...model import Footnote
from ...structured import Block, is_caption
from ..pdftext import KEEP_HYPHEN_BEFORE, PAGE_NUMBER_RE
from .extract import Page, Span

FINAL = ".!?:;…"
NUMBER_RE = re.compile(r"^(\d{1,2}(?:\.\d{1,2}){0,4})\.?\s+\S")
BULLET_RE = re.compile(r"^([•●▪◦·‣⁃■□➢►❖✓*]|[-–—](?=\s))\s*")
ITEM_NUMBER_RE = re.compile(r"^(\(?\d{1,2}[.)]|\(?[a-z][.)])\s+")
FOOTNOTE_START_RE = re.compile(r"^(\d{1,3})\s+\S")
BAND = 0.09  # top and bottom share of the page where running headers and footers live
MAX_HEADING_WORDS = 20


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


@dataclass
class Analysis:
    blocks: list[Block] = field(default_factory=list)
    furniture: list[str] = field(default_factory=list)
    empty_pages: list[int] = field(default_factory=list)


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


def body_size(pages: list[Page]) -> float:
    sizes: Counter[float] = Counter()
    for page in pages:
        for s in page.spans:
            sizes[round(s.size * 2) / 2] += len(s.text)
    return sizes.most_common(1)[0][0] if sizes else 10.0


def _rows(spans: list[Span]) -> list[list[Span]]:
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


def split_footnotes(page: Page, size: float) -> list[tuple[str, str]]:
    """Remove the footnote zones at the foot of the page (or of each column); return ``(label, text)``."""
    gutter = _gutter(page.spans)
    if gutter is None:
        return _split_footnotes(page, page.spans, size)
    left = [s for s in page.spans if s.x1 <= gutter + 1]
    right = [s for s in page.spans if s.x0 >= gutter - 1 and s.x1 > gutter + 1]
    return _split_footnotes(page, left, size) + _split_footnotes(page, right, size)


def _split_footnotes(page: Page, spans: list[Span], size: float) -> list[tuple[str, str]]:
    rows = _rows(spans)
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


def _gutter(spans: list[Span]) -> float | None:
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
    gutter = _gutter(page.spans)
    if gutter is None:
        return [Line(r) for r in _rows(page.spans)]
    lines: list[Line] = []
    band: list[Span] = []

    def flush() -> None:
        left = [s for s in band if s.x1 <= gutter + 1]
        right = [s for s in band if s.x1 > gutter + 1]
        lines.extend(Line(r, 1) for r in _rows(left))
        lines.extend(Line(r, 2) for r in _rows(right))
        band.clear()

    for s in sorted(page.spans, key=lambda s: s.top):
        if s.x0 < gutter - 1 and s.x1 > gutter + 1:
            flush()
            lines.append(Line([s]))
        else:
            band.append(s)
    flush()
    return lines


def _cells(line: Line, size: float) -> int:
    """Number of cells: spans separated by a gap wider than ~1.5 em."""
    n = 1
    for a, b in zip(line.spans, line.spans[1:]):
        if b.x0 - a.x1 > 1.5 * size:
            n += 1
    return n


def _table_rows(lines: list[Line]) -> list[list[str]]:
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
class _Para:
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


def paragraphs(lines: list[Line], size: float) -> list[_Para]:
    """Group lines into paragraphs, list items and tables."""
    out: list[_Para] = []
    pitch = median([b.top - a.top for a, b in zip(lines, lines[1:])
                    if 0 < b.top - a.top < 3 * size and abs(a.size - size) < 0.6 and abs(b.size - size) < 0.6]
                   or [1.3 * size])
    gaps = [b.top - a.top for a, b in zip(lines, lines[1:]) if a.page == b.page and a.column == b.column]
    spaced = sum(1 for g in gaps if 1.35 * pitch < g < 4 * pitch) >= 0.03 * len(lines)  # paragraphs set apart
    i = 0
    while i < len(lines):
        ln = lines[i]
        # a table: two or more consecutive multi-cell lines in a single-column context
        if ln.column == 0 and _cells(ln, size) >= 2:
            j = i
            while j < len(lines) and lines[j].column == 0 and lines[j].page == ln.page and _cells(lines[j], size) >= 2:
                j += 1
            if j - i >= 2:
                out.append(_Para(lines[i:j], "table"))
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
                out.append(_Para([stripped], "list_item", marker))
            else:
                out.append(_Para([ln], "caption" if is_caption(text) else "paragraph"))
        else:
            prev.lines.append(ln)
        i += 1
    return out


def _strip_marker(span: Span, cut: int) -> Span:
    from dataclasses import replace

    return replace(span, text=span.text[cut:].lstrip() or span.text)


def _right_edge(para: _Para, lines: list[Line]) -> float:
    same = [ln.x1 for ln in lines if ln.page == para.lines[-1].page and ln.column == para.lines[-1].column]
    return max(same) if same else para.lines[-1].x1


def _is_heading_candidate(p: _Para, size: float) -> bool:
    text = p.text
    if p.kind != "paragraph" or len(p.lines) > 3 or not text or len(text.split()) > MAX_HEADING_WORDS:
        return False
    if text[-1] in ".,;:" or is_caption(text) or not re.search(r"[^\W\d_]", text) or FN_OPEN in text[:2]:
        return False
    first = p.lines[0]
    return first.size >= size + 0.9 or (first.bold and first.size >= size - 0.6)


def _style(p: _Para) -> tuple[float, bool]:
    return (round(p.lines[0].size * 2) / 2, p.lines[0].bold)


def assign_headings(paras: list[_Para], size: float) -> dict[int, int]:
    """Index of heading paragraph -> level (0 for the document title)."""
    cands = [i for i, p in enumerate(paras) if _is_heading_candidate(p, size)]
    if not cands:
        return {}
    levels: dict[int, int] = {}
    # The title: the largest type on the first page with text, if larger than every heading style.
    first_page = paras[0].lines[0].page
    top_size = max(paras[i].lines[0].size for i in cands)
    title = next((i for i in cands if paras[i].lines[0].page == first_page and paras[i].lines[0].size == top_size
                  and top_size >= size + 4), None)
    by_style: dict[tuple[float, bool], Counter[int]] = {}
    for i in cands:
        m = NUMBER_RE.match(paras[i].text)
        if m and i != title:
            by_style.setdefault(_style(paras[i]), Counter())[m.group(1).count(".") + 1] += 1
    style_level = {st: c.most_common(1)[0][0] for st, c in by_style.items()}
    ranked = sorted({_style(paras[i]) for i in cands}, key=lambda st: (st[0], st[1]), reverse=True)
    for st in ranked:
        if st not in style_level:
            above = [style_level[o] for o in ranked if o in style_level and (o[0], o[1]) > (st[0], st[1])]
            style_level[st] = (max(above) + 1) if above else 1
    for i in cands:
        if i == title:
            levels[i] = 0
            continue
        m = NUMBER_RE.match(paras[i].text)
        levels[i] = m.group(1).count(".") + 1 if m else style_level[_style(paras[i])]
    return levels


_REF_IN_TEXT = re.compile(FN_OPEN + r"(\d{1,3})" + FN_CLOSE)


def analyse(pages: list[Page]) -> Analysis:
    """The whole document: furniture removed, footnotes split off, blocks in reading order."""
    result = Analysis()
    result.empty_pages = [p.number for p in pages if not p.spans]
    result.furniture = remove_furniture(pages)
    size = body_size(pages)
    notes_by_page: dict[int, dict[str, str]] = {}
    lines: list[Line] = []
    for page in pages:
        notes_by_page[page.number] = dict(split_footnotes(page, size))
        lines.extend(reading_order(page))
    if not lines:
        return result
    paras = paragraphs(lines, size)
    levels = assign_headings(paras, size)
    used: set[tuple[int, str]] = set()
    for i, p in enumerate(paras):
        page = p.lines[0].page
        if p.kind == "table":
            result.blocks.append(Block("table", page=page, rows=_table_rows(p.lines)))
            continue
        text = p.text
        notes = []
        for label in _REF_IN_TEXT.findall(text):
            for pg in (page, p.lines[-1].page, page + 1):
                if label in notes_by_page.get(pg, {}) and (pg, label) not in used:
                    notes.append(Footnote(label, notes_by_page[pg][label]))
                    used.add((pg, label))
                    break
        if i in levels:
            kind, level = ("title", 0) if levels[i] == 0 else ("heading", levels[i])
            result.blocks.append(Block(kind, text, level, page, notes=notes))
        else:
            result.blocks.append(Block(p.kind, text, 0, page, notes=notes, marker=p.marker))
    # Footnotes whose reference was not found go with the last block of their page.
    for pg, notes in notes_by_page.items():
        for label, body in notes.items():
            if (pg, label) not in used:
                target = next((b for b in reversed(result.blocks) if b.page is not None and b.page <= pg), None)
                if target is not None:
                    target.notes.append(Footnote(label, body))
    return result
