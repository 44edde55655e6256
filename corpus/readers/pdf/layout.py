"""Layout analysis of PDF pages: from positioned spans to headings, paragraphs, tables and footnotes.

Plain Python over :class:`~corpus.readers.pdf.extract.Span` objects.  The rules are about
typography, not about any one document, and each step has its own module: page furniture
(:mod:`.furniture`), footnotes (:mod:`.footnotes`), lines and columns in reading order
(:mod:`.lines`), paragraphs, lists and tables (:mod:`.paragraphs`), headings (:mod:`.headings`).
This module runs them in order and attaches each footnote to the block that refers to it.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from ...inline import FN_CLOSE, FN_OPEN
from ...model import Footnote
from ...structured import Block
from .extract import Page
from .footnotes import split_footnotes
from .furniture import remove_furniture
from .headings import assign_headings
from .lines import Line, body_size, reading_order
from .paragraphs import paragraphs, table_rows


@dataclass
class Analysis:
    blocks: list[Block] = field(default_factory=list)
    furniture: list[str] = field(default_factory=list)
    empty_pages: list[int] = field(default_factory=list)


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
            result.blocks.append(Block("table", page=page, rows=table_rows(p.lines)))
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
