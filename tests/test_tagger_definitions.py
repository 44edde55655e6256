"""Definitions in running text such as Nationale Voedselautoriteit (NVA): which forms the tagger (kb.tagger)
reads as a definition, which not, and how definitions from the corpus link acronyms in unseen text.
Runs on the small test catalogue (tagger_support.py)."""
from __future__ import annotations

from pathlib import Path

import pytest

from kb.tagger import Tagger, build_tagger

from tagger_support import NAMED, ents


# -- definitions -----------------------------------------------------------------------------------
def test_definition_in_unseen_text_creates_one_new_entity(tagger: Tagger) -> None:
    text = "De Nationale Voedselautoriteit (NVA) houdt toezicht. Later controleert de NVA de Nationale Voedselautoriteit opnieuw."
    found = ents(tagger, text, NAMED)
    assert [e.text for e in found] == ["Nationale Voedselautoriteit", "NVA", "NVA", "Nationale Voedselautoriteit"]
    assert {e.kb_id for e in found} == {"org-nationale-voedselautoriteit"}
    assert {e.label for e in found} == {"ORG"}
    defs = tagger.find_definitions(text)
    assert [(d["short"], d["long"], d["label"], d["entity_id"]) for d in defs] == [
        ("NVA", "Nationale Voedselautoriteit", "ORG", "org-nationale-voedselautoriteit")]
    assert text[defs[0]["start"]:defs[0]["end"]] == "Nationale Voedselautoriteit (NVA)"


@pytest.mark.parametrize("text, short, long, label", [
    ("de oprichting van een multidisciplinair interventieteam (MIT) gaat door", "MIT",
     "multidisciplinair interventieteam", "ORG"),
    ("getoetst door het Bureau ICT-toetsing (BIT).", "BIT", "Bureau ICT-toetsing", "ORG"),
    ("de Dienst Terugkeer en Vertrek (DT&V) en", "DT&V", "Dienst Terugkeer en Vertrek", "ORG"),
    ("de Wet straffen en beschermen (hierna: Wet SenB) is aangenomen", "Wet SenB", "Wet straffen en beschermen", "LAW"),
    ("de Wet herziening tenuitvoerlegging strafrechtelijke beslissingen (wet USB) in werking", "wet USB",
     "Wet herziening tenuitvoerlegging strafrechtelijke beslissingen", "LAW"),
    ("wat het Ministerie van Justitie en Veiligheid (JenV) heeft bereikt", "JenV",
     "Ministerie van Justitie en Veiligheid", "ORG"),
    ("de Nederlandse Cybersecurity Agenda (NCSA) en", "NCSA", "Nederlandse Cybersecurity Agenda", "PROGRAMME"),
    ("de realisatie van EES (Entry-Exit System) en", "EES", "Entry-Exit System", "SYSTEM"),
    ("nieuwe databanken (een in- en uitreissysteem (EES) en", "EES", "in- en uitreissysteem", "SYSTEM"),
])
def test_definition_forms(tagger: Tagger, text: str, short: str, long: str, label: str) -> None:
    defs = tagger.find_definitions(text)
    assert [(d["short"], d["long"], d["label"]) for d in defs] == [(short, long, label)]


@pytest.mark.parametrize("text", [
    "Als auditinstantie (AA) is aangewezen de dienst.",  # a role, not a name
    "door Uitvoering Van Beleid (UVB) dat fungeert als",  # no head noun: no decent guess
    "met een de jure monopolie positie (DT&V)",  # noun phrase whose head does not agree with DT&V
    "in het kader van de Verklaring Omtrent het Gedrag (VOG) en",  # no head noun
    "een besluit (IND) volgt",  # a bare head noun is no alias
])
def test_no_definition_without_a_decent_guess(tagger: Tagger, text: str) -> None:
    assert tagger.find_definitions(text) == []


def test_corpus_definitions_link_acronyms_in_unseen_text(catalogue_dir: Path) -> None:
    rows = [{"short": "NVA", "long": "Nationale Voedselautoriteit", "entity_id": "org-nationale-voedselautoriteit",
             "label": "ORG", "document_id": "doc-a", "section_id": "doc-a:s1"},
            {"short": "IND", "long": "Iets Nieuws Doen", "entity_id": "org-iets-nieuws-doen", "label": "ORG"}]
    tagger = build_tagger(catalogue=catalogue_dir, definitions=rows, model=None)
    found = ents(tagger, "De NVA en de nationale voedselautoriteit; de IND blijft de IND.", NAMED)
    assert [(e.text, e.kb_id) for e in found] == [
        ("NVA", "org-nationale-voedselautoriteit"), ("nationale voedselautoriteit", "org-nationale-voedselautoriteit"),
        ("IND", "ind"), ("IND", "ind")]  # a definition never takes a catalogue acronym away
    rows_by_id = {r["id"]: r for r in tagger.entity_rows()}
    nva = rows_by_id["org-nationale-voedselautoriteit"]
    assert nva["origin"] == "definition" and "NVA" in nva["aliases"]
    assert nva["provenance"] == [{"document_id": "doc-a", "section_id": "doc-a:s1"}]
    assert "org-iets-nieuws-doen" not in rows_by_id
