"""The tagger's rule patterns and tokenizer (kb.tagger): money, percentages, dates, legal references, act
and organisation names, persons; tokens of policy text.  Runs on the small test catalogue
(tagger_support.py)."""
from __future__ import annotations

import pytest

from kb.tagger import Tagger

from tagger_support import NAMED, ents


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
