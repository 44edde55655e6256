"""The entity tagger (kb.tagger): precision, linking, definitions, patterns, tokenizer, model merge.

Most tests run against a small catalogue written to a temporary directory (real YAML, loaded and validated
by kb.catalogue), so they do not depend on the shipped catalogue's content; a few run the shipped
catalogue on the shipped documents.  No mocks: the statistical-merge test trains a real (tiny) spaCy NER.
"""
from __future__ import annotations

import random
import re
from pathlib import Path

import pytest
import spacy
from spacy.training import Example

from settings import PROJECT_ROOT
from kb.catalogue import load_catalogue
from kb.tagger import TaggedEntity, Tagger, build_tagger, tag_json

TINY_CATALOGUE = {
    "organisations.yaml": """
- id: ind
  label: ORG
  name: Immigratie- en Naturalisatiedienst
  aliases: [IND]
- id: dtenv
  label: ORG
  name: Dienst Terugkeer en Vertrek
  aliases: ["DT&V"]
- id: jenv
  label: ORG
  name: Ministerie van Justitie en Veiligheid
  aliases: [JenV, "J&V"]
- id: raad-van-state
  label: ORG
  name: Raad van State
- id: tweede-kamer
  label: ORG
  name: Tweede Kamer
- id: rechtspraak
  label: ORG
  name: Rechtspraak
  case_sensitive: [Rechtspraak]
""",
    "systems.yaml": """
- id: vis
  label: SYSTEM
  name: Visuminformatiesysteem
  aliases: [VIS, Visa Information System]
- id: sis
  label: SYSTEM
  name: Schengeninformatiesysteem
  aliases: [SIS, Schengen Informatie Systeem]
- id: ecris
  label: SYSTEM
  name: European Criminal Records Information System
  aliases: [ECRIS]
- id: ecris-tcn
  label: SYSTEM
  name: ECRIS voor onderdanen van derde landen
  aliases: [ECRIS-TCN]
- id: ees
  label: SYSTEM
  name: Entry-Exit System
  aliases: [EES]
- id: pnr
  label: SYSTEM
  name: Passenger Name Record
  aliases: [PNR]
""",
    "funds.yaml": """
- id: amif
  label: FUND
  name: Fonds voor Asiel, Migratie en Integratie
  aliases: [AMIF]
- id: amf
  label: FUND
  name: Asiel- en Migratiefonds
  aliases: [AMF]
- id: isf
  label: FUND
  name: Fonds voor Interne Veiligheid
  aliases: [ISF]
""",
}


@pytest.fixture(scope="module")
def catalogue_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    d = tmp_path_factory.mktemp("catalogue")
    for name, text in TINY_CATALOGUE.items():
        (d / name).write_text(text.lstrip(), encoding="utf-8")
    return d


@pytest.fixture(scope="module")
def tagger(catalogue_dir: Path) -> Tagger:
    return build_tagger(catalogue=load_catalogue(catalogue_dir), model=None)


def ents(tagger: Tagger, text: str, labels: tuple[str, ...] | None = None) -> list[TaggedEntity]:
    out = tagger.tag(text)
    check_offsets(text, out)
    return [e for e in out if labels is None or e.label in labels]


def check_offsets(text: str, found: list[TaggedEntity]) -> None:
    last_end = -1
    for e in found:
        assert text[e.start:e.end] == e.text, e
        assert e.start >= last_end, f"overlap or unsorted at {e}"
        last_end = e.end


def by_text(found: list[TaggedEntity]) -> dict[str, TaggedEntity]:
    return {e.text: e for e in found}


NAMED = ("ORG", "LAW", "SYSTEM", "FUND", "PROGRAMME")


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


# -- rule patterns -----------------------------------------------------------------------------------

