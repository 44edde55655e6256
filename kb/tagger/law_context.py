"""Where a regulation's name found in a text is a citation of that regulation, and of which.

The rules at the edges of a name (:func:`acceptable`): capitals, compounds, a longer name it is part of,
a year or "BES" after it; the description after a dated title (:func:`description_end`,
:func:`same_description`); abbreviations aligned with a name the text cites (:func:`abbreviates`).
Used by the ``bb_laws`` component (:mod:`kb.tagger.laws`).
"""
from __future__ import annotations

import re
from functools import lru_cache

from spacy.tokens import Doc

from kb.laws.data import law_words
from kb.laws.extract import DATED_TITLE
from settings import LawResolution

from .definitions import sh_align
from .text import HYPHEN_TOKENS, YEARISH, acronym_like, is_stop, norm_token

#: An article number with a letter first ("C15L", "B16"), which precedes a name without being part of it.
_ARTICLE_NUMBER = re.compile(r"[A-Z]{1,2}\d+[A-Za-z]{0,3}")
#: A description after a dated title: "Wet van 4 juni 1992, houdende ...", "Besluit van ... tot wijziging ...".
_DESCRIPTION = re.compile(r"\s*,?\s*(?:\((?:Stb|Stcrt)[^)]{0,40}\)\s*,?\s*)?(?=(?:houdende|tot|ter|inzake|betreffende|"
                          r"ingevolge|ex|nr\.|no\.|strekkende|met|op\s+grond|in\s+verband)\b)")
_DESCRIPTION_END = re.compile(r"\s\((?:Stb|Stcrt|Trb)|[;:\n]|\.(?:\s|$)|\)\s")
MAX_DESCRIPTION_CHARS = 400
#: An abbreviation after an article reference: two to six letters with a capital, not a lower-case word.
ABBREVIATION_AT = re.compile(r"(?=[A-Za-z]{0,5}[A-Z])[A-Za-z][A-Za-z]{1,5}(?![\w-])")
#: Words looked at before a name for the start of a longer name it is part of.
MAX_NAME_LOOKBACK = 6
#: Words of a description that must agree with the official title to accept a dated title (settings.LawResolution).
DESCRIPTION_WORDS = LawResolution().description_words


def acceptable(doc: Doc, start: int, end: int) -> bool:
    """Where a name found in the register cites that regulation: written with a capital (a lower-case
    name only when long, with an abbreviation in it, or a "...wet"); not part of a longer name: no
    compound with a hyphen ("Awb-besluit"), no name of a regulation right before it ("Lozingenbesluit
    Wvo bodemsanering"), and no year, "BES", or "van de Minister ..." after it (another regulation:
    "Wet tuchtrechtspraak bedrijfsorganisatie 2004", "Reglement van Orde van de Eerste Kamer")."""
    first = doc[start]
    words = [t.text for t in doc[start:end] if not t.is_space]
    if not (first.text[:1].isupper() or first.text[:1].isdigit()):
        if not (len(words) >= 3 or any(w[:1].isupper() for w in words[1:])
                or len(words) == 1 and len(words[0]) >= 8 and words[0].endswith("wet")):
            return False
    if end < len(doc) and doc[end].text in HYPHEN_TOKENS and not doc[end - 1].whitespace_:
        return False
    if start > 0 and doc[start - 1].text in HYPHEN_TOKENS and not doc[start - 1].whitespace_:
        return False
    capitals = all(w.isupper() for w in words if w.isalpha()) and any(len(w) >= 6 for w in words)
    if inside_longer_name(doc, start, capitals):
        return False
    nxt = neighbour(doc, end, 1)
    if nxt is None:
        return True
    if YEARISH.match(nxt.text) or nxt.text in _words("qualifiers"):
        return False
    if nxt.i == end and nxt.text[:1].isalpha() and nxt.text[:1].isupper() and "\n" not in doc[end - 1].whitespace_ \
            and not (end + 1 < len(doc) and doc[end + 1].text == ":"):
        return False  # the name goes on ("Formatiebesluit WPO"), unless a glossary entry starts ("WIA: Wet ...")
    if nxt.lower_ in ("van", "voor"):
        after = neighbour(doc, nxt.i + 1, 1)
        if after is not None and after.lower_ in ("de", "het", "der"):
            after = neighbour(doc, after.i + 1, 1)
        if after is not None and (after.text[:1].isupper() or after.text[:1].isdigit()):
            return False
    return True

def description_end(text: str, pos: int) -> int | None:
    """End of the description after a dated title (", houdende ...", "tot wijziging van ..."), if any."""
    m = _DESCRIPTION.match(text, pos)
    if m is None:
        return None
    stop = _DESCRIPTION_END.search(text, m.end())
    return stop.start() if stop else min(len(text), m.end() + MAX_DESCRIPTION_CHARS)


def neighbour(doc: Doc, i: int, step: int):
    """The nearest token from ``i`` on (``step`` 1) or before ``i`` (``step`` -1) that is not whitespace."""
    j = i if step > 0 else i - 1
    while 0 <= j < len(doc) and doc[j].is_space:
        j += step
    return doc[j] if 0 <= j < len(doc) else None


def abbreviates(abbr: str, name: str) -> bool:
    """"LB" abbreviates "Wet op de loonbelasting 1964", "Wms" "Wet militaire strafrechtspraak": aligned as an
    abbreviation definition would be, on the name without the article reference before it."""
    cut = re.search(r"(?:van|der)\s+(?:de|het)?\s*(?=[A-Z])", name)
    bare = name[cut.end():] if cut and re.match(r"(?i)art", name) else name
    return sh_align(abbr, bare) is not None


def inside_longer_name(doc: Doc, start: int, capitals: bool = False) -> bool:
    """A capitalised word naming a kind of regulation, or an abbreviation, right before the name, or reached
    over lower-case words, abbreviations and "en" ("Besluit trekkende bevolking WPO", "Lozingenbesluit Wvo",
    "Regeling administratie en declaratievoorschriften ZZP-meerzorg AWBZ"): the name is part of another.
    In a heading in capitals (``capitals``: "WIJZIGING ZIEKTEWET") a word in capitals is no abbreviation."""
    j, steps = start - 1, 0
    while j >= 0 and steps < MAX_NAME_LOOKBACK:
        t = doc[j]
        if t.is_space:
            j -= 1
            continue
        if _ARTICLE_NUMBER.fullmatch(t.text):
            return False  # the number of the article cited: "artikel C15L Besluit trekkende bevolking WPO"
        if t.text[:1].isupper():
            return law_word(t.text) or acronym_like(t.text) and not (capitals and t.text.isupper() and len(t.text) > 5)
        if t.is_alpha and t.is_lower and law_word(t.text) and len(t.text) > 7:
            return True  # "Inkomens- en samenloopbesluit Anw"
        if not (t.is_alpha and t.is_lower and (not is_stop(t.text) or t.lower_ in _words("name_inner_words"))
                or t.text in HYPHEN_TOKENS):
            return False
        steps += 1
        j -= 1
    return False


@lru_cache(maxsize=65536)  # a scan over every head per word; the words of a collection repeat
def law_word(word: str) -> bool:
    """"Lozingenbesluit", "Regeling", "Uitvoeringswet": a word whose end names a kind of regulation."""
    w = norm_token(word)
    return any(w == h or w.endswith(h) for h in _heads())


@lru_cache(maxsize=None)
def _words(key: str) -> frozenset[str]:
    """A word list of kb/patterns/laws.yaml, as written (qualifiers are compared with the token text)."""
    return frozenset(str(w) for w in law_words().get(key) or [])


@lru_cache(maxsize=1)
def generic_names() -> frozenset[str]:
    return frozenset(norm_token(str(n)) for n in law_words().get("generic_names") or [])


@lru_cache(maxsize=1)
def _heads() -> frozenset[str]:
    return frozenset(norm_token(h) for h in law_words().get("heads") or [])


def same_description(text: str, title: str) -> bool:
    """The description after a dated title in the text begins like the official title's."""
    m = DATED_TITLE.match(title)
    if m is None:
        return False
    norm = lambda s: [w for w in re.findall(r"[^\W_]+", norm_token(re.sub(r"\((?:Stb|Stcrt)[^)]*\)", " ", s)))
                      if not is_stop(w) or w in ("tot", "houdende", "inzake", "ter")]
    ours, theirs = norm(text), norm(title[m.end():])
    agree = next((i for i, (a, b) in enumerate(zip(ours, theirs)) if a != b), min(len(ours), len(theirs)))
    return bool(theirs) and agree >= min(DESCRIPTION_WORDS, len(theirs))
