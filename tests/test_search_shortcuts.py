"""The search core's shortcuts compute exactly what the plain computation over every passage computes.

Terms' BM25F scores are kept sparse and cached, clauses are coordinated over the passages some clause
matches, facets count over the matching passages, frequent terms are read at start, and the suggestion's
counts reuse the query's word clauses.  Each is checked here against a plain reference (the dense
formula, counting the mask, reading afresh), bit for bit where numbers are involved.  The index is the
one the real pipeline built for the session (``built_settings`` in conftest.py)."""
from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest

from indexer import Searcher
from indexer.array_cache import ArrayCache
from indexer.explain import Explanation
from indexer.facets import FACETS, facet_counts
from indexer.selection import Selection
from indexer.scoring import _MAX_PATTERN_CLAUSES, _MIN_LENGTH_FIELDS, Bm25f, Sparse, all_of, fold_max, matched_share
from nltext import bm25
from settings import Ranking

QUERIES = ("migratie", "IND", '"vrouwelijke statushouders"', "telehoren OR noodstopprocedure", "asiel -migratie",
           "cybercriminaliteit", "ketenmarniers", "coffeeshops", "hoeveel BMVI geld gaat naar liaison officers?",
           "migratie jaar:2020", "terugkeer* achterstanden~", "(terugkeer AND IND) OR asiel")


def _dense_scores(st, ranking: Ranking, term: str, fields=None) -> np.ndarray:
    """The BM25F score of ``term`` for every passage, as the dense computation does it."""
    acc = np.zeros(st.N, np.float32)
    df = 0
    for f in fields or st.fields:
        w = ranking.field_weights.get(f, 0.0)
        ids, tf = st.postings(f, term)
        if not w or not len(ids):
            continue
        df = len(ids) if f == "text" or not df else df
        norm = st.inv_norm(f, ranking.field_b.get(f, 0.75), ranking.min_length if f in _MIN_LENGTH_FIELDS else 0.0)
        acc[ids] += w * tf * norm[ids]
    return bm25.term_scores(acc, bm25.idf(df, st.N), ranking.k1) if df else acc


def _terms(st, field: str, n: int) -> list[str]:
    found = sorted({t for leaf, _ in st.leaves for t in leaf.lexicon(field)})
    step = max(1, len(found) // n)
    return [t.decode("utf-8") if isinstance(t, bytes) else t for t in found[::step]]


def test_sparse_cached_term_scores_are_the_dense_bm25f_bit_for_bit(s):
    st = s.state
    other = replace(Ranking(), k1=2.0, field_weights={**Ranking().field_weights, "title": 5.0})
    terms = _terms(st, "text", 400) + _terms(st, "compounds", 50) + ["zzzgeenwoordzzz"]
    for ranking in (Ranking(), other):  # two rankings on one state: each its own cache entries
        bm = Bm25f(st, ranking)
        for term in terms:
            for fields in (None, ("compounds",), ("title",)):
                want = _dense_scores(st, ranking, term, fields)
                got = bm.term_sparse(term, fields)
                assert np.array_equal(got.dense(st.N), want), (term, fields)
                assert np.array_equal(bm.term_sparse(term, fields).dense(st.N), want)  # the cached one
                assert (np.diff(got.ids) > 0).all() and np.array_equal(got.ids, np.flatnonzero(want))


def test_coordination_over_the_matched_passages_is_the_dense_formula(s):
    st = s.state
    rng = np.random.default_rng(7)
    for n in (1, 2, 3, 5, _MAX_PATTERN_CLAUSES, _MAX_PATTERN_CLAUSES + 1):
        for density in (0.001, 0.05, 0.7, 1.0):
            matches = [rng.random(st.N) < density for _ in range(n)]
            scores = [np.where(m, rng.random(st.N).astype(np.float32) * 9, 0).astype(np.float32) for m in matches]
            guessed = [bool(i == 1) for i in range(n)]
            for ranking in (Ranking(), replace(Ranking(), coord_power=0.0), replace(Ranking(), coord_idf=0.0)):
                bm = Bm25f(st, ranking)
                score, matched = bm.coordinate(scores, matches, guessed)
                want_score = np.sum(scores, axis=0)
                if ranking.coord_power and n > 1:
                    weights = bm.informativeness(matches, guessed)
                    share = matched_share(weights / weights.sum(), matches)
                    want_score = want_score * share ** ranking.coord_power
                assert np.array_equal(score, want_score.astype(np.float32)), (n, density)
                assert np.array_equal(matched, np.sum(matches, axis=0)), (n, density)


def test_sparse_folds_equal_the_dense_expressions():
    rng = np.random.default_rng(3)
    n = 2000

    def sparse(p: float) -> Sparse:
        ids = np.flatnonzero(rng.random(n) < p).astype(np.int32)
        return Sparse(ids, (rng.random(len(ids)) * 5).astype(np.float32))

    for _ in range(20):
        parts = [sparse(p) for p in rng.choice([0.0, 0.01, 0.3, 0.9], size=int(rng.integers(1, 4)))]
        dense = [p.dense(n) for p in parts]
        score = np.where(rng.random(n) < 0.2, rng.random(n), 0).astype(np.float32)
        for w in (None, 0.5, 0.8):
            want = np.maximum(score, dense[0] if w is None else w * dense[0])
            assert np.array_equal(fold_max(score.copy(), parts[0], w), want)
        both = np.logical_and.reduce([d > 0 for d in dense])
        assert np.array_equal(all_of(parts).dense(n), np.where(both, sum(dense), 0).astype(np.float32))
        assert np.array_equal(all_of(parts, mean=True).dense(n),
                              np.where(both, sum(dense) / max(1, len(dense)), 0).astype(np.float32))
        docs = np.flatnonzero(rng.random(n) < 0.3)
        assert np.array_equal(parts[0].at(docs), dense[0][docs])


def _mask_counts(st, mask: np.ndarray) -> dict:
    """Every listed facet counted straight from the mask (what the facets did before Selection)."""
    docs = np.bincount(st.doc[mask], minlength=len(st.documents))
    kinds = np.bincount(st.kind[mask], minlength=len(st.kinds))
    years = dict(zip(*np.unique(st.year[mask], return_counts=True)))
    labels = np.bincount(st.label_idx[mask[st.label_doc]], minlength=len(st.labels))
    ents = np.bincount(st.ent_idx[mask[st.ent_doc]], minlength=len(st.entities))
    stmts = np.bincount(st.stmt_idx[mask[st.stmt_doc]], minlength=len(st.statement_kinds))
    return {"document": {st.documents[i]["id"]: int(c) for i, c in enumerate(docs) if c},
            "type": {st.kinds[i]: int(c) for i, c in enumerate(kinds) if c},
            "year": {int(y): int(c) for y, c in years.items()},
            "entity_type": {st.labels[i]: int(c) for i, c in enumerate(labels) if c},
            "entity": {st.entities[i]["id"]: int(c) for i, c in enumerate(ents) if c},
            "statement": {k: int(stmts[i]) for i, k in enumerate(st.statement_kinds) if stmts[i]}}


@pytest.mark.parametrize("density", [0.003, 0.05, 0.2, 0.6, 1.0])
def test_facets_over_a_selection_count_what_the_mask_holds(s, density):
    """Both ways of reading the entity rows (the selected passages' rows, or all rows at once) count
    exactly; the per-document facets too.  Lists are cut to the top values: compared where listed."""
    st = s.state
    mask = np.random.default_rng(int(density * 1000)).random(st.N) < density
    want = _mask_counts(st, mask)
    for sel in (Selection(st, mask), Selection(st, docs=np.flatnonzero(mask))):
        got = facet_counts(st, sel)
        assert set(got) == {k for k, f in FACETS.items() if f.listed}
        for key, values in got.items():
            listed = {v["value"]: v["count"] for v in values}
            assert all(want[key][v] == c for v, c in listed.items()), key
            if key in ("type", "year", "entity_type", "statement"):  # listed whole
                assert listed == want[key], key
            else:  # the most frequent ones
                assert sorted(listed.values(), reverse=True) == sorted(want[key].values(), reverse=True)[:len(listed)]
        if mask.any():
            assert sum(v["count"] for v in got["document"]) <= int(mask.sum())
            assert sum(v["count"] for v in got["type"]) == int(mask.sum())


def test_array_cache_keeps_its_byte_budget_dropping_the_least_recently_used():
    cache = ArrayCache(max_bytes=1000)
    a, b, c = (np.zeros(100, np.float32) for _ in range(3))  # 400 bytes each
    cache.put("a", a)
    cache.put("b", (b, b[:0]))
    assert cache.get("a") is a  # "a" used last: "b" is the oldest now
    cache.put("c", c)
    assert cache.bytes == 800 and cache.get("b") is None and cache.get("a") is a and cache.get("c") is c
    assert cache.stats == {"hits": 3, "misses": 1, "evicted": 1}
    cache.put("huge", np.zeros(1000, np.float32))  # larger than the budget: returned, not kept
    assert "huge" not in cache and cache.bytes == 800
    cache.clear()
    assert len(cache) == 0 and cache.bytes == 0


def _answers(searcher: Searcher) -> list[dict]:
    out = []
    for q in QUERIES:
        for group in ("none", "section"):
            res = searcher.search(q, limit=20, group=group)
            res.pop("took_ms")
            out.append(res)
    return out


def test_warming_reads_the_most_frequent_terms_and_changes_no_answer(s):
    st = s.state
    st.cache.clear()
    cold = _answers(s)
    st.cache.clear()
    min_df = 20
    truth = {(f, t): st.doc_frequency(f, t) for f in st.fields for t in _terms(st, f, 10**9)}
    frequent = st.frequent_terms(min_df)
    assert {(f, t): df for f, t, df in frequent} == {k: df for k, df in truth.items() if df >= min_df}
    assert [df for _, _, df in frequent] == sorted((df for _, _, df in frequent), reverse=True)
    report = s.warm(min_df, seconds=60)
    words = {t for _, t, _ in frequent}
    assert report["terms"] == report["of"] == len(words) > 0
    # their scores (what a query word uses) come from memory now, without reading the index ...
    bm, read = Bm25f(st, s.ranking), st.work["terms_read"]
    warmed = {w: bm.term_sparse(w) for w in words}
    assert all(len(sp) for sp in warmed.values()) and st.work["terms_read"] == read
    # ... and are the scores
    assert all(np.array_equal(sp.dense(st.N), _dense_scores(st, s.ranking, w)) for w, sp in warmed.items())
    assert _answers(s) == cold
    st.cache.clear()
    assert s.warm(min_df, seconds=0)["terms"] == 0 and st.cache.bytes == 0  # no time: nothing read


def test_a_repeated_query_reads_no_postings_again(s):
    st = s.state
    st.cache.clear()
    s.search("achterstanden migratie IND", limit=5)
    read = st.work["terms_read"]
    s.search("achterstanden migratie IND", limit=5)
    assert st.work["terms_read"] == read > 0


def test_suggestion_counts_reusing_the_querys_word_clauses_equal_fresh_counts(s):
    st = s.state
    for q, other in (("ketenmarniers telehoren", "ketenmariniers telehoren"),
                     ("cybercriminaliteit aanpak", "cybercrime aanpak"), ("geld migratie", "middelen migratie")):
        run = s._run(st, q, None, Explanation())
        memo = run.ev.clause_memo
        assert memo
        for query, synonyms in ((q, False), (other, True), (other, False)):
            assert s.count(query, synonyms=synonyms, clauses=memo) == s.count(query, synonyms=synonyms)
        assert s.count(q, clauses=memo) == s.count(q) == int(run.mask.sum())


def _grouped_by_sorting(st, cand: np.ndarray, score: np.ndarray, offset: int, limit: int, sort: str):
    """One hit per section as a full sort of the candidates finds it (the grouping's reference)."""
    from indexer.ranking import _order

    sec = st.section[cand]
    within = np.lexsort((st.order_rank[cand], -score[cand], sec))
    cs, secs = cand[within], sec[within]
    starts = np.flatnonzero(np.r_[True, secs[1:] != secs[:-1]])
    ends = np.r_[starts[1:], len(cs)]
    heads = cs[starts]
    chosen = _order(st, heads, score, sort, offset + limit)[offset:offset + limit]
    return heads[chosen].tolist(), len(heads), [cs[starts[i] + 1:ends[i]].tolist() for i in chosen]


def test_one_hit_per_section_is_what_sorting_every_candidate_finds(s):
    from indexer.ranking import rank

    st = s.state
    rng = np.random.default_rng(11)
    for trial in range(40):
        cand = np.flatnonzero(rng.random(st.N) < rng.choice([0.002, 0.05, 0.5, 1.0]))
        # few distinct scores (ties between windows of a section), some zero and negative zero
        score = rng.choice(np.array([0.0, -0.0, 0.5, 1.25, 3.0], np.float32), size=st.N)
        if trial % 2:
            score = (rng.random(st.N) * 10).astype(np.float32)
        for offset, limit, sort in ((0, 10, "relevance"), (5, 7, "relevance"), (0, 10, "date"), (3, 0, "relevance")):
            page = rank(st, cand, score, offset=offset, limit=limit, group="section", sort=sort)
            if not len(cand):
                assert page.total == 0 and not len(page.hits)
                continue
            hits, total, more = _grouped_by_sorting(st, cand, score, offset, limit, sort)
            assert page.total == total
            if limit:
                assert page.hits.tolist() == hits and [m.tolist() for m in page.more] == more
