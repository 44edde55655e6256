"""The index build's shortcuts give what the long way gave.

* the chain's memoised word analysis (:class:`nltext.chain.WordForm`) yields exactly the tokens of
  the filter chain, whatever the words around, and analyses each distinct word once;
* :class:`indexer.schema.ChainText` gives Whoosh the same postings rows as a plain TEXT field;
* what the index no longer stores or indexes (passage id, anchor, document, kind, year, entities;
  the section id) comes back the same from ``IndexState``: every stored record and the
  section filter checked against the knowledge base the session built from the shipped corpus.
"""
from __future__ import annotations

import numpy as np
import pytest
from whoosh.fields import TEXT

from indexer.analysis import DutchAnalyzer
from indexer.codec import WeightedTerms
from indexer.schema import ChainText, passages_for_section
from kb.passage_ids import passage_id
from nltext.chain import Analyzer, build_vocabulary, vocabulary_counts
from settings import IndexOptions

TEXTS = [
    "Het asiel- en migratiebeleid en de wachtlijsten en -tijden in de ggz.",
    "In- en uitreis, voor- en/of nazorg; de in -en uitvoer van e-mail en ESF+ (2019/816).",
    "De DT&V en LO's, ECRIS-TCN: het terugkeerbeleid is ontwikkeld en wordt ontwikkeld.",
    "de het een - en van -",  # stop words only, a dangling hyphen
    "Finan\u00adciële steun\u2011regeling en arbeids\u2013 en zorgmarkt",
    "terugkeer beleid terugkeerbeleid asielbeleid migratiebeleid",
    "",
]


@pytest.fixture(scope="module")
def vocabulary():
    return build_vocabulary(vocabulary_counts(TEXTS + ["wachttijden asielbeleid invoer uitvoer nazorg zorgmarkt"]))


@pytest.mark.parametrize("parts", ["inline", "only", "none"])
@pytest.mark.parametrize("stop", [True, False])
@pytest.mark.parametrize("participles", [True, False])
def test_memoised_words_give_the_filter_chains_tokens(vocabulary, parts, stop, participles):
    a = Analyzer(vocabulary, parts=parts, stop=stop, participles=participles)
    for text in TEXTS + [" ".join(TEXTS)]:  # the joined text puts the same words in other company
        expected = [t for w in a.words(text) for t in w.tokens]
        assert a._analyse(text) == expected, text


def test_each_distinct_word_is_analysed_once(vocabulary, monkeypatch):
    a = Analyzer(vocabulary)
    calls: list[str] = []
    form = a._form
    monkeypatch.setattr(a, "_form", lambda raw: calls.append(raw) or form(raw))
    text = TEXTS[0]
    a._analyse(text)
    first = len(calls)
    assert first == len(set(calls)) > 5
    a._analyse(text + " " + text)  # same words again, twice: nothing new to analyse
    assert len(calls) == first


def test_chain_text_field_gives_whooshs_postings(vocabulary):
    """The fast path gives the rows of Whoosh's own path in the same format, and those are Whoosh's
    ``Frequency`` rows without their value (the count, kept as the weight)."""
    for parts in ("inline", "only", "none"):
        an = DutchAnalyzer(vocabulary, parts=parts)
        frequency, fast = TEXT(analyzer=an, phrase=False), ChainText(analyzer=an, phrase=False)
        plain = TEXT(analyzer=an, phrase=False)
        plain.format = WeightedTerms()
        for text in TEXTS + [" ".join(TEXTS)]:
            rows = list(fast.index(text))
            assert rows == list(plain.index(text))
            assert rows == [(t, n, w, b"") for t, n, w, _ in frequency.index(text)]
            assert all(w == n for _, n, w, _ in rows)


def test_stored_records_and_section_filter_rebuilt_from_kb(searcher, built_store):
    st = searcher._state
    assert "section_id" not in st.schema.names()  # neither indexed nor stored: derived from the order key
    kinds = {d["id"]: (d.get("kind") or "", int(d.get("year") or 0)) for d in st.documents}
    by_section: dict[str, list[int]] = {}
    options = IndexOptions()
    assert st.info["options"] == options.to_dict()  # the session's index is built with the defaults
    expected_ids, section_doc = {}, {}
    for doc in st.documents:
        for sec in built_store.sections(doc["id"]):
            section_doc[sec["id"]] = doc["id"]
            expected_ids.update({(p.section_id, p.block_start): p.id for p in passages_for_section(sec, options)})
    mentioned = 0
    for d in range(st.N):
        light = st.stored(d, texts=False)  # first: a new section's id comes from the knowledge base, no text read
        sf = st.stored(d)
        by_section.setdefault(sf["section_id"], []).append(d)
        assert sf["document"] == section_doc[sf["section_id"]]
        assert (sf["kind"], sf["year"]) == kinds[sf["document"]]
        assert sf["anchor"] == (f"p{sf['block_start']}" if sf["block_end"] >= sf["block_start"] else "")
        assert sf["id"] == expected_ids[(sf["section_id"], sf["block_start"])]
        assert sf["id"] in (sf["section_id"], passage_id(sf["section_id"], sf["block_start"]))
        assert {eid for _, _, eid in sf["spans"]} <= set(sf["entities"].split())  # entities from the arrays
        assert sf["entities"].split() == sorted(sf["entities"].split())
        assert "text" not in light and light == {k: v for k, v in sf.items() if k not in ("text", "title", "path",
                                                                                         "document_title")}
        mentioned += bool(sf["spans"])
    assert len(by_section) > 20 and mentioned > 20
    for sid, docs in by_section.items():
        ids, weights = st.postings("section_id", sid)
        assert ids.tolist() == docs and np.all(weights == 1.0)
    assert len(st.postings("section_id", "no-such-section")[0]) == 0
