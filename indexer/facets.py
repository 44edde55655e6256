"""Facets and filters: one small class per facet, all with one interface (as Datasette's facets).

A facet knows how to *filter* (the passages that have one value) and how to *count* (its
values over a set of passages).  Adding a facet is adding a class to :data:`FACETS`; the
searcher, the ``filters`` argument and the query's ``field:value`` filters pick it up.

Facets are disjunctive: a facet whose own field is filtered counts with every filter except its
own, so the other values of that field stay listed (values of one field are OR-ed).

Counts are exact.  They are taken over the matching passages (:class:`Selection`): the per-document
facets (document, kind, year) from one count of passages per document, the facets of what a
passage mentions or holds (entities, entity types, statements) over only the matching passages'
rows of those tables when the matches are few (the rows are ordered by passage), else over the
whole table at once.
"""
from __future__ import annotations

import re
from typing import Any, Protocol

import numpy as np

from indexer.analysis import fold
from indexer.explain import Explanation
from indexer.state import IndexState
from indexer.statement_kinds import resolve_kind

MAX_FACET_VALUES = 50  # values listed per facet (documents, entities), by count


class FilterContext(Protocol):
    """What a filter may record while it is applied (the query evaluator)."""

    explain: Explanation
    highlight_entities: set[str]
    filter_entities: list[str]


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
            self._mask = _passages(self.st, self.docs)
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


def _value_counts(st: IndexState, sel: Selection, name: str) -> tuple[np.ndarray, np.ndarray]:
    """(values, counts) of the per-passage array ``name`` over the selection, values ascending."""
    per_doc = _document_values(st, name)
    if per_doc is None:
        return np.unique(getattr(st, name)[sel.docs], return_counts=True)
    dc = sel.per_document
    present = np.flatnonzero(dc)
    values, inverse = np.unique(per_doc[present], return_inverse=True)
    return values, np.bincount(inverse, weights=dc[present], minlength=len(values)).astype(np.int64)


def _passages(st: IndexState, ids: np.ndarray) -> np.ndarray:
    out = np.zeros(st.N, bool)
    out[ids] = True
    return out


def _top(counts: np.ndarray, limit: int) -> list[int]:
    """Indices of the ``limit`` largest non-zero ``counts``, ties by index: what a stable argsort of
    ``-counts`` lists first, but sorting only the values that occur (a query finds a few hundred of
    18,000 entities; sorting them all was most of the facet's cost)."""
    nz = np.flatnonzero(counts)
    return nz[np.lexsort((nz, -counts[nz]))][:limit].tolist()


