"""Required literals of a regex: a cheap test that rejects texts a pattern cannot match.

Why: the statement cues and the tagger's patterns are large regexes with gaps and alternations;
Python's ``re`` tries them at every position of every sentence although most sentences (85 % of a
regulation's) hold none of their words.  A pattern that can only match where "toegezegd" or
"toezegging" occurs need not run on a sentence without either: ``"toeze" in text.lower()`` answers
that in a fraction of the time.  This module reads the parsed pattern (``re._parser``, the parser
``re`` itself uses) and derives such a *necessary* set of literal strings: every match of the
pattern contains at least one of them.  No library derives these for Python's ``re`` (RE2's
FilteredRE2 does it for RE2 syntax only), hence the ~150 lines here.  :class:`LiteralGate` then
tests the literals of many patterns at once with an Aho-Corasick automaton (pyahocorasick, a
maintained C library: one pass over the sentence instead of one ``in`` test per literal, ~30x
cheaper on the statement cues).

Soundness is what matters: whatever the analysis cannot follow (a backreference, a repeat that
may be empty, a negated class) adds no requirement, so the filter only ever skips patterns that
cannot match.  Case: patterns are compiled case-insensitively (or partly so); the literals are
lower-cased and tested against the lower-cased text.  Where ``str.lower`` and ``re.IGNORECASE``
disagree (dotted capital I, long s, dotless i, some Greek letters: ``re._casefix``) the text is
not filtered at all (:func:`lowered_or_none`).
"""
from __future__ import annotations

import re
from typing import Any, Iterable, Sequence

try:  # Aho-Corasick: all literals of all patterns found in one pass over the text (C, pyahocorasick)
    import ahocorasick
except ImportError:  # pragma: no cover - a declared dependency; the plain test below is the fallback
    ahocorasick = None

try:  # the characters re.IGNORECASE treats as equal beyond simple lower-casing ("ſ" ~ "s")
    from re._casefix import _EXTRA_CASES as _EXTRA  # type: ignore[import-not-found]

    _RISKY_LOWER: frozenset[str] | None = frozenset(chr(c) for c in _EXTRA) | frozenset(
        chr(c) for cs in _EXTRA.values() for c in cs)
except ImportError:  # pragma: no cover - another Python: filter ASCII texts only
    _RISKY_LOWER = None

try:
    from re import _constants as _c, _parser as _p  # Python 3.11+
except ImportError:  # pragma: no cover - Python < 3.11
    import sre_constants as _c  # type: ignore[no-redef]
    import sre_parse as _p  # type: ignore[no-redef]

#: above this many alternatives a set of exact strings is no longer grown (it stops being cheap)
_MAX_SET = 24

Literals = frozenset[str]


def _best(cands: Iterable[Literals]) -> Literals | None:
    """The most selective candidate: the one whose shortest literal is longest (then fewest)."""
    good = [c for c in cands if c and "" not in c]
    if not good:
        return None
    return max(good, key=lambda c: (min(map(len, c)), -len(c)))


def _seq(items: list[tuple[Any, Any]]) -> tuple[Literals | None, Literals | None]:
    """(exact, required) of a sequence: ``exact`` is the finite set of strings it matches (or None),
    ``required`` a set of which every match contains one (or None)."""
    cands: list[Literals] = []
    run: Literals | None = frozenset({""})
    all_exact = True
    for op, av in items:
        exact, required = _item(op, av)
        if exact is not None and run is not None and len(run) * len(exact) <= _MAX_SET:
            run = frozenset(a + b for a in run for b in exact)
            continue
        all_exact = False
        if run is not None:
            cands.append(run)
        if exact is not None and len(exact) <= _MAX_SET:
            run = exact
        else:
            run = frozenset({""})
            if required is not None:
                cands.append(required)
    if run is not None:
        cands.append(run)
    exact_all = run if all_exact else None
    return exact_all, _best(cands)


def _item(op: Any, av: Any) -> tuple[Literals | None, Literals | None]:
    """(exact, required) of one parsed item; (None, None) when nothing can be said."""
    if op is _c.LITERAL:
        s = frozenset({chr(av)})
        return s, s
    if op in (_c.AT, _c.ASSERT, _c.ASSERT_NOT):  # zero-width: matches the empty string
        return frozenset({""}), None
    if op is _c.IN:
        chars = set()
        for sop, sav in av:
            if sop is _c.LITERAL:
                chars.add(chr(sav))
            elif sop is _c.RANGE and sav[1] - sav[0] < 8:
                chars.update(chr(x) for x in range(sav[0], sav[1] + 1))
            else:  # a negation, a category, a wide range
                return None, None
        s = frozenset(chars)
        return (s, s) if 0 < len(s) <= 8 else (None, None)
    if op is _c.SUBPATTERN:
        return _seq(list(av[-1]))
    if op is getattr(_c, "ATOMIC_GROUP", None):
        return _seq(list(av))
    if op is _c.BRANCH:
        branches = [_seq(list(b)) for b in av[1]]
        if all(e is not None for e, _r in branches):
            exact = frozenset().union(*(e for e, _r in branches))  # type: ignore[misc]
            if len(exact) <= _MAX_SET:
                return exact, _best([exact])
        if any(r is None for _e, r in branches):
            return None, None
        return None, frozenset().union(*(r for _e, r in branches))  # type: ignore[misc]
    if op in (_c.MAX_REPEAT, _c.MIN_REPEAT, getattr(_c, "POSSESSIVE_REPEAT", None)):
        lo, hi, sub = av
        exact, required = _seq(list(sub))
        if lo == hi == 1:
            return exact, required
        if lo >= 1:
            return None, required if required is not None else _best([exact] if exact else [])
        return None, None
    return None, None  # ANY, NOT_LITERAL, GROUPREF, GROUPREF_EXISTS, CATEGORY ...


