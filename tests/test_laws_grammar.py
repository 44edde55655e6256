"""Citations of regulations: the reference grammar, name resolution, the tagger component, official URLs.

Registers here are built from small synthetic regulation records (invented ids and names where the rule
is generic); tests on real regulation files are in test_laws_register.py."""
from __future__ import annotations

import pytest

from kb.laws.citation import article_number, reference_before, split_anchor
from kb.laws.extract import Link, RegulationFile, citeertitels, path_title, title_names
from kb.laws.made import initials
from kb.laws.register import aggregate, usable_name
from kb.laws.resolve import resolve_names
from kb.laws.store import InMemoryRegister
from kb.laws.urls import law_url
from kb.tagger import build_tagger


# -- the reference grammar ------------------------------------------------------------------------------

@pytest.mark.parametrize("anchor, article, book, name", [
    ("artikel 49, eerste lid, van de Comptabiliteitswet 2001", "49, eerste lid", None, "Comptabiliteitswet 2001"),
    ("art. 7:658 BW", "7:658", "7", "BW"),
    ("de artikelen 12 tot en met 14 van de Wet BIG", "12 tot en met 14", None, "Wet BIG"),
    ("artikel 1 aanhef en onder c, Wmg", "1 aanhef en onder c", None, "Wmg"),
    ("artikel 647 van Boek 8 van het Burgerlijk Wetboek", "647 van Boek 8", "8", "Burgerlijk Wetboek"),
    ("68 van de Luchtvaartwet BES", "68", None, "Luchtvaartwet BES"),
    ("artikel 4, eerste lid, onder *a*, van de Instellingswet", "4, eerste lid, onder a", None, "Instellingswet"),
    ("afdeling 3.4 van de Algemene wet bestuursrecht", "afdeling 3.4", None, "Algemene wet bestuursrecht"),
    ("tweede lid van artikel 12 Brdis", "tweede lid van artikel 12", None, "Brdis"),
    ("boek 2 van het Burgerlijk Wetboek", "boek 2", "2", "Burgerlijk Wetboek"),
    ("Boek I van het Burgerlijk Wetboek", "boek I", "1", "Burgerlijk Wetboek"),
    ("Wet milieubeheer", None, None, "Wet milieubeheer"),
    ("12, eerste lid", "12, eerste lid", None, ""),
])
def test_split_anchor(anchor: str, article: str | None, book: str | None, name: str) -> None:
    assert split_anchor(anchor) == (article, book, name)


def test_reference_before_a_name_in_running_text() -> None:
    text = "Dit besluit berust op de artikelen 37, tweede lid, 50, vierde lid, en 68 van de Luchtvaartwet BES."
    ref = reference_before(text, text.index("Luchtvaartwet"))
    assert ref is not None and text[ref.start:].startswith("artikelen 37")
    assert ref.article == "37, tweede lid, 50, vierde lid, en 68"
    assert reference_before("Gelet op de Warenwet;", len("Gelet op de ")) is None
    # only the reference that ends at the name counts, not one earlier in the sentence
    text = "Artikel 3 is van toepassing. Zie ook de Warenwet."
    assert reference_before(text, text.index("Warenwet")) is None


@pytest.mark.parametrize("article, number", [("167", "167"), ("49, eerste lid", "49"), ("4:49, derde lid, en 4:57", "4:49"),
                                             ("afdeling 3.4", None), ("IX, onder 1", "IX"), (None, None)])
def test_article_number(article: str | None, number: str | None) -> None:
    assert article_number(article) == number


def test_citeertitel_and_title_names() -> None:
    text = "Artikel 9\n\nDeze wet wordt aangehaald als: Wet marktordening gezondheidszorg.\n"
    assert citeertitels(text) == ["Wet marktordening gezondheidszorg"]
    assert citeertitels("Dit besluit kan worden aangehaald als ‘Besluit X 2004’.") == ["Besluit X 2004"]
    assert title_names("Wet van 4 juni 1992, houdende algemene regels van bestuursrecht (Algemene wet bestuursrecht)") \
        == ["Algemene wet bestuursrecht"]
    assert title_names("Regeling veiling gebruiksrecht") == ["Regeling veiling gebruiksrecht"]
    assert title_names("Wet van 1 mei 1990 (Stb. 1990, 12)") == []


def test_path_title_of_a_link_target() -> None:
    assert path_title("../../wet/wet/op/de/loonbelasting/1964/BWBR0002471/README.md") == "wet op de loonbelasting 1964"
    assert path_title("../wet/zaaizaad-/en/plantgoedwet/BWBR0002541/README.md") == "zaaizaad- en plantgoedwet"
    assert path_title("../beleidsregel/aanschrijving/van/de/etc/BWBR0004994/README.md") is None  # cut short
    assert path_title("../BWBR0004994/README.md") is None


