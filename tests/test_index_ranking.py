"""Ranking and result-list defects of issue 15 (#10 rare words and grouping by section, #11 words
naming a statement kind, #4 pages past the end), on the session index of the real pipeline."""
from __future__ import annotations

import re

import pytest

from indexer import Searcher
from settings import Ranking
from webapp.search_wording import interpreted


def norm(t: str) -> str:
    return re.sub(r"\s+", " ", t).lower()


def texts(res) -> list[str]:
    return [norm(r["text"]) for r in res["results"]]


# -- #10 a rare query word outweighs a common one ------------------------------------------------
def test_rare_word_outweighs_common_word(searcher):
    found = texts(searcher.search("asielinstroom 2020", limit=30))
    rank = next(i for i, t in enumerate(found) if "asielinstroom" in t)  # the only passage with it
    assert rank < 3, rank  # was #22, below passages that only hold "2020"
    assert all("instroom" in t for t in found[:rank])  # what ranks above it matches the rare word too


def test_rare_word_outweighs_common_word_in_a_list_of_sections(searcher):
    found = texts(searcher.search("cybercrime aanpak", limit=15, group="section"))
    about_cyber = [i for i, t in enumerate(found) if re.search(r"cyber|digitale weerbaarheid", t)]
    only_aanpak = [i for i, t in enumerate(found) if "aanpak" in t and i not in about_cyber]
    assert about_cyber and only_aanpak
    assert max(about_cyber) < min(only_aanpak)  # "aanpak" alone filled ranks 4-8 before


def test_informativeness_weighting_can_be_switched_off(built_settings):
    old = Searcher(built_settings.index_dir, ranking=Ranking(coord_idf=0))
    found = texts(old.search("asielinstroom 2020", limit=30))
    # the old ranking: below ten passages that only hold "2020" (or out of the first 30 altogether)
    assert next((i for i, t in enumerate(found) if "asielinstroom" in t), len(found)) > 10


# -- #10 one hit per section, with the section's other windows ---------------------------------
def test_one_hit_per_section(searcher):
    flat = searcher.search("cybercrime aanpak", limit=1000)
    grouped = searcher.search("cybercrime aanpak", limit=1000, group="section")
    assert len({r["section_id"] for r in flat["results"][:3]}) == 1  # three windows of one section on top
    sections = [r["section_id"] for r in grouped["results"]]
    assert len(sections) == len(set(sections)) == grouped["total"] == len({r["section_id"] for r in flat["results"]})
    assert grouped["passages"] == flat["passages"] == flat["total"]
    by_section: dict[str, list[str]] = {}
    for r in flat["results"]:
        by_section.setdefault(r["section_id"], []).append(r["id"])
    for r in grouped["results"]:
        same = by_section[r["section_id"]]
        assert r["id"] == same[0]  # the section's best window stands for it
        assert r["more_in_section"]["count"] == len(same) - 1
        assert r["more_in_section"]["ids"] == same[1:11]  # best first, at most Limits.section_more_ids
    top = grouped["results"][0]
    assert top["more_in_section"]["count"] == 2 and all("~p" in i for i in top["more_in_section"]["ids"])
    # "meer uit deze sectie": the section filter lists exactly the section's matching windows
    more = searcher.search("cybercrime aanpak", filters={"section": top["section_id"]})
    assert [r["id"] for r in more["results"]] == [top["id"], *top["more_in_section"]["ids"]]
    assert more["total"] == searcher.search(f"cybercrime aanpak sectie:{top['section_id']}")["total"] == 3
    assert "section" not in more["facets"]  # a filter, not a facet
    unknown = searcher.search("cybercrime", filters={"section": "geen:sectie"})
    assert unknown["total"] == 0 and "onbekende sectie 'geen:sectie'" in interpreted(unknown)
    assert all(r["more_in_section"] == {"count": 0, "ids": []} for r in flat["results"])


def test_grouping_changes_the_list_not_what_is_found(searcher):
    for q in ("kinderporrno", "migratie jaar:2020", "telehoren OR noodstopprocedure"):
        flat, grouped = searcher.search(q), searcher.search(q, group="section")
        assert grouped["passages"] == flat["passages"] == flat["total"] >= grouped["total"]
        assert grouped["facets"] == flat["facets"] and grouped["suggestion"] == flat["suggestion"]
        assert grouped["explain"] == flat["explain"]


