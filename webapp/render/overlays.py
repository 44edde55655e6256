"""Escaped text with tags inserted at character offsets, and the query-term highlights."""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Iterable

from markupsafe import Markup, escape

# Overlay ranks: lower = outer.  Outer overlays are never split by inner ones.
RANK_MARK = 0  # statement / selected range
RANK_LINK = 1  # entity mention
RANK_FORMAT = 2  # emphasis from the Markdown
RANK_HIT = 3  # query-term highlight

# -- overlays -----------------------------------------------------------------------------------
@dataclass
class Overlay:
    start: int
    end: int
    rank: int
    open: str  # markup written by this module
    close: str


def overlay_html(text: str, overlays: Iterable[Overlay], offset: int = 0) -> Markup:
    """Escape ``text`` and insert the overlays (absolute offsets; ``offset`` = where text starts)."""
    n = len(text)
    spans = []
    for o in overlays:
        s, e = max(o.start - offset, 0), min(o.end - offset, n)
        if e > s:
            spans.append((s, e, o))
    if not spans:
        return Markup(escape(text))
    bounds = sorted({0, n, *(s for s, _, _ in spans), *(e for _, e, _ in spans)})
    out: list[str] = []
    stack: list[tuple[int, int, Overlay]] = []
    order = sorted(spans, key=lambda t: (t[2].rank, t[0], -t[1]))
    for a, b in zip(bounds, bounds[1:]):
        active = [t for t in order if t[0] <= a and t[1] >= b]
        keep = 0
        while keep < len(stack) and keep < len(active) and stack[keep] is active[keep]:
            keep += 1
        while len(stack) > keep:
            out.append(stack.pop()[2].close)
        for t in active[keep:]:
            out.append(t[2].open)
            stack.append(t)
        out.append(str(escape(text[a:b])))
    while stack:
        out.append(stack.pop()[2].close)
    return Markup("".join(out))


# -- query-term highlighting -------------------------------------------------------------------
_QUERY_WORD = re.compile(r"[^\W_][\w\u00ad'’&/+-]*", re.UNICODE)
_OPERATORS = {"and", "or", "not", "en", "of", "niet"}


def _analyzer():
    try:
        from indexer.analysis import DutchAnalyzer

        return DutchAnalyzer(parts="none")
    except Exception:  # pragma: no cover - indexer not importable
        return None


_ANALYZER = None


def query_hits(text: str, query: str) -> list[tuple[int, int]]:
    """Character spans in ``text`` of the words the query matches (same Dutch analysis as the index)."""
    global _ANALYZER
    query = (query or "").strip()
    if not query or not text:
        return []
    query = re.sub(r"\b\w+:", " ", query)  # field prefixes
    if _ANALYZER is None:
        _ANALYZER = _analyzer() or False
    analyzer = _ANALYZER
    if analyzer:
        terms = {t.text for t in analyzer.tokens(query) if t.text.lower() not in _OPERATORS}
        if not terms:
            return []
        spans = {(t.start, t.end) for t in analyzer.tokens(text) if t.text in terms}
        return sorted(spans)
    words = [w.lower() for w in _QUERY_WORD.findall(query) if len(w) > 2 and w.lower() not in _OPERATORS]
    spans = []
    for w in words:
        for m in re.finditer(r"(?<!\w)" + re.escape(w) + r"\w*", text, re.IGNORECASE):
            spans.append((m.start(), m.end()))
    return sorted(set(spans))

