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

from ..docmeta import letterhead_lines
from ..inline import escape_markdown
from ..model import Footnote
from ..sections import DraftBlock, DraftSection, build_sections
from ..limits import DEFAULT_LIMITS, ReadLimits
from .base import ParsedDocument, Reader, register_reader
from .pdftext import (BULLET_RE, FINAL, STRONG_BULLET_RE, Line, cover_title, header_cells, is_debris, join_lines,
                      looks_pdf_extracted, running_lines, split_footnotes, strip_running_lines, table_cells)

# Web-page chrome that text copied from a site carries at its start or end.
BOILERPLATE = {"base description which applies to whole site", "licence", "license", "licentie",
               "skip to content", "skip to main content", "naar de inhoud", "ga direct naar inhoud",
               "menu", "zoeken", "print", "delen", "share", "terug naar boven", "back to top",
               "cookies", "cookie-instellingen", "printen", "deel deze pagina"}
NUMBERED_HEADING_RE = re.compile(r"^(\d{1,2}(?:\.\d{1,2}){0,4})(\.?)\s+([A-ZÀ-Ý\"“‘'(].*)$")
CAPTION_RE = re.compile(r"^(figuur|tabel|grafiek|bron|figure|table|source|noot|kader)\b", re.IGNORECASE)
# "De Minister van Financiën," and the name under it ("S.A.M. Kramer") close a letter; they are no headings.
SIGNATURE_RE = re.compile(r"^(de|het)\s+(minister|staatssecretaris|minister-president|secretaris-generaal|directeur)\b.*,$",
                          re.IGNORECASE)
INITIALS_NAME_RE = re.compile(r"^(?:[A-Z]\.\s?){1,5}(?:(?:van|de|der|den|ter|ten|in 't|'t)\s)*[A-Z][\w'-]+$")
COVER_MAX_LINES = 30
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
    kind: str = "text"  # "text" | "table" | "cover" | "letterhead" (cover and letter-head lines are never headings)
    rows: list[list[str]] | None = None  # cells, for a table
    page: int = 1


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


def _letterhead_numbers(lines: list[Line]) -> set[int]:
    """Line numbers of a letter's dateline and letter-head fields ("Datum ...", "Ons kenmerk ...")."""
    return {lines[i].number for i in letterhead_lines([ln.text for ln in lines])}


def _letterhead_unit(ln: Line) -> Unit:
    """A letter-head line stands alone: the letter's metadata, never a heading or part of a paragraph."""
    return Unit(" ".join(ln.text.split()), ln.number, kind="letterhead", page=ln.page)


def _units_by_blank_lines(text: str) -> list[Unit]:
    """Units for ordinary text: paragraphs are separated by blank lines (page furniture dropped)."""
    units: list[Unit] = []
    current: Unit | None = None
    lines = strip_running_lines(text)
    letterhead = _letterhead_numbers(lines)
    for ln in lines:
        raw, stripped = ln.text, ln.text.strip()
        if not stripped or is_debris(stripped):
            current = None
            continue
        if ln.number in letterhead:
            units.append(_letterhead_unit(ln))
            current = None
            continue
        if current is None or BULLET_RE.match(raw):
            current = _new_unit(ln)
            units.append(current)
        else:
            current.text = join_lines(current.text, raw)
            current.lines += 1
    return units


