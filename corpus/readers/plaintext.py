"""Reader for plain text (``.txt``): headings recognised from the text's own shape.

Plain text has no markup, so structure is inferred: numbered headings ("1 Zorg voor de
rechtsstaat", "1.1 De Nederlandse economie") set the level from their number; short lines
without final punctuation standing alone are topic headings; a topic heading directly
followed by another heading groups the headings that follow as its sub-topics.  Text
extracted from PDF is detected and cleaned first (see :mod:`corpus.readers.pdftext`).
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from ..inline import escape_markdown
from ..sections import DraftBlock, DraftSection, build_sections
from ..limits import DEFAULT_LIMITS, ReadLimits
from .base import ParsedDocument, Reader, register_reader
from .pdftext import (BULLET_RE, FINAL, STRONG_BULLET_RE, Line, is_debris, join_lines,
                      looks_pdf_extracted, strip_running_lines)

# Web-page chrome that text copied from a site carries at its start or end.
BOILERPLATE = {"base description which applies to whole site", "licence", "license", "licentie",
               "skip to content", "skip to main content", "naar de inhoud", "ga direct naar inhoud",
               "menu", "zoeken", "print", "delen", "share", "terug naar boven", "back to top",
               "cookies", "cookie-instellingen", "printen", "deel deze pagina"}
NUMBERED_HEADING_RE = re.compile(r"^(\d{1,2}(?:\.\d{1,2}){0,4})(\.?)\s+([A-ZÀ-Ý\"“‘'(].*)$")
CAPTION_RE = re.compile(r"^(figuur|tabel|grafiek|bron|figure|table|source|noot|kader)\b", re.IGNORECASE)
MAX_HEADING = 80
MAX_NUMBERED_HEADING = 120


@dataclass
class Unit:
    """A paragraph candidate: the joined text of one or more physical lines."""

    text: str
    line: int
    item: bool = False
    indent: int = 0
    lines: int = 1
    number: str | None = None  # heading number ("1", "3.1") when the line is numbered
    dotted: bool = False  # number written with a trailing dot ("1.")


def _new_unit(ln: Line) -> Unit:
    text = ln.text.strip()
    heading = NUMBERED_HEADING_RE.match(text)
    bullet = BULLET_RE.match(ln.text)
    if bullet and (not heading or bullet.group(2).endswith(")")):
        return Unit(bullet.group(3).strip(), ln.number, item=True, indent=len(bullet.group(1).expandtabs(4)))
    unit = Unit(text, ln.number)
    if heading:
        unit.number, unit.dotted = heading.group(1), bool(heading.group(2))
    return unit


def _units_by_blank_lines(text: str) -> list[Unit]:
    """Units for ordinary text: paragraphs are separated by blank lines (page furniture dropped)."""
    units: list[Unit] = []
    current: Unit | None = None
    for ln in strip_running_lines(text):
        raw, stripped = ln.text, ln.text.strip()
        if not stripped or is_debris(stripped):
            current = None
            continue
        if current is None or BULLET_RE.match(raw):
            current = _new_unit(ln)
            units.append(current)
        else:
            current.text = join_lines(current.text, raw)
            current.lines += 1
    return units


def _units_from_pdf(text: str) -> list[Unit]:
    """Units for PDF-extracted text: hard-wrapped lines, page furniture, few blank lines."""
    lines = strip_running_lines(text)
    widths = sorted(len(ln.text.rstrip()) for ln in lines if ln.text.strip())
    width = widths[int(len(widths) * 0.9) - 1] if len(widths) > 1 else 80
    units: list[Unit] = []
    current: Unit | None = None
    previous = ""
    for ln in lines:
        raw = ln.text.rstrip()
        stripped = raw.strip()
        if not stripped or is_debris(stripped):
            current = None
            continue
        ended = previous[-1:] in FINAL
        numbered = bool(NUMBERED_HEADING_RE.match(stripped)) and len(stripped) <= MAX_NUMBERED_HEADING \
            and stripped[-1] not in FINAL + "," and (current is None or ended)
        starts_item = not numbered and (bool(STRONG_BULLET_RE.match(raw)) or (
            BULLET_RE.match(raw) is not None and (current is None or ended or previous.endswith(",")
                                                   or current.item)))
        after_item = current is not None and current.item and ended and stripped[:1].isupper()
        if current is not None and not numbered and not starts_item and not after_item \
                and not (ln.page_start and ended):
            current.text = join_lines(current.text, raw)
            current.lines += 1
        else:
            current = _new_unit(ln)
            units.append(current)
        previous = stripped
        if numbered or (stripped[-1] in ".!?" and len(raw) < 0.8 * width):
            # A heading line stands alone; a short line ending a sentence ends the paragraph.
            current = None
    return _join_broken_units(units)


def _join_broken_units(units: list[Unit]) -> list[Unit]:
    """Re-join a paragraph cut by a page break or chart debris (it resumes in lower case)."""
    out: list[Unit] = []
    for unit in units:
        prev = out[-1] if out else None
        if prev is not None and not prev.number and not unit.number and not unit.item and not prev.item \
                and prev.lines > 1 and prev.text[-1:] not in FINAL and unit.text[:1].islower():
            prev.text = join_lines(prev.text, unit.text)
            prev.lines += unit.lines
            continue
        out.append(unit)
    return out


def _strip_boilerplate(units: list[Unit]) -> list[Unit]:
    while units and units[0].text.strip().lower() in BOILERPLATE:
        units = units[1:]
    while units and units[-1].text.strip().lower() in BOILERPLATE:
        units = units[:-1]
    return units


def _is_heading(unit: Unit, prev: Unit | None, nxt: Unit | None) -> bool:
    """Heading = a lone short line without final punctuation (numbered or not), not a list item."""
    text = unit.text
    if unit.item or unit.lines > 1 or not text or text[-1] in FINAL + ",":
        return False
    if CAPTION_RE.match(text) or not (text[0].isupper() or text[0] in "\"“‘'(" or unit.number):
        return False
    if unit.number:
        if len(text) > MAX_NUMBERED_HEADING:
            return False
        if unit.dotted and "." not in unit.number:
            # "1. ..." inside running text is a list item, not a heading.
            in_list = (prev is not None and (prev.item or prev.text.endswith(":"))) or (
                nxt is not None and nxt.number and nxt.dotted and "." not in nxt.number)
            return not in_list
        return True
    return len(text) <= MAX_HEADING and len(text.split()) <= 12


def _is_successor(first: str, other: str) -> bool:
    """Would heading number ``other`` follow ``first`` in one numbering ("3.1" -> "3.2", "4")?"""
    a = [int(x) for x in first.split(".")]
    b = [int(x) for x in other.split(".")]
    for depth in range(1, len(a) + 1):
        if b == a[: depth - 1] + [a[depth - 1] + 1]:
            return True
    return b[: len(a)] == a and len(b) > len(a)


class PlainTextReader(Reader):
    format = "text"
    extensions = (".txt",)
    line_based = True

    def read(self, text: str, *, doc_id: str, source_path: str,
             limits: ReadLimits = DEFAULT_LIMITS) -> ParsedDocument:
        pdf = looks_pdf_extracted(text)
        units = _strip_boilerplate(_units_from_pdf(text) if pdf else _units_by_blank_lines(text))
        heading = [_is_heading(u, units[i - 1] if i else None, units[i + 1] if i + 1 < len(units) else None)
                   for i, u in enumerate(units)]
        for u, h in zip(units, heading):
            if not h and u.number and u.dotted and "." not in u.number and not u.item:
                # A "1." line that is not a heading is a numbered list item.
                u.item, u.text = True, u.text.split(None, 1)[1] if " " in u.text else u.text
        drafts = self._drafts(units, heading)
        title = next((d.title for d in drafts if not d.intro), None)
        if title:
            title = re.sub(r"^\d+(\.\d+)*\.?\s+", "", title)
        warnings = ["tekst herkend als PDF-extractie"] if pdf else []
        return ParsedDocument(title=title, sections=build_sections(doc_id, drafts), warnings=warnings)

    @staticmethod
    def _drafts(units: list[Unit], heading: list[bool]) -> list[DraftSection]:
        drafts = [DraftSection(title="", level=0, line=units[0].line if units else 1, intro=True)]
        numbered = [u.number for u, h in zip(units, heading) if h and u.number]
        title_heading = None
        first = next((i for i, h in enumerate(heading) if h), None)
        if first is not None and units[first].number and "." in units[first].number and len(numbered) > 1 \
                and not _is_successor(units[first].number, numbered[1]):
            title_heading = first  # e.g. "3.1 Beleidsverslag" above chapters "1", "2", "3"
        base = 1
        in_group = False
        indents: list[int] = []
        for i, unit in enumerate(units):
            if heading[i]:
                nxt_is_topic = i + 1 < len(units) and heading[i + 1] and not units[i + 1].number
                if i == title_heading:
                    level, in_group = 0, False
                elif unit.number:
                    level = unit.number.count(".") + 1
                    base, in_group = level + 1, False
                elif nxt_is_topic:
                    level, in_group = base, True  # a topic directly followed by its sub-topics
                else:
                    level = base + 1 if in_group else base
                drafts.append(DraftSection(title=unit.text, level=level, line=unit.line))
                indents = []
                continue
            if unit.item:
                while indents and unit.indent < indents[-1]:
                    indents.pop()
                if not indents or unit.indent > indents[-1]:
                    indents.append(unit.indent)
                depth = len(indents) - 1
                md = "  " * depth + "- " + escape_markdown(unit.text)
                drafts[-1].blocks.append(DraftBlock(unit.text, md, "list_item", depth))
            else:
                indents = []
                drafts[-1].blocks.append(DraftBlock(unit.text, escape_markdown(unit.text)))
        return drafts


register_reader(PlainTextReader)
