"""The passages a search's facets count, and counting over them without a pass over every passage.

The per-document facets (document, kind, year) come from one count of the matching passages per
document (a kind and a year belong to a document); the facets of what a passage mentions or holds
(entities, entity types, statements) read only the matching passages' rows of those tables when the
matches are few (the rows are ordered by passage: each passage's rows are one run), else every row
at once.  Counts are exact (tests/test_search_shortcuts.py counts the mask itself).
"""
from __future__ import annotations

import numpy as np

from indexer.state import IndexState


class Selection:
    """The passages a facet counts: ``mask`` (dense) and ``docs`` (ascending), each made from the
    other when first asked for, and their number per document (computed once for all facets)."""

    def __init__(self, st: IndexState, mask: np.ndarray | None = None, docs: np.ndarray | None = None) -> None:
        self.st = st
        self._mask, self._docs = mask, docs
        self._per_document: np.ndarray | None = None

    @property
    def mask(self) -> np.ndarray:
        if self._mask is None:
            self._mask = passage_mask(self.st, self.docs)
        return self._mask

    @property
    def docs(self) -> np.ndarray:
        if self._docs is None:
            self._docs = np.flatnonzero(self._mask)
        return self._docs

    def __len__(self) -> int:
        return len(self.docs)

    @property
    def per_document(self) -> np.ndarray:
        """Matching passages per document (by position in ``st.documents``)."""
        if self._per_document is None:
            self._per_document = np.bincount(self.st.doc[self.docs], minlength=len(self.st.documents))
        return self._per_document

    def rows(self, row_doc: np.ndarray, row_val: np.ndarray) -> np.ndarray:
        """``row_val`` of the rows whose passage (``row_doc``, ascending) is selected."""
        if len(self.docs) * 4 >= self.st.N:  # many: one look-up per row of the table
            return row_val[self.mask[row_doc]]
        start = _row_starts(self.st, row_doc)
        first, count = start[self.docs], start[self.docs + 1] - start[self.docs]
        total = int(count.sum())
        if not total:
            return row_val[:0]
        # positions first[i], first[i] + 1, ... first[i] + count[i] - 1 of every selected passage, in order
        shift = np.repeat(first - (np.cumsum(count) - count), count)
        return row_val[shift + np.arange(total)]


def _row_starts(st: IndexState, row_doc: np.ndarray) -> np.ndarray:
    """Per passage (and one past the last) the first row of a passage-ordered table (cached on the state)."""
    cache = st.__dict__.setdefault("_row_starts", {})
    key = id(row_doc)
    if key not in cache:
        cache[key] = np.searchsorted(row_doc, np.arange(st.N + 1))
    return cache[key]


def _document_values(st: IndexState, name: str) -> np.ndarray | None:
    """Per document the value every one of its passages has in the per-passage array ``name``
    (``kind``, ``year``); None when the passages of a document differ (then they are counted one by one)."""
    cache = st.__dict__.setdefault("_document_values", {})
    if name not in cache:
        per_passage = getattr(st, name)
        per_doc = np.zeros(len(st.documents), per_passage.dtype)
        per_doc[st.doc] = per_passage
        cache[name] = per_doc if np.array_equal(per_doc[st.doc], per_passage) else None
    return cache[name]


def value_counts(st: IndexState, sel: Selection, name: str) -> tuple[np.ndarray, np.ndarray]:
    """(values, counts) of the per-passage array ``name`` over the selection, values ascending."""
    per_doc = _document_values(st, name)
    if per_doc is None:
        return np.unique(getattr(st, name)[sel.docs], return_counts=True)
    dc = sel.per_document
    present = np.flatnonzero(dc)
    values, inverse = np.unique(per_doc[present], return_inverse=True)
    return values, np.bincount(inverse, weights=dc[present], minlength=len(values)).astype(np.int64)


def passage_mask(st: IndexState, ids: np.ndarray) -> np.ndarray:
    """The passages ``ids`` as a mask over all passages."""
    out = np.zeros(st.N, bool)
    out[ids] = True
    return out
