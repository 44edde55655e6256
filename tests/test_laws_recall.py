"""Citations that the first register missed, one family per test, on synthetic registers (ids BWBR99...):
catalogue laws without an id adopting the register's, abbreviations defined in brackets, abbreviations made
by rule (with a year, shortened "...wet" titles), dated titles of orders, regulations in parts, codes, headings
in capitals, and text the tokenizer used to glue to a name ("|WAO", "Sv).<sup>").  Each test also checks the
case that must stay without an id: a wrong id is worse than none."""
from __future__ import annotations

import pytest

from kb.laws.extract import Link, RegulationFile, citeertitels, defined_abbreviations, read_regulation
from kb.laws.made import act_initials, initials, letters_in_order, shortened
from kb.laws.register import aggregate
from kb.laws.resolve import resolve_names
from kb.laws.store import InMemoryRegister
from kb.tagger import build_tagger
from kb.tagger.tokenizer import blank_dutch


def _reg(bwb: str, title: str, cite: list[str] | None = None, links: list[tuple[str, str]] = (),
         defined: list[tuple[str, str]] = (), kind: str = "wet", abbreviation: str | None = None) -> RegulationFile:
    return RegulationFile(bwb=bwb, kind=kind, title=title, citeertitels=list(cite or []),
                          links=[Link(anchor=a, target=t, abbreviation=abbreviation) for a, t in links],
                          defined=list(defined))


def _citing(n: int, start: int, links: list[tuple[str, str]] = (), defined: list[tuple[str, str]] = (),
            abbreviation: str | None = None) -> list[RegulationFile]:
    """``n`` regulations (ids from ``start``) that each make the given citations."""
    return [_reg(f"BWBR99{start + i:05d}", f"Regeling nummer {start + i}", links=links, defined=defined,
                 kind="beleidsregel", abbreviation=abbreviation) for i in range(n)]


WMO15, WMO07, BIBOB, BIBOB_RULE1, BIBOB_RULE2, WOO_OTHER = (f"BWBR99100{i:02d}" for i in range(1, 7))
VR, WNT, WAV, WAV_OTHER, RVV, ZB, GEMW, POLW_A, POLW_B, ARAR, VC_A, VC_B, ZW, GRW, BSCO, SCO, WOZ = \
    (f"BWBR99200{i:02d}" for i in range(1, 18))
SV = "BWBR0001903"  # the catalogue's Wetboek van Strafvordering ("Sv")


