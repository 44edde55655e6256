"""What the entity tagger (kb.tagger) takes for a name and what not: generic government words, acronyms
that must stay apart, spelling variants, and general rules found on unseen text.  Runs on the small
test catalogue (tagger_support.py), a few tests on the shipped catalogue."""
from __future__ import annotations

from pathlib import Path

from kb.tagger import Tagger, build_tagger

from tagger_support import NAMED, by_text, ents


# -- precision --------------------------------------------------------------------------------------
def test_generic_government_words_are_not_organisations(tagger: Tagger) -> None:
    text = ("De Minister heeft het kabinet geïnformeerd. De Kamer is akkoord en de Minister van JenV ook. "
            "Het ministerie stuurt de brief naar de Kamer.")
    found = ents(tagger, text, NAMED)
    assert [e.text for e in found] == ["JenV"], found
    assert not [e for e in ents(tagger, text) if e.label == "PERSON"]


def test_heading_in_capitals_is_not_an_organisation(tagger: Tagger) -> None:
    text = "RAAD VAN STATE EN RECHTSPRAAK\n\nDe Raad van State adviseert; de rechtspraak en de Rechtspraak ook."
    found = ents(tagger, text, NAMED)
    assert [(e.text, e.kb_id) for e in found] == [("Raad van State", "raad-van-state"), ("Rechtspraak", "rechtspraak")]


def test_nederland_is_a_place_not_an_organisation(tagger: Tagger) -> None:
    found = ents(tagger, "Nederland steunt dit. De Nederlandse inzet blijft; NL ook.")
    assert [(e.text, e.label, e.kb_id) for e in found] == [
        ("Nederland", "LOC", "loc:nederland"), ("NL", "LOC", "loc:nederland")]


# -- acronyms that must stay apart -------------------------------------------------------------------
def test_vis_and_sis_stay_apart(tagger: Tagger) -> None:
    found = by_text(ents(tagger, "De VIS-verordening, het VIS en het SIS worden aangepast.", NAMED))
    assert found["VIS"].kb_id == "vis" and found["SIS"].kb_id == "sis"
    assert found["VIS-verordening"].label == "LAW" and "vis" in found["VIS-verordening"].related


def test_amif_is_not_amf(tagger: Tagger) -> None:
    found = ents(tagger, "Onder het AMIF gaat veel naar AMIF-projecten; het AMF volgt het AMIF op.", NAMED)
    assert [(e.text, e.kb_id) for e in found] == [("AMIF", "amif"), ("AMIF", "amif"), ("AMF", "amf"), ("AMIF", "amif")]


def test_ecris_and_ecris_tcn_stay_apart_longest_match_wins(tagger: Tagger) -> None:
    text = "Met ECRIS-TCN worden gegevens uitgewisseld via het bestaande ECRIS; ook ECRIS – TCN telt."
    found = ents(tagger, text, NAMED)
    assert [(e.text, e.kb_id) for e in found] == [("ECRIS-TCN", "ecris-tcn"), ("ECRIS", "ecris"),
                                                   ("ECRIS – TCN", "ecris-tcn")]


def test_law_named_after_a_system_is_one_law_related_to_the_system(tagger: Tagger) -> None:
    text = "De implementatie van ECRIS-TCN-verordening 2019/816 en ECRIS-richtlijn 2018/884 vergt werk."
    found = ents(tagger, text, NAMED)
    assert [e.text for e in found] == ["ECRIS-TCN-verordening 2019/816", "ECRIS-richtlijn 2018/884"]
    law, directive = found
    assert law.label == "LAW" and law.related == ["ecris-tcn"] and law.kb_id == "celex-32019r0816"
    assert directive.label == "LAW" and directive.related == ["ecris"] and directive.kb_id == "celex-32018l0884"


def test_compound_with_the_same_kind_of_head_is_the_entity_itself(tagger: Tagger) -> None:
    found = ents(tagger, "Alle SIS-systemen en de PNR-gegevens van passagiers.", NAMED)
    assert [(e.text, e.kb_id, e.label) for e in found] == [("SIS-systemen", "sis", "SYSTEM"), ("PNR", "pnr", "SYSTEM")]


