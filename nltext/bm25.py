"""BM25(F) with numpy: one scorer for the search index's arrays and for related passages.

Okapi BM25 with the "simple BM25F" combination of fields (Robertson & Zaragoza 2009, §3.4):
a term's pseudo-frequency in a document is the sum over its fields of
``weight_f * tf_f / (1 - b_f + b_f * len_f / avglen_f)``, and the document's score for the term
is ``idf * q * tf~ * (k1 + 1) / (tf~ + k1)``.  Everything here works on numpy arrays over the
documents (dense) or over a posting list (sparse: ids and frequencies), so a query costs a few
vectorised operations per term whatever the number of documents.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Iterable, Mapping

import numpy as np


def idf(df: np.ndarray | int | float, n: int) -> np.ndarray | float:
    """Robertson–Sparck Jones idf, kept positive: ``ln(1 + (n - df + 0.5) / (df + 0.5))``."""
    if isinstance(df, np.ndarray):
        return np.log1p((n - df + 0.5) / (df + 0.5))
    return float(np.log1p((n - df + 0.5) / (df + 0.5)))


def inverse_length_norm(lengths: np.ndarray, b: float, *, min_length: float = 0.0,
                        average: float | None = None) -> np.ndarray:
    """``1 / (1 - b + b * len / avglen)`` per document.  ``min_length`` treats a document as at
    least that fraction of the average (a one-word line does not outrank the passages that
    explain the subject)."""
    lengths = np.asarray(lengths, dtype=np.float64)
    if not len(lengths):
        return np.ones(0, np.float32)
    avg = float(average if average is not None else lengths.mean()) or 1.0
    rel = lengths / avg
    if min_length:
        rel = np.maximum(rel, min_length)
    return (1.0 / (1.0 - b + b * rel)).astype(np.float32)


def saturate(tf: np.ndarray, k1: float) -> np.ndarray:
    """``tf * (k1 + 1) / (tf + k1)`` (zero where tf is zero)."""
    tf = np.asarray(tf, dtype=np.float32)
    return (tf * (k1 + 1.0) / (tf + k1)).astype(np.float32)


def term_scores(pseudo_tf: np.ndarray, term_idf: float, k1: float, query_weight: float = 1.0) -> np.ndarray:
    """BM25 score of one term per document from its (field-combined, length-normalised) frequency."""
    return (query_weight * term_idf * saturate(pseudo_tf, k1)).astype(np.float32)


@dataclass
class BM25F:
    """Field weights and length normalisation of a BM25F ranking."""

    k1: float = 1.2
    weights: Mapping[str, float] = field(default_factory=lambda: {"text": 1.0})
    b: Mapping[str, float] = field(default_factory=dict)
    default_b: float = 0.75
    #: fields whose length normalisation uses ``min_length``
    min_length_fields: tuple[str, ...] = ()
    min_length: float = 0.0

    def field_b(self, name: str) -> float:
        return self.b.get(name, self.default_b)

    def inverse_norm(self, name: str, lengths: np.ndarray) -> np.ndarray:
        ml = self.min_length if name in self.min_length_fields else 0.0
        return inverse_length_norm(lengths, self.field_b(name), min_length=ml)

    def pseudo_tf(self, n: int, postings: Iterable[tuple[str, np.ndarray, np.ndarray]],
                  inverse_norms: Mapping[str, np.ndarray]) -> np.ndarray:
        """Dense pseudo-frequency of one term over ``n`` documents from its postings per field
        (``(field, doc ids, tf)``), with each field's inverse length norm."""
        acc = np.zeros(n, np.float32)
        for name, ids, tf in postings:
            w = self.weights.get(name, 0.0)
            if not w or not len(ids):
                continue
            acc[ids] += w * tf * inverse_norms[name][ids]
        return acc

    def score(self, pseudo_tf: np.ndarray, df: int, n: int, query_weight: float = 1.0) -> np.ndarray:
        if not df:
            return np.zeros_like(pseudo_tf, dtype=np.float32)
        return term_scores(pseudo_tf, idf(df, n), self.k1, query_weight)


@dataclass
class TermMatrix:
    """Term frequencies of a set of documents as postings (term -> doc ids, tf), with lengths.

    Built once from ``{term: tf}`` counters per document; a weighted query is scored against
    every document with one vectorised update per query term (:meth:`score`)."""

    n: int
    postings: dict[str, tuple[np.ndarray, np.ndarray]]
    lengths: np.ndarray

    @classmethod
    def from_counts(cls, docs: list[Mapping[str, float]], lengths: Iterable[float] | None = None) -> "TermMatrix":
        ids: dict[str, list[int]] = {}
        tfs: dict[str, list[float]] = {}
        for i, counts in enumerate(docs):
            for t, c in counts.items():
                if c > 0:
                    ids.setdefault(t, []).append(i)
                    tfs.setdefault(t, []).append(c)
        postings = {t: (np.asarray(ids[t], np.int64), np.asarray(tfs[t], np.float32)) for t in ids}
        lens = np.asarray(list(lengths) if lengths is not None else [sum(d.values()) for d in docs], np.float32)
        return cls(len(docs), postings, lens)

    def df(self, term: str) -> int:
        p = self.postings.get(term)
        return 0 if p is None else len(p[0])

    def tf(self, term: str) -> np.ndarray:
        """Dense frequencies of ``term``."""
        out = np.zeros(self.n, np.float32)
        p = self.postings.get(term)
        if p is not None:
            out[p[0]] = p[1]
        return out
