"""Clean-up for plain text extracted from PDF (what users mostly bring).

PDF extraction hard-wraps every line, hyphenates words at line ends, repeats running
headers/footers and page numbers on every page and spills chart labels as columns of bare
numbers.  These helpers undo that so the plain-text reader sees paragraphs again.
"""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

FINAL = ".!?:;…"
# After "asiel-" the next word "en"/"of" shows a real hyphen ("asiel- en migratiebeleid").
KEEP_HYPHEN_BEFORE = {"en", "of", "tot", "en/of", "noch", "als", "dan", "t/m", "c.q.", "alsook",
                      "respectievelijk", "zowel", "and", "or", "to"}
BULLET_RE = re.compile(r"^(\s*)([•●▪◦·‣⁃■□➢►*]|[-–—](?=\s)|\(?\d{1,2}[.)]|\(?[a-z][.)])\s+(\S.*)$")
STRONG_BULLET_RE = re.compile(r"^\s*[•●▪◦·‣⁃■□➢►*]\s+\S")
PAGE_NUMBER_RE = re.compile(
    r"^\s*(?:(?:pagina|page|blz\.?|p\.)\s*\d{1,4}(?:\s*(?:van|of|/)\s*\d{1,4})?"
    r"|[-–—]?\s*\d{1,4}\s*[-–—]?|\d{1,4}\s*/\s*\d{1,4})\s*$", re.IGNORECASE)
_NUMERIC_TOKEN = re.compile(r"^[(\[]?[-+–−]?[€$£%]?\d[\d.,]*[%)\]]?[,;]?$|^[-–—−€%]$")


@dataclass
class Line:
    text: str
    number: int  # 1-based line number in the file
    page_start: bool = False  # first line after a page break
    page: int = 1  # 1-based page (form feeds separate pages)


def is_debris(text: str) -> bool:
    """Chart/table debris: a line of bare numbers (axis values, table cells, page numbers)."""
    tokens = text.split()
    if not tokens:
        return False
    numeric = sum(1 for t in tokens if _NUMERIC_TOKEN.match(t))
    return numeric == len(tokens) or (len(tokens) >= 4 and numeric / len(tokens) >= 0.8)


def join_lines(a: str, b: str) -> str:
    """Join two wrapped lines, undoing end-of-line hyphenation where it is an artefact."""
    a, b = a.rstrip(), b.strip()
    if not a:
        return b
    if not b:
        return a
    if a.endswith("\u00ad"):
        return a[:-1] + b
    if re.search(r"\d[-–]$", a) and b[:1].isdigit():
        return a + b
    if re.search(r"[^\W\d_]-$", a):
        if b[:1].islower():
            word = b.split()[0].rstrip(",.;:")
            return a + " " + b if word in KEEP_HYPHEN_BEFORE else a[:-1] + b
        return a + b  # capital compounds keep their hyphen: "ECRIS-TCN", "Noord-Holland"
    return a + " " + b


def looks_pdf_extracted(text: str) -> bool:
    """Form feeds, or many long lines that break mid-sentence into a following line.

    Text typed by hand has one paragraph per line or blank lines between paragraphs; a PDF
    extraction wraps every paragraph at a fixed width, so sentences run on over lines.
    """
    if "\f" in text:
        return True
    lines = text.split("\n")
    nonblank = sum(1 for line in lines if line.strip())
    run_on = sum(1 for a, b in zip(lines, lines[1:])
                 if len(a.strip()) >= 40 and b.strip() and a.rstrip()[-1] not in FINAL)
    return run_on >= 3 and run_on >= 0.15 * nonblank


# "12 | Jaarverslag 2020" or "Jaarverslag 2020 - 12": a running line carrying the page number.
_NUMBERED_FURNITURE = re.compile(r"^\s*\d{1,4}\s*[|·•–—-]\s*\S.*$|^.*\S\s*[|·•–—-]\s*\d{1,4}\s*$")


def _norm(line: str) -> str:
    return " ".join(line.split()).lower()


def _shape(line: str) -> str:
    return re.sub(r"\d+", "#", " ".join(line.split())).lower()


