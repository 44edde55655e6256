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

import hashlib
import logging
import re
from typing import Any

from spacy.attrs import IS_SPACE, NORM, ORTH
from spacy.language import Language
from spacy.strings import hash_string
from spacy.tokens import Doc

from kb.laws.citation import reference_before, references
from kb.laws.compiled import CompiledRegister, compile_code_version, compile_register, load_cached, save_cached
from kb.laws.extract import DATED_TITLE, dated_key, dated_title_key
from kb.laws.matcher import END, HASHED_END
from kb.laws.register import name_key
from kb.laws.store import InMemoryRegister, RegisterSource

from .candidates import TIER_KNOWN, TIER_RULE, Candidate, add_char_candidate, candidates
from .definitions import sh_align
from .index import EntityIndex, KnownEntity
from .law_context import (ABBREVIATION_AT, abbreviates, acceptable, description_end, generic_names, law_word,
                          same_description)
from .text import is_stop, legal_codes, norm_token

log = logging.getLogger("kb.tagger")

#: "(Wet Fido, Stb. 2008, 536)" after a citation.
_LOCAL_ABBREVIATION = re.compile(r"\s*\((?:hierna\s*:?\s*)?(?P<abbr>[A-Z][\w-]*(?: [A-Z][\w-]*)?)\s*[,;]\s*(?:Stb|Stcrt)\b")

#: Dated titles resolved without a description when the collection holds a regulation so titled ("Wet van 15
#: januari 1921", "Besluit van 12 juni 1931"); a lower-case "besluit van ..." is mostly a decision, not an order.
_BARE_DATED_KINDS = re.compile(r"[Ww]et|[Rr]ijkswet|Besluit")

#: Sources of LAW candidates a resolved citation replaces where they overlap it (rules and heuristics
#: that guessed the extent of a name the register knows exactly).
_REPLACEABLE = {"legal", "lawname", "name", "compound", "model"}


def official_refs(index: EntityIndex, kb_id: str | None) -> dict[str, str]:
    """{"bwb": ...} / {"celex": ...} of a LAW entity id: the entity's own refs, or the CELEX number in
    an id derived by rule ("celex-32016l0680")."""
    if not kb_id:
        return {}
    ent = index.entities.get(kb_id)
    if ent is not None:
        return {k: ent.refs[k] for k in ("bwb", "celex") if ent.refs.get(k)}
    if kb_id.startswith("celex-"):
        return {"celex": kb_id[len("celex-"):].upper()}
    return {}


def _dotted_names(register: CompiledRegister) -> dict[int, int]:
    """Hash of a one-word name with a full stop -> its entry: the tokenizer keeps some abbreviations whole with
    their full stop ("Grw.", "Vc.", "Pw."), which the name trie (without it) would not find.  Exact names by
    their text, folded names by their NORM (lower case)."""
    out: dict[int, int] = {}
    for root in (register.trie.folded, register.trie.exact):
        for word, node in root.items():
            if END in node:
                out.setdefault(hash_string(word + "."), node[END])
    return out


def adopted_bwb(register: CompiledRegister, forms: list[str]) -> str | None:
    """The BWB id of a catalogue law without one, where the catalogue and the register agree on a name: the
    one regulation whose own name (short title, title) is among the entity's forms ("Wet maatschappelijke
    ondersteuning 2015"), else the one regulation the forms the register resolves name ("Wet Bibob").  Names
    the register finds ambiguous, and abbreviations it only makes by rule ("Woo" is also the initials of the
    Wet overlevering inzake oorlogsmisdrijven) say nothing; two regulations named by the forms, nothing is
    adopted."""
    entries = [register.entries[i] for f in forms if (i := register.keys.get(name_key(f))) is not None]
    official = {e.bwb for e in entries if e.official and e.bwb}
    if official:
        return official.pop() if len(official) == 1 else None
    resolved = {e.bwb for e in entries if e.bwb and not e.needs_reference and not e.made}
    return resolved.pop() if len(resolved) == 1 else None


