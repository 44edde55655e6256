"""Order the matching passages into a ranked list and cut out a page; optionally one hit per section.

A section is often cut into several passage windows; when a query matches several of them,
listing each as its own hit fills the first page with one section ("cybercrime aanpak": three
windows of "Aanpak bad hosting" on top).  With ``group="section"`` each section appears once,
as its best-matching window, carrying the section's other matching windows (best first) so
the UI can offer "meer uit deze sectie"; ``total`` then counts sections, which is what paging
walks through.  ``group="none"`` lists every matching window (the passage-level list of the
CLI's ``search --json``, which the judged query sets score).

Cost: one sort of the matching passages (numpy, O(n log n)) plus a partial selection.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from indexer.facets import document_days
from indexer.state import IndexState

SORTS = ("relevance", "date")
GROUPS = ("none", "section")
_EMPTY = np.empty(0, np.int64)


@dataclass
class Page:
    """One page of a ranked list."""

    hits: np.ndarray  # docnums of the page's entries, best first
    total: int  # entries in the whole list (sections when grouped, else passages)
    more: list[np.ndarray] = field(default_factory=list)  # per hit: other matching windows of its section


def _order(st: IndexState, docs: np.ndarray, score: np.ndarray, sort: str, k: int) -> np.ndarray:
    """Indices into ``docs`` of its first ``k`` entries in list order (ties: document order)."""
    if sort == "date":  # newest document first: its own date, else its year (facets.document_days)
        first_day = document_days(st)[0]
        return np.lexsort((st.order_rank[docs], -first_day[st.doc[docs]]))[:k]
    s = score[docs]
    if len(docs) > k * 4:  # only the top k need sorting
        part = np.argpartition(-s, k - 1)[:k]
        sel = np.flatnonzero(s >= s[part].min())
        return sel[np.lexsort((st.order_rank[docs[sel]], -s[sel]))][:k]
    return np.lexsort((st.order_rank[docs], -s))[:k]


def rank(st: IndexState, cand: np.ndarray, score: np.ndarray, *, sort: str = "relevance", offset: int = 0,
         limit: int = 10, group: str = "none") -> Page:
    """The page ``[offset, offset + limit)`` of the candidates ``cand`` (docnums)."""
    k = offset + limit
    if group != "section":
        if not len(cand) or limit == 0 or offset >= len(cand):
            return Page(_EMPTY, int(len(cand)))
        hits = cand[_order(st, cand, score, sort, k)][offset:k]
        return Page(hits, int(len(cand)), [_EMPTY for _ in hits])
    if not len(cand):
        return Page(_EMPTY, 0)
    sec = st.section[cand]
    within = np.lexsort((st.order_rank[cand], -score[cand], sec))  # by section, best window first
    cs, secs = cand[within], sec[within]
    starts = np.flatnonzero(np.r_[True, secs[1:] != secs[:-1]])
    ends = np.r_[starts[1:], len(cs)]
    heads = cs[starts]
    total = int(len(heads))
    if limit == 0 or offset >= total:
        return Page(_EMPTY, total)
    chosen = _order(st, heads, score, sort, k)[offset:k]
    return Page(heads[chosen], total, [cs[starts[i] + 1:ends[i]] for i in chosen])
