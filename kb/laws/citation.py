"""The grammar of a Dutch citation of a regulation: the article reference in front of the name.

    artikel 49, eerste lid, van de Comptabiliteitswet 2001      article "49, eerste lid"
    art. 7:658 BW                                               article "7:658"          (book 7)
    de artikelen 12 tot en met 14 van de Wet BIG                article "12 tot en met 14"
    artikel 1 aanhef en onder c, Wmg                            article "1 aanhef en onder c"
    artikel 647 van Boek 8 van het Burgerlijk Wetboek           article "647 van Boek 8"  (book 8)
    afdeling 3.4 van de Algemene wet bestuursrecht              article "afdeling 3.4"

One grammar serves both directions: :func:`split_anchor` takes a citation apart (the register mines
the anchor texts of the collection's links with it) and :func:`reference_before` finds the reference
that ends where a recognised name begins (the tagger).  Written by hand: the phrases are a small,
closed Dutch legal idiom no library covers; the word lists are in ``kb/patterns/laws.yaml``.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from kb.regex_prefilter import StartScan, lowered_or_none
from settings import LawResolution

from .data import law_words

#: Longest stretch of text before a name searched for an article reference (characters; settings.LawResolution).
MAX_REFERENCE_CHARS = LawResolution().max_reference_chars


@dataclass(frozen=True)
class Reference:
    start: int  # offset of the keyword ("artikel") or of the first number when the keyword is elided
    end: int  # offset where the name begins (after "van de", ",", ...)
    article: str  # "49, eerste lid"; "afdeling 3.4" for a division other than an article
    book: str | None  # "7" in "7:658" or "Boek 7"


@lru_cache(maxsize=1)
def _grammar() -> dict[str, re.Pattern[str]]:
    words = law_words()["reference"]
    ordinal = "|".join(sorted(words["ordinals"], key=len, reverse=True))
    divisions = "|".join(sorted(words["divisions"], key=len, reverse=True))
    article_kw = r"(?:[Aa]rtikel(?:en|s)?|ARTIKEL(?:EN)?|[Aa]rtt?\.|[Aa]rtt?(?=\s+\d))"
    division_kw = rf"(?:(?i:{divisions}))"
    ordinal_rx = rf"(?:{ordinal})"
    number = (r"(?:\*?\d+\*?(?:[a-z]{1,5}|[A-Z](?![\w]))?\*?(?:[.:]\*?\d+[a-z]{0,5}\*?)*"
              r"(?:\s?(?:bis|ter|quater|quinquies))?|[IVXLC]{1,7}[A-Za-z]?(?![\w])|[A-Z]{1,2}\d+[A-Za-z]{0,2}(?:/\d+(?:\.\d+)*)?"
              r"|[A-Z](?![\w]))")
    letter = rf"(?:\*?[a-z]{{1,2}}\*?\)?(?![\w])|\d+°?|{ordinal_rx})"
    listed = r"\s*(?:,|\s(?:en|of|tot\s+en\s+met|t/m|en/of))\s*"
    qualifier = (
        rf"(?:{ordinal_rx}(?:{listed}{ordinal_rx})*\s+(?:lid|leden|volzin|volzinnen|zin)"
        rf"|(?:lid|leden)\s+\d+[a-z]?(?:{listed}\d+[a-z]?)*"
        rf"|(?:onder(?:deel|delen)?|sub|letter|ten)\s+{letter}(?:{listed}{letter})*"
        rf"|aanhef(?:\s+en\s+(?:onder(?:deel)?|sub)\s+{letter}(?:{listed}{letter})*)?|slot)")
    item = rf"(?:{number}|{qualifier})(?:\s*,?\s*{qualifier})*"
    items = rf"{item}(?:(?:\s*,\s*(?:(?:en|of)\s+)?|\s+(?:en|of|tot\s+en\s+met|t/m|juncto|jo\.?)\s+){item})*"
    within = rf"(?:,?\s+(?:(?:van|uit)\s+)?(?:(?i:{divisions})|{article_kw})\s+{item})*"
    connector = r"(?:\s*,)?(?:\s+(?:(?:van|uit|in)\s+(?:de|het|der|den)|van|der|in)(?=\s))?\s*"
    return {
        # a reference written before a name, keyword required (text side)
        "before": re.compile(rf"(?P<kw>{article_kw}|{division_kw})\s*(?P<ref>{items}{within}){connector}"),
        # an anchor: keyword optional ("68 van de Luchtvaartwet BES" continues a list outside the link)
        "anchor": re.compile(rf"^(?:(?:en|of|zie|jo\.?|juncto|respectievelijk|onderscheidenlijk|de|het)\s+|,\s*)*"
                             rf"(?:(?P<kw>{article_kw}|{division_kw})\s*)?"
                             rf"(?P<ref>{items}{within}){connector}(?=\S|$)"),
        "keyword": re.compile(rf"(?<![\w])(?:{article_kw}|{division_kw})(?=[\s\d])"),
        "book": re.compile(r"(?:^|\s)(?i:boek)\s+(\d+[a-z]?|[IVX]{1,4})\b|^\*?(\d+[a-z]?):\d"),
        # the part of a regulation in parts, in a paragraph or chapter number ("paragraaf B8/3" of the
        # Vreemdelingencirculaire 2000 (B))
        "part": re.compile(r"^([A-Z])\d"),
    }


@lru_cache(maxsize=1)
def _keyword_scan() -> StartScan:
    """The keywords ("artikel", "afdeling" ...) looked for only where one can start: most stretches of text
    before a name hold none (:class:`kb.regex_prefilter.StartScan`)."""
    return StartScan(_grammar()["keyword"])


def _article_text(kw: str | None, ref: str) -> str:
    ref = re.sub(r"\s+", " ", ref.replace("*", "")).strip(" ,")
    if kw and not re.match(r"(?i)art", kw):
        return f"{kw.lower()} {ref}"
    return ref


#: Divisions whose number can start with the letter of a part ("paragraaf B8/3", "hoofdstuk A3").
_PART_DIVISIONS = ("paragraaf", "hoofdstuk", "§")
_ROMAN = {"I": 1, "II": 2, "III": 3, "IV": 4, "V": 5, "VI": 6, "VII": 7, "VIII": 8, "IX": 9, "X": 10}


def _book(kw: str | None, ref: str) -> str | None:
    """The book of a code a reference points into: "Boek 7", "7:658" -> "7" ("Boek I" -> "1"); the part of a
    regulation in parts: "paragraaf B8/3" -> "b"."""
    ref = ref.replace("*", "")
    if kw and kw.lower() == "boek":
        ref = "boek " + ref
    m = _grammar()["book"].search(ref)
    if not m:
        part = _grammar()["part"].match(ref) if kw and kw.lower() in _PART_DIVISIONS else None
        return part.group(1).lower() if part else None
    book = m.group(1) or m.group(2)
    return str(_ROMAN[book.upper()]) if book.upper() in _ROMAN else book.lower()


def split_anchor(anchor: str) -> tuple[str | None, str | None, str]:
    """(article, book, name) of a citation written as one phrase: "artikel 18 van de Wet X" ->
    ("18", None, "Wet X"); "Wet X" -> (None, None, "Wet X"); "12, eerste lid" -> ("12, eerste lid", None, "")."""
    text = re.sub(r"\s+", " ", anchor.replace("\u00a0", " ")).strip()
    m = _grammar()["anchor"].match(text)
    if not m or not m.group("ref"):
        return None, None, text
    ref = m.group("ref")
    return _article_text(m.group("kw"), ref), _book(m.group("kw"), ref), text[m.end():].strip()


def reference_before(text: str, name_start: int) -> Reference | None:
    """The article reference that ends where the name at ``name_start`` begins, if any
    ("... op grond van artikel 3, eerste lid, van de |Wet X" -> Reference(article="3, eerste lid"))."""
    lo = max(0, name_start - MAX_REFERENCE_CHARS)
    window = text[lo:name_start]
    g = _grammar()
    for k in _keyword_scan().finditer(window, lowered_or_none(window)):
        m = g["before"].fullmatch(window, k.start())
        if m:
            return Reference(start=lo + k.start(), end=name_start, article=_article_text(m.group("kw"), m.group("ref")),
                             book=_book(m.group("kw"), m.group("ref")))
    return None


def references(text: str) -> list[Reference]:
    """Every article reference in ``text`` with the offset of the word that follows it (``end``): where a
    name of a regulation would stand ("art. 27 lid 3 |LB")."""
    g = _grammar()
    out: list[Reference] = []
    for k in _keyword_scan().finditer(text, lowered_or_none(text)):
        if out and k.start() < out[-1].end:
            continue  # inside the previous reference ("artikel 3 juncto artikel 4")
        m = g["before"].match(text, k.start())
        if m and m.end() < len(text):
            out.append(Reference(start=k.start(), end=m.end(), article=_article_text(m.group("kw"), m.group("ref")),
                                 book=_book(m.group("kw"), m.group("ref"))))
    return out


def article_number(article: str | None) -> str | None:
    """The first article number of a reference, for a deep link ("4:49, derde lid, en 4:57" -> "4:49");
    None for a division ("afdeling 3.4") or a reference without a number."""
    if not article:
        return None
    m = re.match(r"^(\d+[a-z]{0,5}(?:[.:]\d+[a-z]{0,5})*|[IVXLC]{1,7}[A-Za-z]?|[A-Z]{1,2}\d+[A-Za-z]{0,2})(?![\w:.])",
                 article)
    return m.group(1) if m else None


def article_of(value: str | None) -> str | None:
    """The article of a reference written on its own ("artikel 137d" -> "137d"); None if it is none."""
    if not value or not re.match(r"(?i)\s*(?:art|hoofdstuk|afdeling|paragraaf|§|titel|boek|bijlage)", value):
        return None
    article, _book, rest = split_anchor(value)
    return article if article and not rest else None
