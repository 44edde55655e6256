"""Dutch analysis for the index: folding, stemming, joined words, compounds, elliptic compounds."""
from __future__ import annotations

import pickle

import pytest

from indexer.analysis import (EXPANSION, JOINPART, PART, PRIMARY, WHOLE, DutchAnalyzer, Vocabulary, analyze_terms,
                              build_vocabulary, fold, vocabulary_counts)
from indexer.schema import passages_for_section
from settings import IndexOptions
from support import section_dict

VOCAB = build_vocabulary(vocabulary_counts([
    "asiel aanvraag aanvragen terugkeer beleid reis systeem reizen wachttijden tijden wacht lijsten"
    " naturalisatie dienst bescherming jeugd gezin informatie uitwisseling opvang capaciteit"
]))


@pytest.fixture(scope="module")
def an() -> DutchAnalyzer:
    return DutchAnalyzer(VOCAB, parts="inline")


def kinds(an, text):
    return {(t.text, t.kind) for t in an.tokens(text)}


def test_accent_folding_and_case(an):
    assert fold("Financiële") == "financiele"
    assert analyze_terms(an, "financiële") == analyze_terms(an, "Financiele") == analyze_terms(an, "FINANCIËLE")


def test_stemming_joins_inflections(an):
    assert analyze_terms(an, "statushouders") == analyze_terms(an, "statushouder")
    assert analyze_terms(an, "achterstanden") == analyze_terms(an, "achterstand")
    assert analyze_terms(an, "vrouwelijke")[0] == analyze_terms(an, "vrouwelijk")[0]


def test_stop_words_removed_and_positions_renumbered(an):
    toks = list(an.tokens("de aanpak van de wachtlijsten"))
    prim = [(t.text, t.pos) for t in toks if t.kind == PRIMARY]
    assert prim == [("aanpak", 0), ("wachtlijst", 1)]


def test_soft_hyphen_removed(an):
    assert analyze_terms(an, "terug\u00adkeer")[0] == analyze_terms(an, "terugkeer")[0]


def test_joined_word_whole_and_parts(an):
    k = kinds(an, "ECRIS-TCN")
    assert ("ecris-tcn", WHOLE) in k and ("ecris", JOINPART) in k and ("tcn", JOINPART) in k
    k = kinds(an, "verordening 2019/816")
    assert ("2019/816", WHOLE) in k and ("2019", JOINPART) in k and ("816", JOINPART) in k
    # all at one position: a phrase over the whole form still lines up
    toks = list(an.tokens("ECRIS-TCN systeem"))
    assert {t.pos for t in toks if t.text.startswith(("ecris", "tcn"))} == {0}
    assert [t.pos for t in toks if t.kind == PRIMARY and t.text == an.stem("systeem")] == [1]


def test_compounds_split_against_vocabulary(an):
    a = kinds(an, "asielaanvragen")
    b = kinds(an, "asielaanvraag")
    prim = lambda k: {t for t, kind in k if kind == PRIMARY}  # noqa: E731
    assert prim(a) == prim(b)
    assert {t for t, kind in a if kind == PART} >= {an.stem("asiel"), an.stem("aanvraag")}
    parts = {t for t, kind in kinds(an, "terugkeerbeleid") if kind == PART}
    assert an.stem("terugkeer") in parts and an.stem("beleid") in parts


def test_compound_parts_only_with_known_parts():
    v = Vocabulary(["terugkeer"])
    assert v.split("terugkeerbeleid") is None  # "beleid" unknown
    assert Vocabulary(["terugkeer", "beleid"]).split("terugkeerbeleid") == ("terugkeer", "beleid")
    assert Vocabulary(["beleid", "verslag"]).split("beleidsverslag") == ("beleid", "verslag")  # linking s


def test_parts_mode_only_and_none():
    only = DutchAnalyzer(VOCAB, parts="only")
    assert {t.kind for t in only.tokens("terugkeerbeleid en asiel")} == {PART}
    none = DutchAnalyzer(VOCAB, parts="none")
    assert PART not in {t.kind for t in none.tokens("terugkeerbeleid")}


def test_elliptic_compounds(an):
    k = kinds(an, "het EU in- en uitreissysteem (EES)")
    assert (an.stem("inreissysteem"), EXPANSION) in k
    assert (an.stem("uitreissysteem"), PRIMARY) in k
    k = kinds(an, "jeugd- en gezinsbescherming")
    assert (an.stem("jeugdbescherming"), EXPANSION) in k
    k = kinds(an, "Immigratie- en Naturalisatiedienst")
    assert (an.stem("immigratiedienst"), EXPANSION) in k
    k = kinds(an, "wachtlijsten en -tijden")
    assert (an.stem("wachttijden"), EXPANSION) in k


def test_whoosh_protocol_positions_and_chars(an):
    text = "De IND werkt aan achterstanden."
    toks = [(t.text, t.pos, t.startchar, t.endchar) for t in an(text, positions=True, chars=True)]
    assert ("ind", 0, 3, 6) in toks
    assert any(t[0] == "achterstand" and text[t[2]:t[3]] == "achterstanden" for t in toks)


def test_analyzer_pickles_with_vocabulary(an):
    clone = pickle.loads(pickle.dumps(an))
    assert analyze_terms(clone, "terugkeerbeleid asielaanvragen") == analyze_terms(an, "terugkeerbeleid asielaanvragen")
    assert clone == an


def test_passages_ids_titles_and_offsets():
    opts = IndexOptions(granularity="block")
    long_title = "Het positioneren van liaison officers is van essentieel belang in bron- en transitlanden"
    sec = section_dict(["Eerste alinea.", "Tweede alinea."], title=long_title, section_id="doc/sec")
    ps = passages_for_section(sec, opts)
    assert [p.id for p in ps] == ["doc/sec~p0", "doc/sec~p1"]  # kb.passage_ids scheme
    assert ps[0].indexed.startswith(long_title) and ps[0].text.startswith(long_title)  # long title shown
    assert ps[1].text == "Tweede alinea." and sec["text"][ps[1].char_start:ps[1].char_end] == "Tweede alinea."
    short = passages_for_section(section_dict(["Alleen."], title="Kort", section_id="doc/sec"),
                                 IndexOptions(granularity="section"))
    assert [p.id for p in short] == ["doc/sec"] and short[0].text == "Alleen." and "Kort" in short[0].indexed


def test_section_heading_is_the_full_heading_block():
    from indexer.schema import section_heading
    full = "2. Het positioneren van liaison officers is van essentieel belang in bron- en transitlanden waar veel speelt."
    text = full + "\n\nVoor de implementatie van deze maatregel zijn we voornemens om 7,5% te alloceren."
    sec = {"id": "d/s", "title": "2. Het positioneren van liaison officers is van essentieel belang…", "text": text,
           "blocks": [[0, len(full), "heading_text", 0], [len(full) + 2, len(text), "paragraph", 0]]}
    assert section_heading(sec) == full
    plain = section_dict(["Alleen."], title="Kort")
    assert section_heading(plain) == "Kort"
