"""Component ``bb_laws``: citations of regulations resolved to their BWB id, with the article cited.

Runs after ``bb_patterns`` and before ``bb_resolve``.  With a register of regulations (built from a
collection by ``beleidsbank build --stage register``, see :mod:`kb.laws`; the rules at the edges of a name
are in :mod:`kb.tagger.law_context`):

* names of regulations, longest first, from the register's name trie: short titles ("Warenwet"),
  official titles, names and abbreviations the collection cites them by ("Wet Fido", "Awb", "AWR");
  abbreviations of one or two letters ("Sv", "BW", "LB") only after an article reference;
* dated titles ("Wet van 15 januari 1921", "Besluit van 12 juni 1931") when one regulation has that date (and,
  without the description that follows in its title, when the collection holds it under that title);
* the article reference before a name joins the mention ("artikel 49, eerste lid, van de
  Comptabiliteitswet 2001"), kept as ``article`` ("49, eerste lid"); its book picks the book of a code
  ("art. 7:658 BW", "artikel 647 van Boek 8 van het Burgerlijk Wetboek");
* a name several regulations share is resolved when exactly one of them is cited by another name in the
  same text, else left out (a wrong id is worse than none).

Without a register, and for the catalogue's laws and EU acts with a number, only the article
reference is added to mentions whose regulation has an official identifier.  Each mention carries
``refs`` ({"bwb": ...} or {"celex": ...}) and ``article`` on the candidate; ``bb_resolve`` keeps them.
"""
from __future__ import annotations

import re
from typing import Any

import numpy as np
from spacy.attrs import IS_SPACE, NORM, ORTH
from spacy.language import Language
from spacy.strings import hash_string
from spacy.tokens import Doc

from kb.laws.citation import reference_before
from kb.laws.compiled import CompiledRegister
from kb.laws.extract import DATED_TITLE, dated_key, dated_title_key
from kb.laws.matcher import HASHED_END
from kb.laws.register import name_key

from .candidates import TIER_KNOWN, TIER_RULE, Candidate, add_char_candidate, candidates, doc_text
from .index import EntityIndex, KnownEntity
from .law_abbreviations import abbreviations_by_context, adopt_definitions, local_abbreviations
from .law_context import acceptable, description_end, same_description
from .law_register import adopted_bwb, dotted_names, official_refs
from .text import legal_codes

#: Dated titles resolved without a description when the collection holds a regulation so titled ("Wet van 15
#: januari 1921", "Besluit van 12 juni 1931"); a lower-case "besluit van ..." is mostly a decision, not an order.
_BARE_DATED_KINDS = re.compile(r"[Ww]et|[Rr]ijkswet|Besluit")

#: Sources of LAW candidates a resolved citation replaces where they overlap it (rules and heuristics
#: that guessed the extent of a name the register knows exactly).
_REPLACEABLE = {"legal", "lawname", "name", "compound", "model"}


