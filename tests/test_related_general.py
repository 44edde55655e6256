"""General retrieval behaviour of kb/related.py (not tied to one dev link) and the held-out links."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from kb import related as R
from kb.related import Analyzer, build_query, find_passage_by_quote, get_index, normalise, related_json, related_passages
from kb.store import Mention
from support import PLAN_ID, REPORT_ID

HELDOUT = Path(__file__).parent / "data" / "heldout_links.json"


@pytest.fixture(scope="module")
def store(built_store):
    return built_store


def _rank(items: list[dict], quote: str) -> int | None:
    return next((i for i, r in enumerate(items, 1) if normalise(quote) in normalise(r["text"])), None)


# -- analysis ----------------------------------------------------------------------------------
def test_elided_compound_heads_are_restored() -> None:
    a = Analyzer(frozenset({"identiteits", "herkomst", "vaststelling", "identificatie", "registratie", "proces",
                            "asiel", "migratie", "beleid"}))
    assert a.elided("de identiteits- en herkomstvaststelling") == ["identiteitsvaststelling"]
    assert a.elided("een identificatie- en registratieproces") == ["identificatieproces"]
    assert a.elided("het Europese asiel- en migratiebeleid") == ["asielbeleid"]
    assert a.elided("in- en uitreis") == []  # a fragment too short to be a word of its own
    assert R.stem("identiteitsvaststelling") in a.terms("identiteits- en herkomstvaststelling")
    # the head is found even when it is not a corpus word by itself (after the longest known modifier)
    b = Analyzer(frozenset({"herkomst"}))
    assert b.elided("identiteits- en herkomstvaststelling") == ["identiteitsvaststelling"]


def test_participles_meet_their_infinitive() -> None:
    a = Analyzer(frozenset({"ontwikkelen", "realiseren", "versterken", "oprichten", "leggen", "volgen", "gebieden",
                            "gebruiken", "intensiveren"}))
    assert a.lemma("ontwikkeld") == "ontwikkelen"
    assert a.lemma("gerealiseerd") == "realiseren"
    assert a.lemma("versterkt") == "versterken"
    assert a.lemma("opgericht") == "oprichten"
    assert a.lemma("gelegd") == "leggen"
    assert a.lemma("gevolgd") == "volgen"
    assert a.lemma("geïntensiveerd") == "intensiveren"
    assert a.lemma("gebruikt") == "gebruiken"
    assert a.lemma("gebied") != "bieden"  # a noun that merely starts with "ge"
    assert a.lemma("kort") == "kort"  # too short to guess
    assert a.terms("het plan is ontwikkeld").keys() & a.terms("een plan ontwikkelen").keys() >= {R.stem("ontwikkelen")}


def test_stop_words_do_not_need_spacy_imported() -> None:
    from spacy.lang.nl.stop_words import STOP_WORDS

    assert set(STOP_WORDS) <= R.STOP
    assert {"inclusief", "the", "for"} <= R.STOP  # function words of plans (and their English passages)


# -- the query ---------------------------------------------------------------------------------
def test_the_quoted_sentence_outweighs_the_rest_of_a_long_paragraph(store) -> None:
    quote = "Zo is bijvoorbeeld het telehoren geïntensiveerd en breed toegepast"
    sid, bi = find_passage_by_quote(store, quote)
    idx = get_index(store)
    q, _info = build_query(idx, sid, bi, quote)
    # a word of the quoted sentence vs. words that occur only elsewhere in the (long) paragraph
    assert q[R.stem("telehoren")] >= R.W.q_focus + R.W.q_quote - 1e-9
    assert q[R.stem("slachtofferhulp")] < R.W.q_focus
    assert q[R.stem("telehoren")] > 2 * q[R.stem("slachtofferhulp")]


def test_value_mentions_do_not_link_passages(store_copy) -> None:
    """A DATE/PERCENT mention has a type-level id ("date") that is not a catalogued entity."""
    st = store_copy
    plan_sid, plan_bi = find_passage_by_quote(st, "De Nederlandse HashCheckService is gebouwd")
    rep_sid, _ = find_passage_by_quote(st, "HashCheckService’ uitgebouwd en in gebruik genomen")
    mentions = []
    for sid in (plan_sid, rep_sid):
        text = st.section(sid)["text"]
        start = text.index("HashCheckService")
        mentions.append(Mention("date", "DATE", sid, st.section(sid)["document_id"], start, start + 4, text[start:start + 4]))
    with st.transaction():
        st.replace_entities([{"id": "hashcheckservice", "label": "SYSTEM", "name": "HashCheckService", "aliases": []}])
        st.add_mentions(mentions)
    items = related_passages(st, plan_sid, plan_bi, limit=10)
    assert all("date" not in x["evidence"]["entities"] for x in items)


def test_participle_in_a_report_matches_the_plan_infinitive(store) -> None:
    """The reason names the shared word in the report's own form."""
    out = related_json(store, "Verder ontwikkelen van de identiteits- en herkomstvaststelling", 5)
    hit = next(x for x in out["related"] if "identificatie- en registratieproces" in x["text"])
    assert hit["document"] == REPORT_ID


# -- held-out links ----------------------------------------------------------------------------
def _heldout(kind: str) -> list[tuple[str, str]]:
    data = json.loads(HELDOUT.read_text(encoding="utf-8"))
    if kind == "links":
        return [(l["plan"]["quote"], l["result"]["quote"]) for l in data["links"]]
    return [(l["result"]["quote"], l["plan"]["quote"]) for l in data["reverse_links"]]


@pytest.mark.parametrize("kind, src_doc, min_recall", [("links", PLAN_ID, 0.85), ("reverse_links", REPORT_ID, 0.6)])
def test_heldout_recall(store, kind: str, src_doc: str, min_recall: float) -> None:
    pairs = _heldout(kind)
    hits, missed = 0, []
    for quote, want in pairs:
        out = related_json(store, quote, 5)
        assert out is not None, quote
        assert out["passage"]["document"] == src_doc, quote
        if _rank(out["related"], want):
            hits += 1
        else:
            missed.append(quote[:60])
    assert hits / len(pairs) >= min_recall, missed