def test_usable_mined_names() -> None:
    assert usable_name("Wet op het financieel toezicht") and usable_name("Sv") and usable_name("Warenwet")
    for stand_in in ("de wet", "Wet", "Tijdelijke regeling", "dat besluit", "laatstgenoemde wet", "1 van de Wet",
                     "Verantwoording van het schoolbudget", "BES"):
        assert not usable_name(stand_in), stand_in
    assert initials("Wet militair tuchtrecht") == ["Wmt", "WMT"]
    assert initials("Warenwet") == [] and initials("Wet op de loonbelasting 1964") == []


# -- resolution -----------------------------------------------------------------------------------------

def _reg(bwb: str, title: str, cite: list[str] | None = None, links: list[tuple[str, str]] = (), kind: str = "wet"):
    return RegulationFile(bwb=bwb, kind=kind, title=title, citeertitels=list(cite or []),
                          links=[Link(anchor=a, target=t) for a, t in links])


def _citing(n: int, start: int, links: list[tuple[str, str]]) -> list[RegulationFile]:
    """``n`` regulations (ids from ``start``) that each make the given citations."""
    return [_reg(f"BWBR99{start + i:05d}", f"Regeling nummer {start + i}", links=links, kind="beleidsregel")
            for i in range(n)]


def test_resolution_rules() -> None:
    files = [
        _reg("BWBR9900001", "Wet van 1 mei 2000, houdende regels (Wet alfa)", ["Wet alfa"]),
        _reg("BWBR9900002", "Wet beta", ["Wet beta"]),
        _reg("BWBR9900003", "Wet beta", ["Wet beta"]),  # two regulations, one short title
        *_citing(3, 10, [("artikel 2 van de Wet alfa", "BWBR9900001"), ("artikel 3 WA", "BWBR9900001"),
                         ("art. 7:1 BW", "BWBR9900007"), ("art. 2:5 BW", "BWBR9900002"),
                         ("Wet gamma", "BWBR9900004")]),
        *_citing(1, 20, [("Wet gamma", "BWBR9900005")]),
        *_citing(1, 30, [("Wet delta", "BWBR9900006")]),
    ]
    regs, rows = aggregate(files)
    res = resolve_names(rows)
    assert res["wet alfa"].bwb == "BWBR9900001" and res["wet alfa"].official
    assert res["CS:WA"].bwb == "BWBR9900001" and res["CS:WA"].needs_reference  # two letters: only after "artikel"
    assert res["wet beta"].bwb is None and set(res["wet beta"].candidates) == {"BWBR9900002", "BWBR9900003"}
    assert res["wet gamma"].bwb is None  # 3 documents against 1: below the purity a mined name needs
    assert res["wet delta"].bwb is None  # one document, two words: not enough
    assert res["CS:BW"].books == {"7": "BWBR9900007", "2": "BWBR9900002"} and res["CS:BW"].bwb is None
    assert res["CS:BW"].pick("7") == "BWBR9900007" and res["CS:BW"].pick(None) is None
    assert res["wet 2000-05-01"].dated and res["wet 2000-05-01"].bwb == "BWBR9900001"


@pytest.fixture(scope="module")
def tagger():
    files = [
        _reg("BWBR9900001", "Wet van 1 mei 2000, houdende regels inzake alfa (Wet alfa)", ["Wet alfa"]),
        _reg("BWBR9900002", "Wet beta", ["Wet beta"]),
        _reg("BWBR9900003", "Wet beta", ["Wet beta"]),
        _reg("BWBR9900008", "Besluit gamma beta", ["Besluit gamma beta"]),
        _reg("BWBR9900009", "Wet militair tuchtrecht", ["Wet militair tuchtrecht"]),
        *_citing(3, 10, [("artikel 2 van de Wet alfa", "BWBR9900001"), ("art. 3 WA", "BWBR9900001"),
                         ("art. 7:1 BW", "BWBR9900007"), ("art. 2:5 BW", "BWBR9900002"),
                         ("Besluit gamma beta", "BWBR9900003")]),
    ]
    return build_tagger(model=None, register=InMemoryRegister.from_files(files))


def _laws(tagger, text: str) -> list[tuple[str, str | None, str | None]]:
    return [(e.text, e.refs.get("bwb"), e.article) for e in tagger.tag(text) if e.label == "LAW"]


def test_citation_with_article_and_book(tagger) -> None:
    assert _laws(tagger, "Gelet op artikel 49, eerste lid, van de Wet alfa;") == \
        [("artikel 49, eerste lid, van de Wet alfa", "BWBR9900001", "49, eerste lid")]
    assert _laws(tagger, "Zie art. 7:658 BW en art. 2:5 BW.") == \
        [("art. 7:658 BW", "BWBR9900007", "658"), ("art. 2:5 BW", "BWBR9900002", "5")]
    assert all(bwb is None for _, bwb, _ in _laws(tagger, "Zoals in het BW staat."))  # a code, no book: no id


