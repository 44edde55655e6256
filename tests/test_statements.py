"""Sentence splitter and statement classifier, on real sentences of the shipped documents."""
from __future__ import annotations

from pathlib import Path

import pytest

from kb.extract_store import read_statements
from kb.sentences import section_sentences, split_sentences
from kb.statements import CueError, classify_sentence, extract_statements, load_cues
from support import PLAN_ID, REPORT_ID, load_shipped


def texts(s: str) -> list[str]:
    return [sp.text for sp in split_sentences(s)]


# -- sentence splitter ----------------------------------------------------------------------
@pytest.mark.parametrize("text, expected", [
    ("UVB voert naast AMIF en ISF o.a. ook het Europees Sociaal Fonds (ESF) uit. De GI is verantwoordelijk.",
     ["UVB voert naast AMIF en ISF o.a. ook het Europees Sociaal Fonds (ESF) uit.", "De GI is verantwoordelijk."]),
    ("Het uitvoeren van asielprocedures (d.w.z. personeel, operationele behoeften) telt. Verder niets.",
     ["Het uitvoeren van asielprocedures (d.w.z. personeel, operationele behoeften) telt.", "Verder niets."]),
    ("Denk aan samenwerking (bijv. ondermijning, terrorisme) en coördinatie. Zo gaat het.",
     ["Denk aan samenwerking (bijv. ondermijning, terrorisme) en coördinatie.", "Zo gaat het."]),
    ("Het onderscheidende van AMF t.o.v. ESF+ is het beleidsdoel. Dat v.w.b. de doelgroepen.",
     ["Het onderscheidende van AMF t.o.v. ESF+ is het beleidsdoel.", "Dat v.w.b. de doelgroepen."]),
    ("Daarmee beoogt NL tevens te voldoen aan de a.s. wijziging van de EU. Dat is nodig.",
     ["Daarmee beoogt NL tevens te voldoen aan de a.s. wijziging van de EU.", "Dat is nodig."]),
    ("Zie art. 25 bis van de Visumcode en nr. 1053/2013. Einde.",
     ["Zie art. 25 bis van de Visumcode en nr. 1053/2013.", "Einde."]),
    ("Het naar schatting jaarlijkse € 20 mld. in Nederland verdiende inkomen. Volgende zin.",
     ["Het naar schatting jaarlijkse € 20 mld. in Nederland verdiende inkomen.", "Volgende zin."]),
    ("Voor de implementatie zijn we voornemens om 67,5% van de BMVI middelen te alloceren. Het is 10.000 keer.",
     ["Voor de implementatie zijn we voornemens om 67,5% van de BMVI middelen te alloceren.", "Het is 10.000 keer."]),
    ("De onderzoeken naar Michael P. zijn zo goed als afgerond. Prof. J.A. Jansen tekende.",
     ["De onderzoeken naar Michael P. zijn zo goed als afgerond.", "Prof. J.A. Jansen tekende."]),
    ("Uitwisselingprogramma's, vertalingen, etc. kunnen hier onderdeel van uitmaken. Zo doende.",
     ["Uitwisselingprogramma's, vertalingen, etc. kunnen hier onderdeel van uitmaken.", "Zo doende."]),
    ("Het versterken van netwerken, uitlenen van expertise etc.) op het gebied van fenomenen.",
     ["Het versterken van netwerken, uitlenen van expertise etc.) op het gebied van fenomenen."]),
    # missing space after the full stop, footnote numbers glued to the sentence end, a no-break space
    ("Met pilots beproeven we wat werkt.Tien extra loketten openden.",
     ["Met pilots beproeven we wat werkt.", "Tien extra loketten openden."]),
    ("Publieke waarden via overheidssturing.1 Bovendien heeft de samenleving dit laten zien.",
     ["Publieke waarden via overheidssturing.1", "Bovendien heeft de samenleving dit laten zien."]),
    ("Lesmateriaal gericht op preventie.5\u00a0Hiermee beogen we weerbaarheid te versterken.",
     ["Lesmateriaal gericht op preventie.5", "Hiermee beogen we weerbaarheid te versterken."]),
    # hard line breaks between allocation lines
    ("2% van AMF gericht op Legale migratie (IND)\n20% van AMF gericht op Integratie (S&I)",
     ["2% van AMF gericht op Legale migratie (IND)", "20% van AMF gericht op Integratie (S&I)"]),
    ("(Inter)nationale samenwerking mede ten behoeve van harmonisering van asielprocedures;",
     ["(Inter)nationale samenwerking mede ten behoeve van harmonisering van asielprocedures;"]),
])
def test_splitter_edge_cases(text: str, expected: list[str]) -> None:
    assert texts(text) == expected


