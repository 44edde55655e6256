"""Snippets and highlights: where a passage matches a query, and a marked window around it.

Both are bounded per passage whatever its size: highlighting scans at most
``HIGHLIGHT_SCAN_CHARS`` characters, and the snippet window is chosen in one pass over the
sorted match spans (tests/test_search_query.py compares the work at two sizes).
"""
from __future__ import annotations

import bisect
import html
import re

from indexer.analysis import JOINERS, WORD_RE, DutchAnalyzer, fold
from indexer.entities import AliasMatcher

SNIPPET_CHARS = 260
#: Highlighting looks at the first this many characters of a passage (passages are short;
#: a rare giant single-block passage would otherwise cost milliseconds per result).
HIGHLIGHT_SCAN_CHARS = 12_000
_PIECES_RE = re.compile(r"[" + re.escape(JOINERS) + r"]+")
_LEAD = 40  # characters shown before the first match of the window


def _merge(spans: list[tuple[int, int]]) -> list[list[int]]:
    merged: list[list[int]] = []
    for s, e in sorted(spans):
        if merged and s <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], e)
        else:
            merged.append([s, e])
    return merged


def _densest_window(merged: list[list[int]], width: int) -> int:
    """Start of the window (``_LEAD`` before some match) that holds the most whole matches.

    Spans are sorted and disjoint, so their ends increase: the matches inside a window are
    counted with one bisection each (not a rescan: linear-logarithmic in the matches)."""
    ends = [e for _, e in merged]
    best, best_lo = -1, merged[0][0]
    for i, (s, _) in enumerate(merged):
        lo_c = max(0, s - _LEAD)
        cnt = bisect.bisect_right(ends, lo_c + width, lo=i) - i
        if cnt > best:
            best, best_lo = cnt, lo_c
    return best_lo


def make_snippet(text: str, spans: list[tuple[int, int]], width: int = SNIPPET_CHARS) -> tuple[str, str]:
    """(html, plain-with-«»): a window of ``text`` around the densest matches, escaped, marked."""
    merged = _merge(spans)
    if len(text) <= width:
        lo, hi = 0, len(text)
    elif not merged:
        lo, hi = 0, width
    else:
        lo = _densest_window(merged, width)
        hi = min(len(text), lo + width)
        lo = max(0, min(lo, hi - width))
    if lo > 0:  # snap to word boundaries
        sp = text.rfind(" ", max(0, lo - 20), lo + 1)
        lo = sp + 1 if sp >= 0 else lo
    if hi < len(text):
        sp = text.find(" ", hi - 20, hi + 20)
        hi = sp if sp > lo else hi
    out_html, out_plain = [], []
    pos = lo
    for s, e in merged:
        if e <= lo or s >= hi:
            continue
        s, e = max(s, lo), min(e, hi)
        out_html.append(html.escape(text[pos:s], quote=False))
        out_plain.append(text[pos:s])
        out_html.append("<mark>" + html.escape(text[s:e], quote=False) + "</mark>")
        out_plain.append("«" + text[s:e] + "»")
        pos = e
    out_html.append(html.escape(text[pos:hi], quote=False))
    out_plain.append(text[pos:hi])
    pre = "… " if lo > 0 else ""
    post = " …" if hi < len(text) else ""
    h = re.sub(r"\s+", " ", pre + "".join(out_html) + post).strip()
    p = re.sub(r"\s+", " ", pre + "".join(out_plain) + post).strip()
    return h, p


def highlight_spans(analyzer: DutchAnalyzer, text: str, terms: set[str], entities: set[str],
                    mention_spans=None, matcher: AliasMatcher | None = None,
                    seen: dict[str, bool] | None = None) -> list[tuple[int, int]]:
    """Character spans of the words of ``text`` that analyse to one of ``terms``, plus mentions
    of ``entities`` (stored spans, else found with the alias matcher).  ``seen`` remembers per
    word whether it matches, for the results of one query: they share their words ("de", "van",
    the query's own), and analysing a word is the costly part."""
    spans: list[tuple[int, int]] = []
    if terms:
        heads = {t[:3] for t in terms} | {t[:2] for t in terms if len(t) <= 2}
        seen = {} if seen is None else seen
        # the text's distinct words are judged once each; then only the positions of marked words are taken
        distinct = set(WORD_RE.findall(text, 0, HIGHLIGHT_SCAN_CHARS))
        for raw in distinct.difference(seen):
            seen[raw] = _word_matches(analyzer, raw, terms, heads)
        marked = {raw for raw in distinct if seen[raw]}
        if marked:
            spans.extend(m.span() for m in WORD_RE.finditer(text, 0, HIGHLIGHT_SCAN_CHARS) if m.group() in marked)
    if entities:
        if mention_spans is not None:
            spans.extend((s, e) for s, e, eid in mention_spans if eid in entities)
        elif matcher is not None:
            spans.extend((m.char_start, m.char_end) for m in matcher.find(text) if m.entity_id in entities)
    return spans


def _word_matches(analyzer: DutchAnalyzer, raw: str, terms: set[str], heads: set[str]) -> bool:
    """Whether one word of a text analyses to one of ``terms`` (``heads``: their first letters, a
    cheap test that rules out most words before they are analysed)."""
    w = fold(raw[:4])
    if w[:3] not in heads and w[:2] not in heads:
        if not _PIECES_RE.search(raw) or not any(
                p[:3] in heads or p[:2] in heads for p in _PIECES_RE.split(fold(raw)) if p):
            return False
    return any(t.text in terms for t in analyzer.tokens(raw, with_parts=False))
