"""The register of regulations: every regulation of a collection with the names it is cited by.

Built from what the regulation files say (:mod:`kb.laws.extract`), never from a list kept in the
repository:

* each file is a regulation: BWB id, kind, official title, short titles ("citeertitel"), the name in
  brackets at the end of the title, and its dated title ("Wet van 15 januari 1921");
* each link in any file names the regulation it points to: the anchor minus its article reference is a
  name ("artikel 167 Sv." -> "Sv"), counted once per citing document; an abbreviation in brackets right
  after a link is a name too.  Regulations only known as link targets join the register with those names.

The result is evidence, one row per (name, regulation, book, source) with the number of documents that
support it; :mod:`kb.laws.resolve` decides which names identify one regulation.
"""
from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Iterable

from kb.catalogue import is_acronym, normalise_alias

from .citation import split_anchor
from .data import law_words
from .extract import DATED_TITLE, RegulationFile, clean_name, dated_key, dated_title_key, title_names
from .made import letters_in_order

#: Sources of a name, strongest first.
OFFICIAL_SOURCES = ("citeertitel", "title", "path")
MINED_SOURCES = ("anchor", "abbreviation")
#: Words that join the parts of a name without naming anything.
_LINKING_WORDS = frozenset({"en", "of", "tot", "met", "van", "de", "het", "der", "den"})
#: Longest name kept (characters); longer "names" are sentences caught by a loose anchor.
MAX_NAME_CHARS = 200


@dataclass
class Regulation:
    bwb: str
    kind: str = ""
    title: str = ""
    citeertitels: list[str] = field(default_factory=list)
    in_collection: bool = False


@dataclass(frozen=True)
class NameRow:
    """Evidence that ``name`` cites ``bwb``: ``docs`` documents say so (1 for a regulation's own names)."""

    name: str
    bwb: str
    source: str  # citeertitel | title | anchor | abbreviation | dated (anchor) | dated-title
    book: str = ""
    docs: int = 1


@lru_cache(maxsize=1)
def _words() -> dict[str, frozenset[str]]:
    data = law_words()
    return {k: frozenset(normalise_alias(str(w)) for w in data.get(k) or []) for k in ("generic_names", "local_words", "heads")}


def name_key(name: str) -> str:
    """Grouping key of a name: abbreviations keep their case ("CS:Sv"), other names are folded."""
    name = re.sub(r"\s+", " ", name).strip()
    if is_acronym(name):
        return "CS:" + name
    return normalise_alias(name)


def _has_head(words: list[str]) -> bool:
    heads = _words()["heads"]
    for w in words:
        if any(w == h or (len(w) > len(h) + 2 and w.endswith(h)) for h in heads):
            return True
    return False


def usable_name(name: str) -> bool:
    """A mined name that can identify a regulation: not a stand-in ("de wet", "dat besluit"), not generic
    ("Tijdelijke regeling"), written with a capital or as an abbreviation, and naming a kind of regulation
    ("...wet", "Besluit ...", "Statuut") unless it is an abbreviation ("Sv", "AWR", "Wet BIG")."""
    if not name or len(name) > MAX_NAME_CHARS or not name[:1].isupper():
        return False
    if not any(len(w) >= 2 and w.lower() not in _LINKING_WORDS for w in re.findall(r"[^\W\d_]+", name)) \
            and not is_acronym(name):
        return False  # "B en C" (what is left of "onderdelen B en C")
    words = [normalise_alias(w) for w in re.findall(r"[\w'’-]+", name)]
    if not words or " ".join(words) in _words()["generic_names"]:
        return False
    if any(w in _words()["local_words"] for w in words):
        return False
    if re.search(r"\b(?:Stb|Stcrt|Trb)\b|\bnr\.\s*\d|\d{4}\s*,\s*\d", name):
        return False
    return is_acronym(name) or _has_head(words) or any(is_acronym(w) for w in name.split())


def _mined_name(raw: str) -> str:
    name = clean_name(raw)
    name = re.sub(r"^(?:de|het|der|den)\s+", "", name)
    name = re.sub(r"\s*\(\s*(?:Stb|Stcrt|Trb)\b.*$", "", name)  # "Wet X (Stb. 1995, 640)"
    name = re.sub(r",\s*(?:\w+ste|\w+de|lid|leden|onder|sub|aanhef|eerste|tweede|derde)\b.*$", "", name)  # "GrW, eerste volzin"
    return name.strip(" ,")


