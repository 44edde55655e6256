"""PDF and Word readers on a report made by real layout engines (python-docx, then LibreOffice).

The report (tests/fixtures/report_spec.py) has a cover, a running header with the
parliamentary number, page numbers, footnotes, a table with caption and source line, a
figure caption, bullet and numbered lists, a two-column section, three heading levels and
a signature; the tests compare what the readers recover with what was generated.
"""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from corpus import Document, ReaderError, load_document
from tests.fixtures import report_spec as spec
from tests.fixtures.make_docx import generated_report, libreoffice

pytestmark = pytest.mark.skipif(libreoffice() is None, reason="LibreOffice (make sysdeps) is nodig")


@pytest.fixture(scope="session")
def report_files() -> dict[str, Path]:
    return generated_report()


@pytest.fixture(scope="session")
def pdf_doc(report_files: dict[str, Path]) -> Document:
    return load_document(report_files["pdf"], report_files["pdf"].parent)


@pytest.fixture(scope="session")
def docx_doc(report_files: dict[str, Path]) -> Document:
    return load_document(report_files["docx"], report_files["docx"].parent)


def _outline(doc: Document) -> list[tuple[int, str]]:
    return [(s.level, s.title) for s in doc.sections if s.title != "Inleiding"]


def _norm(text: str) -> str:
    return " ".join(re.sub(r"\[\d+\]", "", text).split())


@pytest.mark.parametrize("fmt", ["pdf", "docx"])
def test_outline_is_exactly_the_generated_headings(fmt: str, pdf_doc: Document, docx_doc: Document) -> None:
    doc = pdf_doc if fmt == "pdf" else docx_doc
    assert _outline(doc) == spec.expected_outline()
    assert doc.title == spec.TITLE  # from the cover, though it wraps over two lines in the PDF
    parents = {s.id: s for s in doc.sections}
    wonen = next(s for s in doc.sections if s.title == "3.2 Wonen")
    assert parents[wonen.parent_id].title == "3 Beleid in uitvoering"


@pytest.mark.parametrize("fmt", ["pdf", "docx"])
def test_footnotes_attached_to_the_citing_section(fmt: str, pdf_doc: Document, docx_doc: Document) -> None:
    doc = pdf_doc if fmt == "pdf" else docx_doc
    found = [(s.title, f.text) for s in doc.sections for f in s.footnotes]
    assert found == spec.expected_footnotes()
    economie = next(s for s in doc.sections if s.title == "1 De Nederlandse economie")
    assert "procent.[1] De uitgaven" in economie.text and "procent.¹ De uitgaven" in economie.markdown
    for s in doc.sections:  # footnote bodies never leak into the body text
        assert "Raming van het Centraal Planbureau" not in s.text


@pytest.mark.parametrize("fmt", ["pdf", "docx"])
def test_paragraphs_lists_table_and_captions(fmt: str, pdf_doc: Document, docx_doc: Document) -> None:
    doc = pdf_doc if fmt == "pdf" else docx_doc
    body = [_norm(p) for s in doc.sections for b, p in zip(s.blocks, s.paragraphs) if b.kind == "paragraph"]
    for paragraph in spec.paragraphs():  # every paragraph whole: across pages, columns and hyphenated lines
        assert _norm(paragraph) in body, paragraph[:60]
    uitgaven = next(s for s in doc.sections if s.title == "2.1 Uitgaven")
    assert uitgaven.list_items == ["herstel van de overheidsfinanciën;", "verduurzaming van de energievoorziening;",
                                   "een betere dienstverlening aan burgers."]
    assert "1. herstel" in uitgaven.markdown
    cijfers = next(s for s in doc.sections if s.title == "2 De begroting in cijfers")
    table = next(cijfers.text[b.start:b.end] for b in cijfers.blocks if b.kind == "table")
    assert "Uitgavenplafond | 398,1 | 412,6" in table and "Overig | 12,0 | 11,4" in table
    assert "| Uitgavenplafond | 398,1 | 412,6 |" in cijfers.markdown
    titles = {s.title for s in doc.sections}
    for not_heading in ("Uitgavenplafond", "Overig", "Tabel 2.1 Uitgaven en uitgavenplafond (in miljarden euro)",
                        "Figuur 1.1 Groei van het bruto binnenlands product (in procenten)",
                        "Bron: Ministerie van Financiën", "De Minister van Financiën", "E. Heinen", spec.RUNNING_HEADER):
        assert not any(not_heading in t for t in titles), not_heading


