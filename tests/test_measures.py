"""Measures of the contourennota: counts per fund, exact records, generic behaviour."""
from __future__ import annotations

from collections import Counter

import pytest

from corpus.model import Block, Document, Section
from kb.extract_store import read_measures
from kb.measures import extract_measures, theme_of
from support import PLAN_ID, REPORT_ID, load_shipped


@pytest.fixture(scope="module")
def docs() -> dict[str, Document]:
    return load_shipped()


@pytest.fixture(scope="module")
def measures(docs) -> list[dict]:
    return extract_measures(docs[PLAN_ID])


def _section(docs, section_id):
    return next(s for d in docs.values() for s in d.sections if s.id == section_id)


def test_counts_per_fund_and_kind(measures) -> None:
    assert Counter(m["fund"] for m in measures) == {"AMF": 44, "ISF": 9, "BMVI": 12}
    assert Counter((m["fund"], m["kind"]) for m in measures) == {
        ("AMF", "item"): 44, ("ISF", "heading"): 9, ("BMVI", "heading"): 6, ("BMVI", "item"): 6}
    assert Counter(m["objective"] for m in measures if m["fund"] == "AMF") == {
        "Asiel en opvang": 19, "Legale migratie en Integratie": 6, "Terugkeer": 19}
    assert Counter(m["objective"] for m in measures if m["fund"] == "BMVI") == {
        "Border Management": 3, "Visa Instrument": 9}


def test_the_report_has_no_measures(docs) -> None:
    assert extract_measures(docs[REPORT_ID]) == []


def test_offsets_point_at_the_text(docs, measures) -> None:
    for m in measures:
        sec = _section(docs, m["section_id"])
        if m["end"] > m["start"]:
            assert sec.text[m["start"]:m["end"]] == m["text"]
        else:
            assert m["kind"] == "heading" and m["text"] in sec.title


def test_item_under_an_article_heading(docs, measures) -> None:
    m = next(m for m in measures if m["text"].startswith("Terugdringen van de doorlooptijden in het asielproces"))
    assert m["fund"] == "AMF"
    assert m["article_ref"] == "Artikel 3(2)(a) (b)"
    assert m["objective"] == "Asiel en opvang"
    assert m["point"].startswith("(b) het uitvoeren van asielprocedures (d.w.z. personeel, operationele behoeften)")
    assert m["text"].endswith("de zogeheten verkeerstoren.")
    sec = _section(docs, m["section_id"])
    assert sec.title == "Artikel 3(2)(a)"
    assert m["id"] == f"{sec.id}/m1"
    # the point itself is not a measure
    assert not any(x["text"].startswith("(b) het uitvoeren van asielprocedures") for x in measures)


def test_italic_point_then_plain_bullets(measures) -> None:
    m = next(m for m in measures if m["article_ref"] == "Artikel 3(2)(a) (d)")
    assert m["text"].startswith("Flexibilisering van de opvangcapaciteit ten behoeve van menswaardige opvang")
    assert m["point"].startswith("(d) het opzetten of verbeteren van de infrastructuur voor opvangvoorzieningen")


def test_article_reference_as_a_paragraph(measures) -> None:
    """"*Artikel 3(1)*" is a paragraph inside the last "Artikel 3(2)(a)" section, not a heading."""
    refs = [m["article_ref"] for m in measures if m["objective"] == "Asiel en opvang"]
    assert refs.count("Artikel 3(1) (b)") == 3
    assert refs.count("Artikel 3(1) (c)") == 4
    assert refs.count("Artikel 3(1) (d)") == 2
    m = next(m for m in measures if m["text"] == "Opleiden van personeel" and m["objective"] == "Asiel en opvang")
    assert m["article_ref"] == "Artikel 3(1) (b)"
    # bold "**Artikel 3(1)**" under Legale migratie en Integratie, italic under Terugkeer
    legal = [m for m in measures if m["objective"] == "Legale migratie en Integratie"]
    assert [m["article_ref"] for m in legal] == ["Artikel 3(2)(b) (g)"] * 3 + ["Artikel 3(2)(b) (i)"] * 2 + ["Artikel 3(1) (c)"]
    ret = next(m for m in measures if m["text"] == "Communicatie en informatie over terugkeer")
    assert ret["article_ref"] == "Artikel 3(1) (f)" and ret["objective"] == "Terugkeer"


