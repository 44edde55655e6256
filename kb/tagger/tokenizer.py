"""Tokenizer adjustments for Dutch policy text.

The default Dutch tokenizer keeps hyphenated words whole ("ECRIS-TCN-verordening", "JenV-Beleidsagenda",
"PNR-gegevens"), which hides the acronym inside a compound from a token matcher.  The adjustments:

* a hyphen between an acronym part and a word part is split off ("ECRIS-TCN-verordening" ->
  "ECRIS-TCN" "-" "verordening"; "JenV-Beleidsagenda" -> "JenV" "-" "Beleidsagenda"; "keten-MoU" ->
  "keten" "-" "MoU"); hyphens between two acronym parts ("ECRIS-TCN", "DNA-V", "COVID-19") or two word
  parts ("re-integratie", "Entry-Exit") stay;
* a trailing hyphen of an elliptic compound is split off ("Immigratie- en" -> "Immigratie" "-" "en"), so
  "Immigratie - en Naturalisatiedienst" and "Immigratie- en Naturalisatiedienst" give the same tokens;
* the possessive/plural "'s" after a word is its own token for both apostrophes ("NGO's", "HSP’s");
* a slash between letters splits ("mensenhandel/mensensmokkel", "EU/EER", "ESF+/de"); numbers such as
  "2019/816" and "2:20" stay whole;
* the exceptions list no longer glues the full stop to law-code abbreviations ("artikel 137d Sr." ends
  with "Sr" "."), since in policy text those are codes, not titles.

Kept whole as before: "DT&V", "J&V", "ESF+", "67,5%", "2019/816", "art.", "(EU)" -> "(" "EU" ")".
"""
from __future__ import annotations

import re
from typing import Any, Callable

from spacy.language import Language

from .text import acronym_like, load_yaml

_HYPHENS = r"\-\u2010\u2011"
_INNER_HYPHEN = re.compile(rf"(?<=[^\s{_HYPHENS}])[{_HYPHENS}](?=[^\s{_HYPHENS}])")
_SLASH = re.compile(r"(?<=[^\W\d_]|\+)/(?=[^\W\d_])")
_TRAILING_HYPHEN = re.compile(rf"(?<=[^\W\d_])[{_HYPHENS}]$")
_POSSESSIVE = re.compile(r"(?<=[^\W_])['\u2019]s$")


class _Match:
    __slots__ = ("_start", "_end")

    def __init__(self, start: int, end: int) -> None:
        self._start, self._end = start, end

    def start(self) -> int:
        return self._start

    def end(self) -> int:
        return self._end


def _segment_bounds(text: str, pos: int) -> tuple[str, str]:
    left = re.split(rf"[{_HYPHENS}]", text[:pos])[-1]
    right = re.split(rf"[{_HYPHENS}]", text[pos + 1:])[0]
    return left, right


def _wordish(seg: str) -> bool:
    return any(c.isalpha() for c in seg)


def _acronym_part(seg: str) -> bool:
    """"ECRIS", "TCN", "JenV", "V" (in "DNA-V"), "19" (in "COVID-19") count as acronym parts."""
    letters = [c for c in seg if c.isalpha()]
    return acronym_like(seg) or (bool(letters) and all(c.isupper() for c in letters))


def make_infix_finditer(default: Callable[[str], Any]) -> Callable[[str], list[Any]]:
    def finditer(text: str) -> list[Any]:
        matches = [m for m in default(text)] if default is not None else []
        extra: list[_Match] = []
        for m in _INNER_HYPHEN.finditer(text):
            left, right = _segment_bounds(text, m.start())
            if not (_wordish(left) and _wordish(right)):
                continue
            if _acronym_part(left) != _acronym_part(right):
                extra.append(_Match(m.start(), m.end()))
        for m in _SLASH.finditer(text):
            extra.append(_Match(m.start(), m.end()))
        if not extra:
            return matches
        taken = {(m.start(), m.end()) for m in matches}
        merged = list(matches) + [e for e in extra if (e.start(), e.end()) not in taken]
        merged.sort(key=lambda m: m.start())
        out: list[Any] = []
        last_end = -1
        for m in merged:  # spaCy expects non-overlapping infixes in order
            if m.start() >= last_end:
                out.append(m)
                last_end = m.end()
        return out

    return finditer


def make_suffix_search(default: Callable[[str], Any]) -> Callable[[str], Any]:
    def search(text: str) -> Any:
        for rx in (_POSSESSIVE, _TRAILING_HYPHEN):
            m = rx.search(text)
            if m is not None and len(text) > (m.end() - m.start()):
                return m
        return default(text) if default is not None else None

    return search


def adjust_tokenizer(nlp: Language) -> Language:
    """Apply the policy-text adjustments to ``nlp.tokenizer`` in place (idempotent)."""
    tok = nlp.tokenizer
    if getattr(tok, "_beleidsbank_adjusted", False):
        return nlp
    default_infix = tok.infix_finditer
    default_suffix = tok.suffix_search
    tok.infix_finditer = make_infix_finditer(default_infix)
    tok.suffix_search = make_suffix_search(default_suffix)
    codes = load_yaml("legal.yaml").get("codes") or {}
    rules = dict(tok.rules or {})
    changed = False
    for code in codes:
        for key in (f"{code}.",):
            if key in rules:
                del rules[key]
                changed = True
    for key in [k for k in rules if _POSSESSIVE.search(k) and k[:-2].isupper()]:
        del rules[key]  # "NGO's" is "NGO" + "'s" like "HSP’s"
        changed = True
    if changed:
        tok.rules = rules
    from spacy.symbols import ORTH

    for place in ("'s-Gravenhage", "’s-Gravenhage", "'s-Hertogenbosch", "’s-Hertogenbosch"):
        tok.add_special_case(place, [{ORTH: place}])
    try:
        tok._beleidsbank_adjusted = True  # type: ignore[attr-defined]
    except AttributeError:  # Cython tokenizer without __dict__
        pass
    nlp.meta.setdefault("beleidsbank", {})["tokenizer"] = "policy-text-v1"
    return nlp


def is_adjusted(nlp: Language) -> bool:
    return nlp.meta.get("beleidsbank", {}).get("tokenizer") == "policy-text-v1"
