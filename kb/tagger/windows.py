"""Windows of a text that spaCy's tokenizer splits exactly as it splits the whole text there.

Why this works: the tokenizer cuts the text at whitespace first and splits each non-whitespace run
("chunk") on its own (prefixes, suffixes, infixes, URLs, special cases), so a token never spans a
space.  A whitespace gap that is exactly one " " gives no token (the token before it gets
``whitespace_ == " "``); any other gap ("\\n", "  ", "\\t", "\\xa0") is a whitespace token of its own.

One thing crosses a single space: after splitting, spaCy matches the special cases whose key has
affixes (":(", "'s", "2D.") as token sequences over the *whole* Doc, and keeps the longest
non-overlapping matches.  A match across a single space ("lid: (a)" matches ":(" on ":" "(") changes no
token itself, but it can shadow a real special case next to it, so cutting the text there could change
the tokens beside the cut.  A window therefore ends only at a gap no such match can cross: text
start/end, a whitespace token, or a single space whose two neighbouring characters are no consecutive
pair in any special-case key (:func:`crossing_pairs`).
"""
from __future__ import annotations

import re
from typing import Callable, Iterable, Iterator

from spacy.language import Language
from spacy.tokenizer import Tokenizer

_GAP = re.compile(r"\s+")  # what the tokenizer's ``str.isspace`` splits on (re's \s is the same set)
#: characters scanned for gaps at a time (doubled per step): a few dozen words, more than a window needs
SCAN_CHARS = 256
#: the one gap that is no token: the token before it just gets ``whitespace_ == " "``
NO_TOKEN_GAP = " "

Span = tuple[int, int]
GapTest = Callable[[str], bool]

_PAIRS: dict[int, tuple[Tokenizer, frozenset[tuple[str, str]]]] = {}


def crossing_pairs(nlp: Language) -> frozenset[tuple[str, str]]:
    """(last character, next first character) of every two consecutive tokens in the affix split of a
    special case: a special-case match can cross a single space only between such characters.
    Remembered per tokenizer (a few thousand short keys, split once)."""
    tok = nlp.tokenizer
    hit = _PAIRS.get(id(tok))
    if hit is not None and hit[0] is tok:
        return hit[1]
    bare = Tokenizer(tok.vocab, rules={}, prefix_search=tok.prefix_search, suffix_search=tok.suffix_search,
                     infix_finditer=tok.infix_finditer, token_match=tok.token_match, url_match=tok.url_match)
    pairs: set[tuple[str, str]] = set()
    for key in tok.rules or {}:
        parts = [t.text for t in bare(key)]
        pairs.update((a[-1], b[0]) for a, b in zip(parts, parts[1:]) if a and b)
    _PAIRS[id(tok)] = (tok, frozenset(pairs))
    return _PAIRS[id(tok)][1]


def _gaps_before(text: str, pos: int) -> Iterator[Span]:
    """Whitespace gaps before ``pos`` (a non-whitespace character), nearest first, scanned in growing
    blocks so a long text is read only as far back as needed."""
    hi, size = pos, SCAN_CHARS
    while hi > 0:
        lo = max(0, hi - size)
        gaps = [m.span() for m in _GAP.finditer(text, lo, hi)]
        next_hi = lo
        if lo > 0 and gaps and gaps[0][0] == lo:  # may go on before lo: read it whole with the next block
            next_hi = gaps.pop(0)[1]
        yield from reversed(gaps)
        hi, size = next_hi, size * 2


def _gaps_after(text: str, pos: int) -> Iterator[Span]:
    """Whitespace gaps after ``pos``, nearest first, scanned in growing blocks."""
    lo, size, n = pos, SCAN_CHARS, len(text)
    while lo < n:
        hi = min(n, lo + size)
        gaps = [m.span() for m in _GAP.finditer(text, lo, hi)]
        next_lo = hi
        if hi < n and gaps and gaps[-1][1] == hi:  # may go on after hi
            next_lo = gaps.pop()[0]
        yield from gaps
        lo, size = next_lo, size * 2


def _safe_cut(text: str, gap: Span, pairs: frozenset[tuple[str, str]]) -> bool:
    """Whether no special-case match can cross this gap (see the module docstring)."""
    a, b = gap
    return a == 0 or b == len(text) or text[a:b] != NO_TOKEN_GAP or (text[a - 1], text[b]) not in pairs


def window_start(text: str, pos: int, runs: int, stop: GapTest, pairs: frozenset[tuple[str, str]]) -> int:
    """Start of a window holding at least ``runs`` whole non-whitespace runs before the run of ``pos``
    (fewer when a gap passing ``stop`` comes first), moved further back until the cut is safe."""
    for i, gap in enumerate(_gaps_before(text, pos)):
        if (i >= runs or stop(text[gap[0]:gap[1]])) and _safe_cut(text, gap, pairs):
            return gap[1]
    return 0


def window_end(text: str, pos: int, runs: int, stop: GapTest, pairs: frozenset[tuple[str, str]]) -> int:
    """End of a window holding at least ``runs`` whole runs after the run of ``pos`` (fewer when a gap
    passing ``stop`` comes first), moved further on until the cut is safe."""
    for i, gap in enumerate(_gaps_after(text, pos)):
        if (i >= runs or stop(text[gap[0]:gap[1]])) and _safe_cut(text, gap, pairs):
            return gap[0]
    return len(text)


def token_windows(text: str, anchors: Iterable[int], *, runs_before: int, runs_after: int,
                  stop_before: GapTest, stop_after: GapTest, pairs: frozenset[tuple[str, str]]) -> list[Span]:
    """Sorted, non-overlapping ``(start, end)`` windows around the anchor characters (sorted; each anchor
    in exactly one window), each tokenized by spaCy as the whole text is there.

    A window's start never moves back for a later anchor (the gaps before it are those of the earlier
    anchor plus more, counted from nearer), so an anchor inside the current window only extends its end."""
    merged: list[Span] = []
    for a in anchors:
        if merged and a < merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], window_end(text, a, runs_after, stop_after, pairs)))
            continue
        start = window_start(text, a, runs_before, stop_before, pairs)
        end = window_end(text, a, runs_after, stop_after, pairs)
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged
