"""Order the matching passages into a ranked list and cut out a page; optionally one hit per section.

A section is often cut into several passage windows; when a query matches several of them,
listing each as its own hit fills the first page with one section ("cybercrime aanpak": three
windows of "Aanpak bad hosting" on top).  With ``group="section"`` each section appears once,
as its best-matching window, carrying the section's other matching windows (best first) so
the UI can offer "meer uit deze sectie"; ``total`` then counts sections, which is what paging
walks through.  ``group="none"`` lists every matching window (the passage-level list of the
CLI's ``search --json``, which the judged query sets score).

Cost: a partial selection of the matching passages; grouped, one pass over them for each section's
best window (no sort of all of them) and a sort of the chosen sections' windows only.
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
    heads = _section_heads(st, cand, score)
    total = int(len(heads))
    if limit == 0 or offset >= total:
        return Page(_EMPTY, total)
    hits = heads[_order(st, heads, score, sort, k)[offset:k]]
    # the chosen sections' other matching windows, best first (ties: document order)
    sections = _section_numbers(st)
    chosen = np.zeros(int(sections.max()) + 1, bool)
    chosen[sections[hits]] = True
    mates = cand[chosen[sections[cand]]]
    mates = mates[np.lexsort((st.order_rank[mates], -score[mates], sections[mates]))]
    first = np.searchsorted(sections[mates], sections[hits])  # each section's run starts with its head
    ends = np.searchsorted(sections[mates], sections[hits], side="right")
    return Page(hits, total, [mates[a + 1:b] for a, b in zip(first.tolist(), ends.tolist())])


def _section_numbers(st: IndexState) -> np.ndarray:
    """Per passage the number of its section, 0, 1, ... in section order (cached on the state)."""
    cached = st.__dict__.get("_section_numbers")
    if cached is None:
        cached = st._section_numbers = np.unique(st.section, return_inverse=True)[1].astype(np.int32).ravel()
    return cached


def _section_heads(st: IndexState, cand: np.ndarray, score: np.ndarray) -> np.ndarray:
    """The best candidate of each section among ``cand`` (highest score, then first in document order),
    found with one pass over the candidates (a per-section maximum of a key made of the score's
    order-preserving bits and the inverted document-order rank) instead of sorting them all."""
    s = (score[cand].astype(np.float32) + np.float32(0)).view(np.uint32).astype(np.uint64)  # + 0: -0.0 as 0.0
    s = np.where(s >= 1 << 31, ~s & 0xFFFFFFFF, s | (1 << 31))  # float order as unsigned order
    key = (s << np.uint64(32)) | (np.uint64(0xFFFFFFFF) - st.order_rank[cand].astype(np.uint64))
    sec = _section_numbers(st)[cand]
    best = np.zeros(int(sec.max()) + 1, np.uint64)
    np.maximum.at(best, sec, key)
    return cand[key == best[sec]]