def test_organisation_as_compound_modifier_is_not_a_mention(tagger: Tagger) -> None:
    assert ents(tagger, "De JenV-medewerkers en IND-locaties.", NAMED) == []


# -- spelling variants and inflection ----------------------------------------------------------------
def test_elliptic_name_variants_and_acronym_link_to_one_entity(tagger: Tagger) -> None:
    text = ("De Immigratie - en Naturalisatiedienst (IND) werkt samen met de Immigratie- en Naturalisatiedienst "
            "en de IND. Het Asiel en Migratiefonds heet ook Asiel- en Migratiefonds.")
    found = ents(tagger, text, NAMED)
    assert [e.kb_id for e in found] == ["ind", "ind", "ind", "ind", "amf", "amf"]
    assert [e.text for e in found][:2] == ["Immigratie - en Naturalisatiedienst", "IND"]


def test_closed_compound_and_plural_of_catalogue_names(tagger: Tagger) -> None:
    found = ents(tagger, "Het Schengen Informatie Systeem, de Schengeninformatiesystemen en het Entry Exit System.",
                 NAMED)
    assert [(e.text, e.kb_id) for e in found] == [
        ("Schengen Informatie Systeem", "sis"), ("Schengeninformatiesystemen", "sis"), ("Entry Exit System", "ees")]


# -- the shipped catalogue ------------------------------------------------------------------------------
def test_shipped_catalogue_builds_and_tags(tmp_path: Path) -> None:
    tagger = build_tagger(model=None)
    assert len(tagger.index.entities) > 100
    found = by_text(ents(tagger, "De IND, de DT&V en het COA voeren samen met BZ het AMIF en ISF uit.", NAMED))
    assert len({found[k].kb_id for k in ("IND", "DT&V", "COA", "BZ", "AMIF", "ISF")}) == 6  # six distinct entities


# -- general rules found on unseen (other-ministry) text ---------------------------------------------------
def test_article_after_a_name_word_ends_the_name(tagger: Tagger) -> None:
    found = [(e.text, e.label) for e in ents(tagger, "Daarvoor heeft JenV het Volkshuisvestingsfonds ingesteld.", NAMED)]
    assert ("Volkshuisvestingsfonds", "FUND") in found
    assert not any(" het " in t for t, _ in found)
    # an article after a preposition stays inside the name
    assert ("Inspectie van het Onderwijs", "ORG") in [(e.text, e.label) for e in ents(
        tagger, "Dat meldt de Inspectie van het Onderwijs.", NAMED)]


def test_national_adjective_before_a_middle_head_belongs_to_the_name(tagger: Tagger) -> None:
    found = by_text(ents(tagger, "Met het Nationaal Programma Onderwijs (NP Onderwijs) is geld vrijgemaakt. "
                                 "Het NP Onderwijs loopt door.", NAMED))
    assert found["Nationaal Programma Onderwijs"].label == "PROGRAMME"
    assert found["NP Onderwijs"].kb_id == found["Nationaal Programma Onderwijs"].kb_id


def test_two_token_short_forms_are_defined(tagger: Tagger) -> None:
    found = by_text(ents(tagger, "Gemeenten voeren de Wet maatschappelijke ondersteuning 2015 (Wmo 2015) uit. "
                                 "De Wmo 2015 is in 2022 geëvalueerd.", NAMED))
    assert found["Wmo 2015"].label == "LAW"
    assert found["Wmo 2015"].kb_id == found["Wet maatschappelijke ondersteuning 2015"].kb_id


def test_mixed_case_acronym_before_a_full_stop_is_split(tmp_path: Path) -> None:
    tagger = build_tagger(model=None)
    found = by_text(ents(tagger, "Burgers loggen in met DigiD. Daarna volgt de aanvraag.", NAMED))
    assert found["DigiD"].label == "SYSTEM"
