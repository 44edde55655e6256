"""Indicative allocations of the contourennota; no false allocations from other percentages."""
from __future__ import annotations

import pytest

from kb.allocations import (allocation_summary, allocations_in_sentence, allocations_json, extract_allocations,
                            parse_recipients)
from support import PLAN_ID, REPORT_ID, load_shipped


@pytest.fixture(scope="module")
def plan_allocations() -> list[dict]:
    return extract_allocations(load_shipped()[PLAN_ID])


def test_all_six_bmvi_allocations_and_nothing_else(plan_allocations) -> None:
    bmvi = [a for a in plan_allocations if a["fund"] == "BMVI"]
    assert [a["share"] for a in bmvi] == [67.5, 7.5, 10.0, 5.0, 5.0, 5.0]
    assert bmvi[0]["measure"].startswith("De implementatie van de wettelijk verplichte EU verordeningen (EES, ETIAS")
    assert bmvi[0]["objective"] == "Border Management"
    assert bmvi[3]["measure"].startswith("Technische aanpassingen die voortkomen uit de implementatie van de VIS")
    assert bmvi[3]["objective"] == "Visa Instrument"
    for a in bmvi:
        assert a["text"].startswith("Voor de implementatie van deze maatregel zijn we voornemens om")
        assert a["recipients"] == []
        assert a["measure_id"] and a["measure_id"].startswith(a["section_id"] + "/m")


def test_amf_allocations_with_recipients(plan_allocations) -> None:
    amf = [a for a in plan_allocations if a["fund"] == "AMF"]
    assert [a["share"] for a in amf] == [38.0, 10.0, 2.0, 20.0, 20.0, 10.0]
    first = amf[0]
    assert first["text"] == "38% van AMF voor organisaties met een de jure monopolie positie (20% COA / 18% IND)"
    assert first["recipients"] == [{"name": "COA", "share": 20.0}, {"name": "IND", "share": 18.0}]
    assert first["measure"] == "Asiel en opvang" and first["purpose"] == "organisaties met een de jure monopolie positie"
    # the 20 and the 18 are parts of the 38, not allocations of their own
    asylum = [a["share"] for a in amf if a["objective"] == "Asiel en opvang"]
    assert asylum == [38.0, 10.0]
    legal = [a for a in amf if a["objective"] == "Legale migratie en Integratie"]
    assert [a["share"] for a in legal] == [2.0, 20.0]
    assert legal[0]["recipients"] == [{"name": "IND", "share": None}]
    assert legal[0]["text"].startswith("2% van AMF gericht op Legale migratie")
    assert legal[1]["text"].startswith("20% van AMF gericht op Integratie")  # a sentence of its own
    ret = [a for a in amf if a["objective"] == "Terugkeer"]
    assert [(a["share"], a["recipients"]) for a in ret] == [(20.0, [{"name": "DT&V", "share": None}]), (10.0, [])]


def test_no_false_allocations(plan_allocations) -> None:
    shares = {a["share"] for a in plan_allocations}
    assert 90.0 not in shares and 100.0 not in shares  # "90% cofinanciering", "100% EU financiering"
    assert extract_allocations(load_shipped()[REPORT_ID]) == []  # "± 40%", "daalde met 10%", "99% van de zaken"
    assert {a["fund"] for a in plan_allocations} == {"AMF", "BMVI"}


@pytest.mark.parametrize("sentence", [
    "Prioriteit activiteiten met hoge cofinanciering subsidiepercentage (90%)",
    "Onder 'Operating support' is het mogelijk om 100% EU financiering in te zetten.",
    "In de tweede helft van het jaar is het eerste resultaat hiervan een afname van ± 40% van de extra voorraden.",
    "Het aantal toevoegingen in het bestuursrecht daalde met 10%.",
    "Het resultaat hiervan is een daling van het percentage rework van 30% naar rond de 10%.",
    "Daarnaast is nagenoeg 99% van de zaken tussen OM en Rechtspraak digitaal afgehandeld.",
])
def test_percentages_without_allocation_cue(sentence: str) -> None:
    assert allocations_in_sentence(sentence, fund_context="ISF", allocation_section=False) == []


def test_allocation_cues() -> None:
    # a fund after "van (de)"
    [a] = allocations_in_sentence("We alloceren 12,5% van de ISF-middelen aan de aanpak van cybercrime.",
                                  fund_context=None, allocation_section=False)
    assert (a["fund"], a["share"]) == ("ISF", 12.5)
    # an allocation verb, fund from the section context
    [a] = allocations_in_sentence("Hiervoor wordt 30% van het budget gereserveerd.", fund_context="AMF",
                                  allocation_section=False)
    assert (a["fund"], a["share"]) == ("AMF", 30.0)
    # no verb, no fund after the percentage, not an allocation section: nothing
    assert allocations_in_sentence("Hiervoor is 30% van het budget nodig.", fund_context="AMF",
                                   allocation_section=False) == []
    # in an allocation section a bare share counts, with its fund from context
    [a] = allocations_in_sentence("15% voor het maatschappelijk middenveld", fund_context="BMVI", allocation_section=True)
    assert (a["fund"], a["share"], a["purpose"]) == ("BMVI", 15.0, "het maatschappelijk middenveld")


def test_parse_recipients() -> None:
    assert parse_recipients("20% COA / 18% IND") == [{"name": "COA", "share": 20.0}, {"name": "IND", "share": 18.0}]
    assert parse_recipients("COA 12,5%, IND 7,5%") == [{"name": "COA", "share": 12.5}, {"name": "IND", "share": 7.5}]
    assert parse_recipients("DT&V") == [{"name": "DT&V", "share": None}]


def test_summary(plan_allocations) -> None:
    s = allocation_summary(plan_allocations)
    assert s["BMVI"] == {"total": 100.0, "count": 6, "complete": True, "unallocated": 0.0, "over": False}
    assert s["AMF"]["total"] == 100.0 and s["AMF"]["complete"]  # 38+10 + 2+20 + 20+10, recipients not added again
    partial = allocation_summary([a for a in plan_allocations if a["fund"] == "BMVI"][:3])
    assert partial["BMVI"]["total"] == 85.0
    assert partial["BMVI"]["complete"] is False and partial["BMVI"]["unallocated"] == 15.0


def test_allocations_json_from_the_store(store_copy) -> None:
    store = store_copy
    out = allocations_json(store)
    items = out["allocations"]
    assert [(a["fund"], a["share"]) for a in items if a["fund"] == "BMVI"] == [
        ("BMVI", 67.5), ("BMVI", 7.5), ("BMVI", 10.0), ("BMVI", 5.0), ("BMVI", 5.0), ("BMVI", 5.0)]
    first = items[0]
    assert first["recipients"] == [{"name": "COA", "share": 20.0}, {"name": "IND", "share": 18.0}]
    for key in ("fund", "share", "measure", "recipients", "passage_id", "text", "section_id", "document", "start", "end"):
        assert key in first
    sec = store.section(first["section_id"])
    assert sec["text"][first["start"]:first["end"]] == first["text"]
    # one passage id = one span: the window (kb.passages) holding the sentence, as in search
    from kb.passages import passage_at

    assert first["passage_id"] == passage_at(sec, first["start"]).id
    assert out["summary"]["BMVI"]["complete"] and out["summary"]["AMF"]["complete"]
    # read-only access (as the CLI and the web app open the store) gives the same answer
    from kb.store import Store

    with Store(store.path, readonly=True) as ro:
        assert allocations_json(ro) == out