@pytest.fixture(scope="module")
def tagger():
    files = [
        # catalogue laws without an id: Wmo 2015 (its alias "Wmo" is the collection's name of the old act),
        # Wet Bibob ("Bibob" alone is the title of two policy rules), Woo (the initials of another act)
        _reg(WMO15, "Wet maatschappelijke ondersteuning 2015", ["Wet maatschappelijke ondersteuning 2015"]),
        _reg(WMO07, "Wet maatschappelijke ondersteuning", ["Wet maatschappelijke ondersteuning"]),
        _reg(BIBOB, "Wet bevordering integriteitsbeoordelingen door het openbaar bestuur",
             ["Wet bevordering integriteitsbeoordelingen door het openbaar bestuur"]),
        _reg(BIBOB_RULE1, "Bibob", kind="beleidsregel"),
        _reg(BIBOB_RULE2, "Bibob", kind="beleidsregel"),
        _reg(WOO_OTHER, "Wet overlevering inzake oorlogsmisdrijven", ["Wet overlevering inzake oorlogsmisdrijven"]),
        _reg(VR, "Wet veiligheidsregio’s", ["Wet veiligheidsregio’s"]),
        # abbreviations: defined in brackets after plain text (WNT); one document's "Wav" corroborated by the
        # initials of the act it cites (two acts have those initials)
        _reg(WNT, "Wet normering bezoldiging topfunctionarissen publieke en semipublieke sector",
             ["Wet normering bezoldiging topfunctionarissen publieke en semipublieke sector"]),
        _reg(WAV, "Wet arbeid vreemdelingen", ["Wet arbeid vreemdelingen"]),
        _reg(WAV_OTHER, "Wet ammoniak en veehouderij", ["Wet ammoniak en veehouderij"]),
        # made by rule: with a year, shortened; "Politiewet" is cited for another act than the one so titled
        _reg(RVV, "Reglement verkeersregels en verkeerstekens 1990", ["Reglement verkeersregels en verkeerstekens 1990"],
             kind="AMvB"),
        _reg(ZB, "Zeevaartbesluit 2005", ["Zeevaartbesluit 2005"], kind="AMvB"),
        _reg(GEMW, "Gemeentewet", ["Gemeentewet"]),
        _reg(WOZ, "Wet waardering onroerende zaken", ["Wet waardering onroerende zaken"]),
        _reg(POLW_A, "Politiewet", ["Politiewet"]),
        _reg(POLW_B, "Wet van 9 december 1993, houdende nieuwe regels betreffende de politie"),
        # a dated title of an order; a regulation in parts
        _reg(ARAR, "Besluit van 12 juni 1931, tot vaststelling van het Algemeen Rijksambtenarenreglement", kind="AMvB"),
        _reg(VC_A, "Vreemdelingencirculaire 2000 (A)", kind="circulaire"),
        _reg(VC_B, "Vreemdelingencirculaire 2000 (B)", kind="circulaire"),
        _reg(ZW, "Ziektewet", ["Ziektewet"]),
        *_citing(3, 100, [("Wmo", WMO07), ("artikel 3 Zb", ZB), ("Politiewet", POLW_B), ("WAO", ZW),
                          ("Besluit stimulering culturele omroepproducties", BSCO), ("Wet sociale controle", SCO),
                          ("artikel 1 Grw", GRW)],
                 defined=[("Op grond van artikel 1.4 van de Wet normering bezoldiging topfunctionarissen publieke en "
                           "semipublieke sector", "WNT"), ("het Uitvoeringsbesluit Wet arbeid vreemdelingen", "UWAV")]),
        *_citing(1, 200, [("Wet arbeid vreemdelingen", WAV)], abbreviation="Wav"),
        *_citing(2, 300, [("paragraaf B8/3 Vc", VC_B)]),
    ]
    return build_tagger(model=None, register=InMemoryRegister.from_files(files))


def _laws(tagger, text: str) -> list[tuple[str, str | None, str | None, str | None]]:
    return [(e.text, e.refs.get("bwb"), e.article, e.kb_id) for e in tagger.tag(text) if e.label == "LAW"]


def _bwb(tagger, text: str, surface: str) -> str | None:
    found = [bwb for t, bwb, _, _ in _laws(tagger, text) if surface in t]
    assert len(found) <= 1, found
    return found[0] if found else None


def test_catalogue_law_adopts_the_id_of_its_official_name(tagger) -> None:
    # the catalogue's Wmo 2015 adopts the id of its short title, though the collection cites "Wmo" for the old act
    laws = _laws(tagger, "Op grond van artikel 2.3.5 van de Wet maatschappelijke ondersteuning 2015 en de Wmo 2015.")
    assert laws == [("artikel 2.3.5 van de Wet maatschappelijke ondersteuning 2015", WMO15, "2.3.5", "wmo-2015"),
                    ("Wmo 2015", WMO15, None, "wmo-2015")]
    assert tagger.entity("wmo-2015").refs == {"bwb": WMO15}  # the catalogue's id and label are kept
    # "Bibob" alone is two regulations' title; the catalogue's full name decides
    assert _bwb(tagger, "Het college vraagt advies op grond van de Wet Bibob.", "Wet Bibob") == BIBOB


