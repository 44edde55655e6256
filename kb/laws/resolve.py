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

Abbreviations made by rule (:mod:`kb.laws.made`: initials "Wmt", "RVV 1990"; shortened "...wet" titles
"Gemw") identify a regulation where the name they are made from identifies it, no other name claims them
and one regulation makes them; the shortened ones only after an article reference.  They also corroborate
a mined abbreviation that too few documents use: "Wav" cited once for the Wet arbeid vreemdelingen, whose
initials it is.
"""
from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Iterable

from spacy.lang.nl.stop_words import STOP_WORDS

from kb.catalogue import is_acronym, normalise_alias
from settings import LawResolution

from .extract import PART_TITLE
from .made import SHORTENED, WITHOUT_YEAR, MadeName, made_names
from .register import MINED_SOURCES, OFFICIAL_SOURCES, NameRow, name_key

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
    made: bool = False  # an abbreviation made by rule (kb.laws.made), not one any document uses

    def pick(self, book: str | None) -> str | None:
        """The BWB id for a citation with this name (and book, if the citation gives one)."""
        if book and book in self.books:
            return self.books[book]
        return self.bwb

    def to_dict(self) -> dict:
        return {"key": self.key, "bwb": self.bwb, "books": self.books, "candidates": self.candidates,
                "needs_reference": self.needs_reference, "surfaces": self.surfaces, "dated": self.dated,
                "cited": self.cited, "official": self.official, "made": self.made}


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
    rows = list(rows)
    by_key: dict[str, list[NameRow]] = defaultdict(list)
    for r in rows:
        by_key[r.name if r.source.startswith("dated") else name_key(r.name)].append(r)
    cited = [(r.name, r.bwb) for r in rows if r.source in MINED_SOURCES]
    made = _made(made_names(((r.name, r.bwb) for r in rows if r.source in ("citeertitel", "title")), cited))
    makers = {key: {m.bwb for m in group} for key, group in made.items()}  # made name -> regulations making it
    out: dict[str, Resolution] = {}
    for key, group in by_key.items():
        res = _decide(key, group, makers.get(key) or makers.get("CS:" + group[0].name) or set())
        if res is not None:
            out[key] = res
    # names of regulations known only by how others cite them make abbreviations too, of four letters or more
    # (fewer are too often the initials of several names): "Besluit Stimulering Culturele Omroepproducties" ->
    # "BSCO"
    spoken = [(s, res.bwb) for res in out.values() if res.bwb and not res.official and not res.dated
              and not res.needs_reference for s in res.surfaces if s[:1].isupper() and not is_acronym(s)]
    for key, group in _made(m for m in made_names(spoken, cited) if len(re.sub(r"[^A-Za-z]", "", m.name)) >= 4).items():
        made[key].extend(group)
    makers = {key: {m.bwb for m in group} for key, group in made.items()}
    for key, group in sorted(made.items()):
        name = group[0].name
        bwb = group[0].bwb
        if len(makers[key]) > 1 or key in out or name_key(name) in out or normalise_alias(name) in out \
                or name.lower() in STOP_WORDS:
            continue
        if not any((o := out.get(name_key(m.origin))) is not None and (o.bwb == bwb or bwb in o.candidates)
                   for m in group):
            continue  # the name it is made from cites another regulation ("Politiewet")
        out[key] = Resolution(key=key, bwb=bwb, surfaces=[name], made=True,
                              needs_reference=all(m.kind == SHORTENED for m in group))
    _parts(by_key, out)
    return out


def _made(names: Iterable[MadeName]) -> dict[str, list[MadeName]]:
    """Made names by key: abbreviations match in their case ("CS:RVV 1990"), a title without its year folded."""
    out: dict[str, list[MadeName]] = defaultdict(list)
    for m in names:
        out[name_key(m.name) if m.kind == WITHOUT_YEAR else "CS:" + m.name].append(m)
    return out


def _parts(by_key: dict[str, list[NameRow]], out: dict[str, Resolution]) -> None:
    """A regulation in parts ("Vreemdelingencirculaire 2000 (A)", "(B)", ...): a name that cites one part or
    several, other than a part's full title, resolves by the part the citation gives ("paragraaf B8/3")."""
    series: dict[str, dict[str, str]] = defaultdict(dict)
    for group in by_key.values():
        for r in group:
            m = PART_TITLE.fullmatch(r.name) if r.source == "title" else None
            if m is not None:
                series[name_key(m["base"])][m["part"].lower()] = r.bwb
    part_of = {bwb: base for base, parts in series.items() if len(parts) > 1 for bwb in parts.values()}
    if not part_of:
        return
    for key, group in by_key.items():
        bases = {part_of.get(r.bwb) for r in group}
        if len(bases) != 1 or None in bases or group[0].source.startswith("dated") \
                or any(PART_TITLE.fullmatch(r.name) for r in group):
            continue
        res = out.get(key) or Resolution(key=key, surfaces=sorted({r.name for r in group}))
        parts = series[bases.pop()]
        res.books = dict(parts)
        res.candidates = {b: res.candidates.get(b, 0) for b in parts.values()}
        res.bwb = None
        out[key] = res


def _decide(key: str, group: list[NameRow], made_by: set[str]) -> Resolution | None:
    """``made_by``: the regulations whose names make this one by rule (initials), which corroborate it."""
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
    enough = mined[best] >= MIN_DOCS or _specific_name(res.surfaces[0], len(mined) == 1) or best in made_by
    if mined[best] >= PURITY * total and enough:
        res.bwb = best
        if res.needs_reference and key[3:].isupper() and mined[best] >= FREE_SHORT_DOCS:
            res.needs_reference = False  # "WW", "BW": common enough to cite on their own
        res.candidates = dict(mined)
    return res
