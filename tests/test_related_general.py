"""General retrieval behaviour of kb/related (not tied to one dev link) and the held-out links."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from kb.related import W, build_query, find_passage_by_quote, get_index, normalise, related_json, related_passages
from kb.related.index import IGNORED, Terms
from kb.related.rank import common_terms
from kb.store import Mention
from nltext import Analyzer, Vocabulary
from support import PLAN_ID, REPORT_ID

HELDOUT = Path(__file__).parent / "data" / "heldout_links.json"


@pytest.fixture(scope="module")
def store(built_store):
    return built_store


def _rank(items: list[dict], quote: str) -> int | None:
    return next((i for i, r in enumerate(items, 1) if normalise(quote) in normalise(r["text"])), None)


# -- analysis ----------------------------------------------------------------------------------
def _terms(*words: str) -> Terms:
    return Terms(Analyzer(Vocabulary(words), participles=True))


def test_elided_compound_heads_are_restored() -> None:
    t = _terms("identiteits", "herkomst", "vaststelling", "identificatie", "registratie", "proces", "asiel",
               "migratie", "beleid")
    assert t.stem("identiteitsvaststelling") in t("de identiteits- en herkomstvaststelling")
    assert t.stem("identificatieproces") in t("een identificatie- en registratieproces")
    assert t.stem("asielbeleid") in t("het Europese asiel- en migratiebeleid")
    # the head is found even when it is not a corpus word by itself (after the longest known modifier)
    b = _terms("herkomst")
    assert b.stem("identiteitsvaststelling") in b("identiteits- en herkomstvaststelling")


def test_participles_meet_their_infinitive() -> None:
    t = _terms("ontwikkelen", "plan")
    assert t("het plan is ontwikkeld").keys() & t("een plan ontwikkelen").keys() >= {t.stem("ontwikkelen")}


def test_general_words_are_no_evidence() -> None:
    """Stop words of every tier (Dutch function and weak words, English) and months never relate passages."""
    t = _terms("bescherming")
    assert {"inclusief", "the", "for", "bijvoorbeeld", "mei"} <= IGNORED
    assert set(t("inclusief bijvoorbeeld the mei 2020")) == set()


def test_shared_words_are_shown_as_written(store) -> None:
    out = related_json(store, "Terugdringen van de doorlooptijden in het asielproces", 5)
    for hit in out["related"]:
        for word in hit["evidence"]["terms"]:
            assert word in hit["text"] or word in hit["title"], word  # never a cut-off stem


def test_no_relation_on_common_words_alone(store) -> None:
    """Every returned passage shares a tagged entity or a word that is not common in the collection."""
    idx = get_index(store)
    common = common_terms(idx)
    assert common and all(idx.df[t] > W.common_min_df for t in common)
    for quote in ("De Nederlandse HashCheckService is gebouwd, werkt als pilot",
                  "Terugdringen van de doorlooptijden in het asielproces",
                  "Wet straffen en beschermen"):  # issue 15 #12: was related on "bescherming, uitwerking, mei"
        sid, bi = find_passage_by_quote(store, quote)
        q, _info = build_query(idx, sid, bi, quote)
        for hit in related_passages(store, sid, bi, limit=10, quote=quote):
            p = next(x for x in idx.passages if x.id == hit["id"])
            specific = {t for t in q if t not in common and (t in p.terms or t in p.title_terms)}
            assert specific or hit["evidence"]["entities"], hit["reason"]


# -- the query ---------------------------------------------------------------------------------
def test_the_quoted_sentence_outweighs_the_rest_of_a_long_paragraph(store) -> None:
    quote = "Zo is bijvoorbeeld het telehoren geïntensiveerd en breed toegepast"
    sid, bi = find_passage_by_quote(store, quote)
    idx = get_index(store)
    q, _info = build_query(idx, sid, bi, quote)
    stem = idx.terms.stem
    # a word of the quoted sentence vs. words that occur only elsewhere in the (long) paragraph
    assert q[stem("telehoren")] >= W.q_focus + W.q_quote - 1e-9
    assert q[stem("slachtofferhulp")] < W.q_focus
    assert q[stem("telehoren")] > 2 * q[stem("slachtofferhulp")]


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