def test_catalogue_law_adopts_no_made_abbreviation(tagger) -> None:
    # "Woo" is the initials of the Wet overlevering inzake oorlogsmisdrijven: the catalogue's Woo (Wet open
    # overheid, not in this register) keeps no id, and "Woo" in a text is not that act
    assert tagger.entity("woo").refs.get("bwb") is None
    assert all(bwb is None for _, bwb, _, _ in _laws(tagger, "De Woo geldt sinds 2022; zie artikel 5.1 Woo."))
    assert _bwb(tagger, "De Wet overlevering inzake oorlogsmisdrijven.", "oorlogsmisdrijven") == WOO_OTHER


def test_short_title_with_a_curly_apostrophe() -> None:
    assert citeertitels("Deze wet wordt aangehaald als: Wet veiligheidsregio’s.") == ["Wet veiligheidsregio’s"]
    assert citeertitels("Deze regeling wordt aangehaald als: ‘Regeling X’.") == ["Regeling X"]


def test_curly_and_straight_apostrophe(tagger) -> None:
    assert _bwb(tagger, "Dit volgt uit de Wet veiligheidsregio’s.", "veiligheidsregio") == VR
    assert _bwb(tagger, "Dit volgt uit de Wet veiligheidsregio's.", "veiligheidsregio") == VR


def test_abbreviation_defined_in_brackets_after_plain_text(tagger) -> None:
    found = defined_abbreviations(
        "Op grond van artikel 1.4 van de Wet normering bezoldiging topfunctionarissen publieke en semipublieke "
        "sector (WNT) geldt.\nDe [Wet Y](../../wet/BWBR0000001/README.md) (WY) en (hierna: Wet Fido) (zie boven)\n")
    assert [a for _, a in found] == ["WNT", "Wet Fido"]  # "(WY)" belongs to the link; "(zie boven)" has no capital
    assert found[0][0].endswith("publieke en semipublieke sector")
    assert _bwb(tagger, "De bezoldiging valt onder de WNT.", "WNT") == WNT
    # the end of a longer name is not the name abbreviated: "UWAV" is not the Wet arbeid vreemdelingen
    assert _bwb(tagger, "Zie het UWAV.", "UWAV") is None


def test_mined_abbreviation_corroborated_by_initials(tagger) -> None:
    # one document writes "(Wav)" after the Wet arbeid vreemdelingen, whose initials it is: enough, although
    # the Wet ammoniak en veehouderij has the same initials
    assert _bwb(tagger, "De werkgever overtreedt de Wav.", "Wav") == WAV
    files = [_reg(WAV, "Wet arbeid vreemdelingen", ["Wet arbeid vreemdelingen"]),
             _reg(WAV_OTHER, "Wet ammoniak en veehouderij", ["Wet ammoniak en veehouderij"])]
    assert resolve_names(aggregate(files)[1]).get("CS:Wav") is None  # initials alone: two acts, no id


def test_made_abbreviations(tagger) -> None:
    assert _bwb(tagger, "De Wet WOZ is van toepassing.", "WOZ") == WOZ
    assert initials("Wet militair tuchtrecht") == ["Wmt", "WMT"]
    assert act_initials("Wet waardering onroerende zaken") == ["Wet WOZ"] and act_initials("Wet arbeid vreemdelingen") == []
    assert shortened("Gemeentewet")[:4] == ["Gew", "GeW", "Gemw", "GemW"] and shortened("Wet X") == []
    assert letters_in_order("WNT", "Wet normering bezoldiging topfunctionarissen")
    assert not letters_in_order("UWAV", "Wet arbeid vreemdelingen")


def test_abbreviation_with_a_year(tagger) -> None:
    # initials of the title without its year, and an abbreviation the collection uses ("Zb") with the year
    assert _laws(tagger, "Zie artikel 62 RVV 1990.")[0][:3] == ("artikel 62 RVV 1990", RVV, "62")
    assert _bwb(tagger, "Op grond van artikel 4 Zb 2005 geldt dit.", "Zb 2005") == ZB
    assert _bwb(tagger, "Op grond van artikel 4 Zb 2006 geldt dit.", "Zb") is None  # another year


