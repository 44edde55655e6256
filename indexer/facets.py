"""Facets and filters: one small class per facet, all with one interface (as Datasette's facets).

A facet knows how to *filter* (the passages that have one value) and how to *count* (its
values over a set of passages).  Adding a facet is adding a class to :data:`FACETS`; the
searcher, the ``filters`` argument and the query's ``field:value`` filters pick it up.

Facets are disjunctive: a facet whose own field is filtered counts with every filter except its
own, so the other values of that field stay listed (values of one field are OR-ed).

Counts are exact; they are taken over the matching passages as a :class:`~indexer.selection.Selection`.
"""
from __future__ import annotations

import re
from typing import Any, Protocol

import numpy as np

from indexer.analysis import fold
from indexer.explain import Explanation
from indexer.selection import Selection, passage_mask, value_counts
from indexer.state import IndexState
from indexer.statement_kinds import resolve_kind

MAX_FACET_VALUES = 50  # values listed per facet (documents, entities), by count


class FilterContext(Protocol):
    """What a filter may record while it is applied (the query evaluator)."""

    explain: Explanation
    highlight_entities: set[str]
    filter_entities: list[str]


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
        kinds, kc = value_counts(st, sel, "kind")
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
        return passage_mask(st, st.entity_docs(eid)[0])

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
        years, yc = value_counts(st, sel, "year")
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
        return passage_mask(st, st.statement_docs(kind)[0])

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
        return passage_mask(st, ids)

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
