"""Reader for Word documents (``.docx``), with python-docx.

Why python-docx: the maintained, MIT-licensed reader of WordprocessingML in pure Python;
it gives paragraphs and tables in body order with their styles.  Footnotes, outline levels
and list numbering are not in its API, so those few parts are read from the package XML
that python-docx already parsed (no second parser, no extra dependency).

Structure comes from the document's own markup: heading styles ("Heading 2", "Kop 2") and
outline levels set the heading level; numbering definitions tell bullets from numbered
items; running headers and footers live in other parts and so never enter the body; a
table of contents (a TOC field or TOC styles) is navigation and is left out.
"""
from __future__ import annotations

import io
import re
import zipfile
from typing import Any

from ..inline import FN_CLOSE, FN_OPEN
from ..limits import DEFAULT_LIMITS, ReadLimits, too_much_text
from ..model import Footnote, ReaderError
from ..sections import build_sections
from ..structured import Block, is_caption, to_drafts
from .base import ParsedDocument, Reader, register_reader

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
MC_FALLBACK = "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback"
HEADING_STYLE_RE = re.compile(r"^(?:heading|kop)\s*([1-9])$", re.IGNORECASE)
TITLE_STYLES = {"title", "titel"}
CAPTION_STYLES = {"caption", "bijschrift"}
TOC_STYLE_RE = re.compile(r"^(toc|inhopg|inhoudsopgave)\b", re.IGNORECASE)
FOOTNOTES_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/footnotes"
#: An uncompressed .docx larger than this is refused (a zip bomb, not a policy document).
MAX_UNPACKED_BYTES = 512 * 1024 * 1024


def _val(el: Any, path: str) -> str | None:
    found = el.find(path) if el is not None else None
    return found.get(W + "val") if found is not None else None


class _Styles:
    """Heading level, list membership and boldness of a style, following ``basedOn``."""

    def __init__(self, doc: Any) -> None:
        self.by_id = {s.style_id: s for s in doc.styles}

    def chain(self, style: Any):
        seen = 0
        while style is not None and seen < 20:
            yield style
            style, seen = style.base_style, seen + 1

    def outline_level(self, style: Any) -> int | None:
        for s in self.chain(style):
            m = HEADING_STYLE_RE.match(s.name or "")
            if m:
                return int(m.group(1))
            lvl = _val(s.element.find(W + "pPr"), W + "outlineLvl")
            if lvl is not None and lvl.isdigit() and int(lvl) < 9:
                return int(lvl) + 1
        return None

    def num_pr(self, style: Any) -> Any:
        for s in self.chain(style):
            ppr = s.element.find(W + "pPr")
            if ppr is not None and ppr.find(W + "numPr") is not None:
                return ppr.find(W + "numPr")
        return None


class _Numbering:
    """Bullet or number for a (numId, ilvl), with running counters for numbered lists."""

    def __init__(self, doc: Any) -> None:
        self.formats: dict[tuple[str, str], str] = {}
        self.counters: dict[tuple[str, str], int] = {}
        try:
            root = doc.part.numbering_part.element
        except (KeyError, NotImplementedError, AttributeError):
            return
        abstract = {a.get(W + "abstractNumId"): a for a in root.findall(W + "abstractNum")}
        for num in root.findall(W + "num"):
            a = abstract.get(_val(num, W + "abstractNumId"))
            if a is None:
                continue
            for lvl in a.findall(W + "lvl"):
                self.formats[(num.get(W + "numId"), lvl.get(W + "ilvl"))] = _val(lvl, W + "numFmt") or "bullet"

    def marker(self, num_id: str, ilvl: str) -> str:
        fmt = self.formats.get((num_id, ilvl), "bullet")
        if fmt in ("bullet", "none"):
            return "-"
        key = (num_id, ilvl)
        self.counters[key] = self.counters.get(key, 0) + 1
        for (n, lv) in list(self.counters):  # deeper levels restart under a new item
            if n == num_id and lv > ilvl:
                del self.counters[(n, lv)]
        return f"{self.counters[key]}."


def _footnote_bodies(doc: Any) -> dict[str, str]:
    from lxml import etree

    for rel in doc.part.rels.values():
        if rel.reltype == FOOTNOTES_REL and not rel.is_external:
            root = etree.fromstring(rel.target_part.blob)
            out = {}
            for fn in root.findall(W + "footnote"):
                if fn.get(W + "type") in ("separator", "continuationSeparator", "continuationNotice"):
                    continue
                text = " ".join("".join(t.text or "" for t in p.iter(W + "t")) for p in fn.iter(W + "p"))
                out[fn.get(W + "id")] = " ".join(text.split())
            return out
    return {}


def _headers_and_footers(document: Any) -> list[str]:
    """Text of running headers and footers: left out of the body, but metadata often lives there."""
    out: list[str] = []
    for section in document.sections:
        for part in (section.header, section.first_page_header, section.footer):
            try:
                texts = [p.text.strip() for p in part.paragraphs] if not part.is_linked_to_previous else []
            except Exception:  # a header part python-docx cannot load is just not used
                continue
            out.extend(t for t in texts if t and t not in out)
    return out