def test_shortened_act_title_only_after_an_article(tagger) -> None:
    assert _laws(tagger, "Zie artikel 160 Gemw. over de burgemeester.")[0][1:3] == (GEMW, "160")
    assert _bwb(tagger, "De Gemw is gewijzigd.", "Gemw") is None
    # "Politiewet" is the collection's name of another act than the one so titled: no "Polw" for either
    assert _bwb(tagger, "Zie artikel 2 Polw.", "Polw") is None


def test_name_with_a_full_stop_the_tokenizer_keeps(tagger) -> None:
    assert [t.text for t in blank_dutch()("artikel 1 Grw.")][-1] == "Grw."  # a Dutch abbreviation exception
    assert _laws(tagger, "Zie artikel 1 Grw.") == [("artikel 1 Grw.", GRW, "1", f"law-{GRW.lower()}")]


def test_dated_title_of_an_order(tagger) -> None:
    assert _bwb(tagger, "Het Besluit van 12 juni 1931 regelt dit.", "1931") == ARAR
    assert _bwb(tagger, "Het besluit van 12 juni 1931 regelt dit.", "1931") is None  # a decision, not an order
    assert _bwb(tagger, "Het Besluit van 12 juni 1931, houdende iets anders, vervalt.", "1931") is None


def test_regulation_in_parts_by_the_part_cited(tagger) -> None:
    assert _bwb(tagger, "Zie paragraaf B1/4.1 van de Vreemdelingencirculaire 2000.", "Vreemdelingen") == VC_B
    assert _bwb(tagger, "Zie paragraaf A2/7.1.4 van de Vreemdelingencirculaire 2000.", "Vreemdelingen") == VC_A
    assert _bwb(tagger, "Zie hoofdstuk A3 van de Vc.", "Vc") == VC_A  # "Vc" cited for part B, the part decides
    assert _bwb(tagger, "De Vreemdelingencirculaire 2000 geldt.", "Vreemdelingen") is None  # which part?


def test_code_resolves_through_the_register() -> None:
    tagger = build_tagger(model=None, register=InMemoryRegister.from_files(
        [_reg("BWBR9930001", "Vreemdelingenbesluit 2000", ["Vreemdelingenbesluit 2000"], kind="AMvB")]))
    # "Vb" is a code of kb/patterns/legal.yaml for the Vreemdelingenbesluit 2000, which the catalogue lacks
    assert _laws(tagger, "Zie artikel 3.1, tweede lid, Vb.")[0][1:3] == ("BWBR9930001", "3.1, tweede lid")
    assert _laws(tagger, "Zie artikel 3.1 Vb 2000.")[0][1:3] == ("BWBR9930001", "3.1")


def test_heading_in_capitals(tagger) -> None:
    assert _bwb(tagger, "WIJZIGING ZIEKTEWET", "ZIEKTEWET") == ZW
    assert _bwb(tagger, "Het BESLUIT ZIEKTEWET.", "ZIEKTEWET") is None  # the name of another regulation


def test_table_bars_and_markup_split_from_names(tagger) -> None:
    nlp = blank_dutch()
    assert [t.text for t in nlp("uitkering|WAO<sup>*")] == ["uitkering", "|", "WAO", "<", "sup", ">", "*"]
    assert [t.text for t in nlp("|WAO|")] == ["|", "WAO", "|"]
    assert [t.text for t in nlp("(art. 67 Sv).<sup>3</sup>")][3:7] == ["Sv", ")", ".", "<"]
    assert [t.text for t in nlp("[Wet](https://example.org/a|b)")][-2] == "https://example.org/a|b"  # URLs stay
    assert _bwb(tagger, "| Uitkering |WAO<sup>* De werknemer kiest.", "WAO") == ZW
    assert _laws(tagger, "Dit is strafbaar (art. 67 Sv).<sup>3</sup> Verder.")[0][1:3] == (SV, "67")


