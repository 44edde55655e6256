"""Query-time synonym expansion (kb/cues/synonyms.yaml): other members of a group are found, the word
itself outweighs them, phrases, field searches and exclusions are not expanded.

The index is the one the real pipeline (readers + tagger) built for the session
(``built_settings`` in conftest.py)."""
from __future__ import annotations

import pytest

from indexer import Searcher
from webapp.search_wording import interpreted

from search_support import norm, texts


# -- query-time synonym expansion (kb/cues/synonyms.yaml) -----------------------------------------
@pytest.fixture(scope="module")
def s_nosyn(kb) -> Searcher:
    from settings import Ranking
    return Searcher(kb["index"], kb["store"], ranking=Ranking(synonym_weight=0.0))


def test_synonym_expansion_finds_other_group_members(s, s_nosyn):
    res = s.search("cybercriminaliteit", limit=20)
    off = s_nosyn.search("cybercriminaliteit", limit=20)
    only_syn = [t for t in texts(res) if "cybercrime" in norm(t) and "cybercriminaliteit" not in norm(t)]
    assert only_syn, "a passage that says only 'cybercrime' is not found for 'cybercriminaliteit'"
    assert not [t for t in texts(off) if "cybercriminaliteit" not in norm(t)]  # off: the word itself only
    assert res["total"] > off["total"]
    assert "cybercrime" in res["explain"]["synonyms"] and "ook gezocht naar: " in interpreted(res)
    assert not off["explain"]["synonyms"] and "ook gezocht naar" not in interpreted(off)
    # the original word is kept and outweighs its synonyms: the passages that have it come first
    n_orig = off["total"]
    assert all("cybercriminaliteit" in norm(t) for t in texts(res)[:n_orig])
    assert "geld" in s.search("geld", limit=1)["explain"]["words"]
    assert "middelen" in s.search("geld", limit=1)["explain"]["synonyms"]


def test_synonym_expansion_ranks_paraphrase(s, s_nosyn):
    # "sneller" is in the throughput group with "doorlooptijden"
    q = "asielaanvragen sneller afhandelen"
    on = [norm(t) for t in texts(s.search(q, limit=3))]
    off = [norm(t) for t in texts(s_nosyn.search(q, limit=3))]
    assert sum("doorlooptijd" in t for t in on) > sum("doorlooptijd" in t for t in off)


def test_no_synonym_expansion_for_phrases_filters_and_exclusions(s, s_nosyn):
    for q in ('"cybercriminaliteit"', "title:cybercriminaliteit", "criminaliteit -cybercriminaliteit",
              "criminaliteit NOT cybercriminaliteit"):
        on, off = s.search(q, limit=50), s_nosyn.search(q, limit=50)
        assert on["total"] == off["total"], q
        assert [r["id"] for r in on["results"]] == [r["id"] for r in off["results"]], q
        assert not on["explain"]["synonyms"], q


def test_synonym_groups_come_from_the_related_data_file():
    from indexer.synonyms import LEGAL_SYNONYMS_PATH, load_groups, raw_groups
    from kb.related import load_synonyms
    assert raw_groups() == load_synonyms() + load_synonyms(LEGAL_SYNONYMS_PATH)
    from indexer.analysis import DutchAnalyzer
    an = DutchAnalyzer()
    groups = load_groups(an)
    assert load_groups(an) is groups  # loaded once per analyzer
    assert any({"cybercrime", "cybercriminaliteit"} <= {m for m, _ in g} for g in groups.groups)