def test_numbered_heading_measures(docs, measures) -> None:
    pnr = next(m for m in measures if m["text"] == "PNR")
    assert pnr["fund"] == "ISF" and pnr["kind"] == "heading" and pnr["number"] == "1"
    assert pnr["objective"] == "Verbeteren Informatie-uitwisselingssystemen"
    bmvi1 = next(m for m in measures if m["fund"] == "BMVI" and m["number"] == "1" and m["objective"] == "Border Management")
    assert bmvi1["text"].startswith("De implementatie van de wettelijk verplichte EU verordeningen (EES, ETIAS, SIS, VIS")
    assert bmvi1["label"].startswith("De implementatie van de wettelijk verplichte EU verordeningen")
    # a fund named in passing in a numbered heading does not change the fund ("... uit het huidige ISF Grenzen")
    lo = next(m for m in measures if m["text"].startswith("Het positioneren van LO's"))
    assert lo["fund"] == "BMVI"
    assert len(lo["label"]) < len(lo["text"])  # the label is the first sentence only
    tco = next(m for m in measures if "competente autoriteit" in m["text"])
    assert tco["fund"] == "ISF" and tco["objective"].startswith("Aanpak Bad hosting")


def test_bullets_under_a_numbered_heading_have_it_as_parent(measures) -> None:
    heading = next(m for m in measures if m["kind"] == "heading" and m["text"].startswith("Verbeteren en doorontwikkeling"))
    children = [m for m in measures if m["parent_id"] == heading["id"]]
    assert [c["text"].split()[0] for c in children] == ["Verbeteren", "Intensiveren", "Kennisuitwisseling", "Borgen"]
    assert all(c["fund"] == "BMVI" and c["article_ref"] is None for c in children)


def test_theme_of_titles() -> None:
    assert theme_of("AMF Asiel en opvang") == "Asiel en opvang"
    assert theme_of("Door het Fonds gesteunde maatregelen Visa Instrument") == "Visa Instrument"
    assert theme_of("Allocatie middelen Terugkeer (indicatief)") == "Terugkeer"
    assert theme_of("ISF specifieke doelstelling 1") is None
    assert theme_of("BMVI Algemeen") is None
    assert theme_of("Artikel 3(2)(a)") is None


def _sec(doc_id, n, title, level, parent, blocks):
    text, bl, pos = "", [], 0
    for kind, t in blocks:
        if text:
            text += "\n\n"
            pos += 2
        bl.append(Block(pos, pos + len(t), kind))
        text += t
        pos += len(t)
    return Section(id=f"{doc_id}:{n}", document_id=doc_id, title=title, level=level, parent_id=parent,
                   path=[title], order=n, text=text, blocks=bl)


def test_generic_plan_structure() -> None:
    """An unseen plan: the fund in a parent heading, a plain "Maatregelen" heading, an article paragraph."""
    d = Document(id="plan-x", source_path="x.md", title="Plan", format="markdown", encoding="utf-8", sha256="0")
    d.sections = [
        _sec("plan-x", 0, "ISF Bestrijding georganiseerde criminaliteit", 1, None, [("paragraph", "Inleiding.")]),
        _sec("plan-x", 1, "Maatregelen", 2, "plan-x:0", [
            ("paragraph", "Artikel 4(1)"),
            ("list_item", "(a) versterken van de informatie-uitwisseling;"),
            ("list_item", "Aansluiten op het Europese systeem"),
            ("list_item", "Opleiden van rechercheurs"),
        ]),
        _sec("plan-x", 2, "Evaluatie", 1, None, [("list_item", "Geen maatregel")]),
    ]
    ms = extract_measures(d)
    assert [(m["fund"], m["article_ref"], m["objective"], m["text"]) for m in ms] == [
        ("ISF", "Artikel 4(1) (a)", "Bestrijding georganiseerde criminaliteit", "Aansluiten op het Europese systeem"),
        ("ISF", "Artikel 4(1) (a)", "Bestrijding georganiseerde criminaliteit", "Opleiden van rechercheurs"),
    ]


def test_measures_in_the_store(built_store) -> None:
    store = built_store
    rows = read_measures(store, document_id=PLAN_ID)
    assert len(rows) == 65
    bmvi = read_measures(store, fund="BMVI")
    assert len(bmvi) == 12 and all(r["document_id"] == PLAN_ID for r in bmvi)
    pnr = next(r for r in rows if r["text"] == "PNR")
    assert pnr["kind"] == "heading" and pnr["fund"] == "ISF" and pnr["number"] == "1"
    item = next(r for r in rows if r["text"].startswith("Terugdringen van de doorlooptijden"))
    assert item["article_ref"] == "Artikel 3(2)(a) (b)" and item["point"].startswith("(b)")