class DocxReader(Reader):
    format = "docx"
    extensions = (".docx",)
    binary = True

    def read_bytes(self, data: bytes, *, doc_id: str, source_path: str,
                   limits: ReadLimits = DEFAULT_LIMITS) -> ParsedDocument:
        import docx

        try:
            with zipfile.ZipFile(io.BytesIO(data)) as z:
                if sum(i.file_size for i in z.infolist()) > MAX_UNPACKED_BYTES:
                    raise ReaderError(source_path, "uitgepakt groter dan 512 MB; niet gelezen")
            document = docx.Document(io.BytesIO(data))
        except ReaderError:
            raise
        except Exception as exc:  # python-docx raises several types for a broken package
            raise ReaderError(source_path, f"geen geldig Word-document (.docx): {type(exc).__name__}") from exc
        blocks = _Walker(document).blocks()
        total = sum(len(b.text) + sum(len(c) for r in b.rows for c in r) for b in blocks)
        if total > limits.max_text_chars:
            raise too_much_text(source_path, total, limits.max_text_chars)
        drafts, title = to_drafts(blocks)
        core_title = (document.core_properties.title or "").strip()
        metadata: dict[str, Any] = {}
        if not title and core_title and not core_title.lower().startswith("microsoft word"):
            title = core_title
        return ParsedDocument(title=title, sections=build_sections(doc_id, drafts), metadata=metadata,
                              encoding="docx", furniture=_headers_and_footers(document))


class _Walker:
    def __init__(self, document: Any) -> None:
        self.doc = document
        self.styles = _Styles(document)
        self.numbering = _Numbering(document)
        self.notes = _footnote_bodies(document)
        self.note_count = 0
        self.last_level = 0
        body = document.element.body
        for fb in list(body.iter(MC_FALLBACK)):  # duplicate text of text boxes for old readers
            fb.getparent().remove(fb)

    def blocks(self) -> list[Block]:
        out: list[Block] = []
        self._walk(self.doc.element.body, out)
        return out

    def _walk(self, parent: Any, out: list[Block]) -> None:
        from docx.table import Table
        from docx.text.paragraph import Paragraph

        for child in parent.iterchildren():
            if child.tag == W + "p":
                block = self._paragraph(Paragraph(child, self.doc.part))
                if block is not None:
                    out.append(block)
            elif child.tag == W + "tbl":
                rows = self._table(Table(child, self.doc.part))
                if rows:
                    out.append(Block("table", rows=[r for r, _ in rows],
                                     notes=[n for _, notes in rows for n in notes]))
            elif child.tag == W + "sdt":
                gallery = child.find(f"{W}sdtPr/{W}docPartObj/{W}docPartGallery")
                if gallery is not None and "contents" in (gallery.get(W + "val") or "").lower():
                    continue  # table of contents
                content = child.find(W + "sdtContent")
                if content is not None:
                    self._walk(content, out)

    def _text(self, p_el: Any) -> tuple[str, list[Footnote]]:
        parts: list[str] = []
        notes: list[Footnote] = []
        for el in p_el.iter(W + "t", W + "tab", W + "br", W + "cr", W + "noBreakHyphen", W + "footnoteReference"):
            tag = el.tag[len(W):]
            if tag == "t":
                parts.append(el.text or "")
            elif tag == "noBreakHyphen":
                parts.append("-")
            elif tag == "footnoteReference":
                self.note_count += 1
                label = str(self.note_count)
                body = self.notes.get(el.get(W + "id"), "")
                parts.append(f"{FN_OPEN}{label}{FN_CLOSE}")
                if body:
                    notes.append(Footnote(label, body))
            else:
                parts.append(" ")
        return " ".join("".join(parts).replace("\u00ad", "").split()), notes

    def _paragraph(self, p: Any) -> Block | None:
        style = p.style
        name = (style.name or "") if style is not None else ""
        if TOC_STYLE_RE.match(name):
            return None
        text, notes = self._text(p._p)
        if not text:
            return None
        ppr = p._p.pPr
        direct = _val(ppr, W + "outlineLvl") if ppr is not None else None
        level = int(direct) + 1 if direct is not None and direct.isdigit() and int(direct) < 9 else \
            self.styles.outline_level(style)
        if name.lower() in TITLE_STYLES:
            return Block("title", text, 0, notes=notes)
        if level is not None:
            self.last_level = level
            return Block("heading", text, level, notes=notes)
        if name.lower() in CAPTION_STYLES or is_caption(text):
            return Block("caption", text, notes=notes)
        num_pr = ppr.find(W + "numPr") if ppr is not None else None
        num_pr = num_pr if num_pr is not None else self.styles.num_pr(style)
        if num_pr is not None:
            num_id = _val(num_pr, W + "numId") or "0"
            ilvl = _val(num_pr, W + "ilvl") or "0"
            if num_id != "0":
                return Block("list_item", text, int(ilvl) if ilvl.isdigit() else 0, notes=notes,
                             marker=self.numbering.marker(num_id, ilvl))
        if self._bold_line(p, text):
            level = min(self.last_level + 1, 6) if self.last_level else 1
            return Block("heading", text, level, notes=notes)
        if name.lower() in ("quote", "citaat", "intense quote", "duidelijk citaat"):
            return Block("quote", text, notes=notes)
        return Block("paragraph", text, notes=notes)

    @staticmethod
    def _bold_line(p: Any, text: str) -> bool:
        """A short, wholly bold paragraph without final punctuation serves as a sub-heading."""
        runs = [r for r in p.runs if r.text.strip()]
        if not runs or len(text.split()) > 12 or text[-1] in ".,;:!?" or not text[0].isalnum():
            return False
        return all(r.bold or (r.style is not None and r.style.font.bold) for r in runs)

    def _table(self, table: Any) -> list[tuple[list[str], list[Footnote]]]:
        rows = []
        for row in table.rows:
            cells, notes, seen = [], [], set()
            for cell in row.cells:
                if id(cell._tc) in seen:  # a merged cell repeats
                    continue
                seen.add(id(cell._tc))
                texts = []
                for p_el in cell._tc.iter(W + "p"):
                    t, n = self._text(p_el)
                    if t:
                        texts.append(t)
                    notes.extend(n)
                cells.append(" ".join(texts))
            if any(cells):
                rows.append((cells, notes))
        return rows


register_reader(DocxReader)