def test_sentence_glued_to_a_name_and_an_article_number_before_it(tagger) -> None:
    assert [t.text for t in blank_dutch()("bevolking WPO.Voor de scholen")][1:4] == ["WPO", ".", "Voor"]
    assert _bwb(tagger, "Zie de WNT.Voor de scholen geldt dit.", "WNT") == WNT
    # a number with a letter first is the article's, not the start of a longer name ("Uitvoeringsbesluit WNT")
    laws = _laws(tagger, "Dit volgt uit (artikel C15L WNT) en (Uitvoeringsbesluit WNT).")
    assert laws[0] == ("artikel C15L WNT", WNT, "C15L", f"law-{WNT.lower()}")
    assert [bwb for t, bwb, _, _ in laws if "Uitvoeringsbesluit" in t] == [None]


def test_initials_of_a_name_the_collection_cites(tagger) -> None:
    # a regulation known only by how others cite it: four-letter initials are made from that name ...
    assert _bwb(tagger, "Op grond van de BSCO.", "BSCO") == BSCO
    # ... three-letter ones are not (too often the initials of several names)
    assert _bwb(tagger, "Op grond van de Wsc.", "Wsc") is None


def test_link_target_with_a_folder_in_brackets(tmp_path) -> None:
    path = tmp_path / "beleidsregel" / "BWBR9940001.md"
    path.parent.mkdir()
    path.write_text("## Regeling proef\n\nZie [82 RVV 1990](../../AMvB/reglement/verkeersregels/en/verkeerstekens/"
                    "1990/(rvv/1990)/BWBR0004825/README.md) en [Wet ter versterking](../../wet/wijzigingswet/enz./"
                    "(versterking/positie/etc/BWBR0027053/README.md).\n", encoding="utf-8")
    links = read_regulation(path).links
    assert [(link.anchor, link.target) for link in links] == [("82 RVV 1990", "BWBR0004825"),
                                                             ("Wet ter versterking", "BWBR0027053")]


def test_cached_register_outlives_its_files(tmp_path) -> None:
    """A tagger of another version replaces the cache in the data directory and removes this one's files: the
    entity data this tagger reads on first use stays readable."""
    from kb.laws.compiled import compile_register, load_cached, save_cached

    regs, rows = aggregate([_reg(GEMW, "Gemeentewet", ["Gemeentewet"])])
    path = tmp_path / "law-register-x.json"
    assert save_cached(compile_register(regs, rows, tokenize=str.split, fold=str.lower), path)
    loaded = load_cached(path)
    for cached in tmp_path.glob("law-register-*"):
        cached.unlink()
    assert loaded is not None and loaded.laws[GEMW]["name"] == "Gemeentewet"


def test_cached_register_read_by_forked_workers_one_after_another(tmp_path) -> None:
    """Build workers are forked with the cache's entity data file open: each reads all of it, not what the
    first reader left of a shared file offset (the second worker used to read nothing and fail)."""
    import multiprocessing

    from kb.laws.compiled import compile_register, load_cached, save_cached

    regs, rows = aggregate([_reg(GEMW, "Gemeentewet", ["Gemeentewet"])])
    path = tmp_path / "law-register-x.json"
    assert save_cached(compile_register(regs, rows, tokenize=str.split, fold=str.lower), path)
    loaded = load_cached(path)
    ctx = multiprocessing.get_context("fork")
    names = []
    for _ in range(2):  # one forked process after the other, as a build's workers
        receive, send = ctx.Pipe(duplex=False)
        child = ctx.Process(target=_send_law_name, args=(loaded, GEMW, send))  # fork: nothing is pickled
        child.start()
        names.append(receive.recv())
        child.join()
    assert names == ["Gemeentewet", "Gemeentewet"]
    assert loaded.laws[GEMW]["name"] == "Gemeentewet"  # and the parent after them


def _send_law_name(register, bwb: str, send) -> None:
    try:
        send.send(register.laws[bwb]["name"])
    except Exception as exc:  # noqa: BLE001 - the parent's assertion shows what went wrong
        send.send(repr(exc))