def test_short_abbreviation_needs_an_article(tagger) -> None:
    assert _laws(tagger, "De WA is van toepassing.") == []
    assert _laws(tagger, "Op grond van art. 3 WA.") == [("art. 3 WA", "BWBR9900001", "3")]


def test_shared_name_resolved_only_by_context(tagger) -> None:
    # "Wet beta" is the short title of two regulations: left without id ...
    assert all(bwb is None for _, bwb, _ in _laws(tagger, "De Wet beta geldt."))
    # ... unless the text cites one of them by another name
    assert ("Wet beta", "BWBR9900003", None) in _laws(tagger, "Het Besluit gamma beta en de Wet beta gelden.")


def test_name_inside_a_longer_name_is_not_cited(tagger) -> None:
    assert all(bwb != "BWBR9900001" for _, bwb, _ in _laws(tagger, "De Wet alfa 2010 regelt dat."))
    assert all(bwb != "BWBR9900001" for _, bwb, _ in _laws(tagger, "Het Besluit uitvoering Wet alfa."))
    assert all(bwb != "BWBR9900001" for _, bwb, _ in _laws(tagger, "Een Wet alfa-besluit."))


def test_dated_titles(tagger) -> None:
    assert _laws(tagger, "De Wet van 1 mei 2000, houdende regels inzake alfa, is gewijzigd.")[0][:2] == \
        ("Wet van 1 mei 2000", "BWBR9900001")
    # the same date with another description is another act; names inside its title are not cited
    laws = _laws(tagger, "De Wet van 1 mei 2000 tot wijziging van de Wet alfa is ingetrokken.")
    assert all(bwb is None for _, bwb, _ in laws)


def test_initials_and_local_abbreviation(tagger) -> None:
    assert _laws(tagger, "Zoals bedoeld in de Wmt.") == [("Wmt", "BWBR9900009", None)]
    text = "De Wet alfa (Wet A, Stb. 2000, 1) is gewijzigd. Artikel 4 van de Wet A vervalt."
    assert ("Artikel 4 van de Wet A", "BWBR9900001", "4") in _laws(tagger, text)


def test_unknown_abbreviation_after_an_article_takes_the_cited_regulation(tagger) -> None:
    text = "Op grond van artikel 12 van de Wet alfa en art. 13 lid 2 WAl geldt dit. Art. 5 De termijn."
    laws = _laws(tagger, text)
    assert ("art. 13 lid 2 WAl", "BWBR9900001", "13 lid 2") in laws
    assert all(not t.startswith("Art. 5") for t, _, _ in laws)
    # without the full citation in the text, or when it does not abbreviate it, nothing
    assert _laws(tagger, "Zie art. 13 lid 2 WAl.") == []
    assert not any(t.endswith("WXz") for t, _, _ in _laws(tagger, "Artikel 12 van de Wet alfa en art. 13 WXz."))


def test_entities_and_fingerprint_of_the_register(tagger) -> None:
    rows = {r["id"]: r for r in tagger.entity_rows()}
    assert rows["law-bwbr9900001"]["refs"] == {"bwb": "BWBR9900001"}
    assert rows["law-bwbr9900001"]["name"] == "Wet alfa" and rows["law-bwbr9900001"]["origin"] == "register"
    assert tagger.entity("law-bwbr9900001").name == "Wet alfa"
    assert build_tagger(model=None).fingerprint != tagger.fingerprint


def test_catalogue_laws_and_eu_acts_carry_refs_without_a_register() -> None:
    plain = build_tagger(model=None)
    ents = [e for e in plain.tag("Richtlijn 2004/38/EG, artikel 5 van de Verordening (EU) 2018/1240 en "
                                 "artikel 137d Sr.") if e.label == "LAW"]
    assert [(e.refs, e.article) for e in ents] == [({"celex": "32004L0038"}, None), ({"celex": "32018R1240"}, "5"),
                                                   ({"bwb": "BWBR0001854"}, "137d")]


# -- official links ---------------------------------------------------------------------------------------

def test_law_url() -> None:
    assert law_url({"bwb": "BWBR0001903"}) == "https://wetten.overheid.nl/BWBR0001903"
    assert law_url({"bwb": "BWBR0001903"}, "167") == "https://wetten.overheid.nl/jci1.3:c:BWBR0001903&artikel=167"
    assert law_url({"bwb": "BWBR0005537"}, "4:49, derde lid") == \
        "https://wetten.overheid.nl/jci1.3:c:BWBR0005537&artikel=4:49"
    assert law_url({"bwb": "BWBR0005537"}, "afdeling 3.4") == "https://wetten.overheid.nl/BWBR0005537"
    assert law_url({"celex": "32016L0680"}) == "https://eur-lex.europa.eu/legal-content/NL/TXT/?uri=CELEX:32016L0680"
    assert law_url({"bwb": "javascript:alert(1)"}) is None and law_url({}) is None
