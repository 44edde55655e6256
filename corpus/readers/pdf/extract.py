"""Characters with their boxes and fonts out of a PDF, grouped into spans, with pypdfium2.

Why pypdfium2: it binds PDFium (the PDF engine of Chromium; BSD/Apache licensed, unlike
the AGPL PyMuPDF), ships as a wheel with no system dependency, and measured ~9x faster
than pdfplumber/pdfminer.six on the same layout work (see ``bench/bench_pdf.py``).  Its text
page API gives every character's box, font size, weight and font name, and marks the
hyphens a layout engine inserted at line ends, which is all the layout analysis in
:mod:`corpus.readers.pdf.layout` needs.  The rest of this package is plain Python over the
:class:`Span` objects made here, so it can be tested without a PDF.
"""
from __future__ import annotations

import ctypes
from dataclasses import dataclass, field

import pypdfium2 as pdfium
import pypdfium2.raw as raw

from ...limits import too_much_text
from ...model import ReaderError

SOFT_HYPHEN = "\u00ad"
_BOLD_NAMES = ("bold", "black", "heavy", "semibold", "demi", "extrabold")
_FORCE_BOLD = 1 << 18
_SYMBOL_BULLETS = {"\uf0b7": "•", "\uf0a7": "▪", "\uf0d8": "➢", "\uf076": "❖", "\uf0fc": "✓", "\uf0a8": "□",
                   "\uf06c": "●", "\uf06e": "■", "\uf0e0": "➢", "\uf02d": "-", "\uf0be": "—"}


@dataclass
class Span:
    """A run of characters on one baseline with no wide gap: a line of a paragraph, or a table cell."""

    text: str
    x0: float
    x1: float
    top: float  # distance from the top of the page (points)
    bottom: float
    size: float  # dominant font size (points)
    bold: bool
    page: int  # 1-based
    refs: list[str] = field(default_factory=list)  # superscript numbers in this span (footnote references)
    hyphen_end: bool = False  # ends in a hyphen the layout engine inserted (a soft hyphen)
    sup_start: bool = False  # begins with a superscript number (a footnote label)

    @property
    def height(self) -> float:
        return self.bottom - self.top


@dataclass
class Page:
    number: int
    width: float
    height: float
    spans: list[Span]
    chars: int  # characters in the text layer


@dataclass
class _Char:
    c: str
    x0: float
    x1: float
    top: float
    bottom: float
    size: float
    bold: bool
    space_before: bool
    hyphen: bool


def open_pdf(data: bytes, name: str) -> pdfium.PdfDocument:
    try:
        return pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        message = str(exc).lower()
        if "password" in message:
            raise ReaderError(name, "PDF is beveiligd met een wachtwoord; niet gelezen") from exc
        raise ReaderError(name, f"geen geldige PDF ({exc})") from exc


def _font_bold(textpage, index: int, cache: dict[int, bool]) -> bool:
    obj = raw.FPDFText_GetTextObject(textpage, index)
    key = ctypes.cast(obj, ctypes.c_void_p).value or 0
    if key in cache:
        return cache[key]
    weight = raw.FPDFText_GetFontWeight(textpage, index)
    flags = ctypes.c_int(0)
    buf = ctypes.create_string_buffer(128)
    raw.FPDFText_GetFontInfo(textpage, index, buf, 128, ctypes.byref(flags))
    fontname = buf.value.decode("latin-1", "replace").lower()
    bold = weight >= 600 or any(n in fontname for n in _BOLD_NAMES) or bool(flags.value & _FORCE_BOLD)
    cache[key] = bold
    return bold


def _chars(page, textpage, height: float) -> list[_Char]:
    out: list[_Char] = []
    rect = raw.FS_RECTF()
    fonts: dict[int, bool] = {}
    pending_space = False
    for i in range(textpage.count_chars()):
        code = raw.FPDFText_GetUnicode(textpage, i)
        c = chr(code) if code else ""
        if not c or c in "\r\n" or c.isspace():
            pending_space = pending_space or c == " " or c.isspace()
            continue
        hyphen = bool(raw.FPDFText_IsHyphen(textpage, i)) or c in ("\ufffe", SOFT_HYPHEN)
        if raw.FPDFText_IsGenerated(textpage, i) and not hyphen:
            continue
        if not raw.FPDFText_GetLooseCharBox(textpage, i, rect):
            continue
        if hyphen:
            c = "-"
        elif "\uf000" <= c <= "\uf0ff":  # symbol-font glyphs (Word/LibreOffice bullets) in the private use area
            c = _SYMBOL_BULLETS.get(c, "")
        if not c or not c.isprintable():
            continue
        out.append(_Char(c, rect.left, rect.right, height - rect.top, height - rect.bottom,
                         round(raw.FPDFText_GetFontSize(textpage, i), 1), _font_bold(textpage, i, fonts),
                         pending_space, hyphen))
        pending_space = False
    return out


