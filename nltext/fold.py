"""Folding and normalising Dutch text: one notion of "the same word" for every layer.

* :func:`fold` — lower case, no accents ("Financiële" -> "financiele"), ligatures and special
  letters spelled out ("ĳ" -> "ij", "ß" -> "ss", "ø" -> "o"), soft hyphens and zero-width
  characters dropped.  The search index, related passages and every substring filter of the
  web app compare words by this key.
* :func:`fold_key` — :func:`fold` plus one kind of dash ("-") and of apostrophe ("'"): the
  tagger's matching key of a token.
* :func:`alias_key` — :func:`fold_key` plus spacing around hyphens and runs of white space:
  under this key two spellings of a name collide ("Immigratie - en" == "immigratie- en").
* :func:`normalise_with_map` — a case-, space-, quote- and dash-insensitive form of a text
  with, per character, the offset of its source character: finding a quoted sentence in a
  section and reporting where it is.
* :func:`slug` — lower-case ASCII words joined by "-", for ids and URLs.
"""
from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

#: Soft hyphen and zero-width characters: invisible, never part of a word.
INVISIBLE = "\u00ad\u200b\u200c\u200d\u2060\ufeff"
#: Dashes and hyphens (hyphen-minus, hyphen, non-breaking hyphen, figure dash, en dash, em dash,
#: horizontal bar, minus sign).
DASHES = "-\u2010\u2011\u2012\u2013\u2014\u2015\u2212"
#: Apostrophes as they occur in Dutch text ("LO's", "LO’s", "LO´s").
APOSTROPHES = "'\u2019\u2018\u00b4`\u2032"

#: Letters Unicode does not decompose into ASCII (lower case: :func:`fold` lower-cases first).
_SPECIAL = {"ß": "ss", "æ": "ae", "œ": "oe", "ø": "o", "ł": "l", "đ": "d", "ð": "d", "þ": "th", "ĳ": "ij",
            "ı": "i"}


def _fold_table() -> dict[int, str]:
    table: dict[int, str] = {ord(c): "" for c in INVISIBLE}
    for cp in range(0xC0, 0x250):  # Latin-1 supplement and Latin Extended-A/B
        ch = chr(cp)
        base = "".join(c for c in unicodedata.normalize("NFKD", ch) if not unicodedata.combining(c))
        if base != ch and base:
            table[cp] = base.lower()
    for ch, rep in _SPECIAL.items():
        table[ord(ch)] = rep
    return table


_FOLD = _fold_table()
_PUNCT = {ord(c): "-" for c in DASHES[1:]} | {ord(c): "'" for c in APOSTROPHES[1:]}


_NON_ASCII_RUN = re.compile(r"[^\x00-\x7f]+")


def fold(text: str) -> str:
    """Lower case without accents, ligatures or invisible characters ("Financiële" -> "financiele").

    Only the runs of non-ASCII characters are translated (``str.translate`` looks every character up
    in the table, and Dutch text is mostly ASCII); the table maps no ASCII character and Unicode
    decomposition never reorders across one, so folding run by run is folding the whole text."""
    text = text.lower()
    if text.isascii():
        return text
    return _NON_ASCII_RUN.sub(_fold_run, text)


def _fold_run(m: re.Match[str]) -> str:
    run = m.group().translate(_FOLD)
    if run.isascii():
        return run
    return unicodedata.normalize("NFKD", run).translate(_combining()).translate(_FOLD)


@lru_cache(maxsize=1)
def _combining() -> dict[int, None]:
    """Every combining mark, to drop with one ``str.translate`` instead of a Python test per character."""
    return {cp: None for cp in range(0x110000) if unicodedata.combining(chr(cp))}


def unify_punctuation(text: str) -> str:
    """One kind of dash ("-") and of apostrophe ("'")."""
    return text.translate(_PUNCT)


@lru_cache(maxsize=200_000)
def fold_key(text: str) -> str:
    """Matching key of one token: :func:`fold` with one kind of dash and apostrophe."""
    return fold(text.translate(_PUNCT))


_HYPHEN_SPACING = re.compile(r"\s*-\s*")
_SPACES = re.compile(r"\s+")


def alias_key(text: str) -> str:
    """Key under which two spellings of a name collide (case, accents, dashes, spacing)."""
    text = _HYPHEN_SPACING.sub("-", fold_key(text))
    return _SPACES.sub(" ", text).strip()


# -- quote lookup ---------------------------------------------------------------------------
_QUOTE_CHARS = str.maketrans({
    "\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'", "\u2032": "'", "`": "'", "\u00b4": "'",
    "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u201f": '"', "\u00ab": '"', "\u00bb": '"', "\u2033": '"',
    "\u2013": "-", "\u2014": "-", "\u2012": "-", "\u2010": "-", "\u2011": "-", "\u2212": "-",
    "\u00a0": " ", "\u2009": " ", "\u202f": " ", "\u2007": " ",
})


@lru_cache(maxsize=4096)
def _norm_char(ch: str) -> str:
    return fold(unicodedata.normalize("NFKC", ch).translate(_QUOTE_CHARS))


def normalise_with_map(text: str, *, loose: bool = False) -> tuple[str, list[int]]:
    """Folded text with one space for any white space, straight quotes and one dash, and, per
    character of it, the index of its source character.  ``loose`` also turns punctuation and
    markup into spaces, so a quote still matches a text that punctuates it differently."""
    out: list[str] = []
    idx: list[int] = []
    space = True
    for i, ch in enumerate(text):
        if ch in INVISIBLE:
            continue
        for c in _norm_char(ch):
            if loose and not c.isalnum():
                c = " "
            if c.isspace():
                if space:
                    continue
                c, space = " ", True
            else:
                space = False
            out.append(c)
            idx.append(i)
    while out and out[-1] == " ":
        out.pop()
        idx.pop()
    return "".join(out), idx


def normalise(text: str, *, loose: bool = False) -> str:
    """:func:`normalise_with_map` without the map."""
    return normalise_with_map(text, loose=loose)[0]


# -- slugs ----------------------------------------------------------------------------------
_SLUG_WORDS = str.maketrans({"€": " euro ", "&": " en ", "%": " procent ", "+": " plus "})
_INNER_APOSTROPHE = re.compile(r"(?<=\w)['’‘`´](?=\w)")
_NON_ALNUM = re.compile(r"[^a-z0-9]+")


def slug(text: str, max_length: int = 80) -> str:
    """Lower-case ASCII slug: accents folded ("financiële" -> "financiele"), words joined by "-".

    Apostrophes inside words are dropped ("LO's" -> "los"); "&" reads "en", "+" "plus", "%"
    "procent", "€" "euro".  A slug longer than ``max_length`` is cut at a hyphen.  May be empty
    (a text without letters or digits); callers choose their fallback.
    """
    text = fold(_INNER_APOSTROPHE.sub("", text).translate(_SLUG_WORDS))
    text = text.encode("ascii", "ignore").decode("ascii")
    out = _NON_ALNUM.sub("-", text).strip("-")
    if len(out) > max_length:
        cut = out[: max_length + 1]
        out = cut[: cut.rfind("-")] if "-" in cut else out[:max_length]
    return out
