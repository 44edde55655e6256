"""Which paragraphs are headings, and at what level.

A heading is a short block set larger than the body size, or bold at body size.  Its level comes
from its number ("2.1" is level 2) or from the rank of its type style among the styles of
numbered headings; the largest type on the first page, larger than every heading style, is the
document title (level 0).
"""
from __future__ import annotations

import re
from collections import Counter

from ...inline import FN_OPEN
from ...structured import is_caption
from .paragraphs import NUMBER_RE, Para

MAX_HEADING_WORDS = 20


def _is_heading_candidate(p: Para, size: float) -> bool:
    text = p.text
    if p.kind != "paragraph" or len(p.lines) > 3 or not text or len(text.split()) > MAX_HEADING_WORDS:
        return False
    if text[-1] in ".,;:" or is_caption(text) or not re.search(r"[^\W\d_]", text) or FN_OPEN in text[:2]:
        return False
    first = p.lines[0]
    return first.size >= size + 0.9 or (first.bold and first.size >= size - 0.6)


def _style(p: Para) -> tuple[float, bool]:
    return (round(p.lines[0].size * 2) / 2, p.lines[0].bold)


def assign_headings(paras: list[Para], size: float) -> dict[int, int]:
    """Index of heading paragraph -> level (0 for the document title)."""
    cands = [i for i, p in enumerate(paras) if _is_heading_candidate(p, size)]
    if not cands:
        return {}
    levels: dict[int, int] = {}
    # The title: the largest type on the first page with text, if larger than every heading style.
    first_page = paras[0].lines[0].page
    top_size = max(paras[i].lines[0].size for i in cands)
    title = next((i for i in cands if paras[i].lines[0].page == first_page and paras[i].lines[0].size == top_size
                  and top_size >= size + 4), None)
    by_style: dict[tuple[float, bool], Counter[int]] = {}
    for i in cands:
        m = NUMBER_RE.match(paras[i].text)
        if m and i != title:
            by_style.setdefault(_style(paras[i]), Counter())[m.group(1).count(".") + 1] += 1
    style_level = {st: c.most_common(1)[0][0] for st, c in by_style.items()}
    ranked = sorted({_style(paras[i]) for i in cands}, key=lambda st: (st[0], st[1]), reverse=True)
    for st in ranked:
        if st not in style_level:
            above = [style_level[o] for o in ranked if o in style_level and (o[0], o[1]) > (st[0], st[1])]
            style_level[st] = (max(above) + 1) if above else 1
    for i in cands:
        if i == title:
            levels[i] = 0
            continue
        m = NUMBER_RE.match(paras[i].text)
        levels[i] = m.group(1).count(".") + 1 if m else style_level[_style(paras[i])]
    return levels
