"""Abbreviations made by rule from a regulation's own names, for names no document of the collection uses.

    initials     "Wet militair tuchtrecht" -> "Wmt", "WMT" (three to six content words); "Wet waardering
                 onroerende zaken" -> "Wet WOZ"
    with a year  "Reglement verkeersregels en verkeerstekens 1990" -> "RVV 1990"; "Vreemdelingenbesluit 2000"
                 -> "Vb 2000" when the collection cites it as "Vb" (an abbreviation whose letters the title has)
    shortened    "Gemeentewet" -> "Gemw", "GemW" (the first letters of a one-word "...wet" title and its "w")
    without year "Wet op de belasting van personenauto's en motorrijwielen 1992" -> "... motorrijwielen"

Each made name remembers the name it was made from: :mod:`kb.laws.resolve` uses it only when that name
identifies the same regulation, no other name claims it and one regulation makes it (a shortened name only
after an article reference).  Made when the register is resolved, not stored: they follow from the rows.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Iterable

from kb.catalogue import is_acronym, normalise_alias

from .data import law_words

INITIALS = "initials"
SHORTENED = "shortened"
WITHOUT_YEAR = "without year"
#: Words left out of initials ("Wet op de economische delicten" -> "Wed").
_INITIALS_SKIP = frozenset({"op", "de", "het", "van", "der", "den", "en", "inzake", "tot", "voor", "in", "betreffende",
                            "houdende", "ter", "met", "bij", "aan", "of", "te", "over", "tegen", "uit", "na"})
_WITH_YEAR = re.compile(r"(?P<body>\S.*?)\s+(?P<year>(?:1[89]|20)\d\d)")
_ONE_WORD_ACT = re.compile(r"[A-Z][a-z]{3,}wet")


@dataclass(frozen=True)
class MadeName:
    name: str
    bwb: str
    kind: str  # INITIALS | SHORTENED | WITHOUT_YEAR
    origin: str  # the own name it was made from


@lru_cache(maxsize=1)
def _generic() -> frozenset[str]:
    return frozenset(normalise_alias(str(w)) for w in law_words().get("generic_names") or [])


def letters_in_order(abbr: str, name: str) -> bool:
    """The letters of an abbreviation occur in the name in order, the first one first ("WNT" in "Wet normering
    ... topfunctionarissen", "Vb" in "Vreemdelingenbesluit")."""
    letters = [c for c in abbr.lower() if c.isalpha()]
    text = name.lower()
    if not letters or not text.startswith(letters[0]):
        return False
    pos = 1
    for c in letters[1:]:
        pos = text.find(c, pos) + 1
        if pos == 0:
            return False
    return True


def initials(name: str) -> list[str]:
    """Abbreviations of a short title by its initials: "Wet militair tuchtrecht" -> ["Wmt", "WMT"]; only for
    three to six content words, no digits, and not for names that are abbreviations already."""
    if is_acronym(name) or re.search(r"\d|[(),]", name):
        return []
    words = [w for w in re.findall(r"[^\W\d_]+", name) if w.lower() not in _INITIALS_SKIP]
    if not 3 <= len(words) <= 6:
        return []
    mixed = words[0][0].upper() + "".join(w[0].lower() for w in words[1:])
    return [a for a in (mixed, mixed.upper()) if normalise_alias(a) not in _generic()]


def act_initials(name: str) -> list[str]:
    """"Wet" and the initials, in capitals, of the rest of an act's title: "Wet waardering onroerende zaken" ->
    ["Wet WOZ"]; for three to five content words after "Wet"."""
    m = re.fullmatch(r"Wet (\S.*)", name)
    if m is None or re.search(r"\d|[(),]", name):
        return []
    words = [w for w in re.findall(r"[^\W\d_]+", m.group(1)) if w.lower() not in _INITIALS_SKIP]
    return ["Wet " + "".join(w[0] for w in words).upper()] if 3 <= len(words) <= 5 else []


def shortened(name: str) -> list[str]:
    """Abbreviations of a one-word "...wet" title by its first letters and the "w" of "wet": "Gemeentewet" ->
    ["Gew", "GeW", "Gemw", "GemW", ...]: two to six letters of the word before "wet"."""
    if not _ONE_WORD_ACT.fullmatch(name):
        return []
    stem = name[:-3]
    return [stem[:k] + w for k in range(2, min(6, len(stem) - 1) + 1) for w in ("w", "W")]


def made_names(own: Iterable[tuple[str, str]], cited: Iterable[tuple[str, str]]) -> list[MadeName]:
    """Made names of the regulations' own names (``own``: (short title or title, BWB id)); ``cited``: (name, BWB
    id) of the names the collection cites them by, for the abbreviations with a year."""
    abbreviations: dict[str, set[str]] = {}
    for name, bwb in cited:
        if is_acronym(name) and not re.search(r"[\d\s]", name):
            abbreviations.setdefault(bwb, set()).add(name)
    out: list[MadeName] = []
    for name, bwb in own:
        out += [MadeName(a, bwb, INITIALS, name) for a in initials(name) + act_initials(name)]
        out += [MadeName(a, bwb, SHORTENED, name) for a in shortened(name)]
        m = _WITH_YEAR.fullmatch(name)
        if m is not None:
            body = m["body"]
            abbrs = set(initials(body)) | {a for a in abbreviations.get(bwb, ()) if letters_in_order(a, body)}
            out += [MadeName(f"{a} {m['year']}", bwb, INITIALS, name) for a in sorted(abbrs)]
            if " " in body:
                out.append(MadeName(body, bwb, WITHOUT_YEAR, name))
    return out
