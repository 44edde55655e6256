"""Per-input cost of the search core is linear or capped (issue 16): query parsing, evaluation
and snippets.  Work is counted, never timed: Python line events (``sys.settrace``) or calls,
compared at two input sizes in one run."""
from __future__ import annotations

import sys
from typing import Any, Callable

from indexer.explain import Explanation
from indexer.parser import MAX_QUERY_CHARS, parse, sanitize
from indexer.snippets import HIGHLIGHT_SCAN_CHARS, highlight_spans, make_snippet


def line_events(fn: Callable[..., Any], *args: Any) -> int:
    """Python lines executed by ``fn(*args)`` (all frames it runs, generators included)."""
    count = 0

    def tracer(frame, event, arg):
        nonlocal count
        if event == "line":
            count += 1
        return tracer

    sys.settrace(tracer)
    try:
        fn(*args)
    finally:
        sys.settrace(None)
    return count


def _parse(q: str):
    ex = Explanation()
    return parse(sanitize(q, ex), ex)


def query(n: int) -> str:
    """A hostile mix: words, operators, filters, groups, phrases, prefixes, fuzzy terms."""
    parts = ["migratie", "OR", "-asiel", '"vrouwelijke statushouders"', "jaar:2020", "(terugkeer", "AND", "IND)",
             "noodstop*", "kinderporrno~", "in-", "en", "uitreissysteem", "NOT", "+achterstanden", "x~"]
    return " ".join(parts[i % len(parts)] for i in range(n))


def test_query_parsing_is_linear_in_the_query_and_capped():
    small, large = query(20), query(40)
    assert len(large) < MAX_QUERY_CHARS  # both below the cut: the parser itself is measured
    a, b = line_events(_parse, small), line_events(_parse, large)
    assert b <= 2.3 * a, (a, b)
    # beyond the cut, a longer query costs no more
    huge, huger = query(400), query(4000)
    assert len(huge) > MAX_QUERY_CHARS
    assert line_events(_parse, huger) <= line_events(_parse, huge) * 1.05


def test_adjacent_words_merge_in_linear_work():
    a = line_events(_parse, " ".join(f"w{i}" for i in range(60)))
    b = line_events(_parse, " ".join(f"w{i}" for i in range(120)))
    assert b <= 2.3 * a, (a, b)


def test_snippet_window_is_linear_in_the_matches():
    def case(n: int):
        text = " ".join(["IND"] * n)
        spans = [(i * 4, i * 4 + 3) for i in range(n)]
        return text, spans
    a = line_events(make_snippet, *case(500))
    b = line_events(make_snippet, *case(1000))
    assert b <= 2.3 * a, (a, b)  # the old window search rescanned every later match: 4x


def test_highlighting_scans_a_capped_prefix(searcher):
    an = searcher.state.analyzer
    terms = {t.text for t in an.tokens("migratie asiel")}
    one = "migratie en asiel " * (2 * HIGHLIGHT_SCAN_CHARS // 18)
    two = one * 2
    a = line_events(highlight_spans, an, one, terms, set())
    b = line_events(highlight_spans, an, two, terms, set())
    assert b <= a * 1.01, (a, b)
    assert highlight_spans(an, one[:200], terms, set())  # it does mark the words


def test_a_longer_query_reads_no_more_postings(searcher, monkeypatch):
    """Evaluation is capped by the term budget: past it, more query text reads nothing more."""
    st = searcher.state
    calls = {"n": 0}
    real = type(st).postings

    def counting(self, fieldname, term):
        calls["n"] += 1
        return real(self, fieldname, term)

    monkeypatch.setattr(type(st), "postings", counting)

    def cost(q: str) -> int:
        calls["n"] = 0
        st.cache.clear()  # read afresh: terms' postings and scores are kept across queries
        searcher.search(q, limit=10)
        return calls["n"]

    words = " ".join(f"woord{i}" for i in range(200))
    assert cost(words) == cost(words + " " + " ".join(f"extra{i}" for i in range(200)))
    assert cost("migratie " * 200) == cost("migratie " * 2000)
