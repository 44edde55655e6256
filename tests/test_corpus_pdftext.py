"""Plain text extracted from PDF: wrapped lines, hyphenation, running headers, chart debris."""
from __future__ import annotations

from pathlib import Path

from corpus import load_document
from corpus.readers.pdftext import is_debris, join_lines, looks_pdf_extracted

HEADER = "Jaarverslag 2020 | Ministerie van Financiën"

# Page bodies as a PDF extractor prints them: hard-wrapped at ~72 columns, words hyphenated
# at line ends (some with a soft hyphen), a chart spilled as columns of numbers.
PAGES = [
    [
        "1 Inleiding",
        "",
        "Dit jaarverslag beschrijft de ontwikkelingen in het afgelopen rege-",
        "ringsjaar. De coronacrisis had grote gevolgen voor de overheids\u00ad",
        "financiën en voor het asiel-",
        "en migratiebeleid. Het kabinet heeft in 2020 een reeks maatregelen",
        "genomen om banen en inkomens te be\u00adschermen.",
        "",
        "1.1 De Nederlandse economie",
        "De Nederlandse economie kromp in 2020 met 3,8 procent. Dat is de groot-",
        "ste krimp sinds de Tweede Wereldoorlog. Het nieuwe strafregister ECRIS-",
        "TCN wordt volgens planning in 2022 in gebruik genomen door alle landen.",
        "De werkloosheid liep op tot 4,0 procent.",
        "Figuur 1.1 Groei bbp (in procent)",
        "2016 2017 2018 2019 2020",
        "2,2 2,9 2,4 1,7 -3,8",
        "4",
        "0",
        "-4",
        "De belangrijkste steunmaatregelen van het kabinet in 2020 waren:",
        "• de NOW-regeling voor loon-",
        "  kosten;",
        "• de TOZO voor zelfstandigen;",
        "• uitstel van belastingbetaling.",
        "Het kabinet verwacht dat de economie in 2021 weer groeit, maar de on-",
        "zekerheid blijft groot. De verdere ontwikkeling hangt vooral af van het",
    ],
    [
        "verloop van de pandemie en van de vaccinatiecampagne in Europa.",
        "",
        "1.2 De overheidsfinanciën",
        "",
        "Het begrotingstekort kwam uit op 4,3 procent van het bbp. De staats-",
        "schuld steeg naar 54,5 procent van het bbp, onder meer door de steun-",
        "pakketten voor bedrijven en werknemers in alle sectoren van de economie.",
        "",
        "2 Beleid",
        "",
        "Het kabinet stelde drie prioriteiten vast voor de komende jaren:",
        "1. herstel van de economie;",
        "2. verduurzaming van de energievoorziening;",
        "3. een toekomstbestendig pensioenstelsel.",
    ],
    [
        "2.1 Fiscaal beleid",
        "",
        "Belastingplan 2021",
        "",
        "Met het Belastingplan 2021 zijn de tarieven in de inkomstenbelasting",
        "verlaagd en is de arbeidskorting verhoogd. Ook is de vennootschaps-",
        "belasting voor kleine winsten verlaagd naar 15 procent in 2021.",
    ],
]

EXPECTED = [
    ("1 Inleiding", 1, None, [
        ("paragraph", "Dit jaarverslag beschrijft de ontwikkelingen in het afgelopen regeringsjaar. De coronacrisis "
                      "had grote gevolgen voor de overheidsfinanciën en voor het asiel- en migratiebeleid. Het kabinet "
                      "heeft in 2020 een reeks maatregelen genomen om banen en inkomens te beschermen."),
    ]),
    ("1.1 De Nederlandse economie", 2, "1 Inleiding", [
        ("paragraph", "De Nederlandse economie kromp in 2020 met 3,8 procent. Dat is de grootste krimp sinds de Tweede "
                      "Wereldoorlog. Het nieuwe strafregister ECRIS-TCN wordt volgens planning in 2022 in gebruik "
                      "genomen door alle landen. De werkloosheid liep op tot 4,0 procent."),
        ("paragraph", "Figuur 1.1 Groei bbp (in procent)"),
        ("paragraph", "De belangrijkste steunmaatregelen van het kabinet in 2020 waren:"),
        ("list_item", "de NOW-regeling voor loonkosten;"),
        ("list_item", "de TOZO voor zelfstandigen;"),
        ("list_item", "uitstel van belastingbetaling."),
        ("paragraph", "Het kabinet verwacht dat de economie in 2021 weer groeit, maar de onzekerheid blijft groot. De "
                      "verdere ontwikkeling hangt vooral af van het verloop van de pandemie en van de "
                      "vaccinatiecampagne in Europa."),
    ]),
    ("1.2 De overheidsfinanciën", 2, "1 Inleiding", [
        ("paragraph", "Het begrotingstekort kwam uit op 4,3 procent van het bbp. De staatsschuld steeg naar 54,5 procent "
                      "van het bbp, onder meer door de steunpakketten voor bedrijven en werknemers in alle sectoren van "
                      "de economie."),
    ]),
    ("2 Beleid", 1, None, [
        ("paragraph", "Het kabinet stelde drie prioriteiten vast voor de komende jaren:"),
        ("list_item", "herstel van de economie;"),
        ("list_item", "verduurzaming van de energievoorziening;"),
        ("list_item", "een toekomstbestendig pensioenstelsel."),
    ]),
    ("2.1 Fiscaal beleid", 2, "2 Beleid", []),
    ("Belastingplan 2021", 3, "2.1 Fiscaal beleid", [
        ("paragraph", "Met het Belastingplan 2021 zijn de tarieven in de inkomstenbelasting verlaagd en is de "
                      "arbeidskorting verhoogd. Ook is de vennootschapsbelasting voor kleine winsten verlaagd naar "
                      "15 procent in 2021."),
    ]),
]