def strip_running_lines(text: str) -> list[Line]:
    """Split pages at form feeds and drop running headers/footers and page numbers."""
    return running_lines(text)[0]


def running_lines(text: str) -> tuple[list[Line], list[str]]:
    """Split pages at form feeds and drop running headers/footers and page numbers: ``(lines, furniture)``.

    A header/footer is a line near the top or bottom of a page that recurs on many pages
    (literally, or with only its page number changing); without form feeds, short lines with
    digits that repeat literally and "Pagina N van M"-style lines are dropped wherever they are.
    """
    raw_pages = text.split("\f")
    pages: list[list[Line]] = []
    number = 1
    for raw in raw_pages:
        page = []
        for part in raw.split("\n"):
            page.append(Line(part, number, page=len(pages) + 1))
            number += 1
        number -= 1  # the form feed did not start a new line in the file
        pages.append(page)
    number_of_pages = len(pages)
    edge = 3
    if number_of_pages >= 2:
        texts: Counter[str] = Counter()
        shapes: Counter[str] = Counter()
        for page in pages:
            body = [ln for ln in page if ln.text.strip()]
            texts.update({_norm(ln.text) for ln in body[:edge] + body[-edge:]})
            shapes.update({_shape(ln.text) for ln in body[:edge] + body[-edge:] if _NUMBERED_FURNITURE.match(ln.text)})
        need = max(2, 0.4 * number_of_pages)
    else:
        texts = Counter(_norm(ln.text) for ln in pages[0] if ln.text.strip())
        shapes = Counter()
        need = 3
    running_texts = {t for t, c in texts.items() if c >= need and len(t) <= 120
                     and (number_of_pages >= 2 or re.search(r"[\d|]", t)) and not STRONG_BULLET_RE.match(t)}
    running_shapes = {s for s, c in shapes.items() if c >= need}

    def furniture(line: str) -> bool:
        return bool(_norm(line) in running_texts or PAGE_NUMBER_RE.match(line)
                    or (_NUMBERED_FURNITURE.match(line) and _shape(line) in running_shapes))

    out: list[Line] = []
    removed: list[str] = []
    for index, page in enumerate(pages):
        body_idx = [i for i, ln in enumerate(page) if ln.text.strip()]
        edges = set(body_idx[:edge] + body_idx[-edge:]) if number_of_pages >= 2 else set(body_idx)
        kept = []
        for i, ln in enumerate(page):
            if i in edges and furniture(ln.text):
                clean = " ".join(ln.text.split())
                if clean not in removed and len(removed) < 50:
                    removed.append(clean)
            else:
                kept.append(ln)
        if number_of_pages >= 2:
            # Blank lines around removed furniture are not paragraph breaks.
            while kept and not kept[0].text.strip():
                kept.pop(0)
            while kept and not kept[-1].text.strip():
                kept.pop()
            if kept and index > 0:
                kept[0].page_start = True
        out.extend(kept)
    return out, removed


# -- footnotes, tables and the cover of PDF-extracted text ----------------------------------------------------
SEPARATOR_RE = re.compile(r"^\s*[_\-–—]{5,}\s*$")
FOOTNOTE_LINE_RE = re.compile(r"^\s*(\d{1,3})\s+(\S.*)$")
_CELL_SPLIT = re.compile(r"\s{2,}")
_NUMERIC_CELL = re.compile(r"^[(\[]?[-+–−]?[€$£]?\s?\d[\d.,]*\s?[%)\]]?$|^[-–—]$")
#: Cover lines that are parliamentary furniture, not the title.
_COVER_FURNITURE = re.compile(r"^(tweede|eerste) kamer\b|^vergaderjaar\b|^nr\.\s*\d|^\d{2}\s?\d{3}\b|^aangeboden\b|"
                              r"^kamerstuk|^\d{1,2} \w+ \d{4}$", re.IGNORECASE)