class LawCitations:
    def __init__(self, nlp: Language, name: str) -> None:
        self.nlp = nlp
        self.name = name
        self.index = EntityIndex()
        self.register: CompiledRegister | None = None
        self._kb_of_bwb: dict[str, str] = {}
        self._register_codes: dict[str, str] = {}  # code -> BWB id of the regulation it stands for
        self._codes_rx: re.Pattern[str] | None = None
        self._codes = legal_codes()

    def configure(self, index: EntityIndex, register: CompiledRegister | None) -> None:
        """Index entities whose name the register resolves gain its BWB id (the catalogue keeps its own)."""
        self.index = index
        self.register = register
        self._trie = register.trie.hashed(hash_string) if register is not None else None
        self._dotted = dotted_names(register) if register is not None else {}
        folded, exact = (self._trie.folded, self._trie.exact) if self._trie is not None else ({}, {})
        # the NORM or ORTH hashes a name can start with: first words, abbreviations, dotted names ("Grw.")
        self._first_keys = (_sorted_keys([*folded, *self._dotted]), _sorted_keys([*exact, *self._dotted]))
        # per trie (folded, exact): the first words that are a name on their own, and the first two words of names
        self._first_words = (tuple({k for k, node in root.items() if HASHED_END in node} for root in (folded, exact)),
                             tuple({(k, k2) for k, node in root.items() for k2 in node if k2 != HASHED_END}
                                   for root in (folded, exact)))
        self._register_codes = {}
        for code, name in self._codes.items():
            entry = register.entry_for_name(name_key(name)) if register is not None else None
            if entry is not None and entry.official and entry.bwb and index.lookup(name) is None:
                self._register_codes[code] = entry.bwb
        self._codes_rx = re.compile(r"(?<![\w-])(?:" + "|".join(
            re.escape(c) for c in sorted(self._register_codes, key=len, reverse=True)) + r")(?![\w-])") \
            if self._register_codes else None
        self._kb_of_bwb = {}
        for ent in index.entities.values():
            if ent.label != "LAW":
                continue
            bwb = ent.refs.get("bwb")
            if not bwb and register is not None and not ent.refs.get("celex"):
                bwb = adopted_bwb(register, ent.forms)
                if bwb:
                    ent.refs["bwb"] = bwb
            if bwb:
                owner = self._kb_of_bwb.get(bwb)
                if owner is None or ent.origin == "catalogue" and index.entities[owner].origin != "catalogue":
                    self._kb_of_bwb[bwb] = ent.id

    def kb_id(self, bwb: str) -> str:
        return self._kb_of_bwb.get(bwb) or f"law-{bwb.lower()}"

    # -- the register's regulations as entities -----------------------------------------------------
    def _register_bwb(self, entity_id: str) -> str | None:
        if self.register is None or not entity_id.startswith("law-bwb"):
            return None
        bwb = entity_id[len("law-"):].upper()
        return bwb if bwb in self.register.laws else None

    def is_register_id(self, entity_id: str) -> bool:
        return self._register_bwb(entity_id) is not None

    def register_entity(self, entity_id: str) -> KnownEntity | None:
        bwb = self._register_bwb(entity_id)
        if bwb is None:
            return None
        law = self.register.laws[bwb]  # type: ignore[union-attr]
        return KnownEntity(id=entity_id, label="LAW", name=law["name"], aliases=list(law["aliases"]),
                           description=law["title"] if law["title"] != law["name"] else "", refs={"bwb": bwb},
                           origin="register")

    def register_rows(self) -> list[dict[str, Any]]:
        """Entity rows of the register's regulations that no catalogue entity stands for."""
        if self.register is None:
            return []
        rows = []
        for bwb in self.register.laws:
            if bwb in self._kb_of_bwb:
                continue
            ent = self.register_entity(f"law-{bwb.lower()}")
            if ent is not None:
                rows.append(ent.row())
        return rows

    # -- entry ------------------------------------------------------------------------------------
    def __call__(self, doc: Doc) -> Doc:
        text = doc_text(doc)
        found: list[Candidate] = []
        dated, covered = self._dated(doc, text)
        if self.register is not None:
            found += self._names(doc, text, covered)
            found += self._register_code_citations(doc, text)
            found += dated
        if found:
            found += local_abbreviations(doc, text, found, self.index, self._add)
            found += abbreviations_by_context(doc, text, found, self.index, self._add)
        if covered:  # a law named in the title of another act is not cited by the text
            for c in candidates(doc):
                if c.label == "LAW" and c.refs is None and any(a <= c.start_char < b for a, b in covered):
                    c.refs = {}
        self._known_laws(doc, text, found)
        if found:
            adopt_definitions(doc, found, self.index)
            self._displace(doc, found)
        return doc

    def _add(self, doc: Doc, start: int, end: int, bwb: str, ref: Any, source: str = "register",
             in_book: bool = False) -> Candidate | None:
        """A resolved citation; ``in_book``: the regulation is one book of a code, which numbers its articles
        without the book ("art. 7:658 BW" is article 658 of Book 7)."""
        article = ref.article if ref is not None else None
        if in_book and article and ref.book:
            article = re.sub(rf"^{re.escape(ref.book)}:", "", article, flags=re.IGNORECASE)
        value = f"artikel {article}" if article and not article[:1].isalpha() else article
        return add_char_candidate(doc, ref.start if ref is not None else start, end, "LAW", self.kb_id(bwb), source,
                                  TIER_KNOWN, value=value, refs={"bwb": bwb}, article=article)

    def _names(self, doc: Doc, text: str, inside_titles: list[tuple[int, int]]) -> list[Candidate]:
        reg = self.register
        assert reg is not None
        trie = self._trie
        folded_root, exact_root = trie.folded, trie.exact
        out: list[Candidate] = []
        keys = doc.to_array([NORM, ORTH, IS_SPACE])
        # the tokens that may start a name, found for the whole Doc in C: a first word of a name, an exact
        # abbreviation, a one-word name kept whole with its full stop; the loop below visits only these
        by_norm, by_orth = self._first_keys
        may_start = (_member(keys[:, 0], by_norm) | _member(keys[:, 1], by_orth)).nonzero()[0].tolist()
        if not may_start:
            return out
        norms, texts, skip = keys[:, 0].tolist(), keys[:, 1].tolist(), keys[:, 2].astype(bool).tolist()
        pending: list[tuple[int, int, Any, Any]] = []
        resolved: set[str] = set()
        dotted = self._dotted
        ends, pairs = self._first_words
        n = len(norms)
        after = 0  # the end of the last name taken: names do not overlap
        for i in may_start:
            if i < after:
                continue
            if not (norms[i] in folded_root or texts[i] in exact_root) or skip[i]:
                m = (i + 1, dotted[texts[i]]) if texts[i] in dotted else \
                    (i + 1, dotted[norms[i]]) if norms[i] in dotted else None  # "Grw." kept whole by the tokenizer
            else:
                if norms[i] not in ends[0] and texts[i] not in ends[1]:
                    # no name is this one word ("de", "het" start many names): the trie is walked only
                    # when the next word goes on one of its names
                    j = i + 1
                    while j < n and skip[j]:
                        j += 1
                    if j >= n or ((norms[i], norms[j]) not in pairs[0] and (texts[i], texts[j]) not in pairs[1]):
                        continue
                m = trie.longest(norms, texts, i, skip, HASHED_END)
            if m is None:
                continue
            end, entry_no = m
            if not acceptable(doc, i, end):
                continue
            entry = reg.entries[entry_no]
            start_char, end_char = doc[i].idx, doc[end - 1].idx + len(doc[end - 1].text)
            after = end
            if any(a <= start_char < b for a, b in inside_titles):
                continue  # a regulation named in the title of another ("Wet van ... tot wijziging van de Wet X")
            ref = reference_before(text, start_char)
            if entry.needs_reference and ref is None:
                continue
            bwb = entry.pick(ref.book if ref else None)
            owner = self._owner(text[start_char:end_char], entry.made)
            if owner == "":
                continue  # the catalogue's name of something else
            if owner is not None and not (entry.official and entry.bwb and entry.bwb != owner):
                bwb = owner  # the catalogue decides, except over another regulation's own short title
            if bwb is None:
                if entry.candidates:
                    pending.append((start_char, end_char, entry, ref))
                continue
            c = self._add(doc, start_char, end_char, bwb, ref, in_book=bool(ref and ref.book in entry.books))
            if c is not None:
                out.append(c)
                resolved.add(bwb)
        for start_char, end_char, entry, ref in pending:
            # a shared name: the one regulation of its candidates that the text also cites by another name
            hits = [b for b in entry.candidates if b in resolved]
            if len(hits) == 1:
                c = self._add(doc, start_char, end_char, hits[0], ref)
                if c is not None:
                    out.append(c)
        return out

    def _owner(self, surface: str, entry_made: bool = False) -> str | None:
        """The BWB id the catalogue gives a name (or a code: "Sr", "WvSv"); "" when the name is the catalogue's
        name of something other than a law, or (``entry_made``: the register only makes the name by rule) of a
        law without an id ("Woo" is the Wet open overheid, not the act whose initials it is); None when the
        catalogue does not say (unknown, or a law without id: "Burgerlijk Wetboek", resolved by its book)."""
        eid = self.index.lookup(surface)
        if eid is None and surface in self._codes:
            eid = self.index.lookup(self._codes[surface])
        if eid is None:
            return None
        ent = self.index.entities[eid]
        if ent.label != "LAW" or entry_made and not ent.refs.get("bwb"):
            return ""
        return ent.refs.get("bwb")

    def _register_code_citations(self, doc: Doc, text: str) -> list[Candidate]:
        """A code after an article reference ("artikel 3.1, tweede lid, Vb") that stands for the own name of one
        regulation of the register (``codes`` in kb/patterns/legal.yaml) the catalogue has no entity for."""
        out = []
        for m in self._codes_rx.finditer(text) if self._codes_rx is not None else ():
            ref = reference_before(text, m.start())
            if ref is not None:
                c = self._add(doc, m.start(), m.end(), self._register_codes[m.group(0)], ref)
                if c is not None:
                    out.append(c)
        return out

    def _dated(self, doc: Doc, text: str) -> tuple[list[Candidate], list[tuple[int, int]]]:
        """Dated titles, and the stretches of text their descriptions cover (names there are not cited)."""
        reg = self.register
        out, covered = [], []
        for m in DATED_TITLE.finditer(text):
            desc_end = description_end(text, m.end())
            if desc_end is not None:
                covered.append((m.end(), desc_end))
            if reg is None:
                continue
            entry_no = reg.dated.get(dated_key(m["kind"], m["day"], m["month"], m["year"]))
            if entry_no is None or reg.entries[entry_no].bwb is None:
                continue
            entry = reg.entries[entry_no]
            bwb = entry.bwb
            if desc_end is None:
                if not entry.cited and not (_BARE_DATED_KINDS.fullmatch(m["kind"]) and
                                            dated_title_key(reg.laws.get(bwb, {}).get("title", "")) is not None):
                    continue  # a bare date: only an act or order in the collection, or one documents cite so
            elif not same_description(text[m.end():desc_end], reg.laws.get(bwb, {}).get("title", "")):
                continue  # another regulation of that date
            c = self._add(doc, m.start(), m.end(), bwb, reference_before(text, m.start()))
            if c is not None:
                out.append(c)
        return out, covered

    def _known_laws(self, doc: Doc, text: str, found: list[Candidate]) -> None:
        """An article reference before a catalogue law or EU act with an official identifier joins it."""
        taken = {(c.start_char, c.end_char) for c in found}
        for c in list(candidates(doc)):
            if c.label != "LAW" or c.source == "register" or c.refs is not None:
                continue
            refs = official_refs(self.index, c.kb_id)
            if not refs:
                continue
            ref = reference_before(text, c.start_char)
            if ref is None or (ref.start, c.end_char) in taken:
                continue
            value = f"artikel {ref.article}" if not ref.article[:1].isalpha() else ref.article
            new = add_char_candidate(doc, ref.start, c.end_char, "LAW", c.kb_id, "legal", TIER_RULE,
                                     related=list(c.related), value=value, refs=refs, article=ref.article)
            if new is not None:
                taken.add((new.start_char, new.end_char))

    @staticmethod
    def _displace(doc: Doc, found: list[Candidate]) -> None:
        """Drop rule and heuristic LAW guesses that overlap a resolved citation without being it."""
        spans = sorted((c.start_char, c.end_char) for c in found)
        keep = []
        mine = set(map(id, found))
        for c in candidates(doc):
            if id(c) not in mine and c.label == "LAW" and c.source in _REPLACEABLE and any(
                    a < c.end_char and c.start_char < b and (a, b) != (c.start_char, c.end_char) and not
                    (c.start_char >= a and c.end_char <= b) for a, b in spans):
                continue
            keep.append(c)
        doc._.bb_candidates = keep


def _sorted_keys(keys: list[Any]) -> np.ndarray:
    """The string hashes among ``keys`` (not the trie's end marker), sorted and unique, for :func:`_member`."""
    return np.array(sorted({k for k in keys if isinstance(k, int) and k >= 0}), dtype=np.uint64)


def _member(values: np.ndarray, keys: np.ndarray) -> np.ndarray:
    """Which of ``values`` are among the sorted ``keys`` (binary search per value)."""
    if not len(keys) or not len(values):
        return np.zeros(len(values), dtype=bool)
    pos = keys.searchsorted(values)
    pos[pos == len(keys)] = 0
    return keys[pos] == values


@Language.factory("bb_laws")
def make_law_citations(nlp: Language, name: str) -> LawCitations:
    return LawCitations(nlp, name)