def test_grouped_pages_are_consistent(searcher):
    full = searcher.search("migratie", limit=60, group="section")
    pages = [searcher.search("migratie", limit=20, offset=o, group="section") for o in (0, 20, 40)]
    assert [r["id"] for p in pages for r in p["results"]] == [r["id"] for r in full["results"]]
    assert {p["total"] for p in pages} == {full["total"]}
    by_date = searcher.search("migratie", limit=60, group="section", sort="date")
    assert len({r["section_id"] for r in by_date["results"]}) == len(by_date["results"])
    years = [r["year"] or 0 for r in by_date["results"]]
    assert years == sorted(years, reverse=True)


# -- #4 a page past the end --------------------------------------------------------------------
@pytest.mark.parametrize("group", ["none", "section"])
def test_page_past_the_end_says_so(searcher, group):
    total = searcher.search("IND", group=group)["total"]
    assert 0 < total < 990
    res = searcher.search("IND", limit=10, offset=990, group=group)
    assert res["results"] == [] and res["total"] == total  # the real total, never "981-980 van 11"
    assert res["page"] == {"offset": 990, "limit": 10, "out_of_range": True, "last_offset": (total - 1) // 10 * 10}
    assert {"code": "offset_out_of_range", "offset": 990, "total": total} in res["explain"]["notes"]
    assert f"resultaat 991 bestaat niet: er zijn {total} resultaten" in interpreted(res)
    last = searcher.search("IND", limit=10, offset=res["page"]["last_offset"], group=group)
    assert last["results"] and not last["page"]["out_of_range"]
    assert "offset_out_of_range" not in [n["code"] for n in last["explain"]["notes"]]


# -- #11 words naming a statement kind -----------------------------------------------------------
def _holding(searcher, q: str, kind: str) -> set[str]:
    return {r["id"] for r in searcher.search(q, limit=1000, filters={"statement": kind})["results"]}


def test_statement_kind_word_ranks_passages_of_that_kind_first(searcher, built_settings):
    res = searcher.search("resultaten IND", limit=5)
    assert {"code": "statement_kind", "word": "resultaten", "kind": "result"} in res["explain"]["readings"]
    with_results = _holding(searcher, "IND", "result")
    assert with_results and res["results"][0]["id"] in with_results
    off = Searcher(built_settings.index_dir, ranking=Ranking(statement_weight=0))
    assert off.search("resultaten IND", limit=5)["results"][0]["id"] not in with_results
    assert "als soort uitspraak: passages met resultaten eerst" in interpreted(res)
    alone = searcher.search("toezeggingen", limit=20)
    commitments = _holding(searcher, "", "commitment")
    assert alone["total"] >= len(commitments) > 20 > off.search("toezeggingen")["total"]
    assert all(r["id"] in commitments for r in alone["results"])


def test_statement_filter_and_facet_agree_with_the_knowledge_base(searcher, built_store):
    res = searcher.search("uitspraak:toezegging", limit=1000)
    assert res["total"] > 0 and res["explain"]["filters"] == [{"field": "statement", "value": "commitment"}]
    assert res["total"] == searcher.search("", filters={"statement": "commitment"})["total"]
    starts: dict[str, list[int]] = {}
    for sid, start in built_store.conn.execute("SELECT section_id, start FROM statements WHERE kind = 'commitment'"):
        starts.setdefault(sid, []).append(start)
    for r in res["results"]:  # every passage listed holds a commitment that starts inside it
        assert any(r["char_start"] <= s < max(r["char_end"], r["char_start"] + 1) for s in starts[r["section_id"]])
    facet = {f["value"]: f["count"] for f in searcher.search("migratie")["facets"]["statement"]}
    assert facet["commitment"] == searcher.search("migratie", filters={"statement": "commitment"})["total"]
    bad = searcher.search("migratie uitspraak:onzin")
    assert {"code": "unknown_value", "field": "statement", "value": "onzin"} in bad["explain"]["notes"]


def test_statement_words_file_is_validated(tmp_path):
    from indexer.statement_kinds import KINDS, kind_words

    words = kind_words()
    assert set(words) <= set(KINDS) and "toezeggingen" in words["commitment"]
    bad = tmp_path / "words.yaml"
    bad.write_text("version: 1\nkinds:\n  promise: [belofte]\n", encoding="utf-8")
    with pytest.raises(ValueError, match="unknown statement kind 'promise'"):
        kind_words(bad)
    bad.write_text("version: 1\nkinds:\n  result: resultaat\n", encoding="utf-8")
    with pytest.raises(ValueError, match="list of non-empty strings"):
        kind_words(bad)