def split_footnotes(lines: list[Line]) -> tuple[list[Line], dict[int, dict[str, str]]]:
    """Footnotes at the foot of each page: ``(lines without them, {page: {label: text}})``.

    A footnote zone starts after a rule line (``_____``) near the end of a page; without a
    rule, only trailing lines "N text" whose number N is glued to a word on that page
    ("het kabinet.1") count, so a numbered list at the end of a page stays a list.
    """
    by_page: dict[int, list[int]] = {}
    for i, ln in enumerate(lines):
        by_page.setdefault(ln.page, []).append(i)
    drop: set[int] = set()
    notes: dict[int, dict[str, str]] = {}
    for page, idx in by_page.items():
        nonblank = [i for i in idx if lines[i].text.strip()]
        tail = nonblank[-15:]
        sep = next((i for i in reversed(tail) if SEPARATOR_RE.match(lines[i].text)), None)
        body = " ".join(lines[i].text for i in nonblank)
        zone: list[int] = []
        if sep is not None:
            zone = [i for i in nonblank if i > sep]
            if not zone or not FOOTNOTE_LINE_RE.match(lines[zone[0]].text):
                continue
            drop.add(sep)
        else:
            for i in reversed(tail):
                m = FOOTNOTE_LINE_RE.match(lines[i].text)
                if not m or not re.search(rf"[^\W\d_][.,;:)]?{m.group(1)}(?![\d,.]\d)", body):
                    break
                zone.insert(0, i)
        page_notes: dict[str, str] = {}
        label = None
        for i in zone:
            m = FOOTNOTE_LINE_RE.match(lines[i].text)
            if m and (label is None or int(m.group(1)) > int(label)):
                label = m.group(1)
                page_notes[label] = m.group(2).strip()
            elif label is not None:
                page_notes[label] = join_lines(page_notes[label], lines[i].text)
            drop.add(i)
        if page_notes:
            notes[page] = page_notes
    return [ln for i, ln in enumerate(lines) if i not in drop], notes


def table_cells(raw: str) -> list[str] | None:
    """Cells of a table row as a PDF extraction prints it, or None for a line of prose.

    Layout-preserving extraction separates cells by runs of spaces; plain extraction gives
    "Uitgavenplafond 412,6 418,9 6,3": a short label followed by two or more numbers.
    """
    stripped = raw.strip()
    cells = [c for c in _CELL_SPLIT.split(stripped) if c]
    if len(cells) >= 3 and sum(1 for c in cells if _NUMERIC_CELL.match(c)) >= 2 and not all(
            _NUMERIC_CELL.match(c) for c in cells):  # a row of bare numbers is a chart axis
        return cells
    tokens = stripped.split()
    n = 0
    while n < len(tokens) and _NUMERIC_CELL.match(tokens[-1 - n]):
        n += 1
    label = tokens[: len(tokens) - n]
    if n >= 2 and 1 <= len(label) <= 8 and label[0][:1].isalpha() and stripped[-1:] not in ".;:":
        return [" ".join(label)] + tokens[len(tokens) - n:]
    return None


def header_cells(raw: str) -> list[str] | None:
    """A table's column header row ("Ontwerpbegroting   Realisatie   Verschil")."""
    cells = [c for c in _CELL_SPLIT.split(raw.strip()) if c]
    if len(cells) >= 2 and all(len(c.split()) <= 4 and c[-1:] not in ".;:," for c in cells) \
            and len(_CELL_SPLIT.findall(raw.strip())) >= 1:
        return cells
    return None


def cover_title(cover: list[Line]) -> str | None:
    """The title on a cover page: the first phrase in mixed case that is not parliamentary furniture.

    Layout-preserving extraction puts several columns on one line ("36 560   Financieel
    jaarverslag ..."), so lines are split at runs of spaces first.
    """
    upper: str | None = None
    for ln in cover:
        for part in _CELL_SPLIT.split(ln.text.strip()):
            part = re.sub(r"^(?:\d{2}\s?\d{3}|nr\.\s*\d{1,4})\s+(?=\D)", "", part.strip(), flags=re.IGNORECASE)
            if len(part.split()) < 2 or not re.search(r"[^\W\d_]{3}", part) or _COVER_FURNITURE.match(part):
                continue
            if part.isupper():
                upper = upper or part
                continue
            return part
    return upper.capitalize() if upper else None