def test_money_percent_and_date_values(tagger: Tagger) -> None:
    text = ("Er is € 1 miljoen per project en circa 23 miljoen euro beschikbaar; ook €3 miljoen en € 20 mld. "
            "Er is 19 miljoen beschikbaar. Verder 67,5% en 20 procent, op 1 mei 2021, vanaf 17 maart, eind 2021, "
            "Q4 2020, begin 2020, 25 maart 2016 en de periode 2021-2027. Er zijn 1,4 mln hashcodes.")
    found = [(e.label, e.text, e.value) for e in ents(tagger, text) if e.label in ("MONEY", "PERCENT", "DATE")]
    assert found == [
        ("MONEY", "€ 1 miljoen", "EUR 1000000"), ("MONEY", "23 miljoen euro", "EUR 23000000"),
        ("MONEY", "€3 miljoen", "EUR 3000000"), ("MONEY", "€ 20 mld", "EUR 20000000000"),
        ("MONEY", "19 miljoen", "EUR 19000000"),
        ("PERCENT", "67,5%", "67.5"), ("PERCENT", "20 procent", "20"),
        ("DATE", "1 mei 2021", "2021-05-01"), ("DATE", "17 maart", "XXXX-03-17"), ("DATE", "eind 2021", "2021~END"),
        ("DATE", "Q4 2020", "2020-Q4"), ("DATE", "begin 2020", "2020~START"), ("DATE", "25 maart 2016", "2016-03-25"),
        ("DATE", "2021-2027", "2021/2027"),
    ]
    assert all(e.kb_id == e.label.lower() for e in ents(tagger, text) if e.label in ("MONEY", "PERCENT", "DATE"))


@pytest.mark.parametrize("text, surface, kb_id, value", [
    ("implementatie van de richtlijn 2016/681 over", "richtlijn 2016/681", "celex-32016l0681", None),
    ("wijziging van de EU Richtlijn (EU) 2016/849 inzake", "Richtlijn (EU) 2016/849", "celex-32016l0849", None),
    ("op basis van verordening (EU) 2018/1805 inzake", "verordening (EU) 2018/1805", "celex-32018r1805", None),
    ("VERORDENING (EU) Nr. 1053/2013 VAN DE RAAD van 7 oktober", "VERORDENING (EU) Nr. 1053/2013", "celex-32013r1053", None),
    ("zoals vastgelegd in Directive 2008/115/EC of the", "Directive 2008/115/EC", "celex-32008l0115", None),
    ("overtreding van artikel 137d Sr (aanzetten tot haat)", "artikel 137d Sr", "law-wetboek-van-strafrecht",
     "artikel 137d"),
    ("aanpassing van art. 2:20 BW, mogelijk", "art. 2:20 BW", "law-burgerlijk-wetboek", "artikel 2:20"),
    ("te vinden in artikel 3 lid 2 van de Subsidieregeling AMIF en ISF 2014-2020.",
     "artikel 3 lid 2 van de Subsidieregeling AMIF en ISF 2014-2020", "law-subsidieregeling-amif-en-isf-2014-2020",
     "artikel 3 lid 2"),
    ("is de Wet Versterking Positie Slachtoffers aangenomen", "Wet Versterking Positie Slachtoffers",
     "law-wet-versterking-positie-slachtoffers", None),
])
def test_legal_references_are_laws(tagger: Tagger, text: str, surface: str, kb_id: str, value: str | None) -> None:
    laws = [e for e in ents(tagger, text) if e.label == "LAW"]
    assert [(e.text, e.kb_id) for e in laws] == [(surface, kb_id)]
    if value:
        assert laws[0].value == value


def test_article_reference_relates_to_funds_in_the_act_name(tagger: Tagger) -> None:
    law = ents(tagger, "in artikel 3 lid 2 van de Subsidieregeling AMIF en ISF 2014-2020.", ("LAW",))[0]
    assert law.related == ["amif", "isf"]


def test_act_names_end_where_the_sentence_goes_on(tagger: Tagger) -> None:
    text = ("In 2020 is de Wet straffen en beschermen (hierna: Wet SenB) aangenomen. De Wet SenB wijzigt de "
            "uitvoering. De invoering van de Wet SenB. Belangrijke elementen volgen.")
    laws = ents(tagger, text, ("LAW",))
    assert [e.text for e in laws] == ["Wet straffen en beschermen", "Wet SenB", "Wet SenB", "Wet SenB"]
    assert len({e.kb_id for e in laws}) == 1


def test_names_with_a_head_noun(tagger: Tagger) -> None:
    text = ("Conform de Integrale Migratieagenda van het kabinet werkt het Centraal Justitieel Incassobureau met "
            "het Verwijzingsportaal Bankgegevens; de Tweede Kamer en Eerste Kamer zijn geïnformeerd, net als de "
            "Gedelegeerde Instantie.")
    found = [(e.text, e.label) for e in ents(tagger, text, NAMED)]
    assert found == [("Integrale Migratieagenda", "PROGRAMME"), ("Centraal Justitieel Incassobureau", "ORG"),
                     ("Verwijzingsportaal Bankgegevens", "SYSTEM"), ("Tweede Kamer", "ORG"), ("Eerste Kamer", "ORG")]


