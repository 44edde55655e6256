"""A letter's dateline and letter-head fields are its metadata, never headings of its outline (issue 11)."""
from __future__ import annotations

from pathlib import Path

from corpus import load_document

LETTER = """Voortgang aanpak woningbouw

Den Haag, 14 maart 2024

Datum 14 maart 2024
Ons kenmerk 2024-0000123
Onderwerp Voortgang woningbouw

Het kabinet bouwt in 2024 meer woningen dan in 2023. De bouw van woningen loopt volgens plan.

Bouwtempo

Ik informeer uw Kamer voor de zomer over de voortgang. De gemeenten leveren hun cijfers op
14 maart 2024
aan, zodat ik die kan verwerken.

De Minister van Volkshuisvesting en Ruimtelijke Ordening,

H.M. de Jonge
"""

#: The same letter as text extracted from a PDF (form feeds between pages, lines wrapped at a fixed width).
PDF_LETTER = ("Voortgang aanpak woningbouw\n\nDatum 14 maart 2024\nBetreft Voortgang woningbouw\n\n"
              "Het kabinet bouwt in 2024 meer woningen dan in 2023. De bouw van woningen loopt volgens plan\n"
              "en de gemeenten krijgen extra geld voor de begeleiding van grote bouwprojecten in hun regio.\n\n"
              "\fBouwtempo\n\nIk informeer uw Kamer voor de zomer over de voortgang van de bouw en de\n"
              "afspraken die ik daarover met de provincies en de gemeenten heb gemaakt.\n")


def test_dateline_and_letterhead_are_metadata_not_headings(tmp_path: Path) -> None:
    (tmp_path / "brief.txt").write_text(LETTER, encoding="utf-8")
    doc = load_document(tmp_path / "brief.txt", tmp_path)
    assert [s.title for s in doc.sections] == ["Voortgang aanpak woningbouw", "Bouwtempo"]
    assert doc.title == "Voortgang aanpak woningbouw" and doc.date == "2024-03-14"
    assert (doc.metadata["kenmerk"], doc.metadata["onderwerp"]) == ("2024-0000123", "Voortgang woningbouw")
    first = doc.sections[0].paragraphs  # the lines stay readable text, each on its own
    assert first[:4] == ["Den Haag, 14 maart 2024", "Datum 14 maart 2024", "Ons kenmerk 2024-0000123",
                         "Onderwerp Voortgang woningbouw"]
    # a date that is a wrapped line of a paragraph stays in its paragraph
    assert doc.sections[1].paragraphs[0].endswith("cijfers op 14 maart 2024 aan, zodat ik die kan verwerken.")


def test_letterhead_in_text_extracted_from_a_pdf(tmp_path: Path) -> None:
    (tmp_path / "brief-pdf.txt").write_text(PDF_LETTER, encoding="utf-8")
    doc = load_document(tmp_path / "brief-pdf.txt", tmp_path)
    assert [s.title for s in doc.sections] == ["Voortgang aanpak woningbouw", "Bouwtempo"]
    assert doc.date == "2024-03-14" and doc.metadata["onderwerp"] == "Voortgang woningbouw"


def test_a_report_heading_that_starts_like_a_field_stays_a_heading(tmp_path: Path) -> None:
    report = ("Jaarverslag loketten\n\nOnderwerp 3 van het verslag\n\nDe loketten zijn in 2023 vernieuwd.\n\n"
              "Datum van de evaluatie\n\nDe evaluatie volgt in 2025.\n")
    (tmp_path / "verslag.txt").write_text(report, encoding="utf-8")
    doc = load_document(tmp_path / "verslag.txt", tmp_path)
    assert [s.title for s in doc.sections][1:] == ["Onderwerp 3 van het verslag", "Datum van de evaluatie"]
    assert "onderwerp" not in doc.metadata