def test_offsets_are_exact_on_every_section_of_both_documents() -> None:
    for doc in load_shipped().values():
        for sec in doc.sections:
            spans = section_sentences(sec)
            for sp in spans:
                assert sec.text[sp.start:sp.end] == sp.text
                assert sp.text == sp.text.strip() and sp.text
            # sentences never cross a block boundary and come in order
            assert [sp.start for sp in spans] == sorted(sp.start for sp in spans)
            for sp in spans:
                assert any(b.start <= sp.start and sp.end <= b.end for b in sec.blocks)


def test_list_items_are_their_own_sentences() -> None:
    doc = load_shipped()[PLAN_ID]
    sec = next(s for s in doc.sections if s.title == "AMF algemeen")
    sents = [sp.text for sp in section_sentences(sec)]
    assert "Optimaliseren Uitvoeringsprocessen" in sents
    assert "(Inter)nationale Samenwerking" in sents


def test_base_offset() -> None:
    spans = split_sentences("Eerste zin. Tweede zin.", base=100)
    assert [(s.start, s.end) for s in spans] == [(100, 111), (112, 123)]


# -- classifier -----------------------------------------------------------------------------
def kind(sentence: str, **kw) -> str:
    return classify_sentence(sentence, **kw).kind


@pytest.mark.parametrize("sentence", [
    # contourennota (plan)
    "Voor de implementatie van deze maatregel zijn we voornemens om 67,5% van de BMVI middelen te alloceren, "
    "het betreft een indicatieve allocatie.",
    "De focus zal liggen op de verdere volledige implementatie van de PNR wetgeving – inclusief de implementatie "
    "van de adviezen die voortkomen uit Europese en nationale PNR-evaluaties.",
    "Nederland wil het AMF blijven inzetten voor de inburgering, om vanaf 2021 innovaties van de gemeentelijke "
    "uitvoering binnen het nieuwe stelsel te kunnen stimuleren.",
    "NL zet daarom in op een systeem van monitoring, zodat inzichtelijk wordt welke hostingprovider hoeveel "
    "kinderpornografisch materiaal host en hoe vaak hostingproviders de 24-uurs verwijderingsnorm halen.",
    "We beogen hiermee het verder stimuleren van thans binnen het AMIF al spaarzaam lopende activiteiten, die beogen "
    "traditionele vrouwelijke statushouders in een beschermde setting uit hun isolement te halen.",
    "Daarnaast wordt gestreefd naar een goede balans tussen focus in doelstellingen en flexibiliteit binnen een 7 "
    "jarige uitvoering.",
    "Het is van belang dit netwerk in stand te houden en waar mogelijk te versterken.",
    "Tijdens de programma periode 2021 – 2027 wil NL investeren in een bestuursrechtelijke aanpak alsmede in een "
    "aanpak die de private partijen zelf faciliteert dit probleem te adresseren.",
    # jaarverslag (a report also states intentions)
    "Ook zetten we in op meer informele procedures, betere communicatie en het voorkomen van onnodige juridisering "
    "vanuit de overheid.",
])
def test_commitments(sentence: str) -> None:
    assert kind(sentence) == "commitment"


