"""Dutch language data: the word lists in ``nltext/data/``, each loaded once.

The lists are data files reviewed like code, the way spaCy keeps its language data
(``spacy/lang/nl/stop_words.py`` and friends): one word a line (``.txt``) or a word and a
value separated by a tab (``.tsv``); ``#`` starts a comment line.  Words are stored folded
(lower case, no accents, one kind of apostrophe), so a lookup folds its word the same way.
"""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path

DATA_DIR = Path(__file__).resolve().parent / "data"

#: Tiers of ``stop_words.tsv`` (see the file's header).
FUNCTION, WEAK, ENGLISH = "function", "weak", "english"


def _lines(name: str) -> list[str]:
    path = DATA_DIR / name
    out = []
    for n, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        out.append(line)
    return out


@lru_cache(maxsize=None)
def word_list(name: str) -> frozenset[str]:
    """The words of ``data/<name>.txt``."""
    return frozenset(_lines(f"{name}.txt"))


@lru_cache(maxsize=None)
def word_table(name: str) -> dict[str, str]:
    """``word -> value`` of ``data/<name>.tsv``; a malformed line is an error naming file and word."""
    out: dict[str, str] = {}
    for line in _lines(f"{name}.tsv"):
        word, sep, value = line.partition("\t")
        if not sep or not word or not value.strip():
            raise ValueError(f"nltext/data/{name}.tsv: line {line!r} needs a word, a tab and a value")
        out[word] = value.strip()
    return out


def words_of_kind(name: str, *kinds: str) -> frozenset[str]:
    """Words of ``data/<name>.tsv`` whose value is one of ``kinds``."""
    table = word_table(name)
    return frozenset(w for w, k in table.items() if k in kinds)


@lru_cache(maxsize=None)
def stop_words(*tiers: str) -> frozenset[str]:
    """Stop words of the given tiers (default: all)."""
    tiers = tiers or (FUNCTION, WEAK, ENGLISH)
    unknown = set(tiers) - {FUNCTION, WEAK, ENGLISH}
    if unknown:
        raise ValueError(f"unknown stop-word tier(s): {sorted(unknown)}")
    return words_of_kind("stop_words", *tiers)


#: Dutch function words: never an index term (search and related passages alike).
FUNCTION_WORDS = stop_words(FUNCTION)
#: Every Dutch stop word (function and weak words): what the tagger calls a stop word.
DUTCH_STOP_WORDS = stop_words(FUNCTION, WEAK)
#: Every stop word of every tier, English included: words that never relate two passages.
ALL_STOP_WORDS = stop_words(FUNCTION, WEAK, ENGLISH)

QUESTION_WORDS = words_of_kind("question_words", "question")
QUESTION_FILLERS = words_of_kind("question_words", "filler")
NAME_CONNECTORS = word_list("name_connectors")
DETERMINERS = word_list("determiners")
MONTHS = {w: int(n) for w, n in word_table("months").items()}
MONEY_SCALES = {w: int(n) for w, n in word_table("money_scales").items()}
ABBREVIATIONS_NEVER_FINAL = words_of_kind("abbreviations", "never")
ABBREVIATIONS_MAY_BE_FINAL = words_of_kind("abbreviations", "may")
