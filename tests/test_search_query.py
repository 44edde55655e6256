"""Search behaviour on an index of the shipped corpus: the result shape and the query language (phrases,
AND/OR/NOT, prefixes, fuzzy terms, compounds, aliases, question words, respelling) and robustness
against malformed input.

The index is the one the real pipeline (readers + tagger) built for the session
(``built_settings`` in conftest.py)."""
from __future__ import annotations

import json

import pytest

from indexer import search_json
from webapp.search_wording import interpreted

from search_support import codes, entity_id_for, norm, texts


RESULT_KEYS = {"id", "section_id", "document", "document_title", "title", "path", "score", "snippet", "text",
               "entities", "anchor", "year", "kind", "more_in_section"}


def test_result_shape(s):
    res = s.search("achterstanden IND", limit=3)
    assert set(res) == {"query", "total", "passages", "results", "page", "facets", "suggestion", "explain", "took_ms"}
    assert res["query"] == "achterstanden IND" and res["total"] >= len(res["results"]) > 0
    for r in res["results"]:
        assert RESULT_KEYS <= set(r)
        assert isinstance(r["path"], list) and isinstance(r["score"], float) and r["text"]
        assert all(set(e) == {"id", "label", "name"} for e in r["entities"])
    assert "IND" in res["results"][0]["text"] and "achterstand" in res["results"][0]["text"]
    assert set(res["facets"]) == {"document", "type", "entity_type", "entity", "year", "statement"}
    assert json.loads(search_json(s, "telehoren", 2))["results"]


def test_alias_query_finds_other_alias(s, kb):
    ind = entity_id_for(kb["store"], "IND")
    assert ind, "the entity table has no IND"
    res = s.search("Immigratie- en Naturalisatiedienst", limit=50)
    only_acronym = [t for t in texts(res) if "IND" in t and "naturalisatiedienst" not in norm(t)]
    assert only_acronym, "no passage that names the IND only by its acronym"
    ees = s.search("Entry-Exit System", limit=10)
    assert any("uitreisysteem (EES)" in t or "uitreissysteem (EES)" in t for t in texts(ees))


def test_entity_salience_ranks_central_passages_first(s):
    res = s.search("IND", limit=5)
    top = res["results"][0]["text"]
    counts = [r["text"].count("IND") for r in res["results"]]
    assert top.count("IND") == max(counts)


def test_phrase_and_not_and_or(s):
    phrase = s.search('"vrouwelijke statushouders"', limit=50)
    assert phrase["total"] > 0 and all("vrouwelijke statushouders" in norm(t) for t in texts(phrase))
    words = s.search("vrouwelijke statushouders", limit=50)
    assert words["total"] >= phrase["total"]
    neg = s.search("statushouders -vrouwelijke", limit=50)
    assert neg["total"] > 0 and not any("vrouwelijk" in norm(t) for t in texts(neg))
    neg2 = s.search("statushouders NOT vrouwelijke", limit=50)
    assert neg2["total"] == neg["total"]
    a, b = s.search("telehoren")["total"], s.search("noodstopprocedure")["total"]
    both = s.search("telehoren OR noodstopprocedure", limit=50)
    assert both["total"] == a + b  # disjoint in this corpus
    must = s.search("telehoren AND opvang", limit=50)
    assert 0 < must["total"] <= a and all("opvang" in norm(t) for t in texts(must))


def test_prefix_and_fuzzy(s):
    pre = s.search("noodstop*", limit=5)
    assert pre["total"] > 0 and "noodstopprocedure" in norm(pre["results"][0]["text"])
    fz = s.search("noodstopprocedur~", limit=5)
    assert fz["total"] > 0 and "noodstopprocedure" in norm(fz["results"][0]["text"])
    assert s.search("kinderporrno~", limit=5)["total"] > 0


def test_compound_queries(s):
    res = s.search("terugkeer", limit=100)
    assert any("terugkeerbeleid" in norm(t) or "terugkeerprocedures" in norm(t) for t in texts(res))
    a = s.search("asielaanvraag", limit=50)
    assert any("asielaanvragen" in norm(t) for t in texts(a))


@pytest.mark.parametrize("q", [
    '"unbalanced quote', "AND", "OR", "NOT", "(", ")", "-", "+", "*", "~", "((((", "a AND", "OR b", "NOT NOT",
    "jaar:", "jaar:abc", "entiteit:onbekend", "document:", "type:niks", "\x00\x01IND\x7f", "de het een",
    "", "   ", "x" * 10_000, "migratie " * 2000, "\"\"", "title:", "foo:bar", "asiel~9", "*asiel", "a*",
    "(migratie OR", "migratie) terugkeer (", "-\"", "\u202e\u200bIND", "🙂 migratie", "IND^2", "[IND]", "{}",
])
def test_malformed_queries_never_raise(s, q):
    res = s.search(q, limit=5)
    assert isinstance(res["total"], int) and res["explain"]["status"] in ("searched", "empty", "stop_words_only",
                                                                          "no_terms")
    assert interpreted(res)  # every query gets a sentence saying how it was read
    json.dumps(res)


def test_question_words_are_ignored(s):
    plain = s.search("BMVI liaison officers", limit=3)
    asked = s.search("hoeveel BMVI geld gaat naar liaison officers?", limit=3)
    assert {"code": "question_words", "words": ["hoeveel", "gaat"]} in asked["explain"]["readings"]
    assert asked["results"][0]["id"] == plain["results"][0]["id"]
    # a question word alone is still searched for
    assert s.search("hoeveel", limit=1)["total"] > 0


def test_unknown_word_is_searched_as_its_closest_spelling(s):
    right = s.search("ketenmariniers", limit=3)
    typo = s.search("ketenmarniers", limit=3)
    assert typo["total"] == right["total"] > 0
    assert typo["results"][0]["id"] == right["results"][0]["id"]
    assert any("ketenmariniers" in n.get("searched", []) for n in typo["explain"]["notes"])
    # a known word is not respelled
    assert "respelled" not in codes(s.search("telehoren", limit=1))


def test_unknown_first_part_of_compounds_finds_the_compounds(s):
    res = s.search("coffeeshops", limit=3)  # the corpus only has "coffeeshopketen"
    assert res["total"] > 0 and "coffeeshopketen" in res["results"][0]["text"]
    assert any(n["code"] == "compound_heads" and "coffeeshopketen" in n["searched"] for n in res["explain"]["notes"])


def test_later_passage_of_a_split_section_keeps_its_full_heading(s):
    # the LO section: a sentence-long heading (shortened in the title) and a one-line allocation
    res = s.search("BMVI liaison officers", limit=5)  # "liaison officers" is only in the full heading
    assert any("7,5% van de BMVI middelen" in r["text"] for r in res["results"][:2])
    assert all(r["title"] and len(r["title"]) < 200 for r in res["results"])  # the shown title is unchanged
