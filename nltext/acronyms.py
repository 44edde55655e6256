"""The acronym rule: when a word is an acronym, and when a name is matched with its capitals.

* :func:`acronym_like` — at least two capitals making up half the letters (IND, ECRIS, JenV,
  DT&V, SenB, MoU, VB1), or digits only: a token that reads as an abbreviation (the tagger
  splits hyphen compounds on it, "PNR-richtlijn").
* :func:`is_acronym` — a surface form matched case-sensitively: an acronym-like single word, or
  a word of at most three characters with a capital ("Rb", "EU"), or a form without letters;
  "IND" names the service, "ind" does not.
"""
from __future__ import annotations


def _caps(word: str) -> tuple[int, int]:
    letters = 0
    upper = 0
    for c in word:
        if c.isalpha():
            letters += 1
            upper += c.isupper()
    return upper, letters


def acronym_like(word: str) -> bool:
    """At least two capitals making up half the letters, or digits without letters."""
    upper, letters = _caps(word)
    if not letters:
        return any(c.isdigit() for c in word)
    return upper >= 2 and upper * 2 >= letters


def is_acronym(form: str) -> bool:
    """A form matched only as written (case-sensitively): IND, DT&V, ESF+, JenV, VB1, Rb."""
    upper, letters = _caps(form)
    if not letters:
        return True
    if " " in form.strip():
        return False
    return (upper >= 2 and upper * 2 >= letters) or (len(form) <= 3 and upper >= 1)