def aggregate(files: Iterable[RegulationFile]) -> tuple[dict[str, Regulation], list[NameRow]]:
    """Regulations by BWB id and name evidence from a collection's files."""
    regs: dict[str, Regulation] = {}
    own: dict[tuple[str, str, str], None] = {}
    mined: dict[tuple[str, str, str, str], set[str]] = defaultdict(set)  # (name, bwb, book, source) -> citing docs
    dated: dict[tuple[str, str, str], set[str]] = defaultdict(set)  # (key, bwb, source) -> citing docs
    files_seen: list[RegulationFile] = []
    for f in files:
        if f.defined:
            files_seen.append(f)
        if f.bwb:
            reg = regs.setdefault(f.bwb, Regulation(f.bwb))
            reg.kind, reg.title, reg.in_collection = f.kind, f.title, True
            reg.citeertitels = list(f.citeertitels)
            for n in f.citeertitels:
                own[(n, f.bwb, "citeertitel")] = None
            for n in title_names(f.title):
                own[(n, f.bwb, "title")] = None
            key = dated_title_key(f.title)
            if key:
                dated[(key, f.bwb, "dated-title")].add(f.bwb)
        citing = f.bwb or f.title
        for link in f.links:
            regs.setdefault(link.target, Regulation(link.target))
            if link.path_title:
                key = dated_title_key(link.path_title)
                if key:
                    dated[(key, link.target, "dated-title")].add(link.target)
                elif usable_path_title(link.path_title):
                    own[(link.path_title, link.target, "path")] = None
            _article, book, name = split_anchor(link.anchor)
            name = _mined_name(name)
            m = DATED_TITLE.fullmatch(name)
            if m:
                dated[(dated_key(m["kind"], m["day"], m["month"], m["year"]), link.target, "dated")].add(citing)
            elif usable_name(name):
                mined[(name, link.target, book or "", "anchor")].add(citing)
            if link.abbreviation and link.abbreviation != name and usable_name(link.abbreviation) \
                    and is_acronym(link.abbreviation.split()[-1]):
                mined[(link.abbreviation, link.target, "", "abbreviation")].add(citing)
    _defined_names(files_seen, own, mined)
    rows = [NameRow(n, b, s) for (n, b, s) in own if usable_official(n)]
    rows += [NameRow(n, b, s, book, len(docs)) for (n, b, book, s), docs in mined.items()]
    rows += [NameRow(k, b, s, "", len(docs)) for (k, b, s), docs in dated.items()]
    rows.sort(key=lambda r: (r.bwb, r.source, r.name, r.book))
    return regs, rows


#: Most words of a name looked for at the end of the text before a defined abbreviation.
MAX_NAME_WORDS = 24


def _defined_names(files: Iterable[RegulationFile], own: dict[tuple[str, str, str], None],
                   mined: dict[tuple[str, str, str, str], set[str]]) -> None:
    """Abbreviations defined in brackets after the own name of one regulation ("... sector (WNT)"), counted
    like a link's abbreviation: once per defining document."""
    owners: dict[str, set[str]] = defaultdict(set)
    for name, bwb, _source in own:
        owners[name_key(name)].add(bwb)
    for f in files:
        citing = f.bwb or f.title
        for before, abbr in f.defined:
            if not usable_name(abbr) or not is_acronym(abbr.split()[-1]):
                continue
            words = before.split()
            for k in range(min(len(words), MAX_NAME_WORDS), 0, -1):
                name = clean_name(" ".join(words[-k:]))
                if not name[:1].isupper():
                    continue
                bwbs = owners.get(name_key(name))
                if bwbs:
                    if len(bwbs) == 1 and name != abbr and usable_official(name) and letters_in_order(abbr, name):
                        mined[(abbr, next(iter(bwbs)), "", "abbreviation")].add(citing)
                    break


def usable_path_title(title: str) -> bool:
    """A title spelled by a link's target folder that names a regulation (it is lower case: no capital test)."""
    return usable_name(title[:1].upper() + title[1:]) and " " in title or _has_head([title])


def usable_official(name: str) -> bool:
    """A regulation's own name: anything but a generic word ("Besluit") or an overlong sentence."""
    words = [normalise_alias(w) for w in re.findall(r"[\w'’-]+", name)]
    return bool(words) and len(name) <= MAX_NAME_CHARS and " ".join(words) not in _words()["generic_names"]
