"""The searcher: one query in, one page of ranked passages with facets and an explanation out.

This is the search core's public face (``Searcher.search``, ``Searcher.count``,
``search_json``; see ``indexer/__init__.py``).  It ties the jobs together: clean and parse the
query (``parser``), evaluate it over the opened index (``evaluate`` on ``state`` with
``scoring``), apply filters and count facets (``facets``), rank and page, mark snippets
(``snippets``), suggest a spelling (``spelling``) and say how the query was read (``explain``;
the wording for people lives in the web layer).
"""
from __future__ import annotations

import json
import re
import time
from pathlib import Path
from typing import Any

import numpy as np

from indexer.analysis import STOP_WORDS, fold
from indexer.build import BUILD_FILE
from indexer.evaluate import QueryEvaluator
from indexer.explain import Explanation
from indexer.facets import FILTER_NAMES, disjunctive_facets
from indexer.parser import MAX_QUERY_CHARS, Node, parse, sanitize
from indexer.ranking import GROUPS, SORTS, rank
from indexer.scoring import Bm25f
from indexer.regulations import regulation_names
from indexer.snippets import highlight_spans, make_snippet
from indexer.spelling import suggest
from indexer.state import IndexState, shared_state, stat_key
from indexer.clauses import MAX_TERMS
from settings import Limits, Ranking
from settings.budget import check as check_budget

MAX_LIMIT = 1000  # results per call
MORE_IDS = Limits().section_more_ids


class _Run:
    """A query evaluated with its filters: scores, the passages it finds, and how it was read."""

    def __init__(self, ev: QueryEvaluator, score: np.ndarray, mask: np.ndarray, base: np.ndarray,
                 has_pos: bool, clean: str) -> None:
        self.ev, self.score, self.mask, self.base, self.has_pos, self.clean = ev, score, mask, base, has_pos, clean


