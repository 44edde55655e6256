"""Regressions from the held-out entity set (tests/data/heldout_entities.json): general causes of misses
on unseen policy text, run against the small test catalogue of tests/tagger_support.py (fixtures in
conftest.py)."""
from __future__ import annotations

import json
from pathlib import Path

from kb.tagger import Tagger

from tagger_support import ents

HELDOUT = Path(__file__).parent / "data" / "heldout_entities.json"


def spans(tagger: Tagger, text: str) -> dict[str, tuple[str, str]]:
    return {e.text: (e.label, e.kb_id) for e in ents(tagger, text, ("ORG", "LAW", "SYSTEM", "FUND", "PROGRAMME"))}


def test_capitalised_article_starts_a_defined_name(tagger: Tagger) -> None:
    for text in ("Het toezicht ligt bij De Nederlandsche Bank (DNB) en de AFM.",
                 "De Nederlandsche Bank (DNB) houdt toezicht."):
        found = spans(tagger, text)
        assert found["De Nederlandsche Bank"] == ("ORG", "org-de-nederlandsche-bank")
        assert found["DNB"] == found["De Nederlandsche Bank"]
    # a lower-case article is never part of the long form
    found = spans(tagger, "Als auditdienst is aangewezen de Auditdienst Controle (ADC).")
    assert "de Auditdienst Controle" not in found


def test_capitalised_law_short_form_in_brackets(tagger: Tagger) -> None:
    text = "De Wet structuur uitvoeringsorganisatie werk en inkomen (Wet SUWI) regelt dit. De Wet SUWI is oud."
    found = ents(tagger, text, ("LAW",))
    ids = {e.kb_id for e in found}
    assert ids == {"law-wet-structuur-uitvoeringsorganisatie-werk-en-inkomen"}
    assert [e.text for e in found].count("Wet SUWI") == 2


def test_definition_takes_its_label_from_a_lower_case_descriptor(tagger: Tagger) -> None:
    found = spans(tagger, "In het programma Werk aan Uitvoering (WaU) werken zij samen. Het WaU loopt door.")
    assert found["Werk aan Uitvoering"] == ("PROGRAMME", "programme-werk-aan-uitvoering")
    assert found["WaU"] == found["Werk aan Uitvoering"]
    assert "programma Werk" not in found


def test_law_name_ends_before_a_time_preposition(tagger: Tagger) -> None:
    found = spans(tagger, "Daarnaast is de Wet op de rechtsbijstand per 1 januari gewijzigd.")
    assert found["Wet op de rechtsbijstand"][0] == "LAW"


def test_unknown_acronym_compounds_with_a_naming_head(tagger: Tagger) -> None:
    found = spans(tagger, "In opdracht van de CDO-raad zet het BIG-register een algoritme in.")
    assert found["CDO-raad"] == ("ORG", "org-cdo-raad")
    assert found["BIG-register"] == ("SYSTEM", "system-big-register")
    # generic acronyms and kinds of things are not entities
    found = spans(tagger, "Een AI-systeem, een AI-register, een ICT-team en een ERP-systeem.")
    assert found == {}


def test_gilde_is_an_organisation_head(tagger: Tagger) -> None:
    assert spans(tagger, "met adviseurs van het Rijks ICT Gilde en anderen")["Rijks ICT Gilde"][0] == "ORG"


def test_heldout_gold_file_is_well_formed() -> None:
    gold = json.loads(HELDOUT.read_text(encoding="utf-8"))
    assert set(gold["labels"]) == {"ORG", "LAW", "SYSTEM", "FUND", "PROGRAMME"}
    surfaces = set()
    for p in gold["passages"]:
        for e in p["entities"]:
            assert p["text"][e["start"]:e["end"]] == e["text"], (p["id"], e)
            assert e["label"] in gold["labels"]
            surfaces.add(e["text"])
    for group in gold["same_entity"] + gold["different_entity"]:
        assert all(s in surfaces for s in group), group