def _same_line(ch: _Char, top: float, bottom: float) -> bool:
    overlap = min(ch.bottom, bottom) - max(ch.top, top)
    return overlap >= 0.5 * min(ch.bottom - ch.top, bottom - top)


def _spans(chars: list[_Char], page_no: int) -> list[Span]:
    """Group characters (in content order) into spans; superscript digits become references."""
    spans: list[Span] = []
    cur: list[_Char] = []

    def flush() -> None:
        if not cur:
            return
        sizes: dict[float, int] = {}
        for ch in cur:
            sizes[ch.size] = sizes.get(ch.size, 0) + 1
        size = max(sizes, key=sizes.get)
        main = [ch for ch in cur if ch.size >= 0.85 * size] or cur
        top, bottom = min(ch.top for ch in main), max(ch.bottom for ch in main)
        text, refs, sup_start = _text_of(cur, size, bottom)
        if text.strip():
            spans.append(Span(text.strip(), min(ch.x0 for ch in cur), max(ch.x1 for ch in cur), top, bottom, size,
                              sum(ch.bold for ch in main) > 0.6 * len(main), page_no, refs,
                              hyphen_end=cur[-1].hyphen and cur[-1].c == "-", sup_start=sup_start))
        cur.clear()

    for ch in chars:
        if cur:
            last = cur[-1]
            top = min(c.top for c in cur)
            bottom = max(c.bottom for c in cur)
            gap = ch.x0 - last.x1
            em = max(last.size, ch.size, 1.0)
            joinable = _same_line(ch, top, bottom) and -1.0 * em <= gap and (
                gap <= 0.6 * em or (ch.space_before and gap <= 3.0 * em))
            if not joinable:
                flush()
        cur.append(ch)
    flush()
    return spans


def _text_of(chars: list[_Char], size: float, bottom: float) -> tuple[str, list[str], bool]:
    """Text of a span; digits set small and raised are footnote references, kept as ``\\ue000N\\ue001``."""
    parts: list[str] = []
    refs: list[str] = []
    sup_start = False
    prev: _Char | None = None
    i = 0
    while i < len(chars):
        ch = chars[i]
        raised = ch.size <= 0.8 * size and ch.bottom < bottom - 0.15 * size
        if raised and ch.c.isdigit():
            j = i
            while j < len(chars) and chars[j].c.isdigit() and chars[j].size <= 0.8 * size:
                j += 1
            label = "".join(c.c for c in chars[i:j])
            if not parts:
                sup_start = True
                parts.append(label + " ")
            else:
                parts.append(f"\ue000{label}\ue001")
                refs.append(label)
            prev = chars[j - 1]
            i = j
            continue
        if prev is not None and (ch.space_before or ch.x0 - prev.x1 > 0.2 * max(ch.size, 1.0)):
            parts.append(" ")
        parts.append(ch.c)
        prev = ch
        i += 1
    return "".join(parts), refs, sup_start


def extract_pages(data: bytes, name: str, max_chars: int) -> list[Page]:
    """All pages of a PDF as spans; raises ReaderError for unreadable, encrypted or oversized PDFs."""
    pdf = open_pdf(data, name)
    pages: list[Page] = []
    total = 0
    try:
        for index in range(len(pdf)):
            page = pdf[index]
            try:
                width, height = page.get_size()
                textpage = page.get_textpage()
                try:
                    chars = _chars(page, textpage, height)
                finally:
                    textpage.close()
            finally:
                page.close()
            total += len(chars)
            if total > max_chars:
                raise too_much_text(name, total, max_chars)
            pages.append(Page(index + 1, width, height, _spans(chars, index + 1), len(chars)))
    finally:
        pdf.close()
    return pages