def _units_from_pdf(lines: list[Line]) -> list[Unit]:
    """Units for PDF-extracted text: hard-wrapped lines, page furniture, few blank lines, tables."""
    widths = sorted(len(ln.text.rstrip()) for ln in lines if ln.text.strip())
    width = widths[int(len(widths) * 0.9) - 1] if len(widths) > 1 else 80
    units: list[Unit] = []
    current: Unit | None = None
    previous = ""
    letterhead = _letterhead_numbers(lines)
    for ln in lines:
        raw = ln.text.rstrip()
        stripped = raw.strip()
        if not stripped:
            if current is not None and current.kind != "table":
                current = None
            continue
        cells = table_cells(raw)
        if cells is not None:
            if current is None or current.kind != "table":
                header = units[-1] if units and units[-1].lines == 1 and units[-1].kind == "text" else None
                current = Unit(stripped, ln.number, kind="table", rows=[], page=ln.page)
                head = None
                if header is not None and header.line >= ln.number - 2:
                    words = header.text.split()
                    head = header_cells(header.text) or (
                        words if len(words) == len(cells) - 1 and header.text[-1:] not in FINAL + "," else None)
                if head is not None and len(head) < len(cells):
                    units.pop()
                    current.rows.append([""] * (len(cells) - len(head)) + head)
                units.append(current)
            current.rows.append(cells)
            previous = stripped
            continue
        if current is not None and current.kind == "table":
            current = None
        if is_debris(stripped):
            current = None
            continue
        ended = previous[-1:] in FINAL
        if ln.number in letterhead:
            units.append(_letterhead_unit(ln))
            current, previous = None, stripped
            continue
        numbered = bool(NUMBERED_HEADING_RE.match(stripped)) and len(stripped) <= MAX_NUMBERED_HEADING \
            and stripped[-1] not in FINAL + "," and (current is None or ended or ln.page_start)
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
            current.page = ln.page
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
                and prev.kind == unit.kind == "text" and prev.lines > 1 and prev.text[-1:] not in FINAL and unit.text[:1].islower():
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
    if unit.kind != "text" or unit.item or unit.lines > 1 or not text or text[-1] in FINAL + ",":
        return False
    if INITIALS_NAME_RE.match(text) or (prev is not None and SIGNATURE_RE.match(prev.text)):
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
        furniture: list[str] = []
        notes: dict[int, dict[str, str]] = {}
        title_from_cover = None
        if pdf:
            lines, furniture = running_lines(text)
            lines, notes = split_footnotes(lines)
            cover = [ln for ln in lines if ln.page == 1 and ln.text.strip()]
            pages = max((ln.page for ln in lines), default=1)
            units = _units_from_pdf(lines)
            prose = sum(1 for ln in cover if len(ln.text.split()) >= 10)
            if pages >= 3 and 0 < len(cover) <= COVER_MAX_LINES and prose <= 1:  # a cover: short lines only
                title_from_cover = cover_title(cover)
                for u in units:
                    if u.page == 1 and u.kind == "text":
                        u.kind, u.text = "cover", " ".join(u.text.split())
        else:
            units = _units_by_blank_lines(text)
        units = _strip_boilerplate(units)
        heading = [_is_heading(u, units[i - 1] if i else None, units[i + 1] if i + 1 < len(units) else None)
                   for i, u in enumerate(units)]
        for u, h in zip(units, heading):
            if not h and u.number and u.dotted and "." not in u.number and not u.item and u.kind == "text":
                # A "1." line that is not a heading is a numbered list item.
                u.item, u.text = True, u.text.split(None, 1)[1] if " " in u.text else u.text
        drafts = self._drafts(units, heading, notes)
        title = next((d.title for d in drafts if not d.intro), None)
        if title:
            title = re.sub(r"^\d+(\.\d+)*\.?\s+", "", title)
        warnings = ["tekst herkend als PDF-extractie"] if pdf else []
        return ParsedDocument(title=title_from_cover or title, sections=build_sections(doc_id, drafts),
                              warnings=warnings, furniture=furniture)

    @staticmethod
    def _drafts(units: list[Unit], heading: list[bool],
                notes: dict[int, dict[str, str]] | None = None) -> list[DraftSection]:
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
            if unit.kind == "table":
                rows = [" | ".join(r) for r in unit.rows or []]
                md = "\n".join(["| " + " | ".join(escape_markdown(c) for c in (unit.rows or [[]])[0]) + " |",
                                 "|" + "---|" * len((unit.rows or [[]])[0])]
                                + ["| " + " | ".join(escape_markdown(c) for c in r) + " |" for r in (unit.rows or [])[1:]])
                drafts[-1].blocks.append(DraftBlock("\n".join(rows), md, "table"))
                continue
            if notes and unit.page in notes:
                unit.text = _cite(unit.text, notes[unit.page], drafts[-1])
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


def _cite(text: str, page_notes: dict[str, str], draft: DraftSection) -> str:
    """Turn a glued footnote marker ("het kabinet.1") into a reference ("het kabinet.[1]") and attach the note."""
    for label in list(page_notes):
        pattern = re.compile(rf"(?<=[^\W\d_][.,;:)])({label})(?![\d,.]?\d)|(?<=[^\W\d_])({label})(?=[\s.,;:]|$)")
        m = pattern.search(text)
        if m:
            text = text[:m.start()] + f"[{label}]" + text[m.end():]
            draft.footnotes.append(Footnote(label, page_notes.pop(label)))
    return text


register_reader(PlainTextReader)
