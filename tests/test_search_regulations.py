"""Search over regulations: a query naming a regulation ("beslistermijn Awb", "bezwaartermijn awb") finds
that regulation's own text (indexer/regulations.py), on a real slice of the regulations collection."""
from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from _regelgeving import unpack_slice
from indexer import Searcher
from indexer.regulations import RegulationNames, load_regulation_names
from kb.store import Store
from settings import Ranking, Settings

AWB, WMG = "BWBR0005537", "BWBR0020078"
#: the Awb and the Wmg (acts with a short title and an abbreviation) and small regulations beside them
MEMBERS = ("wet/BWBR0005537", "wet/BWBR0020078", "zbo/BWBR0029142", "zbo/BWBR0020765", "wet/BWBR0025251")


@pytest.fixture(scope="module")
def regulations(tmp_path_factory: pytest.TempPathFactory):
    from beleidsbank.pipeline import build

    root = tmp_path_factory.mktemp("regsearch")
    corpus = unpack_slice(root / "corpus", MEMBERS)
    settings = Settings(data_dir=root / "data", corpus_dir=corpus)
    build(settings, progress=False, echo=lambda _msg: None)
    store = Store(settings.db_path, readonly=True)
    yield settings, store
    store.close()


def _searcher(regulations, **ranking) -> Searcher:
    settings, store = regulations
    return Searcher(settings.index_dir, store, ranking=replace(Ranking(), **ranking))


def _documents(searcher: Searcher, q: str, n: int = 3) -> list[str]:
    return [r["document"] for r in searcher.search(q, limit=n, facets=False, suggest=False)["results"]]


@pytest.mark.parametrize("query", ["beslistermijn Awb", "bezwaartermijn awb"])
def test_query_naming_a_regulation_ranks_its_own_text_first(regulations, query):
    on, off = _searcher(regulations), _searcher(regulations, regulation_weight=0.0)
    awb = AWB.lower()
    assert _documents(on, query) == [awb] * 3
    # without recognising the name, the other act's passages on terms come first (what the feature fixes)
    assert _documents(off, query)[0] != awb


def test_the_reading_is_explained_with_the_bwb_id(regulations):
    from webapp.search_wording import interpreted

    res = _searcher(regulations).search("bezwaartermijn awb", limit=1)
    assert {"code": "regulation", "bwb": AWB, "name": "Algemene wet bestuursrecht"} in res["explain"]["readings"]
    sentence = interpreted(res)
    assert "regeling Algemene wet bestuursrecht (BWBR0005537)" in sentence and "regulation" not in sentence


def test_a_query_without_a_regulation_name_is_read_as_before(regulations):
    on, off = _searcher(regulations), _searcher(regulations, regulation_weight=0.0)
    for q in ("termijn bezwaar", "tarief hulpmiddelen"):
        assert [r["id"] for r in on.search(q)["results"]] == [r["id"] for r in off.search(q)["results"]]
        assert not [r for r in on.search(q)["explain"]["readings"] if r["code"] == "regulation"]


def test_names_come_from_the_knowledge_base(regulations):
    settings, store = regulations
    st = Searcher(settings.index_dir, store).state
    names = load_regulation_names(store.conn, st.doc_pos, set(st.ent_pos))
    found = {text: [reg.bwb for _m, reg in names.find(text)]
             for text in ("Awb", "awb", "AWB", "Wet marktordening gezondheidszorg", "wmg", "Wmg", "aw b", "wet")}
    assert found["Awb"] == found["awb"] == found["AWB"] == [AWB]
    assert found["Wet marktordening gezondheidszorg"] == found["wmg"] == found["Wmg"] == [WMG]
    assert found["aw b"] == [] and found["wet"] == []
    assert all(len(reg.documents) == 1 for reg in names.regulations.values())


def test_an_acronym_of_two_letters_matches_only_as_written():
    import numpy as np

    from indexer.regulations import Regulation

    reg = Regulation("BWBR0001903", np.array([0]), "Wetboek van Strafvordering", [])
    names = RegulationNames({"BWBR0001903": reg}, {"Sv": {"BWBR0001903"}})
    assert [r.bwb for _m, r in names.find("artikel 167 Sv")] == ["BWBR0001903"]
    assert names.find("sv van de vereniging") == []


def test_a_name_shared_by_two_regulations_names_neither():
    import numpy as np

    from indexer.regulations import Regulation

    regs = {b: Regulation(b, np.array([i]), b, []) for i, b in enumerate(("BWBR0000001", "BWBR0000002"))}
    names = RegulationNames(regs, {"regeling tarieven": {"BWBR0000001", "BWBR0000002"},
                                   "Rt": {"BWBR0000002"}})
    assert names.find("regeling tarieven 2020") == []
    assert [r.bwb for _m, r in names.find("Rt 2020")] == ["BWBR0000002"]


@pytest.mark.parametrize("query, statute_word", [("legitimatieplicht", "identificatieplicht"), ("btw", "omzetbelasting")])
def test_everyday_word_finds_the_statute_books_term(regulations, query, statute_word):
    """indexer/legal_synonyms.yaml: the word people type finds the regulation's own term."""
    on, off = _searcher(regulations), _searcher(regulations, synonym_weight=0.0)
    assert off.search(query)["total"] == 0
    res = on.search(query)
    assert statute_word in res["explain"]["synonyms"]
    assert res["results"] and statute_word in res["results"][0]["text"].lower()


def test_a_hyphenated_word_matches_by_one_of_its_parts(regulations):
    """"identificatieplicht-qqq": the passages holding one part are found (ranked below those with both)."""
    on, off = _searcher(regulations), _searcher(regulations, hyphen_part_weight=0.0)
    assert off.search("identificatieplicht-qqq")["total"] == 0
    res = on.search("identificatieplicht-qqq")
    assert res["total"] > 0 and "identificatieplicht" in res["results"][0]["text"].lower()
