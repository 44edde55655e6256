"""What every page says about a document: its summary, date, parliamentary number, folder, BWB id
and the links to its original.

One home for these facts so the documents list, a document, a passage, its citation, the search
results, their twins and the API say the same thing.

* ``date`` is the document's own date (ISO, read from its text by the readers); shown in Dutch
  ("21 februari 2022"); ``year``/``period`` where it states no date.
* ``kamerstuk`` is the parliamentary number as the document prints it ("35 200, nr. 1").
* ``folder`` is the first folder of the file inside the corpus (``wet/BWBR0001854.md`` -> ``wet``):
  collections are organised in folders (the regulations by kind), so the folder is a filter.
* ``bwb`` is a BWB id (``BWBR\\d{7}``) read from the file *name*, where regulation files carry it;
  its link ``https://wetten.overheid.nl/<id>`` follows from the id by rule (the official address
  scheme of wetten.overheid.nl).  Nothing else is derived or guessed.
* ``original_url`` serves the kept original (``documents.original``); a PDF's pages are linked as
  ``…/origineel#page=N`` (the PDF open-parameters every browser's PDF viewer follows).
"""
from __future__ import annotations

from pathlib import PurePosixPath
from typing import Any

from flask import url_for

from corpus.regulations import bwb_from_name
from webapp.dutch import iso_date_nl, year_or_period

SUMMARY_KEYS = ("id", "title", "kind", "year", "period", "date", "kamerstuk", "ministry", "source", "licence",
                "format", "source_path", "section_count", "metadata")
WETTEN_BASE = "https://wetten.overheid.nl/"


def bwb_id(source_path: str | None) -> str | None:
    """The BWB id in a file name ("wet/BWBR0001854.md" -> "BWBR0001854"); None without one (the rule of
    :func:`corpus.regulations.bwb_from_name`, which also records it in the document's metadata)."""
    return bwb_from_name(source_path or "")


def folder(source_path: str | None) -> str:
    """The first folder of a corpus file ("" for a file at the top of the corpus)."""
    parts = PurePosixPath(source_path or "").parts
    return parts[0] if len(parts) > 1 else ""


def document_summary(doc: dict[str, Any]) -> dict[str, Any]:
    """The API's ``DocumentSummary`` and every list's document row: the stored fields plus what
    follows from them by rule (BWB id and link, folder, original)."""
    out = {k: doc.get(k) for k in SUMMARY_KEYS}
    bwb = bwb_id(doc.get("source_path"))
    out.update(
        when=year_or_period(doc),
        folder=folder(doc.get("source_path")),
        bwb=bwb,
        bwb_url=WETTEN_BASE + bwb if bwb else None,
        original_url=url_for("ui.original", doc_id=doc["id"]) if doc.get("original") else None,
        url=url_for("ui.document", doc_id=doc["id"]),
    )
    return out


def page_link(doc: dict[str, Any] | None):
    """``page -> URL of the original at that page`` for a PDF with a kept original; else None."""
    if not doc or not doc.get("original") or (doc.get("format") or "").lower() != "pdf":
        return None
    base = url_for("ui.original", doc_id=doc["id"])
    return lambda page: f"{base}#page={int(page)}"


def block_pages(section: dict[str, Any], first: int | None = None, last: int | None = None) -> tuple[int | None, int | None]:
    """First and last page of the original (PDF) that blocks ``first..last`` of a section stand on."""
    blocks = section.get("blocks") or []
    chosen = blocks[first:(last if last is not None else first) + 1] if first is not None else blocks
    pages = [b[4] for b in chosen if len(b) > 4 and isinstance(b[4], int)]
    return (min(pages), max(pages)) if pages else (None, None)


def pages_label(first: int | None, last: int | None) -> str:
    """ "p. 12" or "p. 12-13" (empty without a page)."""
    if first is None:
        return ""
    return f"p. {first}" if last in (None, first) else f"p. {first}-{last}"


def date_label(doc: dict[str, Any] | None) -> str:
    """The document's date in Dutch, else its year or period ("z.d." without either)."""
    if not doc:
        return "z.d."
    return iso_date_nl(doc.get("date")) or str(doc.get("year") or doc.get("period") or "z.d.")
