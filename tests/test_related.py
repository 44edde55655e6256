"""Plan <-> result links between the contourennota and the 2020 annual report, on a real SQLite store."""
from __future__ import annotations

import pytest

from kb.passages import section_passages
from kb.related import find_passage_by_quote, get_index, invalidate, normalise, passage_dict, related_json, related_passages
from kb.related import index as related_index
from kb.store import Mention
from support import PLAN_ID, REPORT_ID


@pytest.fixture(scope="module")
def store(built_store):
    return built_store


def rank_of(items: list[dict], quote: str) -> int | None:
    for i, r in enumerate(items, 1):
        if normalise(quote) in normalise(r["text"]):
            return i
    return None


# -- quote lookup ---------------------------------------------------------------------------
def test_quote_lookup_is_normalised(store) -> None:
    exact = find_passage_by_quote(store, "HashCheckService’ uitgebouwd en in gebruik genomen")
    assert exact is not None and exact[0].startswith(REPORT_ID + ":")
    # straight instead of curly apostrophe, other case, extra whitespace and a line break
    assert find_passage_by_quote(store, "HASHCHECKSERVICE' uitgebouwd   en in\ngebruik genomen") == exact
    # soft hyphens in the quote are ignored
    plan = find_passage_by_quote(store, "De Nederlandse Hash\u00adCheck\u00adService is gebouwd")
    assert plan is not None and plan[0].startswith(PLAN_ID + ":")
    # a hyphen for the en dash of the text, curly double quotes for straight ones
    pnr = find_passage_by_quote(store, "implementatie van de PNR wetgeving - inclusief de implementatie")
    assert pnr is not None and pnr[0].endswith(":1-pnr")
    # the passage is the window (kb.passages) holding the quote, named by its first block
    window = next(w for w in section_passages(store.section(pnr[0])) if w.holds_block(1))
    assert pnr[1] == window.block_start
    assert find_passage_by_quote(store, "“achter het net vissen”") == find_passage_by_quote(store, '"achter het net vissen"')
    assert find_passage_by_quote(store, "Deze zin staat nergens in het corpus") is None
    assert find_passage_by_quote(store, "   ") is None


def test_quote_in_a_title_gives_the_section(store) -> None:
    assert find_passage_by_quote(store, "Kennismigratie") == (f"{REPORT_ID}:kennismigratie", None)


def test_normalise() -> None:
    assert normalise("  Het\u00a0‘instrument’\u00ad  werkt –\nNU ") == "het 'instrument' werkt - nu"
    assert normalise("(Inter)nationale: samen-werking!", loose=True) == "inter nationale samen werking"


def test_compounds_share_their_parts(store) -> None:
    """Related passages split compounds with the search index's chain: "asielprocedure" and
    "asielproces" share the term "asiel"."""
    terms = get_index(store).terms
    bag = terms("asielprocedure en asielproces")
    assert terms.stem("asiel") in bag and terms.stem("asielprocedure") in bag and terms.stem("asielproces") in bag


# -- plan -> result ---------------------------------------------------------------------------
PLAN_TO_RESULT = [
    # (quote in the plan, quote of the report passage that says what was done, best rank allowed)
    ("De monitor is daarom door een Nederlandse Universiteit ontworpen, werkt als pilot",
     "De Technische Universiteit Delft heeft een technisch monitorinstrument afgebouwd", 1),
    ("De implementatie van de wettelijk verplichte EU verordeningen (EES, ETIAS, SIS, VIS, EURODAC, Interoperabiliteit)",
     "De nationale uitvoeringswet is in het najaar in concept goedgekeurd", 1),
    ("De Nederlandse HashCheckService is gebouwd, werkt als pilot",
     "HashCheckService’ uitgebouwd en in gebruik genomen", 3),
    ("De verordening vereist dat iedere lidstaat een bevoegde autoriteit opricht of aanwijst",
     "Nederland heeft ervoor gekozen een zelfstandig bestuursorgaan op te richten", 2),
    ("De focus zal liggen op de verdere volledige implementatie van de PNR wetgeving",
     "Ten slotte is de Nederlandse passagiersinformatie-eenheid verder geprofessionaliseerd", 3),
    ("Versterken economische positie van Nederland door het realiseren van een aantrekkelijk vestigingsklimaat",
     "De voorwaarden voor het verlaagd salariscriterium zijn dit jaar versoepeld", 2),
    ("Terugdringen van de doorlooptijden in het asielproces",
     "Om de asielprocedure te verkorten en de planning van zaken te verbeteren is een AMvB opgesteld", 3),
]


@pytest.mark.parametrize("plan_quote, result_quote, max_rank", PLAN_TO_RESULT)
def test_plan_to_result(store, plan_quote: str, result_quote: str, max_rank: int) -> None:
    out = related_json(store, plan_quote, 5)
    assert out["passage"]["document"] == PLAN_ID
    assert normalise(plan_quote) in normalise(out["passage"]["text"])
    r = rank_of(out["related"], result_quote)
    assert r is not None and r <= max_rank, [x["text"][:80] for x in out["related"]]
    hit = out["related"][r - 1]
    assert hit["document"] == REPORT_ID
    assert hit["reason"] and hit["evidence"]["terms"]
    sec = store.section(hit["section_id"])
    assert sec["text"][hit["start"]:hit["end"]] == hit["text"]
    # one passage id = one span: the window of kb.passages (the search index's passage)
    window = next(w for w in section_passages(sec) if w.id == hit["id"])
    assert (window.block_start, window.block_end, window.char_start, window.char_end) == \
        (hit["block_start"], hit["block_end"], hit["start"], hit["end"])


