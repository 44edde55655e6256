"""BM25F scoring over an index state, vectorised with numpy.

A term's score is computed for every passage at once: the postings of each scored field are
read once per generation (``IndexState.postings``), weighted by field and length-normalised
into one pseudo-frequency, then saturated (``k1``) and weighted by idf (:mod:`nltext.bm25`, the
same scorer related passages use).  The result is kept sparse (:class:`Sparse`: the passages
that have the term and their scores) and cached on the index state across queries, so a word a
later query uses again costs nothing to score, and folding it into a clause costs work in
proportion to its passages, not to the whole collection.  Every number is computed with the
same float32 operations, element by element, as the dense arrays it replaces (zero elsewhere),
so scores and rankings are bit for bit those of scoring every passage.

Entities score the same way on their salience counts (how often, how early, whether in the
title), so passages *about* an entity outrank passing mentions.  Weights: ``settings.Ranking``.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from indexer.state import IndexState
from nltext import bm25
from settings import Ranking

#: a phrase's passages (all its bigrams present) score this much above the sum of its words
PHRASE_BOOST = 1.5
_SHINGLES = "shingles"
_MIN_LENGTH_FIELDS = ("text", "compounds")


@dataclass(frozen=True)
class Sparse:
    """Scores of some passages (``ids`` ascending, unique); every other passage scores 0."""

    ids: np.ndarray
    vals: np.ndarray

    @staticmethod
    def empty() -> "Sparse":
        return Sparse(np.empty(0, np.int32), np.empty(0, np.float32))

    def __len__(self) -> int:
        return len(self.ids)

    @property
    def nbytes(self) -> int:
        return int(self.ids.nbytes + self.vals.nbytes)

    def dense(self, n: int) -> np.ndarray:
        out = np.zeros(n, np.float32)
        out[self.ids] = self.vals
        return out

    def at(self, docs: np.ndarray) -> np.ndarray:
        """The scores of passages ``docs`` (ascending), 0 where absent."""
        if not len(self.ids) or not len(docs):
            return np.zeros(len(docs), np.float32)
        idx = np.searchsorted(self.ids, docs)
        idx[idx == len(self.ids)] = 0
        return np.where(self.ids[idx] == docs, self.vals[idx], np.float32(0))


def fold_max(score: np.ndarray, sp: Sparse, weight: float | None = None) -> np.ndarray:
    """``np.maximum(score, weight * sp.dense())`` in place, touching only ``sp``'s passages (scores
    are never negative, so the passages outside ``sp`` keep their score)."""
    if len(sp.ids):
        vals = sp.vals if weight is None else weight * sp.vals
        score[sp.ids] = np.maximum(score[sp.ids], vals)
    return score


def all_of(sub: list[Sparse], *, mean: bool = False) -> Sparse:
    """Where every one of ``sub`` scores: the sum of their scores (added in order; ``mean``: divided
    by their number), as ``np.where(all(s > 0), sum(sub) [/ n], 0)`` over dense arrays computes it."""
    docs: np.ndarray | None = None
    for s in sub:
        have = s.ids[s.vals > 0]
        docs = have if docs is None else np.intersect1d(docs, have, assume_unique=True)
    if docs is None or not len(docs):
        return Sparse.empty()
    total = np.zeros(len(docs), np.float32)
    for s in sub:
        total = total + s.at(docs)
    return Sparse(docs, total / max(1, len(sub)) if mean else total)


class Bm25f:
    """Scores of terms, phrases and entities for every passage of one index state."""

    def __init__(self, st: IndexState, ranking: Ranking) -> None:
        self.st = st
        self.r = ranking
        #: what a term's scores depend on besides the term: the cache key's part for this ranking
        self._weights = (ranking.k1, ranking.min_length, tuple(sorted(ranking.field_weights.items())),
                         tuple(sorted(ranking.field_b.items())))

    @property
    def n(self) -> int:
        return self.st.N

    def zeros(self) -> np.ndarray:
        return np.zeros(self.st.N, np.float32)

    def idf(self, df: int) -> float:
        return bm25.idf(df, self.st.N)

    def term_tf(self, term: str, fields: tuple[str, ...] | None = None) -> tuple[np.ndarray, np.ndarray, int]:
        """BM25F pseudo-frequency of ``term`` over the scored fields: (passages where it is not 0,
        ascending; its values there; the term's df).  Each field adds ``weight * tf * norm`` to a
        passage's value, in field order, exactly as a dense array over all passages would sum it."""
        st, r = self.st, self.r
        parts: list[tuple[np.ndarray, np.ndarray]] = []
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
            parts.append((ids, w * tf * norm[ids]))
        if not parts:
            return np.empty(0, np.int32), np.empty(0, np.float32), 0
        total = sum(len(ids) for ids, _ in parts)
        if total * 8 > st.N:  # a common term: one array over all passages is cheaper than merging
            dense = np.zeros(st.N, np.float32)
            for ids, add in parts:
                dense[ids] += add
            where = np.flatnonzero(dense)
            return where.astype(np.int32), dense[where], df
        where = parts[0][0] if len(parts) == 1 else np.unique(np.concatenate([ids for ids, _ in parts]))
        acc = np.zeros(len(where), np.float32)
        for ids, add in parts:
            acc[np.searchsorted(where, ids)] += add
        keep = acc != 0
        if not keep.all():
            where, acc = where[keep], acc[keep]
        return where.astype(np.int32), acc, df

    def term_sparse(self, term: str, fields: tuple[str, ...] | None = None) -> Sparse:
        """The BM25F scores of ``term`` (over ``fields``, default all scored fields), kept on the
        index state for later queries."""
        key = ("score", self._weights, term, tuple(fields) if fields else None)
        hit = self.st.cache.get(key)
        if hit is not None:
            return hit
        ids, tf, df = self.term_tf(term, fields)
        if not df:
            return self.st.cache.put(key, Sparse.empty())
        return self.st.cache.put(key, Sparse(ids, bm25.term_scores(tf, self.idf(df), self.r.k1)))

    def term_score(self, term: str, fields: tuple[str, ...] | None = None) -> np.ndarray:
        """The BM25F score of ``term`` for every passage."""
        return self.term_sparse(term, fields).dense(self.n)

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

    def phrase_docs(self, terms: list[str] | tuple[str, ...]) -> np.ndarray:
        """Passages (ascending) that hold every word bigram of ``terms`` (two or more index terms)."""
        docs: np.ndarray | None = None
        for a, b in zip(terms, terms[1:]):
            ids, _ = self.st.postings(_SHINGLES, f"{a} {b}")
            docs = ids if docs is None else np.intersect1d(docs, ids, assume_unique=True)
            if not len(docs):
                break
        return docs if docs is not None else np.empty(0, np.int64)

    def phrase_match(self, terms: list[str] | tuple[str, ...]) -> np.ndarray:
        """Passages that hold every word bigram of ``terms`` (two or more index terms)."""
        match = np.zeros(self.st.N, bool)
        match[self.phrase_docs(terms)] = True
        return match

    def _summed_at(self, terms: list[str] | tuple[str, ...], docs: np.ndarray) -> np.ndarray:
        """The sum of the terms' scores at passages ``docs``, added in the terms' order."""
        total = np.zeros(len(docs), np.float32)
        for t in terms:
            total = total + self.term_sparse(t).at(docs)
        return total

    def phrase_score(self, terms: list[str]) -> tuple[np.ndarray, np.ndarray]:
        """(score, match) of a phrase: its words' scores, boosted, where all its bigrams occur."""
        docs = self.phrase_docs(terms)
        score = np.zeros(self.st.N, np.float32)
        match = np.zeros(self.st.N, bool)
        score[docs] = self._summed_at(terms, docs) * PHRASE_BOOST
        match[docs] = True
        return score, match

    def member_sparse(self, terms: tuple[str, ...]) -> Sparse:
        """Scores of one synonym member: a word's scores, or a multi-word member's mean term score
        where it occurs as a phrase (all its word bigrams)."""
        if len(terms) == 1:
            return self.term_sparse(terms[0])
        docs = self.phrase_docs(terms)
        if not len(docs):
            return Sparse.empty()
        return Sparse(docs, (self._summed_at(terms, docs) / len(terms)).astype(np.float32))

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
        n = len(scores)
        if not (self.r.coord_power and n > 1):
            return np.sum(scores, axis=0).astype(np.float32), np.sum(matches, axis=0)
        weights = self.informativeness(matches, guessed or [False] * n)
        if n > _MAX_PATTERN_CLAUSES:
            score = np.sum(scores, axis=0) * matched_share(weights / weights.sum(), matches) ** self.r.coord_power
            return score.astype(np.float32), np.sum(matches, axis=0)
        # A passage no clause matches has share 0, hence score 0: the sums are taken over the passages
        # some clause matches only (the same float32 additions, in the same order, as over all passages)
        some = np.flatnonzero(np.logical_or.reduce(matches))
        on = [m[some] for m in matches]
        share = matched_share(weights / weights.sum(), on, unmatched_elsewhere=len(some) < self.n)
        score = np.zeros(self.n, np.float32)
        score[some] = np.sum([s[some] for s in scores], axis=0) * share ** self.r.coord_power
        matched = np.zeros(self.n, np.int64)
        matched[some] = np.sum(on, axis=0)
        return score, matched


#: up to this many clauses the matched share is computed per pattern of matched clauses
_MAX_PATTERN_CLAUSES = 12


def matched_share(weights: np.ndarray, matches: list[np.ndarray], unmatched_elsewhere: bool = False) -> np.ndarray:
    """Per passage the sum of the ``weights`` of the clauses it matches (float64).

    The share depends only on which clauses a passage matches, so it is computed once per pattern
    that occurs (a bit per clause) and looked up, with the same dot product per pattern as a dot
    product over all passages would do (identical values).  The dot product over all passages was
    an ``n x 350,000`` float64 matrix per query and a threaded BLAS call, which stalled for 20 ms
    when the machine's cores were busy.  ``unmatched_elsewhere``: ``matches`` cover only some passages
    and others match no clause (the table is then computed for the same patterns as over all passages)."""
    n = len(matches)
    if n > _MAX_PATTERN_CLAUSES:
        return np.tensordot(weights, np.asarray(matches, np.float64), axes=1)
    code = np.zeros(len(matches[0]), np.int32)
    for i, m in enumerate(matches):
        code |= m.astype(np.int32) << i
    seen = np.bincount(code, minlength=1 << n)
    if unmatched_elsewhere:
        seen[0] += 1
    present = np.flatnonzero(seen)
    patterns = ((present[None, :] >> np.arange(n)[:, None]) & 1).astype(np.float64)
    table = np.zeros(1 << n, np.float64)
    table[present] = np.tensordot(weights, patterns, axes=1)
    return table[code]