def pdf_text(form_feeds: bool = True) -> str:
    """Pages with a running header, "Pagina N van M" and a bare page number at the foot."""
    pages = []
    for n, body in enumerate(PAGES, start=1):
        lines = [HEADER, f"Pagina {n} van {len(PAGES)}", ""] + body + ["", str(n)]
        pages.append("\n".join(lines) + "\n")
    return ("\f" if form_feeds else "\n").join(pages)


def outline(doc):
    by_id = {s.id: s for s in doc.sections}
    return [(s.title, s.level, by_id[s.parent_id].title if s.parent_id else None,
             [(b.kind, s.text[b.start:b.end]) for b in s.blocks]) for s in doc.sections]


def test_pdf_extracted_text_gives_exact_sections(tmp_path: Path) -> None:
    path = tmp_path / "jaarverslag-2020-financien.txt"
    path.write_bytes(pdf_text().encode("utf-8"))
    doc = load_document(path, tmp_path)
    assert outline(doc) == EXPECTED
    everything = "\n".join(s.text for s in doc.sections)
    for furniture in ("Pagina", HEADER, "\f", "\u00ad", "2016 2017", "-3,8"):
        assert furniture not in everything
    assert doc.year == 2020 and doc.title == "Inleiding"
    assert doc.sections[1].source_line == 12


def test_pdf_without_form_feeds_still_drops_running_lines(tmp_path: Path) -> None:
    path = tmp_path / "zonder-paginascheiding.txt"
    path.write_text(pdf_text(form_feeds=False), encoding="utf-8")
    doc = load_document(path, tmp_path)
    assert [s.title for s in doc.sections] == [e[0] for e in EXPECTED]
    assert not any("Pagina" in s.text or "Ministerie van Financiën" in s.text for s in doc.sections)
    assert doc.sections[0].paragraphs == [EXPECTED[0][3][0][1]]


def test_detection_of_pdf_style() -> None:
    assert looks_pdf_extracted(pdf_text())
    assert looks_pdf_extracted(pdf_text(form_feeds=False))
    shipped = (Path(__file__).resolve().parent.parent / "corpus" / "documents"
               / "jenv-jaarverslag-2020-beleidsverslag.txt").read_text(encoding="utf-8")
    assert not looks_pdf_extracted(shipped)


def test_join_lines_rules() -> None:
    assert join_lines("het afgelopen rege-", "ringsjaar.") == "het afgelopen regeringsjaar."
    assert join_lines("het asiel-", "en migratiebeleid") == "het asiel- en migratiebeleid"
    assert join_lines("het Europese asiel-", "of migratiebeleid") == "het Europese asiel- of migratiebeleid"
    assert join_lines("systeem ECRIS-", "TCN") == "systeem ECRIS-TCN"
    assert join_lines("provincie Noord-", "Holland") == "provincie Noord-Holland"
    assert join_lines("overheids\u00ad", "financiën") == "overheidsfinanciën"
    assert join_lines("in de jaren 2019-", "2021") == "in de jaren 2019-2021"
    assert join_lines("van toepassing -", "waarom") == "van toepassing - waarom"
    assert is_debris("2,2 2,9 2,4 1,7 -3,8") and is_debris("12") and is_debris("€ 1.234 45% 12")
    assert not is_debris("4,0 procent.") and not is_debris("In 2020 kromp de economie")