def required_literals(pattern: str | re.Pattern[str]) -> Literals | None:
    """Lower-cased strings of which every match of ``pattern`` contains one; None when the
    analysis finds no such set (the pattern must then always run)."""
    if isinstance(pattern, re.Pattern):
        pattern, flags = pattern.pattern, pattern.flags
    else:
        flags = 0
    try:
        parsed = _p.parse(pattern, flags)
    except re.error:
        return None
    _exact, required = _seq(list(parsed))
    if not required:
        return None
    low = frozenset(s.lower() for s in required)
    if any(len(s) != len(o) for s, o in zip(sorted(low, key=len), sorted(required, key=len))) \
            or any(lowered_or_none(s) is None for s in required):
        return None  # a literal whose lower case re.IGNORECASE sees differently: no safe test
    return low


def required_any(patterns: Iterable[str | re.Pattern[str]]) -> Literals | None:
    """The literals of several patterns (a text must hold one for *any* pattern to match)."""
    out: set[str] = set()
    for p in patterns:
        lits = required_literals(p)
        if lits is None:
            return None
        out |= lits
    return frozenset(out)


def lowered_or_none(text: str) -> str | None:
    """The text lower-cased for a literal test, or None when lower-casing may disagree with
    ``re.IGNORECASE`` on one of its characters (then no literal test may reject it)."""
    low = text.lower()
    if text.isascii():
        return low
    if _RISKY_LOWER is None or len(low) != len(text):
        return None
    for ch in set(low):
        if not ch.isascii() and ch in _RISKY_LOWER:
            return None
    return low


#: above this many strings a set of match openings is no longer grown
_MAX_STARTS = 2000
_ZERO_WIDTH = (_c.AT, _c.ASSERT, _c.ASSERT_NOT)
_REPEATS = tuple(op for op in (_c.MAX_REPEAT, _c.MIN_REPEAT, getattr(_c, "POSSESSIVE_REPEAT", None)) if op is not None)


def _exact_strings(items: list[tuple[Any, Any]]) -> set[str] | None:
    """The finite set of strings a sequence can match (zero-width items as ""), or None."""
    run = {""}
    for op, av in items:
        if op in _ZERO_WIDTH:
            continue  # only filters: every match is still one of the strings
        if op is _c.LITERAL:
            run = {a + chr(av) for a in run}
            continue
        if op is _c.IN:
            chars, _req = _item(op, av)
            alts: set[str] | None = set(chars) if chars else None
        elif op is _c.SUBPATTERN:
            alts = _exact_strings(list(av[-1]))
        elif op is _c.BRANCH:
            alts = set()
            for branch in av[1]:
                sub = _exact_strings(list(branch))
                if sub is None:
                    return None
                alts |= sub
        else:
            return None
        if alts is None or len(run) * len(alts) > _MAX_STARTS:
            return None
        run = {a + b for a in run for b in alts}
    return run


def _starts(items: list[tuple[Any, Any]]) -> set[str] | None:
    """Strings one of which every match of the sequence starts with (None: unknown or possibly empty)."""
    run = {""}
    for i, (op, av) in enumerate(items):
        if op in _ZERO_WIDTH:
            continue
        exact = _exact_strings([(op, av)])
        if exact is not None and len(run) * len(exact) <= _MAX_STARTS:
            run = {a + b for a in run for b in exact}
            continue
        if op in _REPEATS and av[0] == 0:  # optional ("(?:de\\s+)?maand"): its openings or those after it
            one, after = _starts(list(av[2])), _starts(items[i + 1:])
            if one is not None and after is not None and len(run) * len(one | after) <= _MAX_STARTS:
                run = {a + b for a in run for b in one | after}
            break
        sub = _item_starts(op, av)
        if sub is not None and len(run) * len(sub) <= _MAX_STARTS:
            run = {a + b for a in run for b in sub}
        break
    return None if "" in run else run


def _item_starts(op: Any, av: Any) -> set[str] | None:
    if op is _c.SUBPATTERN:
        return _starts(list(av[-1]))
    if op is getattr(_c, "ATOMIC_GROUP", None):
        return _starts(list(av))
    if op is _c.BRANCH:
        out: set[str] = set()
        for branch in av[1]:
            sub = _starts(list(branch))
            if sub is None:
                return None
            out |= sub
        return out if len(out) <= _MAX_STARTS else None
    if op in _REPEATS and av[0] >= 1:
        return _starts(list(av[2]))
    return None


def start_literals(pattern: re.Pattern[str]) -> Literals | None:
    """Lower-cased strings of which every match of ``pattern`` *starts* with one (a pattern opening with
    a word list, "\\b(?:zal|zullen)\\b ..."); None when the analysis cannot tell."""
    try:
        parsed = _p.parse(pattern.pattern, pattern.flags)
    except re.error:
        return None
    found = _starts(list(parsed))
    if not found:
        return None
    low = frozenset(s.lower() for s in found)
    if any(len(s.lower()) != len(s) or lowered_or_none(s) is None for s in found):
        return None  # a literal whose lower case re.IGNORECASE sees differently: no safe test
    return low


def _at_beginning(pattern: re.Pattern[str]) -> bool:
    """Can the pattern only match at offset 0 (a leading "^", not multi-line)?"""
    if pattern.flags & re.MULTILINE:
        return False
    try:
        parsed = list(_p.parse(pattern.pattern, pattern.flags))
    except re.error:
        return False
    return bool(parsed) and parsed[0] == (_c.AT, _c.AT_BEGINNING)


class StartScan:
    """``finditer``/``search`` of one pattern tried only where a match can start: at offset 0 for a
    pattern opening with "^", else where one of its :func:`start_literals` occurs (one Aho-Corasick pass
    over the lower-cased text), instead of at every offset.  Same matches, in the same order: a match
    starts with one of the literals, and ``pattern.match(text, pos)`` sees the text before ``pos`` for
    ``\\b`` and look-behinds as a scan does.  Patterns without such literals run as they are."""

    def __init__(self, pattern: re.Pattern[str]) -> None:
        self.pattern = pattern
        self.at_beginning = _at_beginning(pattern)
        self._automaton = None
        lits = None if self.at_beginning else start_literals(pattern)
        if lits and ahocorasick is not None:
            automaton = ahocorasick.Automaton()
            for s in lits:
                automaton.add_word(s, len(s) - 1)
            automaton.make_automaton()
            self._automaton = automaton

    def _starts(self, low: str) -> list[int]:
        """The offsets where one of the literals starts, in order (most texts hold none or one)."""
        found = [end - back for end, back in self._automaton.iter(low)]  # type: ignore[union-attr]
        return sorted(set(found)) if len(found) > 1 else found

    def finditer(self, text: str, low: str | None = None) -> Iterable[re.Match[str]]:
        """``pattern.finditer(text)``; ``low`` is :func:`lowered_or_none` of ``text`` (None: scan it all)."""
        if self.at_beginning:
            m = self.pattern.match(text)
            return [m] if m is not None else []
        if self._automaton is None or low is None:
            return self.pattern.finditer(text)
        match = self.pattern.match
        out = []
        nxt = 0
        for p in self._starts(low):
            if p >= nxt:
                m = match(text, p)
                if m is not None:
                    out.append(m)
                    nxt = m.end()  # never empty: it holds a literal
        return out

    def search(self, text: str, low: str | None = None) -> re.Match[str] | None:
        """``pattern.search(text)`` (``low`` as for :meth:`finditer`)."""
        if self.at_beginning:
            return self.pattern.match(text)
        if self._automaton is None or low is None:
            return self.pattern.search(text)
        match = self.pattern.match
        for p in self._starts(low):
            m = match(text, p)
            if m is not None:
                return m
        return None


class LiteralGate:
    """Which of many patterns may match a text: bit ``i`` of :meth:`mask` is set unless pattern
    ``i``'s required literals (``literals[i]``; None = none known, always set) are all absent."""

    def __init__(self, literals: Sequence[Literals | None]) -> None:
        self.n = len(literals)
        self.always = 0
        by_literal: dict[str, int] = {}
        for i, lits in enumerate(literals):
            if lits is None:
                self.always |= 1 << i
                continue
            for s in lits:
                by_literal[s] = by_literal.get(s, 0) | (1 << i)
        self.all = (1 << self.n) - 1
        self._by_literal = by_literal
        self._automaton = None
        if ahocorasick is not None and by_literal:
            automaton = ahocorasick.Automaton()
            for s, bits in by_literal.items():
                automaton.add_word(s, bits)
            automaton.make_automaton()
            self._automaton = automaton

    def mask(self, low: str | None) -> int:
        """The bits of the patterns that may match; ``low`` from :func:`lowered_or_none`."""
        if low is None:
            return self.all
        bits = self.always
        if self._automaton is not None:
            for _end, b in self._automaton.iter(low):
                bits |= b
            return bits
        return self.mask_plain(low)

    def mask_plain(self, low: str) -> int:
        """:meth:`mask` by plain substring tests (without pyahocorasick; same answer, slower)."""
        bits = self.always
        for s, b in self._by_literal.items():
            if bits | b != bits and s in low:
                bits |= b
        return bits
