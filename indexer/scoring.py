"""BM25F scoring over an index state, vectorised with numpy.

A term's score is computed for every passage at once: the postings of each scored field are
read once per generation (``IndexState.postings``), weighted by field and length-normalised
into one pseudo-frequency, then saturated (``k1``) and weighted by idf (:mod:`nltext.bm25`, the
same scorer related passages use).  A query therefore
costs a few array operations per term, whatever the number of passages that match.

Entities score the same way on their salience counts (how often, how early, whether in the
title), so passages *about* an entity outrank passing mentions.  Weights: ``settings.Ranking``.
"""
from __future__ import annotations

import numpy as np

from indexer.state import IndexState
from nltext import bm25
from settings import Ranking

#: a phrase's passages (all its bigrams present) score this much above the sum of its words
PHRASE_BOOST = 1.5
_SHINGLES = "shingles"
_MIN_LENGTH_FIELDS = ("text", "compounds")


class Bm25f:
    """Scores of terms, phrases and entities for every passage of one index state."""

    def __init__(self, st: IndexState, ranking: Ranking) -> None:
        self.st = st
        self.r = ranking

    @property
    def n(self) -> int:
        return self.st.N

    def zeros(self) -> np.ndarray:
        return np.zeros(self.st.N, np.float32)

    def idf(self, df: int) -> float:
        return bm25.idf(df, self.st.N)

    def term_tf(self, term: str, fields: tuple[str, ...] | None = None) -> tuple[np.ndarray, int]:
        """BM25F pseudo-frequency (dense) of ``term`` over the scored fields, and its df."""
        st, r = self.st, self.r
        acc = np.zeros(st.N, np.float32)
        df = 0
        for f in fields or st.fields:
            w = r.field_weights.get(f, 0.0)
            if not w:
                continue
            ids, tf = st.postings(f, term)
            if not len(ids):
                continue
            if f == "text":
                df = len(ids)
            else:
                df = max(df, len(ids)) if not df else df
            norm = st.inv_norm(f, r.field_b.get(f, 0.75), r.min_length if f in _MIN_LENGTH_FIELDS else 0.0)
            acc[ids] += w * tf * norm[ids]
        return acc, df

    def term_score(self, term: str, fields: tuple[str, ...] | None = None) -> np.ndarray:
        acc, df = self.term_tf(term, fields)
        if not df:
            return acc
        return bm25.term_scores(acc, self.idf(df), self.r.k1)

    def counted_score(self, ids: np.ndarray, counts: np.ndarray, weight: float) -> tuple[np.ndarray, np.ndarray]:
        """(score, match) of passages ``ids`` holding something ``counts`` times (saturated like a
        term frequency, weighted by its idf and ``weight``)."""
        st = self.st
        score = np.zeros(st.N, np.float32)
        match = np.zeros(st.N, bool)
        if len(ids):
            score[ids] = bm25.term_scores(counts, self.idf(len(ids)), self.r.k1, weight)
            match[ids] = True
        return score, match

    def entity_score(self, eid: str) -> tuple[np.ndarray, np.ndarray]:
        """(score, match) of the passages that mention entity ``eid``, by salience."""
        return self.counted_score(*self.st.entity_docs(eid), self.r.entity_weight)

    def statement_score(self, kind: str) -> tuple[np.ndarray, np.ndarray]:
        """(score, match) of the passages holding statements of ``kind``, by their number."""
        return self.counted_score(*self.st.statement_docs(kind), self.r.statement_weight)

    def phrase_match(self, terms: list[str] | tuple[str, ...]) -> np.ndarray:
        """Passages that hold every word bigram of ``terms`` (two or more index terms)."""
        st = self.st
        match = np.zeros(st.N, bool)
        docs: np.ndarray | None = None
        for a, b in zip(terms, terms[1:]):
            ids, _ = st.postings(_SHINGLES, f"{a} {b}")
            docs = ids if docs is None else np.intersect1d(docs, ids, assume_unique=True)
            if not len(docs):
                return match
        if docs is not None:
            match[docs] = True
        return match

    def phrase_score(self, terms: list[str]) -> tuple[np.ndarray, np.ndarray]:
        """(score, match) of a phrase: its words' scores, boosted, where all its bigrams occur."""
        score = sum(self.term_score(t) for t in terms)
        match = self.phrase_match(terms)
        return np.where(match, score * PHRASE_BOOST, 0).astype(np.float32), match

    def member_score(self, terms: tuple[str, ...]) -> np.ndarray:
        """Score of one synonym member: a word's score, or a multi-word member's mean term score
        where it occurs as a phrase (all its word bigrams)."""
        if len(terms) == 1:
            return self.term_score(terms[0])
        match = self.phrase_match(terms)
        if not match.any():
            return np.zeros(self.st.N, np.float32)
        score = sum(self.term_score(t) for t in terms) / len(terms)
        return np.where(match, score, 0).astype(np.float32)

    def informativeness(self, matches: list[np.ndarray], guessed: list[bool]) -> np.ndarray:
        """How much each clause says: idf of the passages it matches, ** ``coord_idf`` (all 1 when
        0).  A guessed clause (respelled word) counts as the mean of the others."""
        n = len(matches)
        if not self.r.coord_idf:
            return np.ones(n)
        w = np.array([self.idf(int(np.count_nonzero(m))) ** self.r.coord_idf for m in matches])
        known = ~np.asarray(guessed, bool)
        if known.all():
            return w
        w[~known] = w[known].mean() if known.any() else 1.0
        return w

    def coordinate(self, scores: list[np.ndarray], matches: list[np.ndarray],
                   guessed: list[bool] | None = None) -> tuple[np.ndarray, np.ndarray]:
        """Sum of clause scores times (the matched share of the query) ** ``coord_power``, where
        each clause counts by its informativeness (a rare word more than a common one); and the
        number of clauses each passage matched."""
        score = np.sum(scores, axis=0)
        matched = np.sum(matches, axis=0)
        n = len(scores)
        if self.r.coord_power and n > 1:
            weights = self.informativeness(matches, guessed or [False] * n)
            share = matched_share(weights / weights.sum(), matches)
            score = score * share ** self.r.coord_power
        return score.astype(np.float32), matched


#: up to this many clauses the matched share is computed per pattern of matched clauses
_MAX_PATTERN_CLAUSES = 12


def matched_share(weights: np.ndarray, matches: list[np.ndarray]) -> np.ndarray:
    """Per passage the sum of the ``weights`` of the clauses it matches (float64).

    The share depends only on which clauses a passage matches, so it is computed once per pattern
    that occurs (a bit per clause) and looked up, with the same dot product per pattern as a dot
    product over all passages would do (identical values).  The dot product over all passages was
    an ``n x 350,000`` float64 matrix per query and a threaded BLAS call, which stalled for 20 ms
    when the machine's cores were busy."""
    n = len(matches)
    if n > _MAX_PATTERN_CLAUSES:
        return np.tensordot(weights, np.asarray(matches, np.float64), axes=1)
    code = np.zeros(len(matches[0]), np.int32)
    for i, m in enumerate(matches):
        code |= m.astype(np.int32) << i
    present = np.flatnonzero(np.bincount(code, minlength=1 << n))
    patterns = ((present[None, :] >> np.arange(n)[:, None]) & 1).astype(np.float64)
    table = np.zeros(1 << n, np.float64)
    table[present] = np.tensordot(weights, patterns, axes=1)
    return table[code]
