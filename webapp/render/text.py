"""Plain-text pieces shown on pages: search snippets, mention contexts and which block holds an offset."""
from __future__ import annotations

import html
import logging
import re
from typing import Any, Sequence

import nh3
from markupsafe import Markup

from webapp.render.markdown import norm

log = logging.getLogger(__name__)


# -- snippets and contexts -------------------------------------------------------------------------
def safe_snippet(snippet: str | None) -> Markup:
    """A search snippet: escaped text with ``<mark>`` only (anything else is removed or escaped)."""
    if not snippet:
        return Markup("")
    clean = nh3.clean(snippet, tags={"mark"}, attributes={}, strip_comments=True)
    if clean != snippet and norm(html.unescape(clean)) != norm(html.unescape(snippet)):
        log.warning("search snippet contained markup other than <mark>; sanitised")
    return Markup(clean)


_SENTENCE_END = re.compile(r"(?<=[.!?;:])\s+(?=[A-Z0-9À-Ý‘“'\"(])|\n+")


def context(text: str, start: int, end: int, *, width: int = 140) -> tuple[str, str, str, bool, bool]:
    """The sentence around ``text[start:end]``, cut to ``width`` characters on each side.

    Returns (before, mention, after, cut_before, cut_after); the caller escapes.
    """
    start, end = max(0, min(start, len(text))), max(0, min(end, len(text)))
    s = 0
    for m in _SENTENCE_END.finditer(text, 0, start):
        s = m.end()
    e = len(text)
    m = _SENTENCE_END.search(text, end)
    if m:
        e = m.start()
    cut_before = cut_after = False
    if start - s > width:
        s = start - width
        sp = text.find(" ", s, start)
        s = sp + 1 if sp != -1 else s
        cut_before = True
    if e - end > width:
        e = end + width
        sp = text.rfind(" ", end, e)
        e = sp if sp > end else e
        cut_after = True
    before = norm(text[s:start]) + (" " if text[s:start][-1:].isspace() else "")
    after = (" " if text[end:e][:1].isspace() else "") + norm(text[end:e])
    return before, text[start:end], after, cut_before, cut_after


def block_index(blocks: Sequence[Sequence[Any]], offset: int) -> int | None:
    """Index of the block containing ``offset`` (or the nearest one before it)."""
    found = None
    for i, blk in enumerate(blocks):
        if int(blk[0]) <= offset:
            found = i
        if int(blk[0]) <= offset < int(blk[1]):
            return i
    return found