def compiled_register(register: CompiledRegister | RegisterSource | InMemoryRegister | None, nlp: Language,
                      fingerprint: str) -> CompiledRegister | None:
    """The register compiled with this pipeline's tokenizer: from the cache file in the data directory when
    one exists for the register's digest, the tagger's code (``fingerprint``) and the compiling rules of kb.laws,
    else compiled and cached."""
    if register is None or isinstance(register, CompiledRegister):
        return register
    key = hashlib.sha256(f"{register.digest}|{fingerprint}|{compile_code_version()}".encode()).hexdigest()[:20]
    path = register.cache_dir / f"law-register-{key}.json" if register.cache_dir is not None else None
    if path is not None and path.is_file():
        cached = load_cached(path)
        if cached is not None and cached.digest == register.digest:
            return cached
    regs, rows = register.rows()
    compiled = compile_register(regs, rows, tokenize=lambda s: [t.text for t in nlp.tokenizer(s)], fold=norm_token,
                                digest=register.digest)
    if path is not None:
        for old in path.parent.glob("law-register-*.json"):
            if not old.name.startswith(path.stem):
                old.unlink(missing_ok=True)
        if not save_cached(compiled, path):
            log.info("tagger: register cache not writable in %s; compiled in memory", path.parent)
    return compiled


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
        self._dotted = _dotted_names(register) if register is not None else {}
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
        text = doc.text
        found: list[Candidate] = []
        dated, covered = self._dated(doc, text)
        if self.register is not None:
            found += self._names(doc, text, covered)
            found += self._register_code_citations(doc, text)
            found += dated
        if found:
            found += self._local_abbreviations(doc, text, found)
            found += self._abbreviations_by_context(doc, text, found)
        if covered:  # a law named in the title of another act is not cited by the text
            for c in candidates(doc):
                if c.label == "LAW" and c.refs is None and any(a <= c.start_char < b for a, b in covered):
                    c.refs = {}
        self._known_laws(doc, text, found)
        if found:
            self._adopt_definitions(doc, found)
            self._displace(doc, found)
        return doc

    def _local_abbreviations(self, doc: Doc, text: str, found: list[Candidate]) -> list[Candidate]:
        """"Wet Financiering decentrale overheden (Wet Fido, Stb. 2008, 536)": an abbreviation in brackets after
        a resolved citation names that regulation in the rest of the text (plain "(Wmg)" and "(hierna: Wmg)"
        are the definitions component's; this adds the forms it leaves: a publication after a comma)."""
        out: list[Candidate] = []
        for c in list(found):
            m = _LOCAL_ABBREVIATION.match(text, c.end_char)
            if m is None or not c.refs:
                continue
            abbr = m.group("abbr")
            if sh_align(abbr, text[c.start_char:c.end_char]) is None or self.index.lookup(abbr):
                continue  # not an abbreviation of the name, or the catalogue's name of something
            for occ in re.finditer(r"(?<![\w-])" + re.escape(abbr) + r"(?![\w-])", text[m.end():]):
                start = m.end() + occ.start()
                ref = reference_before(text, start)
                new = self._add(doc, start, start + len(abbr), c.refs["bwb"], ref)
                if new is not None:
                    out.append(new)
            new = self._add(doc, m.start("abbr"), m.end("abbr"), c.refs["bwb"], None)
            if new is not None:
                out.append(new)
        return out

    def _abbreviations_by_context(self, doc: Doc, text: str, found: list[Candidate]) -> list[Candidate]:
        """"artikel 27, derde lid, van de Wet op de loonbelasting 1964 ... art. 27 lid 3 LB": an abbreviation
        the register does not know, right after an article reference, stands for the one regulation the text
        cites in full whose name it abbreviates (its letters start words of that name, in order)."""
        spans = [(c.start_char, c.end_char) for c in found]
        names: dict[str, str] = {}  # BWB id -> a name the text cites it by (without the article)
        for c in found:
            if c.refs and c.source == "register":
                names.setdefault(c.refs["bwb"], text[c.start_char:c.end_char])
        out: list[Candidate] = []
        for ref in references(text):
            m = ABBREVIATION_AT.match(text, ref.end)
            if m is None or any(a <= ref.end < b for a, b in spans) or self.index.lookup(m.group(0)):
                continue
            abbr = m.group(0)
            if is_stop(abbr) or law_word(abbr) or norm_token(abbr) in generic_names():
                continue  # "Art. 5 De termijn ...", "artikel XV van de Wet ..."
            fits = {bwb for bwb, name in names.items() if abbreviates(abbr, name)}
            if len(fits) == 1:
                new = self._add(doc, m.start(), m.end(), fits.pop(), ref)
                if new is not None:
                    out.append(new)
        return out

    def _adopt_definitions(self, doc: Doc, found: list[Candidate]) -> None:
        """A definition in the text whose long or short form is a resolved citation ("Mededingingswet (hierna:
        Mw)") takes the regulation's id, so its other mentions ("Mw") cite it too."""
        spans = {(c.start_char, c.end_char): c for c in found}
        adopt: dict[str, Candidate] = {}
        for c in candidates(doc):
            if c.source != "definition" or c.label != "LAW" or not c.kb_id:
                continue
            known = self.index.entities.get(c.kb_id)
            if known is not None and known.origin != "definition":
                continue  # the catalogue's law
            mine = spans.get((c.start_char, c.end_char))
            if mine is not None and c.kb_id not in adopt:
                adopt[c.kb_id] = mine
        if not adopt:
            return
        for c in candidates(doc):
            if c.label == "LAW" and c.kb_id in adopt and c.refs is None:
                c.refs = dict(adopt[c.kb_id].refs or {})
                c.kb_id = adopt[c.kb_id].kb_id
        doc._.bb_new_entities = [e for e in doc._.bb_new_entities or [] if e.id not in adopt]

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
        keys = doc.to_array([NORM, ORTH, IS_SPACE]).tolist()
        norms = [k[0] for k in keys]
        texts = [k[1] for k in keys]
        skip = [bool(k[2]) for k in keys]
        out: list[Candidate] = []
        pending: list[tuple[int, int, Any, Any]] = []
        resolved: set[str] = set()
        n = len(doc)
        i = 0
        dotted = self._dotted
        while i < n:
            if not (norms[i] in folded_root or texts[i] in exact_root) or skip[i]:
                m = (i + 1, dotted[texts[i]]) if texts[i] in dotted else \
                    (i + 1, dotted[norms[i]]) if norms[i] in dotted else None  # "Grw." kept whole by the tokenizer
            else:
                m = trie.longest(norms, texts, i, skip, HASHED_END)
            if m is None:
                i += 1
                continue
            end, entry_no = m
            if not acceptable(doc, i, end):
                i += 1
                continue
            entry = reg.entries[entry_no]
            start_char, end_char = doc[i].idx, doc[end - 1].idx + len(doc[end - 1].text)
            i = end
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


@Language.factory("bb_laws")
def make_law_citations(nlp: Language, name: str) -> LawCitations:
    return LawCitations(nlp, name)