def test_person_after_title_or_initials(tagger: Tagger) -> None:
    found = [(e.text, e.kb_id) for e in ents(tagger, "Minister Grapperhaus sprak met J.A. de Vries en de Minister van "
                                                     "Justitie.", ("PERSON",))]
    assert found == [("Grapperhaus", "person:grapperhaus"), ("J.A. de Vries", "person:de-vries")]


# -- tokenizer ---------------------------------------------------------------------------------------

@pytest.mark.parametrize("text, tokens", [
    ("ECRIS-TCN en 2019/816", ["ECRIS-TCN", "en", "2019/816"]),
    ("DT&V, J&V en ESF+.", ["DT&V", ",", "J&V", "en", "ESF+", "."]),
    ("art. 2:20 BW.", ["art.", "2:20", "BW", "."]),
    ("verordening (EU) 2018/1805", ["verordening", "(", "EU", ")", "2018/1805"]),
    ("67,5% van", ["67,5%", "van"]),
    ("ECRIS-TCN-verordening", ["ECRIS-TCN", "-", "verordening"]),
    ("JenV-Beleidsagenda", ["JenV", "-", "Beleidsagenda"]),
    ("Immigratie- en", ["Immigratie", "-", "en"]),
    ("re-integratie en COVID-19", ["re-integratie", "en", "COVID-19"]),
    ("NGO's en HSP’s", ["NGO", "'s", "en", "HSP", "’s"]),
    ("artikel 137d Sr.", ["artikel", "137d", "Sr", "."]),
])
def test_tokenizer_keeps_policy_tokens_sensible(tagger: Tagger, text: str, tokens: list[str]) -> None:
    assert [t.text for t in tagger.nlp.make_doc(text)] == tokens


# -- API, offsets, fingerprint -------------------------------------------------------------------------

def test_tag_json_shape(tagger: Tagger) -> None:
    out = tag_json("De IND en 20 procent.", tagger)
    assert list(out) == ["entities"]
    assert out["entities"][0] == {"start": 3, "end": 6, "text": "IND", "label": "ORG", "kb_id": "ind",
                                  "related": [], "value": None, "refs": {}, "article": None}
    assert out["entities"][1]["value"] == "20"


def test_tag_many_equals_tag(tagger: Tagger) -> None:
    texts = ["De IND en het COA.", "", "ECRIS-TCN-verordening 2019/816", "Nederland \n\n en de DT&V"]
    assert list(tagger.tag_many(texts)) == [tagger.tag(t) for t in texts]


def test_offsets_hold_on_the_shipped_documents(tagger: Tagger) -> None:
    for path in sorted((PROJECT_ROOT / "corpus" / "documents").glob("*.*")):
        if path.suffix not in (".md", ".txt"):
            continue
        text = path.read_text(encoding="utf-8")
        for block in re.split(r"\n\s*\n", text):
            check_offsets(block, tagger.tag(block))


def test_fingerprint_follows_catalogue_and_definitions(catalogue_dir: Path, tagger: Tagger, tmp_path: Path) -> None:
    same = build_tagger(catalogue=catalogue_dir, model=None)
    assert same.fingerprint == tagger.fingerprint
    with_defs = build_tagger(catalogue=catalogue_dir, model=None,
                             definitions=[{"short": "NVA", "long": "Nationale Voedselautoriteit",
                                           "entity_id": "org-nva", "label": "ORG"}])
    assert with_defs.fingerprint != tagger.fingerprint
    other = tmp_path / "cat"
    other.mkdir()
    for name, text in TINY_CATALOGUE.items():
        (other / name).write_text(text.lstrip().replace("Raad van State", "Raad van State der Nederlanden"), "utf-8")
    assert build_tagger(catalogue=other, model=None).fingerprint != tagger.fingerprint
    # The pipeline name is shown to users (build summary, status page): Dutch words only.
    assert tagger.pipeline_name == "spacy.blank('nl') + catalogus + regels"


def test_missing_model_falls_back_to_blank(catalogue_dir: Path) -> None:
    t = build_tagger(catalogue=catalogue_dir, model="nl_core_news_does_not_exist")
    assert t.pipeline_name.startswith("spacy.blank('nl')")
    assert [e.kb_id for e in t.tag("De IND.")] == ["ind"]


# -- statistical NER merge -----------------------------------------------------------------------------

