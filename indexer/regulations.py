"""Regulations a query names ("beslistermijn Wob", "bezwaartermijn awb", "Wet openbaarheid van bestuur"),
resolved to the documents of the index that *are* those regulations.

A regulation's own text rarely names it ("Awb" hardly occurs in the Awb), so the entity clause, which
finds the passages that mention a law, misses the one document the user most likely means.  Here the
names of every regulation in the index are gathered from the knowledge base, by rule and never guessed:

* a document is a regulation when its metadata carries a BWB id (``corpus.regulations``, from its file
  name); its title is its citeertitel;
* the register of regulations (``kb.laws``: table ``laws``) gives its official title and short titles;
* LAW entities carrying ``refs.bwb`` (the catalogue's, e.g. "Awb", and the register's entities with the
  names that resolve to one regulation) give the abbreviations people use.

A name is kept only when it identifies one regulation among the indexed ones.  Acronyms match as written
("Sv", "WW"), except that one of three or more letters also matches in lower case ("awb", "wob"): people
type queries without capitals, and no Dutch word of that form is a stop word (checked).  Built once per
index generation and knowledge base (cached on the index state).
"""
from __future__ import annotations

import json
import sqlite3
import threading
from dataclasses import dataclass
from typing import Any

import numpy as np

from nltext.acronyms import is_acronym
from nltext.aliases import AliasMatcher, Match
from nltext.fold import fold
from nltext.lexicon import DUTCH_STOP_WORDS, FUNCTION_WORDS

#: An acronym of at least this many letters also matches in lower case ("awb" for "Awb").
LOWERCASE_ACRONYM_MIN = 3
#: Names longer than this are not matched in queries (official titles run to hundreds of characters).
MAX_NAME_CHARS = 120
_LOCK = threading.Lock()


@dataclass
class Regulation:
    bwb: str
    documents: np.ndarray  # positions in the index's document list
    name: str  # the name shown in the explanation (the document title)
    entity_ids: list[str]  # LAW entities of the index standing for it (their mentions elsewhere)


class RegulationNames:
    """Regulation names in queries -> the index documents of those regulations."""

    def __init__(self, regulations: dict[str, Regulation], names: dict[str, set[str]]) -> None:
        self.regulations = regulations
        forms: dict[str, list[str]] = {}
        for form, owners in names.items():
            if len(owners) == 1:
                forms.setdefault(next(iter(owners)), []).append(form)
        self.matcher = AliasMatcher({"id": bwb, "name": fs[0], "aliases": fs[1:]}
                                    for bwb, fs in sorted(forms.items()) if bwb in regulations)

    def __len__(self) -> int:
        return len(self.regulations)

    def find(self, text: str) -> list[tuple[Match, Regulation]]:
        """Non-overlapping longest regulation names in ``text``, with their regulation."""
        return [(m, self.regulations[m.entity_id]) for m in self.matcher.find(text)]

    @classmethod
    def empty(cls) -> "RegulationNames":
        return cls({}, {})


def _name_forms(name: str) -> list[str]:
    """The forms a name is matched by: itself and, for a longer acronym, its lower case."""
    if len(name) > MAX_NAME_CHARS:  # an official title of several lines: nobody types it
        return []
    name = " ".join(name.split())
    if not name or fold(name) in DUTCH_STOP_WORDS:  # a one-word "name" that is an ordinary word names nothing
        return []
    if " " in name or not is_acronym(name):
        return [name]
    letters = sum(c.isalpha() for c in name)
    low = name.lower()
    return [name, low] if letters >= LOWERCASE_ACRONYM_MIN and low not in FUNCTION_WORDS else [name]


def load_regulation_names(conn: sqlite3.Connection, doc_pos: dict[str, int],
                          entity_ids: set[str]) -> RegulationNames:
    """Read the names of the indexed regulations from a knowledge base (``doc_pos``: document id ->
    position in the index; ``entity_ids``: the entities the index knows)."""
    docs_of: dict[str, list[int]] = {}
    titles: dict[str, str] = {}
    names: dict[str, set[str]] = {}

    def add(name: str, bwb: str) -> None:
        for form in _name_forms(name):
            names.setdefault(form if " " not in form and is_acronym(form) else fold(form), set()).add(bwb)

    for doc_id, title, metadata in conn.execute("SELECT id, title, metadata FROM documents"):
        if doc_id not in doc_pos or '"bwb"' not in (metadata or ""):
            continue
        try:
            meta = json.loads(metadata) or {}
        except ValueError:
            continue
        bwb = meta.get("bwb")
        if not bwb:
            continue
        docs_of.setdefault(bwb, []).append(doc_pos[doc_id])
        titles.setdefault(bwb, title)
        if meta.get("citeertitel"):
            add(meta["citeertitel"], bwb)
    if not docs_of:
        return RegulationNames.empty()
    if _has_table(conn, "laws"):
        for bwb, title, cites in conn.execute("SELECT bwb, title, citeertitels FROM laws WHERE in_collection = 1"):
            if bwb in docs_of:
                for name in [title, *json.loads(cites or "[]")]:
                    if name:
                        add(name, bwb)
    ents_of: dict[str, list[str]] = {}
    for eid, name, aliases, refs in conn.execute(
            "SELECT id, name, aliases, refs FROM entities WHERE label = 'LAW' AND refs LIKE '%\"bwb\"%'"):
        bwb = (json.loads(refs or "{}") or {}).get("bwb")
        if bwb not in docs_of:
            continue
        for n in [name, *json.loads(aliases or "[]")]:
            if n:
                add(n, bwb)
        if eid in entity_ids:
            ents_of.setdefault(bwb, []).append(eid)
    regs = {bwb: Regulation(bwb, np.array(sorted(d), np.int64), titles.get(bwb) or bwb, ents_of.get(bwb, []))
            for bwb, d in docs_of.items()}
    # the matcher keys forms itself; keep one surface per key, the owners decide uniqueness
    return RegulationNames(regs, {f: owners for f, owners in names.items()})


def _has_table(conn: sqlite3.Connection, name: str) -> bool:
    return conn.execute("SELECT 1 FROM sqlite_master WHERE type='table' AND name=?", (name,)).fetchone() is not None


def regulation_names(st: Any, store: Any) -> RegulationNames:
    """The regulation names of an index state read from ``store`` (its knowledge base), cached on the state."""
    conn = getattr(store, "conn", None)
    if conn is None:  # a searcher without its knowledge base knows no regulation names
        return RegulationNames.empty()
    cached = getattr(st, "_regulation_names", None)
    if cached is not None:
        return cached
    with _LOCK:
        cached = getattr(st, "_regulation_names", None)
        if cached is None:
            try:
                cached = load_regulation_names(conn, st.doc_pos, set(st.ent_pos))
            except sqlite3.Error:  # a knowledge base without these tables: no regulations to name
                cached = RegulationNames.empty()
            st._regulation_names = cached
    return cached
