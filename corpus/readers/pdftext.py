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
    """Split pages at form feeds and drop running headers/footers and page numbers.

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
            page.append(Line(part, number))
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
    for index, page in enumerate(pages):
        body_idx = [i for i, ln in enumerate(page) if ln.text.strip()]
        edges = set(body_idx[:edge] + body_idx[-edge:]) if number_of_pages >= 2 else set(body_idx)
        kept = [ln for i, ln in enumerate(page) if not (i in edges and furniture(ln.text))]
        if number_of_pages >= 2:
            # Blank lines around removed furniture are not paragraph breaks.
            while kept and not kept[0].text.strip():
                kept.pop(0)
            while kept and not kept[-1].text.strip():
                kept.pop()
            if kept and index > 0:
                kept[0].page_start = True
        out.extend(kept)
    return out