TRAIN = [
    ("Pieter Jansen van de Dienst Terugkeer en Vertrek reisde naar Oosterhesselen.",
     [("Pieter Jansen", "PER"), ("Dienst Terugkeer", "ORG"), ("Oosterhesselen", "LOC")]),
    ("Marieke de Boer woont in Oosterhesselen.", [("Marieke de Boer", "PER"), ("Oosterhesselen", "LOC")]),
    ("Karel Appel bezocht Wapserveen en de IND vandaag.", [("Karel Appel", "PER"), ("Wapserveen", "LOC"), ("IND", "ORG")]),
    ("In Wapserveen sprak Pieter Jansen met de IND vandaag.", [("Wapserveen", "LOC"), ("Pieter Jansen", "PER"), ("IND", "ORG")]),
    ("De Kamer vergaderde over Kerstmis in Oosterhesselen.", [("Kamer", "ORG"), ("Kerstmis", "MISC"),
                                                              ("Oosterhesselen", "LOC")]),
]


def _entities(text: str, spans: list[tuple[str, str]]) -> list[tuple[int, int, str]]:
    out = []
    for surface, label in spans:
        i = text.index(surface)
        out.append((i, i + len(surface), label))
    return out


@pytest.fixture(scope="module")
def tiny_model(tmp_path_factory: pytest.TempPathFactory) -> Path:
    spacy.util.fix_random_seed(7)
    random.seed(7)
    nlp = spacy.blank("nl")
    ner = nlp.add_pipe("ner")
    for label in ("PER", "LOC", "ORG", "MISC"):
        ner.add_label(label)
    examples = [Example.from_dict(nlp.make_doc(t), {"entities": _entities(t, s)}) for t, s in TRAIN]
    optimizer = nlp.initialize(lambda: examples)
    for _ in range(60):
        random.shuffle(examples)
        nlp.update(examples, sgd=optimizer, drop=0.0)
    path = tmp_path_factory.mktemp("model") / "tiny_nl_ner"
    nlp.to_disk(path)
    return path


def test_statistical_entities_are_merged_with_rules_winning(catalogue_dir: Path, tiny_model: Path) -> None:
    tagger = build_tagger(catalogue=catalogue_dir, model=tiny_model)
    assert "ner" in tagger.nlp.pipe_names and "bb_stat_merge" in tagger.nlp.pipe_names
    assert tagger.pipeline_name.endswith("+ catalogus + regels + ner") and str(tiny_model) in tagger.pipeline_name
    text = TRAIN[0][0]
    raw = [(e.text, e.label_) for e in spacy.load(tiny_model)(text).ents]
    assert ("Pieter Jansen", "PER") in raw and ("Dienst Terugkeer", "ORG") in raw  # what the model says
    found = [(e.text, e.label, e.kb_id) for e in ents(tagger, text)]
    assert found == [
        ("Pieter Jansen", "PERSON", "person:pieter-jansen"),  # PER -> PERSON
        ("Dienst Terugkeer en Vertrek", "ORG", "dtenv"),  # the catalogue wins over the model's partial ORG
        ("Oosterhesselen", "LOC", "loc:oosterhesselen"),
    ]
    text = TRAIN[4][0]
    raw = [(e.text, e.label_) for e in spacy.load(tiny_model)(text).ents]
    assert ("Kerstmis", "MISC") in raw and ("Kamer", "ORG") in raw
    assert [(e.text, e.label) for e in ents(tagger, text)] == [("Oosterhesselen", "LOC")]  # MISC dropped, "Kamer" filtered
    assert "person:pieter-jansen" not in {r["id"] for r in tagger.entity_rows()}  # plain tag() records nothing
    tagger.tag(TRAIN[0][0], record=True)
    rows = {r["id"]: r for r in tagger.entity_rows()}
    assert rows["person:pieter-jansen"]["origin"] == "model" and rows["person:pieter-jansen"]["label"] == "PERSON"


# -- the shipped catalogue ------------------------------------------------------------------------------

def test_shipped_catalogue_builds_and_tags(tmp_path: Path) -> None:
    tagger = build_tagger(model=None)
    assert len(tagger.index.entities) > 100
    found = by_text(ents(tagger, "De IND, de DT&V en het COA voeren samen met BZ het AMIF en ISF uit.", NAMED))
    assert {found[k].kb_id for k in ("IND", "DT&V", "COA", "BZ", "AMIF", "ISF")} and len(
        {found[k].kb_id for k in ("IND", "DT&V", "COA", "BZ", "AMIF", "ISF")}) == 6


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