class Searcher:
    """Thread-safe; cheap to create (the opened index is shared per process); picks up a rebuilt
    index (atomically swapped directory) within ``RECHECK_SECONDS``."""

    RECHECK_SECONDS = 1.0

    def __init__(self, index_dir: Path, store=None, *, ranking: Ranking | None = None) -> None:
        self.index_dir = Path(index_dir)
        self.store = store
        self.ranking = ranking or Ranking()
        self._checked = time.monotonic()
        self._state: IndexState = self._open()

    def _open(self) -> IndexState:
        last_exc: Exception | None = None
        for _ in range(50):  # a rebuild may be between its two renames for a moment
            try:
                return shared_state(self.index_dir)
            except Exception as exc:  # noqa: PERF203
                last_exc = exc
                time.sleep(0.02)
        raise FileNotFoundError(f"{self.index_dir}: no usable search index ({last_exc}); run `beleidsbank build`")

    @property
    def state(self) -> IndexState:
        now = time.monotonic()
        st = self._state
        if now - self._checked >= self.RECHECK_SECONDS:
            self._checked = now
            key = stat_key(self.index_dir / BUILD_FILE)
            if key is not None and key != st.build_stat:
                try:
                    self._state = shared_state(self.index_dir)
                except Exception:  # mid-swap or broken new index: keep serving the old one
                    pass
            st = self._state
        return st

    def refresh(self) -> None:
        self._checked = 0.0
        _ = self.state

    def close(self) -> None:
        """Searchers share the opened index per process; nothing to release per instance."""

    @property
    def doc_count(self) -> int:
        return self.state.N

    # -- public API -----------------------------------------------------------------------
    def search(self, q: str, *, limit: int = 10, offset: int = 0, filters: dict | None = None,
               sort: str = "relevance", facets: bool = True, snippets: bool = True,
               suggest: bool = True, group: str = "none") -> dict[str, Any]:
        """One page of results: ``query``, ``total`` (entries of the ranked list: sections when
        grouped), ``passages`` (matching passages, what facets count), ``results``, ``page``,
        ``facets``, ``suggestion``, ``explain`` (structured, see :mod:`indexer.explain`), ``took_ms``."""
        t0 = time.perf_counter()
        st = self.state
        original_q = q if isinstance(q, str) else ("" if q is None else str(q))
        limit = _clamp_int(limit, 10, 0, MAX_LIMIT)
        offset = _clamp_int(offset, 0, 0, None)
        if sort not in SORTS:
            sort = "relevance"
        if group not in GROUPS:
            group = "none"
        explain = Explanation()
        try:
            run = self._run(st, original_q, filters, explain)
        except Exception as exc:  # never fail on input: fall back to plain words
            explain = Explanation(notes=[*explain.notes, {"code": "not_understood", "error": type(exc).__name__}])
            plain = " ".join(re.findall(r"[^\W_]+", original_q))[:MAX_QUERY_CHARS]
            run = self._run(st, plain, filters, explain, plain=True)
        check_budget("het zoeken")  # the request budget (settings.budget), between the stages and per result
        cand = np.flatnonzero(run.mask)
        passages = int(len(cand))
        page = rank(st, cand, run.score, sort=sort, offset=offset, limit=limit, group=group)
        total = page.total
        results = []
        seen: dict[str, bool] = {}  # words of the page's texts -> whether they are marked (snippets)
        for d, more in zip(page.hits, page.more):
            check_budget("het zoeken")
            results.append(self._result(st, int(d), float(run.score[d]), run.ev, snippets, more, seen))
        out_of_range = offset > 0 and offset >= total
        if out_of_range:
            explain.note("offset_out_of_range", offset=offset, total=total)
        out: dict[str, Any] = {
            "query": original_q,
            "total": total,
            "passages": passages,
            "results": results,
            "page": {"offset": offset, "limit": limit, "out_of_range": out_of_range,
                     "last_offset": (max(0, total - 1) // limit) * limit if limit else 0},
            "facets": disjunctive_facets(st, run.mask, run.ev.field_masks, run.base, cand) if facets else {},
            "suggestion": None,
            "explain": self._explain(run, explain),
            "took_ms": 0.0,
        }
        if suggest and run.clean.strip():
            check_budget("het zoeken")
            out["suggestion"] = self._suggest(st, run, filters, passages)  # judged on passages, as count()
        out["took_ms"] = round((time.perf_counter() - t0) * 1000, 2)
        return out

    def count(self, q: str, filters: dict | None = None, *, synonyms: bool = True,
              clauses: dict | None = None) -> int:
        """Number of passages matching ``q`` (no ranking, snippets or facets).  ``clauses``: the word
        clauses of an earlier run of the same index (:attr:`QueryEvaluator.clause_memo`) to reuse."""
        try:
            return int(self._run(self.state, q, filters, Explanation(), synonyms=synonyms,
                                 clauses=clauses).mask.sum())
        except Exception:
            return 0

    def warm(self, min_df: int, seconds: float, max_terms: int | None = None) -> dict[str, Any]:
        """Score the index's most frequent terms before the first query needs them (a server worker
        does this at start, :func:`beleidsbank.server.warm_up`): a common word read cold costs a query
        tens of milliseconds on a large collection.  Terms held by at least ``min_df`` passages in some
        field, most frequent first, for at most ``seconds`` of this thread's CPU time (a busy machine
        stretches the wall-clock time, not the work) and half the cache.  What a query word uses
        is kept: the term's scores over all fields and over compounds; its postings are dropped again
        (half the memory).  ``max_terms``: at most that many terms (benchmarks: the same work on any
        machine).  Returns what it did."""
        t0, cpu0 = time.perf_counter(), time.thread_time()
        st = self.state
        bm = Bm25f(st, self.ranking)
        before = st.work["postings_read"]
        frequent = st.frequent_terms(min_df)
        terms = list(dict.fromkeys(term for _, term, _ in frequent))[:max_terms]
        done = 0
        for term in terms:
            if time.thread_time() - cpu0 > seconds or st.cache.bytes > st.cache.max_bytes // 2:
                break
            bm.term_sparse(term)
            if "compounds" in st.fields:
                bm.term_sparse(term, ("compounds",))
            for field in st.fields:
                st.cache.discard(("postings", field, term))
            done += 1
        return {"terms": done, "of": len(terms), "postings": st.work["postings_read"] - before,
                "cache_mb": round(st.cache.bytes / 2**20, 1), "cpu_seconds": round(time.thread_time() - cpu0, 2),
                "seconds": round(time.perf_counter() - t0, 2)}

    # -- internals ------------------------------------------------------------------------
    def _run(self, st: IndexState, q: str, filters: dict | None, explain: Explanation, plain: bool = False,
             synonyms: bool = True, clauses: dict | None = None) -> _Run:
        clean = sanitize(q, explain)
        ev = QueryEvaluator(st, self.ranking, explain)
        ev.use_synonyms = synonyms
        ev.reuse = clauses
        ev.regulations = regulation_names(st, self.store)
        if plain:
            tree = Node("group", children=[Node("words", text=clean)] if clean else [])
        else:
            tree = parse(clean, explain)
        res = ev.evaluate(tree)
        score, restrict, has_pos = res.score, res.restrict, res.has_positive
        for key, value in (filters or {}).items():
            fld = FILTER_NAMES.get(key)
            if value in (None, "", [], ()):
                continue
            if fld is None:
                explain.note("unknown_filter", name=key)
                continue
            ev.add_field_filter(fld, value)
        # ``base``: what matches before the facet-field filters; each facet counts over ``base``
        # with every filter except its own ("disjunctive" facets: a chosen document keeps the other
        # documents listed with the counts they would have)
        base = (res.match & restrict) if has_pos else (restrict if ev.has_filters else np.zeros(st.N, bool))
        restrict = restrict.copy()
        for fmask in ev.field_masks.values():
            restrict &= fmask
        if has_pos:
            mask = res.match & restrict
        elif ev.has_filters:
            mask = restrict
            if ev.filter_scores:
                score = np.sum(ev.filter_scores, axis=0).astype(np.float32)
        else:
            mask = np.zeros(st.N, bool)
        if ev.truncated:
            explain.note("truncated_terms", limit=MAX_TERMS)
        return _Run(ev, score, mask, base, has_pos, clean)

    def _explain(self, run: _Run, explain: Explanation) -> dict[str, Any]:
        if not run.clean.strip():
            status = "empty"
        elif not run.has_pos and not run.ev.has_filters:
            words = re.findall(r"[^\W_]+", run.clean)
            stop_only = all(fold(w) in STOP_WORDS for w in words) and bool(re.search(r"\w", run.clean))
            status = "stop_words_only" if stop_only else "no_terms"
        else:
            status = "searched"
        all_first = run.has_pos and len(explain.words) > 1 and not self.ranking.strict
        return explain.to_dict(status, all_words_first=all_first)

    def _result(self, st: IndexState, docnum: int, score: float, ev: QueryEvaluator, snippets: bool,
                more: np.ndarray, seen: dict[str, bool] | None = None) -> dict[str, Any]:
        sf = st.stored(docnum)
        text = sf.get("text", "")
        ents = []
        for eid in (sf.get("entities") or "").split():
            i = st.ent_pos.get(eid)
            if i is not None:
                e = st.entities[i]
                ents.append({"id": e["id"], "label": e["label"], "name": e["name"]})
        snippet = ""
        if snippets:
            spans = highlight_spans(st.analyzer, text, ev.highlight_terms, ev.highlight_entities, sf.get("spans"),
                                    st.matcher, seen)
            snippet = make_snippet(text, spans)[0]
        path = sf.get("path") or []
        if isinstance(path, str):
            path = [p for p in path.split(" / ") if p]
        return {
            "id": sf.get("id"),
            "section_id": sf.get("section_id"),
            "document": sf.get("document"),
            "document_title": sf.get("document_title"),
            "title": sf.get("title"),
            "path": list(path),
            "score": round(score, 4),
            "snippet": snippet,
            "text": text,
            "entities": ents,
            "anchor": sf.get("anchor") or "",
            "block_start": sf.get("block_start"),
            "block_end": sf.get("block_end"),
            "char_start": sf.get("char_start"),
            "char_end": sf.get("char_end"),
            "year": sf.get("year") or None,
            "kind": sf.get("kind") or None,
            # the section's other matching passages (best first): "meer uit deze sectie"
            "more_in_section": {"count": int(len(more)),
                                "ids": [st.stored(int(d), texts=False).get("id") for d in more[:MORE_IDS]]},
        }

    def _suggest(self, st: IndexState, run: _Run, filters: dict | None, total: int) -> str | None:
        synonyms_used = bool(run.ev.explain.synonyms)
        words = run.ev.clause_memo  # the query's word clauses: the counts below share most of its words
        return suggest(
            st.spelling, run.clean, total, respelled=bool(run.ev.respelled),
            count=lambda q: self.count(q, filters, clauses=words),
            base_total=lambda: self.count(run.clean, filters, synonyms=False, clauses=words) if synonyms_used else total)


def _clamp_int(value: Any, default: int, lo: int, hi: int | None) -> int:
    try:
        v = max(lo, int(value))
    except (TypeError, ValueError):
        return default
    return min(v, hi) if hi is not None else v


def search_json(searcher: Searcher, q: str, limit: int = 10, offset: int = 0, *, filters: dict | None = None,
                sort: str = "relevance") -> str:
    """The search result as a JSON string."""
    return json.dumps(searcher.search(q, limit=limit, offset=offset, filters=filters, sort=sort),
                      ensure_ascii=False)
