"""Participles and third-person verb forms to their infinitive, when the collection has it.

Plans write the infinitive or a noun ("ontwikkelen", "versterken"), reports the participle
("ontwikkeld", "versterkt"), and the Snowball stemmer leaves participles alone — so
"ontwikkeld" and "ontwikkelen" would never meet.  :func:`infinitive` guesses the infinitive by
rule and accepts it only when the vocabulary has that word, so a noun that merely starts with
"ge" ("gebied" is no "bieden") stays itself.
"""
from __future__ import annotations

from functools import lru_cache
from typing import Container

#: "ge" and separable particle + "ge" at the start of a past participle ("opgericht", "uitgevoerd").
PARTICIPLE_PREFIXES = tuple(p + "ge" for p in (
    "", "op", "in", "uit", "aan", "af", "door", "mee", "over", "terug", "toe", "voor", "weg", "samen", "bij", "na",
    "om", "vast", "vrij", "vooruit", "tegen"))
_VOWELS = "aeiou"


def infinitive(word: str, vocabulary: Container[str]) -> str | None:
    """The infinitive of a folded participle or verb form ("gerealiseerd" -> "realiseren",
    "versterkt" -> "versterken", "gelegd" -> "leggen") if the vocabulary has it, else None."""
    if len(word) < 6 or word[-1] not in "dt" or not word.isalpha():
        return None
    for inf in _candidates(word):
        if inf != word and inf in vocabulary:
            return inf
    return None


@lru_cache(maxsize=100_000)
def _candidates(word: str) -> tuple[str, ...]:
    bases = [(prefix[:-2] + word[len(prefix):], True) for prefix in PARTICIPLE_PREFIXES
             if word.startswith(prefix) and len(word) - len(prefix) >= 4]
    bases.append((word, False))  # the ge-less reading last: "gevolgd" is "volgen", not "gevolgen"
    out: list[str] = []
    for base, had_ge in bases:
        # a stem may end in t itself ("opgericht" -> "oprichten"); not in d ("gebied" is no "bieden")
        cores = [base[:-1]] if had_ge and base[-1] == "d" else [base[:-1], base]
        for core in cores:
            if len(core) >= 3 and core[-2] == core[-3] and core[-2] in "aeou" and core[-1] not in _VOWELS:
                core = core[:-2] + core[-1]  # "gemaakt" -> "maak" -> "mak" + "en"
            out.append(core + "en")
            if had_ge and len(core) >= 2 and core[-1] not in _VOWELS and core[-2] in _VOWELS:
                out.append(core + core[-1] + "en")  # "gelegd" -> "leggen"
    return tuple(out)