def test_result_statements_are_preferred_and_explained(store) -> None:
    out = related_json(store, "De Nederlandse HashCheckService is gebouwd, werkt als pilot", 5)
    hit = next(x for x in out["related"] if "in gebruik genomen" in x["text"])
    assert "HashCheckService" in hit["evidence"]["terms"]  # the word as written
    assert hit["evidence"]["sentence"]["kind"] == "result"
    assert "resultaat" in hit["reason"]


def test_synonyms_are_used_and_shown(store) -> None:
    out = related_json(store, "De focus zal liggen op de verdere volledige implementatie van de PNR wetgeving", 5)
    hit = next(x for x in out["related"] if "passagiersinformatie-eenheid" in x["text"])
    assert any(s.startswith("pnr ~") for s in hit["evidence"]["synonyms"])
    assert "synoniemen" in hit["reason"]


# -- result -> plan (reverse) ----------------------------------------------------------------
@pytest.mark.parametrize("report_quote, plan_quote, max_rank", [
    ("Nederland heeft ervoor gekozen een zelfstandig bestuursorgaan op te richten",
     "De verordening vereist dat iedere lidstaat een bevoegde autoriteit opricht of aanwijst", 1),
    ("is het technisch instrument ‘HashCheckService’ uitgebouwd en in gebruik genomen",
     "De Nederlandse HashCheckService is gebouwd, werkt als pilot", 1),
    ("De voorwaarden voor het verlaagd salariscriterium zijn dit jaar versoepeld",
     "aantrekkelijk vestigingsklimaat voor kennismigranten", 2),
    ("Om de asielprocedure te verkorten en de planning van zaken te verbeteren is een AMvB opgesteld",
     "Terugdringen van de doorlooptijden in het asielproces", 3),
])
def test_result_to_plan(store, report_quote: str, plan_quote: str, max_rank: int) -> None:
    out = related_json(store, report_quote, 5)
    assert out["passage"]["document"] == REPORT_ID
    assert all(x["document"] == PLAN_ID for x in out["related"])
    r = rank_of(out["related"], plan_quote)
    assert r is not None and r <= max_rank, [x["text"][:80] for x in out["related"]]


def test_reverse_finds_the_pnr_measure(store) -> None:
    out = related_json(store, "Ten slotte is de Nederlandse passagiersinformatie-eenheid verder geprofessionaliseerd", 5)
    assert any(x["section_id"].endswith(":1-pnr") for x in out["related"][:3])


# -- API shape --------------------------------------------------------------------------------
def test_related_passages_api(store) -> None:
    sid, bi = find_passage_by_quote(store, "De Nederlandse HashCheckService is gebouwd")
    items = related_passages(store, sid, bi, limit=3)
    assert len(items) == 3
    assert [x["score"] for x in items] == sorted((x["score"] for x in items), reverse=True)
    for x in items:
        assert set(x) >= {"id", "section_id", "document", "title", "text", "score", "reason"}
        assert x["document"] != PLAN_ID
    # the whole section as the query
    whole = related_passages(store, sid, None, limit=5)
    assert whole and all(x["document"] == REPORT_ID for x in whole)
    # no more than two passages of one section
    many = related_passages(store, sid, bi, limit=20)
    per = {}
    for x in many:
        per[x["section_id"]] = per.get(x["section_id"], 0) + 1
    assert max(per.values()) <= 2
    p = passage_dict(store, sid, bi)
    window = next(w for w in section_passages(store.section(sid)) if w.holds_block(bi))
    assert p["id"] == window.id and "HashCheckService" in p["text"]
    with pytest.raises(KeyError):
        related_passages(store, "geen:sectie")


def test_unknown_quote(store) -> None:
    assert related_json(store, "Deze zin staat nergens in het corpus", 5) is None


def test_lookups_after_the_first_reuse_the_index(store, monkeypatch) -> None:
    """The related-passage index is built once per store content, not per lookup (speed: bench/)."""
    invalidate(store)
    builds = []
    real_build = related_index.build_index
    monkeypatch.setattr(related_index, "build_index", lambda *a, **k: builds.append(1) or real_build(*a, **k))
    related_json(store, "Terugdringen van de doorlooptijden in het asielproces", 5)
    for q, _r, _m in PLAN_TO_RESULT:
        related_json(store, q, 5)
    assert len(builds) == 1


def test_entities_from_the_mentions_table(store_copy) -> None:
    """Entities tagged in both passages are named in the reason and strengthen the link."""
    st = store_copy
    with st.transaction():  # start from a knowledge base without any tagged mention
        st.conn.execute("DELETE FROM mention_rows")
    plan_sid, plan_bi = find_passage_by_quote(st, "De Nederlandse HashCheckService is gebouwd")
    rep_sid, rep_bi = find_passage_by_quote(st, "HashCheckService’ uitgebouwd en in gebruik genomen")
    before = {x["id"]: x["score"] for x in related_passages(st, plan_sid, plan_bi, limit=10)}
    mentions = []
    for sid in (plan_sid, rep_sid):
        text = st.section(sid)["text"]
        start = text.index("HashCheckService")
        mentions.append(Mention("hashcheckservice", "SYSTEM", sid, st.section(sid)["document_id"], start, start + 16,
                                "HashCheckService"))
    with st.transaction():
        st.replace_entities([{"id": "hashcheckservice", "label": "SYSTEM", "name": "HashCheckService",
                              "aliases": ["HCS"]}])
        st.add_mentions(mentions)
    after = related_passages(st, plan_sid, plan_bi, limit=10)
    hit = next(x for x in after if x["section_id"] == rep_sid and x["block_start"] == rep_bi)
    assert hit["evidence"]["entities"] == ["hashcheckservice"]
    assert "HashCheckService" in hit["reason"]
    assert hit["score"] > before[hit["id"]]
