"""Reader for PDF (``.pdf``): text layer via pypdfium2, structure from the layout.

See :mod:`corpus.readers.pdf.extract` (why pypdfium2) and :mod:`corpus.readers.pdf.layout`
(headings, furniture, footnotes, columns, tables).  A PDF without a text layer (a scan) is
refused with "geen tekstlaag"; OCR is not built in (``ReadLimits.ocr`` is reserved for it).
"""
from __future__ import annotations

from ...limits import DEFAULT_LIMITS, ReadLimits
from ...model import ReaderError
from ...sections import build_sections
from ...structured import to_drafts
from ..base import ParsedDocument, Reader, register_reader
from .extract import extract_pages
from .layout import analyse

#: Fewer visible characters than this per page on average means there is no usable text layer.
MIN_CHARS_PER_PAGE = 20


class PdfReader(Reader):
    format = "pdf"
    extensions = (".pdf",)
    binary = True

    def read_bytes(self, data: bytes, *, doc_id: str, source_path: str,
                   limits: ReadLimits = DEFAULT_LIMITS) -> ParsedDocument:
        pages = extract_pages(data, source_path, limits.max_text_chars)
        if not pages:
            raise ReaderError(source_path, "PDF zonder pagina's")
        chars = sum(p.chars for p in pages)
        if chars < MIN_CHARS_PER_PAGE * len(pages) and chars < 200:
            hint = "; OCR staat uit" if not limits.ocr else "; OCR is niet beschikbaar"
            raise ReaderError(source_path, f"geen tekstlaag (gescande PDF?){hint}")
        analysis = analyse(pages)
        drafts, title = to_drafts(analysis.blocks)
        warnings = []
        if analysis.empty_pages:
            listed = ", ".join(str(n) for n in analysis.empty_pages[:10])
            more = " …" if len(analysis.empty_pages) > 10 else ""
            warnings.append(f"{len(analysis.empty_pages)} pagina('s) zonder tekstlaag: p. {listed}{more}")
        return ParsedDocument(title=title, sections=build_sections(doc_id, drafts), warnings=warnings,
                              furniture=analysis.furniture, encoding="pdf", pages=len(pages))


register_reader(PdfReader)
