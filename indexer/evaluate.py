"""Evaluate a parsed query tree into per-passage scores and match masks.

A group's clauses are summed and coordinated (passages that match more of the query's words
rank first, ``Ranking.coord_power``); ``+word`` and ``a AND b`` make clauses required,
``-word``/``NOT`` exclude, ``a OR b`` is one clause of alternatives.  Top-level filters are kept
per facet field (``field_masks``) so the facets can count disjunctively.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from indexer.clauses import Clause, ClauseBuilder
from indexer.explain import Explanation
from indexer.facets import FACETS
from indexer.parser import Node
from indexer.state import IndexState
from settings import Ranking


@dataclass
class Evaluation:
    """The outcome of one query over one index state."""

    score: np.ndarray  # per passage
    match: np.ndarray  # passages the words match (before facet filters)
    restrict: np.ndarray  # passages left by exclusions and nested filters
    has_positive: bool  # the query has something to search for (not only filters/exclusions)


class QueryEvaluator(ClauseBuilder):
    """Evaluates one parsed query against one index state."""

    def __init__(self, st: IndexState, ranking: Ranking, explain: Explanation) -> None:
        super().__init__(st, ranking, explain)
        self.depth = 0  # nesting of the group being evaluated (0: the whole query)
        #: top-level filters by facet key (query filters and the filters argument), AND-ed per key
        self.field_masks: dict[str, np.ndarray] = {}
        self.filter_entities: list[str] = []  # entities filtered on (their salience scores a filter-only query)
        self.filter_scores: list[np.ndarray] = []

    # -- filters ------------------------------------------------------------------------------
    def filter_mask(self, key: str, value) -> np.ndarray:
        before = len(self.filter_entities)
        mask = FACETS[key].mask(self.st, value, self)
        if key == "entity" and len(self.filter_entities) > before:
            self.filter_scores.append(self.bm.entity_score(self.filter_entities[-1])[0])
        return mask

    def add_field_filter(self, key: str, value) -> None:
        """A top-level filter: kept per facet key (AND-ed with earlier filters of that key)."""
        fmask = self.filter_mask(key, value)
        prev = self.field_masks.get(key)
        self.field_masks[key] = fmask if prev is None else prev & fmask

    @property
    def has_filters(self) -> bool:
        """Some filter value was understood (a query of filters only lists what they keep)."""
        return bool(self.explain.filters)

    # -- tree -----------------------------------------------------------------------------
    def evaluate(self, node: Node) -> Evaluation:
        """Score, match and restriction of a group node."""
        st = self.st
        positives: list[Clause] = []
        required: list[np.ndarray] = []
        restrict = np.ones(st.N, bool)
        for ch in node.children:
            if self.term_budget <= 0 and ch.kind != "filter":
                self.truncated = True
                continue
            if ch.kind == "filter":
                if self.depth == 0:  # a top-level filter: kept per field for disjunctive facets
                    self.add_field_filter(ch.field, ch.text)
                else:
                    restrict &= self.filter_mask(ch.field, ch.text)
                continue
            if ch.kind == "not":
                restrict &= self._excluded(ch.children[0])
                continue
            cs = self._node_clauses(ch)
            if ch.required:
                required.extend(c.match for c in cs)
            positives.extend(cs)
        if not positives:
            return Evaluation(np.zeros(st.N, np.float32), np.zeros(st.N, bool), restrict, False)
        score, matched = self.bm.coordinate([c.score for c in positives], [c.match for c in positives],
                                            [c.guessed for c in positives])
        match = matched > 0
        if self.r.strict and len(positives) > 1:
            all_match = matched == len(positives)
            if (all_match & restrict).any():
                match = all_match
        for req in required:
            match &= req
        return Evaluation(score, match, restrict, True)

    def _excluded(self, inner: Node) -> np.ndarray:
        """The passages left when ``inner`` is excluded (its words are neither searched nor marked)."""
        saved = (set(self.highlight_terms), set(self.highlight_entities), self.explain.snapshot())
        was_not, self.in_not = self.in_not, True
        try:
            cs = self._node_clauses(inner)
        finally:
            self.in_not = was_not
        self.highlight_terms, self.highlight_entities = saved[0], saved[1]
        self.explain.restore(saved[2])
        if not cs:
            return np.ones(self.st.N, bool)
        self.explain.reading("excluded", text=inner.text)
        return ~np.logical_or.reduce([c.match for c in cs])

    def _node_clauses(self, node: Node) -> list[Clause]:
        if node.kind == "words":
            return self.clauses_for_words(node.text, fields=("title",) if node.field == "title" else None)
        if node.kind == "phrase":
            c = self.phrase_clause(node.text)
        elif node.kind == "prefix":
            c = self.prefix_clause(node.text)
        elif node.kind == "fuzzy":
            c = self.fuzzy_clause(node.text, node.dist)
        elif node.kind == "or":
            c = self._any_of(node)
        elif node.kind == "group":
            c = self._group(node)
        else:
            c = None
        return [c] if c is not None else []

    def _any_of(self, node: Node) -> Clause | None:
        subs = []
        for ch in node.children:
            if ch.kind in ("not", "filter"):
                continue
            cs = self._node_clauses(ch)
            if cs:
                subs.append(self._combine(cs))
        if not subs:
            return None
        score = np.sum([s.score for s in subs], axis=0).astype(np.float32)
        match = np.logical_or.reduce([s.match for s in subs])
        self.explain.reading("any_of", labels=[s.label for s in subs])
        return Clause(score, match, " OR ".join(s.label for s in subs))

    def _group(self, node: Node) -> Clause | None:
        self.depth += 1
        try:
            ev = self.evaluate(node)
        finally:
            self.depth -= 1
        if not ev.has_positive:
            return None
        return Clause(np.where(ev.restrict, ev.score, 0).astype(np.float32), ev.match & ev.restrict, "(groep)")

    def _combine(self, cs: list[Clause]) -> Clause:
        """Several clauses as one alternative of an OR (coordination as at the top level)."""
        if len(cs) == 1:
            return cs[0]
        score = np.sum([c.score for c in cs], axis=0).astype(np.float32)
        frac = np.sum([c.match for c in cs], axis=0) / len(cs)
        return Clause((score * frac ** self.r.coord_power).astype(np.float32), frac > 0,
                      " ".join(c.label for c in cs))