def _by_count(items: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return sorted(items, key=lambda x: (-x["count"], x["label"]))


class Facet:
    """One filterable, countable property of a passage."""

    key = ""
    listed = True  # counted in a result's facets (False: a filter only)

    def value_mask(self, st: IndexState, value: str, ctx: FilterContext) -> np.ndarray | None:
        """Passages with ``value`` (None: the value is not understood and filters nothing)."""
        raise NotImplementedError

    def counts(self, st: IndexState, sel: Selection) -> list[dict[str, Any]]:
        """The facet's values over the selected passages: ``{"value", "label", "count"}``."""
        raise NotImplementedError

    def mask(self, st: IndexState, value: Any, ctx: FilterContext) -> np.ndarray:
        """Passages with any of the values (one value or a list: values of one facet are OR-ed)."""
        values = value if isinstance(value, (list, tuple, set)) else [value]
        out = np.zeros(st.N, bool)
        for v in values:
            v = str(v).strip()
            if not v:
                continue
            m = self.value_mask(st, v, ctx)
            if m is not None:
                out |= m
        return out


class DocumentFacet(Facet):
    key = "document"

    def value_mask(self, st, value, ctx):
        idx = st.doc_pos.get(value)
        if idx is None:  # by title words / id prefix
            cands = [i for i, d in enumerate(st.documents)
                     if fold(value) in fold(d["id"]) or fold(value) in fold(d["title"] or "")]
        else:
            cands = [idx]
        if not cands:
            ctx.explain.note("unknown_value", field=self.key, value=value)
        ctx.explain.filter(self.key, value)
        return np.isin(st.doc, cands) if cands else np.zeros(st.N, bool)

    def counts(self, st, sel):
        dc = sel.per_document
        top = _top(dc, MAX_FACET_VALUES)
        return _by_count([{"value": st.documents[i]["id"], "label": st.documents[i]["title"], "count": int(dc[i])}
                          for i in top])


class KindFacet(Facet):
    """Document kind (jaarverslag, contourennota, ...)."""

    key = "type"

    def value_mask(self, st, value, ctx):
        hits = [i for i, k in enumerate(st.kinds) if k and fold(k) == fold(value)]
        if not hits:
            ctx.explain.note("unknown_value", field=self.key, value=value)
        ctx.explain.filter(self.key, value)
        return np.isin(st.kind, hits)

    def counts(self, st, sel):
        kinds, kc = _value_counts(st, sel, "kind")
        return _by_count([{"value": st.kinds[i], "label": st.kinds[i] or "onbekend", "count": int(c)}
                          for i, c in zip(kinds.tolist(), kc.tolist()) if c])


class EntityTypeFacet(Facet):
    """Kind of entity mentioned (ORG, SYSTEM, FUND, ...)."""

    key = "entity_type"

    def value_mask(self, st, value, ctx):
        hits = [i for i, lab in enumerate(st.labels) if lab.lower() == value.lower()]
        if not hits:
            ctx.explain.note("unknown_value", field=self.key, value=value)
        ctx.explain.filter(self.key, value)
        out = np.zeros(st.N, bool)
        out[st.label_doc[np.isin(st.label_idx, hits)]] = True
        return out

    def counts(self, st, sel):
        if len(st.label_doc):
            lc = np.bincount(sel.rows(st.label_doc, st.label_idx), minlength=len(st.labels))
        else:
            lc = np.zeros(len(st.labels), int)
        return _by_count([{"value": st.labels[i], "label": label_nl(st.labels[i]), "count": int(c)}
                          for i, c in enumerate(lc) if c])


class EntityFacet(Facet):
    """Entity mentioned (by id, or by any of its names and aliases)."""

    key = "entity"

    def value_mask(self, st, value, ctx):
        eid = st.matcher.resolve(value)
        if eid is None:
            ctx.explain.note("unknown_value", field=self.key, value=value)
            return None
        ctx.highlight_entities.add(eid)
        ctx.filter_entities.append(eid)
        ctx.explain.filter(self.key, eid, name=st.entities[st.ent_pos[eid]]["name"])
        return _passages(st, st.entity_docs(eid)[0])

    def counts(self, st, sel):
        if not len(st.ent_doc):
            return []
        ec = np.bincount(sel.rows(st.ent_doc, st.ent_idx), minlength=len(st.entities))
        return [{"value": st.entities[i]["id"], "label": st.entities[i]["name"],
                 "entity_type": st.entities[i]["label"], "count": int(ec[i])} for i in _top(ec, MAX_FACET_VALUES)]


class YearFacet(Facet):
    """Document year: ``2020``, ``2019-2021``, ``>2019``, ``<=2020``."""

    key = "year"

    def value_mask(self, st, value, ctx):
        lo, hi = year_range(value)
        if lo is None:
            ctx.explain.note("unknown_value", field=self.key, value=value)
            return None
        ctx.explain.filter(self.key, value)
        return (st.year >= lo) & (st.year <= hi)

    def counts(self, st, sel):
        years, yc = _value_counts(st, sel, "year")
        return sorted(({"value": int(y), "label": str(int(y)) if y else "onbekend", "count": int(c)}
                       for y, c in zip(years, yc)), key=lambda x: -x["value"])


class StatementFacet(Facet):
    """Kind of statement a passage holds (commitment, result, problem, measure); the value may
    also be a word naming the kind ("toezegging", indexer/statement_words.yaml)."""

    key = "statement"

    def value_mask(self, st, value, ctx):
        kind = resolve_kind(value, st.analyzer)
        if kind is None:
            ctx.explain.note("unknown_value", field=self.key, value=value)
            return None
        ctx.explain.filter(self.key, kind)
        return _passages(st, st.statement_docs(kind)[0])

    def counts(self, st, sel):
        if not len(st.stmt_doc):
            return []
        sc = np.bincount(sel.rows(st.stmt_doc, st.stmt_idx), minlength=len(st.statement_kinds))
        return _by_count([{"value": k, "label": k, "count": int(sc[i])}
                          for i, k in enumerate(st.statement_kinds) if sc[i]])


class SectionFilter(Facet):
    """The passages of one section (section id): where "meer uit deze sectie" leads."""

    key = "section"
    listed = False

    def value_mask(self, st, value, ctx):
        ids, _ = st.postings("section_id", value)
        if not len(ids):
            ctx.explain.note("unknown_value", field=self.key, value=value)
            return None
        ctx.explain.filter(self.key, value)
        return _passages(st, ids)

    def counts(self, st, sel):
        return []


_ISO_DAY = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")


def _day_number(value: str, *, last: bool) -> int | None:
    """ "2020" / "2020-05" / "2020-05-17" -> 20200101 / 20200501 / 20200517 (``last``: the period's last day)."""
    m = _ISO_DAY.match(value.strip())
    if not m:
        return None
    year, month, day = int(m.group(1)), m.group(2), m.group(3)
    if month is None:
        return year * 10000 + (1231 if last else 101)
    if day is None:
        return year * 10000 + int(month) * 100 + (31 if last else 1)
    return year * 10000 + int(month) * 100 + int(day)


def document_days(st: IndexState) -> tuple[np.ndarray, np.ndarray]:
    """Per document the first and last day its date may be (its own date, else its year; 0 if neither)."""
    cached = getattr(st, "_document_days", None)
    if cached is None:
        lo, hi = np.zeros(len(st.documents), np.int64), np.zeros(len(st.documents), np.int64)
        for i, d in enumerate(st.documents):
            own = str(d.get("date") or "")[:10]
            first, last = (_day_number(own, last=False), _day_number(own, last=True)) if own else (None, None)
            if first is None and d.get("year"):
                first, last = _day_number(str(d["year"]), last=False), _day_number(str(d["year"]), last=True)
            lo[i], hi[i] = first or 0, last or 0
        cached = st._document_days = (lo, hi)  # type: ignore[attr-defined]
    return cached


class DateFacet(Facet):
    """Document date in a range: ``2020-03-01..2021-06-30``, ``2020..`` or ``..2021`` (a year or month
    stands for its first day on the left and its last day on the right).  A document without a date
    counts with its year; one without either is outside every range.  A filter only."""

    key = "date"
    listed = False

    def value_mask(self, st, value, ctx):
        lo_text, sep, hi_text = value.partition("..")
        lo = _day_number(lo_text, last=False) if lo_text.strip() else 0
        hi = _day_number(hi_text, last=True) if sep and hi_text.strip() else (99991231 if sep else None)
        if not sep:  # one value: that day, month or year
            lo, hi = _day_number(value, last=False), _day_number(value, last=True)
        if lo is None or hi is None:
            ctx.explain.note("unknown_value", field=self.key, value=value)
            return None
        ctx.explain.filter(self.key, value)
        first, last = document_days(st)
        ok = (last > 0) & (last >= lo) & (first <= hi)
        return ok[st.doc] if st.N else np.zeros(0, bool)

    def counts(self, st, sel):
        return []


#: every facet, in the order results list them
FACETS: dict[str, Facet] = {f.key: f for f in (DocumentFacet(), KindFacet(), EntityTypeFacet(), EntityFacet(),
                                               YearFacet(), StatementFacet(), SectionFilter(), DateFacet())}
#: names accepted in the ``filters`` argument -> facet key
FILTER_NAMES = {"document": "document", "type": "type", "kind": "type", "entity": "entity",
                "entity_type": "entity_type", "year": "year", "jaar": "year", "statement": "statement",
                "section": "section", "date": "date", "datum": "date"}


def facet_counts(st: IndexState, sel: Selection) -> dict[str, list[dict[str, Any]]]:
    listed = {key: facet for key, facet in FACETS.items() if facet.listed}
    if not len(sel):
        return {key: [] for key in listed}
    return {key: facet.counts(st, sel) for key, facet in listed.items()}


def disjunctive_facets(st: IndexState, mask: np.ndarray, field_masks: dict[str, np.ndarray],
                       base: np.ndarray | None, docs: np.ndarray | None = None) -> dict[str, list[dict[str, Any]]]:
    """Facets of ``mask`` (its passages ``docs``, ascending, when known), except that a facet whose
    own field is filtered counts over the results of all *other* filters (over ``base``, what
    matches before the facet filters), so its unchosen values stay listed and can be added."""
    out = facet_counts(st, Selection(st, mask, docs))
    if base is None or not field_masks:
        return out
    for key in field_masks:
        if key not in out:
            continue
        m = base.copy()
        for other, om in field_masks.items():
            if other != key:
                m &= om
        out[key] = FACETS[key].counts(st, Selection(st, m)) if m.any() else []
    return out


def year_range(v: str) -> tuple[int | None, int | None]:
    v = v.strip()
    if re.fullmatch(r"\d{4}", v):
        return int(v), int(v)
    m = re.fullmatch(r"(\d{4})\s*(?:-|–|\.\.|tot)\s*(\d{4})", v)
    if m:
        a, b = int(m.group(1)), int(m.group(2))
        return min(a, b), max(a, b)
    m = re.fullmatch(r"(>=|<=|>|<)\s*(\d{4})", v)
    if m:
        y = int(m.group(2))
        return {">": (y + 1, 9999), ">=": (y, 9999), "<": (0, y - 1), "<=": (0, y)}[m.group(1)]
    return None, None


def label_nl(label: str) -> str:
    """The Dutch name of an entity label (the catalogue's)."""
    try:
        from kb.catalogue import LABEL_NAMES_NL
        return LABEL_NAMES_NL.get(label, label)
    except Exception:  # pragma: no cover
        return label
