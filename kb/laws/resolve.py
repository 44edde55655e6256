"""Which names identify one regulation, decided from the register's evidence (:mod:`kb.laws.register`).

For every name (grouped by :func:`kb.laws.register.name_key`):

* a regulation's own name (short title, title) identifies it when no other regulation has that name;
  when several have it, the one that the collection's citations under that name point to (nearly)
  always wins, else the name stays ambiguous;
* a mined name identifies the regulation that at least ``PURITY`` of the documents citing it under that
  name point to, seen in ``MIN_DOCS`` documents (or one, for a long name with a head word: "Regeling
  veiling gebruiksrecht radio-frequenties voor IMT-2000");
* a name that points to several regulations, each for one book ("Burgerlijk Wetboek": Boek 2 -> one
  BWB id, Boek 7 -> another), resolves per book: the book comes from the citation ("7:658", "Boek 8");
* everything else is ambiguous: the candidates are kept with their weights for the context step (a wrong
  id is worse than none).

Abbreviations of one or two letters ("Sv", "BW", "LB") are only used after an article reference.
"""
from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Iterable

from spacy.lang.nl.stop_words import STOP_WORDS

from kb.catalogue import normalise_alias
from settings import LawResolution

from .register import INITIALS_SOURCE, MINED_SOURCES, OFFICIAL_SOURCES, NameRow, name_key

#: The thresholds (one home: settings.LawResolution).
W = LawResolution()
PURITY, MIN_DOCS, FREE_SHORT_DOCS, OFFICIAL_MAJORITY_DOCS = W.purity, W.min_docs, W.free_short_docs, W.official_majority_docs


@dataclass
class Resolution:
    key: str
    bwb: str | None = None  # the regulation, when the name alone says it
    books: dict[str, str] = field(default_factory=dict)  # book -> BWB id ("7" -> BWBR0005290)
    candidates: dict[str, int] = field(default_factory=dict)  # ambiguous: BWB id -> weight
    needs_reference: bool = False  # short abbreviation: only after "artikel ..."
    surfaces: list[str] = field(default_factory=list)
    dated: bool = False  # a dated title ("wet 1921-01-15"), matched by pattern rather than by name
    cited: int = 0  # dated title: documents citing the regulation by its bare date
    official: bool = False  # the regulation's own name (short title or title), not only how others cite it

    def pick(self, book: str | None) -> str | None:
        """The BWB id for a citation with this name (and book, if the citation gives one)."""
        if book and book in self.books:
            return self.books[book]
        return self.bwb

    def to_dict(self) -> dict:
        return {"key": self.key, "bwb": self.bwb, "books": self.books, "candidates": self.candidates,
                "needs_reference": self.needs_reference, "surfaces": self.surfaces, "dated": self.dated,
                "cited": self.cited, "official": self.official}


def _short_abbreviation(key: str) -> bool:
    return key.startswith("CS:") and len(re.sub(r"[^A-Za-z]", "", key[3:])) <= 2


def _specific_name(surface: str, only_one: bool) -> bool:
    """A name specific enough to trust on one citing document: three or more words, or (when no other
    regulation is ever cited by it) a single word that is not an abbreviation ("Invorderingswet")."""
    if surface.isupper() or len(surface) <= 3:
        return False
    return len(surface.split()) >= 3 or only_one and " " not in surface and surface[1:].islower()


def resolve_names(rows: Iterable[NameRow]) -> dict[str, Resolution]:
    """Name key -> :class:`Resolution` (dated titles under their "wet 1921-01-15" keys)."""
    by_key: dict[str, list[NameRow]] = defaultdict(list)
    made: dict[str, list[NameRow]] = defaultdict(list)
    for r in rows:
        if r.source == INITIALS_SOURCE:
            made["CS:" + r.name].append(r)
        else:
            by_key[r.name if r.source.startswith("dated") else name_key(r.name)].append(r)
    out: dict[str, Resolution] = {}
    for key, group in by_key.items():
        res = _decide(key, group)
        if res is not None:
            out[key] = res
    for key, group in made.items():
        name = key[3:]
        bwbs = {r.bwb for r in group}
        if len(bwbs) == 1 and key not in out and name_key(name) not in out and normalise_alias(name) not in out \
                and name.lower() not in STOP_WORDS:
            out[key] = Resolution(key=key, bwb=bwbs.pop(), surfaces=[name])
    return out


def _decide(key: str, group: list[NameRow]) -> Resolution | None:
    surfaces: dict[str, int] = defaultdict(int)
    for r in group:
        surfaces[r.name] += r.docs
    res = Resolution(key=key, surfaces=sorted(surfaces, key=lambda s: (-surfaces[s], s)),
                     needs_reference=_short_abbreviation(key))
    official = sorted({r.bwb for r in group if r.source in OFFICIAL_SOURCES})
    mined: dict[str, int] = defaultdict(int)
    by_book: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for r in group:
        if r.source in MINED_SOURCES or r.source.startswith("dated"):
            mined[r.bwb] += r.docs
            if r.book:
                by_book[r.book][r.bwb] += r.docs
    if group[0].source.startswith("dated"):
        res.dated = True
        if len(mined) == 1:
            res.bwb = next(iter(mined))
            res.cited = sum(r.docs for r in group if r.source == "dated")
        else:
            res.candidates = dict(mined)
        return res
    if official:
        total = sum(mined.values())
        if len(official) == 1 and not (total >= OFFICIAL_MAJORITY_DOCS and mined.get(official[0], 0) < total / 2):
            res.bwb = official[0]
            res.official = True
            return res
        if len(official) == 1:  # the collection cites another regulation by this name (a successor?)
            best = max(mined, key=lambda b: mined[b])
            if mined[best] >= PURITY * total:
                res.bwb = best
            else:
                res.candidates = {**dict(mined), official[0]: mined.get(official[0], 0)}
            return res
        among = {b: mined.get(b, 0) for b in official}
        best = max(among, key=lambda b: among[b])
        total = sum(among.values())
        if among[best] >= OFFICIAL_MAJORITY_DOCS and among[best] >= PURITY * total:
            res.bwb = best
            res.official = True
        else:
            res.candidates = among
        return res
    books = {}
    for book, counts in by_book.items():
        b_best = max(counts, key=lambda b: counts[b])
        if counts[b_best] >= PURITY * sum(counts.values()):
            books[book] = b_best
    if len(set(books.values())) > 1:  # a code in books: the book decides, the bare name does not
        res.books = books
        res.candidates = dict(mined)
        return res
    total = sum(mined.values())
    best = max(mined, key=lambda b: mined[b])
    enough = mined[best] >= MIN_DOCS or _specific_name(res.surfaces[0], len(mined) == 1)
    if mined[best] >= PURITY * total and enough:
        res.bwb = best
        if res.needs_reference and key[3:].isupper() and mined[best] >= FREE_SHORT_DOCS:
            res.needs_reference = False  # "WW", "BW": common enough to cite on their own
        res.candidates = dict(mined)
    return res
