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
* markup characters and table bars split ("fondsen<sup>1</sup>", "[AI-verordening](https://...)", "uitkering|WAO"),
  with the punctuation before them ("Sv).<sup>3"), and a full stop after a mixed-case acronym ("Wet SenB.");
* a full stop between an acronym and a capitalised word splits ("WPO.Voor": two sentences glued);
* a slash between letters splits ("mensenhandel/mensensmokkel", "EU/EER", "ESF+/de"); numbers such as
  "2019/816" and "2:20" stay whole;
* the exceptions list no longer glues the full stop to law-code abbreviations ("artikel 137d Sr." ends
  with "Sr" "."), nor to words in capitals ("IND." "BW."; the Dutch exceptions list capitalised copies of
  lower-case abbreviations), since in policy text those are codes and acronyms ending a sentence.

Kept whole as before: "DT&V", "J&V", "ESF+", "67,5%", "2019/816", "art.", "(EU)" -> "(" "EU" ")".

Speed (same tokens): spaCy caches the tokens of each whitespace-delimited chunk it split, but by default
only the first 10,000 chunks, and for the rest of a text not at all once a special case fired there (its
flag is per text).  A collection has hundreds of thousands of distinct chunks, and the whitespace rules
("\n", "\t", "\xa0", " ") fired in nearly every multi-line section, so the prefix/suffix/infix rules
below ran again for most words of most sections.  The cache here holds :data:`CACHE_CHUNKS` chunks and
the whitespace rules are dropped: a whitespace chunk is one token with or without them.
"""
from __future__ import annotations

import re
from typing import Any, Callable

import spacy
from spacy import util
from spacy.language import Language
from spacy.tokenizer import Tokenizer

from .text import acronym_like, load_yaml

_HYPHENS = r"\-\u2010\u2011"
_INNER_HYPHEN = re.compile(rf"(?<=[^\s{_HYPHENS}])[{_HYPHENS}](?=[^\s{_HYPHENS}])")
_SLASH = re.compile(r"(?<=[^\W\d_]|\+)/(?=[^\W\d_])")
_TRAILING_HYPHEN = re.compile(rf"(?<=[^\W\d_])[{_HYPHENS}]$")
_POSSESSIVE = re.compile(r"(?<=[^\W_])['\u2019]s$")
#: "fondsen<sup>1</sup>", "[AI-verordening](https://...", "uitkering|WAO" (a table cell glued to the next), and
#: each punctuation mark before markup ("Sv).<sup>3" -> "Sv" ")" "." "<"): pieces between infixes are not
#: searched for suffixes again, so the marks must be split here.
_TAG_CHARS = re.compile(r"[<>\[\]|]|(?<=\])\(|\)(?=\])|[).,;:!?](?=[).,;:!?]*[<\[|])|(?<=[>|])[(‘“\"']")
_MARKUP = re.compile(r"[<>\[\]|]").search
_URLISH = re.compile(r"(?:https?|ftp)://|www\.|[\w-]+\.(?:pdf|html?|aspx?|php|docx?|xlsx?|odt|md)\b",
                     re.IGNORECASE).search
_HAS_HYPHEN = re.compile(rf"[{_HYPHENS}]").search
#: A sentence glued to an acronym ending the one before ("WPO.Voor"): spaCy splits "zaak.De", not this.
_GLUED_STOP = re.compile(r"(?<=[A-Z]{2})\.(?=[A-Z][a-z])")
_SUFFIX_LAST = {"s", "-", "\u2010", "\u2011"}
#: Chunks (whitespace-delimited strings) whose tokens spaCy's tokenizer keeps (about 85 bytes each;
#: spaCy's default is 10,000, far fewer than the distinct chunks of a collection).
CACHE_CHUNKS = 300_000


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
        if "/" not in text and not _MARKUP(text) and not _HAS_HYPHEN(text) and not _GLUED_STOP.search(text):
            return matches
        url = _URLISH(text)
        url_start = url.start() if url else len(text)  # no splits inside URLs and file names
        extra: list[_Match] = []
        for m in _TAG_CHARS.finditer(text, 0, url_start + 1):
            extra.append(_Match(m.start(), m.end()))
        for m in _INNER_HYPHEN.finditer(text, 0, url_start):
            left, right = _segment_bounds(text, m.start())
            if not (_wordish(left) and _wordish(right)):
                continue
            if _acronym_part(left) != _acronym_part(right):
                extra.append(_Match(m.start(), m.end()))
        for m in _SLASH.finditer(text, 0, url_start):
            extra.append(_Match(m.start(), m.end()))
        for m in _GLUED_STOP.finditer(text, 0, url_start):
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


_BAR = re.compile(r"\|")


def make_prefix_search(default: Callable[[str], Any]) -> Callable[[str], Any]:
    """A table bar starts a token of its own ("|WAO": the infix rules never split at a token's first character)."""
    def search(text: str) -> Any:
        if text[:1] == "|":
            return _BAR.match(text)
        return default(text) if default is not None else None

    return search


_ACRONYM_STOP = re.compile(r"(?<=[A-Za-z0-9&+])\.$")
_ACRONYM_WORD = re.compile(r"[A-Za-z0-9&+]*[A-Z][A-Za-z0-9&+]*").fullmatch


def make_suffix_search(default: Callable[[str], Any]) -> Callable[[str], Any]:
    def search(text: str) -> Any:
        if text[-1:] == "." and len(text) > 2 and "." not in text[:-1] and _ACRONYM_WORD(text[:-1]):
            if _acronym_part(text[:-1]) or text[-2].isupper():
                return _ACRONYM_STOP.search(text)  # "SenB." "JenV." "VB1." "DigiD." end a sentence
        if text[-1:] not in _SUFFIX_LAST:
            return default(text) if default is not None else None
        for rx in (_POSSESSIVE, _TRAILING_HYPHEN):
            m = rx.search(text)
            if m is not None and len(text) > (m.end() - m.start()):
                return m
        return default(text) if default is not None else None

    return search


def policy_rules(rules: dict[str, Any]) -> dict[str, Any]:
    """The tokenizer exceptions without law-code abbreviations with a full stop and "NGO's"-style forms,
    plus Dutch place names with "'s-"."""
    from spacy.symbols import ORTH

    codes = load_yaml("legal.yaml").get("codes") or {}
    out = dict(rules or {})
    for code in codes:
        out.pop(f"{code}.", None)
    for key in [k for k in out if _POSSESSIVE.search(k) and k[:-2].isupper()]:
        del out[key]  # "NGO's" is "NGO" + "'s" like "HSP’s"
    for key in [k for k in out if k.endswith(".") and len(k) >= 3 and k[:-1].isalpha() and k[:-1].isupper()]:
        del out[key]  # "IND." "COA." "BW.": capitals with a full stop end a sentence in policy text
    for key in [k for k in out if not k.strip()]:
        del out[key]  # "\n", " ": one token anyway; a rule that fires stops spaCy's cache for the rest of the text
    for place in ("'s-Gravenhage", "’s-Gravenhage", "'s-Hertogenbosch", "’s-Hertogenbosch"):
        out[place] = [{ORTH: place}]
    return out


@spacy.registry.tokenizers("beleidsbank.policy_tokenizer.v1")
def create_policy_tokenizer() -> Callable[[Language], Tokenizer]:
    """spaCy-registered tokenizer: the language defaults with the policy-text adjustments.
    Use as ``spacy.blank("nl", config={"nlp": {"tokenizer": {"@tokenizers": "beleidsbank.policy_tokenizer.v1"}}})``."""

    def factory(nlp: Language) -> Tokenizer:
        d = nlp.Defaults
        prefix_search = util.compile_prefix_regex(d.prefixes).search if d.prefixes else None
        suffix_search = util.compile_suffix_regex(d.suffixes).search if d.suffixes else None
        infix_finditer = util.compile_infix_regex(d.infixes).finditer if d.infixes else None
        tok = Tokenizer(
            nlp.vocab,
            rules=policy_rules(d.tokenizer_exceptions),
            prefix_search=make_prefix_search(prefix_search),
            suffix_search=make_suffix_search(suffix_search),
            infix_finditer=make_infix_finditer(infix_finditer),
            token_match=d.token_match,
            url_match=d.url_match,
            max_cache_size=CACHE_CHUNKS,
        )
        return tok

    return factory


POLICY_TOKENIZER_CONFIG = {"nlp": {"tokenizer": {"@tokenizers": "beleidsbank.policy_tokenizer.v1"}}}


def blank_dutch() -> Language:
    nlp = spacy.blank("nl", config=POLICY_TOKENIZER_CONFIG)
    nlp.meta.setdefault("beleidsbank", {})["tokenizer"] = "policy-text-v1"
    return nlp


def adjust_tokenizer(nlp: Language) -> Language:
    """Apply the policy-text adjustments to the tokenizer of an already loaded pipeline (idempotent)."""
    if is_adjusted(nlp):
        return nlp
    tok = nlp.tokenizer
    tok.prefix_search = make_prefix_search(tok.prefix_search)
    tok.infix_finditer = make_infix_finditer(tok.infix_finditer)
    tok.suffix_search = make_suffix_search(tok.suffix_search)
    tok.rules = policy_rules(tok.rules)  # one reload of the special cases
    tok.max_cache_size = max(tok.max_cache_size, CACHE_CHUNKS)
    nlp.meta.setdefault("beleidsbank", {})["tokenizer"] = "policy-text-v1"
    return nlp


def is_adjusted(nlp: Language) -> bool:
    return nlp.meta.get("beleidsbank", {}).get("tokenizer") == "policy-text-v1"