@pytest.mark.parametrize("sentence", [
    "Om het internet op te schonen van kinderpornografisch materiaal, is het technisch instrument "
    "‘HashCheckService’ uitgebouwd en in gebruik genomen.",
    "Op 1 juli is de wet- en regelgeving voor het experiment met de gesloten coffeeshopketen in werking getreden.",
    "Om dit brede offensief kracht bij te zetten en de aanpak van ondermijnende criminaliteit te versterken, versnellen "
    "en te verduurzamen, is in september 2020 het (tijdelijke) programma-directoraat generaal Ondermijning opgericht.",
    "De onderhandelingen over het EU Cybersecurity Competence Centre and Network zijn eind 2020 afgerond.",
    "De voorwaarden voor het verlaagd salariscriterium zijn dit jaar versoepeld.",
    "Ten slotte is de Nederlandse passagiersinformatie-eenheid verder geprofessionaliseerd.",
    "Nederland heeft ervoor gekozen een zelfstandig bestuursorgaan op te richten.",
    "Het CJIB heeft per 1 april de noodstopprocedure ingevoerd.",
    "Het resultaat hiervan is een eerste versie van het ketenbrede slachtofferportaal.",
    "De Houtskoolschets Opsporing, die door de korpsleiding in 2020 is vastgesteld, bevat een verander-ambitie.",
    # in the plan: a past fact
    "De Nederlandse HashCheckService is gebouwd, werkt als pilot, en dient verder te worden uitgebreid en geïmplementeerd.",
    # a concessive clause does not outweigh the main clause
    "Ondanks de tegenvallende productie, onder andere door corona en operationele tegenvallers, is ruim de helft van "
    "de achterstand ingelopen in 2020.",
])
def test_results(sentence: str) -> None:
    assert kind(sentence) == "result"


@pytest.mark.parametrize("sentence", [
    "De opstart van de gecombineerde kleinschalig voorziening (strafrechtelijk en civielrechtelijk) is niet van de "
    "grond gekomen.",
    "Door corona hebben de meeste projecten vertraging opgelopen.",
    "De oplevering van de integrale aanpak liep vanwege een privacytoets enige maanden vertraging op.",
    "Extra achterstanden zijn daardoor ontstaan (zo’n 35.000 zaken).",
    "Om deze reden heeft het onderzoek ook meer tijd gekost dan voorzien.",
    "De ontwikkeling van de nieuwe CT-strategie heeft wat vertraging opgelopen.",
    "Terugkeer van vreemdelingen die verplicht zijn te vertrekken heeft hinder ondervonden van beperkingen in het "
    "luchtverkeer door corona.",
])
def test_problems(sentence: str) -> None:
    assert kind(sentence) == "problem"


@pytest.mark.parametrize("sentence", [
    "De ADR is de interne auditdienst van de Nederlandse rijksoverheid.",
    "Dit verslag volgt de structuur van die agenda.",
    "Kernstukken zijn:",
    "De hostingsector in Nederland is groot.",
])
def test_other(sentence: str) -> None:
    assert kind(sentence) == "other"


def test_negated_result_is_not_a_result() -> None:
    c = classify_sentence("De implementatie van de maatregelen is nog niet afgerond.")
    assert c.kind == "problem" and c.negated
    assert c.evidence["negation"]["text"] == "nog niet"
    assert c.evidence["flipped_from"] == "result"
    c = classify_sentence("Het portaal is niet gerealiseerd.")
    assert c.kind in ("problem", "other") and c.negated


def test_negated_problem_and_negated_commitment() -> None:
    c = classify_sentence("Bij de invoering is geen vertraging opgelopen.")
    assert c.kind == "other" and c.negated
    c = classify_sentence("We zullen geen nieuwe structuur opzetten.")
    assert c.kind == "commitment" and c.negated


def test_negation_that_is_part_of_the_cue_does_not_flip() -> None:
    c = classify_sentence("De opstart van de gecombineerde kleinschalig voorziening is niet van de grond gekomen.")
    assert c.kind == "problem" and c.negated and "flipped_from" not in c.evidence
    # "niet alleen ... maar ook" does not negate
    c = classify_sentence("De nadruk is niet alleen gelegd op EES maar ook op SIS, dat is opgeleverd.")
    assert c.kind == "result" and not c.negated