@pytest.mark.parametrize("fmt", ["pdf", "docx"])
def test_metadata_from_the_document(fmt: str, pdf_doc: Document, docx_doc: Document) -> None:
    doc = pdf_doc if fmt == "pdf" else docx_doc
    assert (doc.date, doc.kamerstuk, doc.kind, doc.ministry, doc.year) == (
        "2025-05-21", "36 740, nr. 1", "jaarverslag", spec.MINISTRY, 2024)


def test_pdf_furniture_removed_and_pages_kept(pdf_doc: Document, report_files: dict[str, Path]) -> None:
    import pypdfium2 as pdfium

    everything = "\n".join(s.text for s in pdf_doc.sections)
    assert "vergaderjaar" not in everything  # the running header is on every page but the cover
    assert not re.search(r"(?m)^\d{1,3}$", everything)  # page numbers
    pdf = pdfium.PdfDocument(str(report_files["pdf"]))
    page_text = [" ".join(pdf[i].get_textpage().get_text_range().split()) for i in range(len(pdf))]
    first_title, first_page = spec.expected_first_chapter_page()
    for s in pdf_doc.sections:
        assert all(b.page for b in s.blocks)
        if s.title == first_title:
            assert s.blocks[0].page == first_page
        on = [i + 1 for i, t in enumerate(page_text) if s.title in t]
        if s.blocks and len(on) == 1 and s.level > 0:  # a heading's text is on the page of its first block
            assert s.blocks[0].page in (on[0], on[0] + 1), s.title
    # Paragraphs that start on a known page: the page where PDFium finds their first words.
    checked = 0
    for s in pdf_doc.sections:
        for b, text in zip(s.blocks, s.paragraphs):
            start = text[:45]
            hits = [i + 1 for i, t in enumerate(page_text) if start in t]
            if b.kind == "paragraph" and len(hits) == 1:
                assert b.page == hits[0], (start, b.page, hits)
                checked += 1
    assert checked >= 8
    assert max(b.page for s in pdf_doc.sections for b in s.blocks) == len(pdf)


def test_pdf_hyphenation_undone_and_two_columns_in_order(pdf_doc: Document) -> None:
    everything = " ".join(s.text for s in pdf_doc.sections)
    for word in ("verantwoording", "provinciefonds", "belastingontvangsten", "dienstverlening"):
        assert word in everything
    assert "verantw-" not in everything and "-oording" not in everything
    assert "Stabiliteits- en Groeipact" in everything  # a real hyphen stays
    klimaat = next(s for s in pdf_doc.sections if s.title == "3.1 Klimaat en energie")
    assert [_norm(p) for p in klimaat.paragraphs] == [spec.prose(1, 7), spec.prose(8, 7)]


def test_docx_headers_and_footers_left_out(docx_doc: Document) -> None:
    assert all("vergaderjaar" not in s.text for s in docx_doc.sections)
    assert all(b.page is None for s in docx_doc.sections for b in s.blocks)  # Word has no fixed pages


def test_scanned_pdf_is_reported_as_such(tmp_path: Path) -> None:
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (600, 800), "white")
    ImageDraw.Draw(image).rectangle((50, 50, 550, 120), fill="black")  # "text" as pixels only
    image.save(tmp_path / "scan.pdf", "PDF")
    with pytest.raises(ReaderError, match=r"scan\.pdf: geen tekstlaag"):
        load_document(tmp_path / "scan.pdf", tmp_path)
    (tmp_path / "kapot.pdf").write_bytes(b"%PDF-1.7\n" + bytes(range(256)) * 20)
    with pytest.raises(ReaderError, match=r"kapot\.pdf: geen geldige PDF"):
        load_document(tmp_path / "kapot.pdf", tmp_path)