def test_conditionals() -> None:
    c = classify_sentence("Indien nodig zullen we de regeling aanpassen.")
    assert c.kind == "commitment" and c.conditional
    assert c.evidence["condition"]["text"].lower().startswith("indien")
    # real sentence from the report: the result verb sits inside the "als" clause
    c = classify_sentence("Dit om op tijd te starten met de uitvoering als de rechter een maatregel voor "
                          "kinderbescherming en jeugdreclassering heeft opgelegd, alsook tijdig de inzet van "
                          "noodzakelijk jeugdhulp te bevorderen.")
    assert c.kind != "result" and c.conditional
    # real sentence from the plan, with "indien" and "willen"
    c = classify_sentence("Dit voorkomt complicaties indien deze diensten ook subsidie willen ontvangen uit de "
                          "betreffende fondsen.")
    assert c.conditional and c.kind == "other"
    c = classify_sentence("Wanneer de vreemdeling meewerkt aan het vertrek dan is de terugkeer naar het land van "
                          "herkomst in de meeste gevallen mogelijk.")
    assert c.conditional
    # "als" meaning "as" is no condition
    assert not classify_sentence("Als auditinstantie (AA) is aangewezen de Auditdienst Rijk (ADR).").conditional
    assert classify_sentence("Als auditinstantie (AA) is aangewezen de Auditdienst Rijk (ADR).").kind == "result"


def test_evidence_is_the_cue_and_its_text() -> None:
    s = "Op 1 juli is het programmadirectoraat COVID-19 opgericht."
    c = classify_sentence(s)
    assert c.kind == "result"
    assert c.cue["id"] == "result.aux-participle"
    assert s[c.cue["start"]:c.cue["end"]] == c.cue["text"] and c.cue["text"].endswith("opgericht")


def test_list_item_measures_are_commitments_only_in_lists() -> None:
    s = "Verbeteren van primaire uitvoeringsprocessen"
    assert kind(s, block_kind="list_item") == "commitment"
    assert kind(s, block_kind="paragraph") == "other"


def test_statements_of_both_documents(tmp_path: Path) -> None:
    docs = load_shipped()
    plan = extract_statements(docs[PLAN_ID])
    report = extract_statements(docs[REPORT_ID])
    count = lambda rows, k: sum(1 for r in rows if r["kind"] == k)  # noqa: E731
    # a plan commits, a report reports
    assert count(plan, "commitment") > count(plan, "result")
    assert count(report, "result") > 3 * count(report, "commitment")
    assert count(report, "problem") >= 8
    # ids are stable: same input, same ids; numbered per section from 1
    again = extract_statements(load_shipped()[PLAN_ID])
    assert [r["id"] for r in plan] == [r["id"] for r in again]
    first = plan[0]
    assert first["id"] == f"{first['section_id']}/s1"
    for r in plan + report:
        sec = next(s for d in docs.values() for s in d.sections if s.id == r["section_id"])
        assert sec.text[r["start"]:r["end"]] == r["text"]


def test_statements_in_the_store(store_copy) -> None:
    store = store_copy
    rows = read_statements(store, document_id=REPORT_ID)
    hit = [r for r in rows if "HashCheckService’ uitgebouwd en in gebruik genomen" in r["text"]]
    assert len(hit) == 1
    assert hit[0]["kind"] == "result"
    assert hit[0]["cue"]["id"] == "result.in-gebruik-genomen" and hit[0]["cue"]["text"] == "in gebruik genomen"
    problems = read_statements(store, document_id=REPORT_ID, kind="problem")
    assert any("niet van de grond gekomen" in r["text"] for r in problems)
    # a rebuild of one document replaces its rows (delete + insert), nothing doubles
    from kb.extract import extract_all

    n = store.counts()["statements"]
    with store.transaction():
        extract_all(store, load_shipped()[REPORT_ID])
    assert store.counts()["statements"] == n


def test_cue_file_errors_are_reported(tmp_path: Path) -> None:
    bad = tmp_path / "cues.yaml"
    bad.write_text("cues:\n  - {id: x.y, kind: wish, pattern: 'zal'}\n", encoding="utf-8")
    with pytest.raises(CueError, match="x.y"):
        load_cues(bad)
    bad.write_text("cues:\n  - {id: x.y, kind: result, pattern: '(unclosed'}\n", encoding="utf-8")
    with pytest.raises(CueError, match="invalid pattern"):
        load_cues(bad)
