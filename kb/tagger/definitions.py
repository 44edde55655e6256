"""Component ``bb_definitions``: abbreviation definitions in the text itself.

Recognised forms (Schwartz & Hearst 2003, "A simple algorithm for identifying abbreviation definitions
in biomedical text", adapted to Dutch):

    Long Form (ABBR)            "Immigratie - en Naturalisatiedienst (IND)", "Bureau ICT-toetsing (BIT)"
    ABBR (Long Form)            "EES (Entry-Exit System)", "SIS (Schengen Informatie Systeem)"
    Long Form (hierna: Short)   "Wet straffen en beschermen (hierna: Wet SenB)"
    Long Form (wet ABBR)        "Wet herziening tenuitvoerlegging strafrechtelijke beslissingen (wet USB)"

Alignment: the letters and digits of the short form are found right to left in the long-form window
(the words before the parenthesis in the same sentence); the first one must start a word, so Dutch
function words ("en", "van", "de", "voor", "het") are skipped when they contribute no letter, and
elliptic compounds ("Immigratie - en Naturalisatiedienst") need nothing special.  The long form may have
at most min(|short| + 5, 2 * |short|) words.  A head-first Dutch name loses its head in the shortest
alignment ("Ministerie van Justitie en Veiligheid (JenV)" aligns "Justitie en Veiligheid"): a preceding
"<head noun> van/voor (de/het)" is added back.

When alignment fails but the short form is already known (catalogue, earlier definition) and the words
before the parenthesis form a noun phrase whose head noun agrees with the entity's label, that noun
phrase becomes an alias: "een in- en uitreissysteem (EES)" -> EES.

Linking: short form known -> its entity; else long form known -> its entity; else a new entity with
id ``<label>-<slug of long form>`` and a label guessed from the head noun of the long form
(kb/patterns/heads.yaml).  A long form without a head noun is skipped: on unseen documents (the
Algoritmekader pages) capitalised long forms without a head ("Statistical Disclosure Control (SDC)",
"European Union Public Licence (EUPL)") were methods, licences and standards far more often than
organisations.  A new entity also needs a name rather than a role ("auditinstantie (AA)",
"Gedelegeerde Instantie (GI)" are skipped).
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from spacy.attrs import ORTH
from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc

from kb.catalogue import is_acronym

from .candidates import TIER_KNOWN, add_token_candidate, doc_text, make_doc
from .catalogue_matcher import form_variants, set_norms
from .index import EntityIndex, KnownEntity
from .text import (DETERMINERS, HYPHEN_TOKENS, NAME_CONNECTORS, NATIONAL_ADJECTIVES, WEAK_HEADS, derived_id, heads,
                   is_capitalised, is_stop, norm_token, unique)
from .definition_windows import MAX_INNER, MAX_WINDOW, definition_windows

_BOUNDARY = {".", ";", ":", "(", ")", "!", "?", "[", "]", "•", "“", "”", "‘", "’", '"'}
_HIERNA = {"hierna", "verder", "afgekort", "hierna:", "kortweg", "hierna te noemen"}
_NP_STOP = {"van", "voor", "in", "op", "bij", "met", "door", "aan", "uit", "naar", "over", "onder", "tegen", "om",
            "zoals", "als", "is", "zijn", "wordt", "worden", "dat", "die", "waar", "welke"}
_YEAR = re.compile(r"(?:19|20)\d{2}").fullmatch


def short_letters(short: str) -> list[str]:
    return [c.lower() for c in short if c.isalnum()]


def sh_align(short: str, long: str) -> int | None:
    """Start offset in ``long`` of the long form the short form abbreviates, or None (Schwartz–Hearst)."""
    chars = short_letters(short)
    if len(chars) < 2:
        return None
    s = len(chars) - 1
    i = len(long) - 1
    while s >= 0:
        c = chars[s]
        while i >= 0 and (long[i].lower() != c or (s == 0 and i > 0 and long[i - 1].isalnum())):
            i -= 1
        if i < 0:
            return None
        i -= 1
        s -= 1
    start = i + 1
    while start > 0 and long[start - 1].isalnum():
        start -= 1
    return start


def _name_article(doc: Doc, ls: int, le: int) -> bool:
    """A capitalised article the alignment needs, before a capitalised name: "De Nederlandsche Bank (DNB)".
    (A lower-case article never starts a long form: "de Auditdienst Rijk (ADR)" aligns without it.)"""
    first = doc[ls]
    return first.text in ("De", "Het") and le - ls >= 3 and doc[ls + 1].text[:1].isupper()


def _is_short_token(text: str) -> bool:
    letters = [c for c in text if c.isalpha()]
    return " " not in text and 2 <= len(letters) <= 12 and is_acronym(text) and text[:1].isalnum()


@dataclass
class _Found:
    """What :meth:`DefinitionFinder._find_into` collects over one text: the definitions, and the entities
    and forms defined so far (an earlier definition in the text decides how a later one links)."""
    defs: list[dict[str, Any]] = field(default_factory=list)
    local: dict[str, KnownEntity] = field(default_factory=dict)  # entity id -> entity with local forms
    local_short: dict[str, str] = field(default_factory=dict)  # short form -> entity id
    local_long: dict[str, str] = field(default_factory=dict)  # normalised long form -> entity id


class DefinitionFinder:
    def __init__(self, nlp: Language, name: str) -> None:
        self.nlp = nlp
        self.name = name
        self.index = EntityIndex()
        self.matcher_component = None

    def configure(self, index: EntityIndex, matcher_component: Any) -> None:
        self.index = index
        self.matcher_component = matcher_component

    def __call__(self, doc: Doc) -> Doc:
        defs, local = self.find(doc)
        doc._.bb_definitions = defs
        doc._.bb_new_entities = [e for e in local.values() if e.id not in self.index.entities]
        if local and self.matcher_component is not None:
            self._match_local(doc, local)
        return doc

    # -- finding ----------------------------------------------------------------------------------
    def find(self, doc: Doc) -> tuple[list[dict[str, Any]], dict[str, KnownEntity]]:
        """Definitions in a whole Doc (offsets into its text) and the entities they define."""
        found = _Found()
        self._find_into(doc, found, 0)
        return found.defs, found.local

    def find_text(self, text: str) -> list[dict[str, Any]]:
        """Definitions in ``text``, as :meth:`find` gives them for the whole text, but tokenizing only the
        windows around the parentheses (:func:`definition_windows`): most of a long section is far from
        any.  Windows go in text order and share the state of the section (earlier definitions).  No
        ``set_norms``: finding reads token texts and lexical flags, never NORM (that is for the matchers)."""
        found = _Found()
        for start, end in definition_windows(self.nlp, text):
            doc = make_doc(self.nlp, text[start:end])
            self._find_into(doc, found, start)
        return found.defs

    def _find_into(self, doc: Doc, found: "_Found", offset: int) -> None:
        """Add the definitions at the "(" tokens of ``doc`` to ``found``; ``offset`` is where the Doc's
        text starts in the text the offsets are for."""
        defs, local, local_short, local_long = found.defs, found.local, found.local_short, found.local_long
        n = len(doc)
        # only the "(" tokens start a definition: find them in one array pass instead of making a
        # Token object for every token of a long section
        full = doc_text(doc)
        opens = np.flatnonzero(doc.to_array(ORTH) == doc.vocab.strings.add("(")).tolist() if "(" in full else []
        text = full if opens else ""
        for p in opens:
            q = p + 1
            while q < n and q - p <= MAX_INNER and doc[q].text not in ("(", ")") and "\n" not in doc[q].text:
                q += 1
            if q >= n or doc[q].text != ")" or q == p + 1:
                continue
            found = self._long_short(doc, p, q, text) or self._short_long(doc, p, q)
            if found is None:
                continue
            (ls, le), (ss, se), short_form, mode = found
            long_form: str | None = doc[ls:le].text
            known_short = self.index.lookup(short_form) or local_short.get(short_form)
            long_key = norm_token(long_form)
            known_long = self.index.lookup(long_form) or local_long.get(long_key)
            if known_short and known_long and known_short != known_long:
                continue
            eid = known_short or known_long
            lex = heads()
            guess = lex.phrase_class([t.text for t in doc[ls:le]])
            long_words = [t.text for t in doc[ls:le]]
            if eid is not None:
                label = self.index.entities[eid].label if eid in self.index.entities else local[eid].label
                if mode == "np" and (guess != label or not self._name_like(long_words)):
                    # a noun phrase is only an alias when its head agrees and it is more than the bare
                    # head: "een in- en uitreissysteem (EES)" yes, "een besluit (Awb)" no
                    continue
                if not known_long and (guess is not None and guess != label
                                       or guess is None and not any(w[:1].isupper() for w in long_words)):
                    # the words before the parenthesis name something else, or nothing name-like
                    # ("een gemeenschappelijke vreemdelingenlocatie ontwikkeld(GVL)"): keep the short form only
                    long_form = None
            else:
                label = guess
                if label is None:
                    label = self._descriptor_class(doc, ls)
                if label is None or not self._name_like(long_words):
                    continue  # no head noun, no decent guess: skip
                eid = derived_id(label, long_form)
            ent = local.get(eid)
            if ent is None:
                base = self.index.entities.get(eid)
                ent = KnownEntity(id=eid, label=label, name=base.name if base else long_form or short_form,
                                  origin="catalogue" if base and base.origin == "catalogue" else "definition")
                local[eid] = ent
            if short_form not in ent.aliases and short_form != ent.name:
                ent.aliases.append(short_form)
            if short_form not in ent.case_sensitive and not is_acronym(short_form):
                ent.case_sensitive.append(short_form)
            local_short[short_form] = eid
            if long_form:
                if long_form not in ent.aliases and long_form != ent.name:
                    ent.aliases.append(long_form)
                local_long[long_key] = eid
            d = {
                "short": short_form, "long": long_form or "", "label": label, "entity_id": eid,
                "start": offset + doc[min(ls, ss)].idx,
                "end": offset + doc[max(le, se) - 1].idx + len(doc[max(le, se) - 1].text),
                "short_start": offset + doc[ss].idx, "short_end": offset + doc[se - 1].idx + len(doc[se - 1].text),
                "long_start": offset + doc[ls].idx if long_form else None,
                "long_end": offset + doc[le - 1].idx + len(doc[le - 1].text) if long_form else None,
            }
            if d["end"] < offset + doc[q].idx + 1:
                d["end"] = offset + doc[q].idx + 1
            defs.append(d)
            add_token_candidate(doc, ss, se, label, eid, "definition", TIER_KNOWN)
            if long_form:
                add_token_candidate(doc, ls, le, label, eid, "definition", TIER_KNOWN)

    @staticmethod
    def _descriptor_class(doc: Doc, ls: int) -> str | None:
        """Label from a lower-case head noun right before a long form without a head of its own:
        "het programma Werk aan Uitvoering (WaU)" -> PROGRAMME, "de applicatie Mijn Dossier (MD)" -> SYSTEM."""
        if ls == 0:
            return None
        prev = doc[ls - 1]
        if not prev.is_alpha or not prev.is_lower or is_stop(prev.text):
            return None
        return heads().word_class(prev.text)

    @staticmethod
    def _name_like(words: list[str]) -> bool:
        """A new entity needs a name: a capitalised single word ("Schengeninformatiesysteem"), or a phrase
        that is more than a role ("multidisciplinair interventieteam" yes; "auditinstantie",
        "Gedelegeerde Instantie", "Management Autoriteit" no)."""
        content = [w for w in words if w not in HYPHEN_TOKENS and w.lower() not in NAME_CONNECTORS]
        if not content:
            return False
        if len(content) == 1:
            return content[0][:1].isupper() and heads().word_class(content[0]) is not None and \
                norm_token(content[0]) not in heads().singular
        if len(content) == 2 and norm_token(content[-1]) in WEAK_HEADS and \
                norm_token(content[0]) not in NATIONAL_ADJECTIVES:
            return False
        return True

    def _window_start(self, doc: Doc, p: int) -> int:
        w = p
        while w > 0 and p - w < MAX_WINDOW:
            prev = doc[w - 1]
            if prev.text in _BOUNDARY or prev.is_space or "\n" in prev.whitespace_:
                break
            w -= 1
        return w

    def _long_short(self, doc: Doc, p: int, q: int, text: str):
        inner = doc[p + 1:q]
        words = [t.text for t in inner]
        short_tokens: tuple[int, int] | None = None
        align_form = None
        if len(words) == 1 and _is_short_token(words[0]):
            short_tokens = (p + 1, q)
        elif len(words) == 2 and _is_short_token(words[0]) and norm_token(words[1]) == "'s":
            short_tokens = (p + 1, p + 2)
        elif words and words[0].lower() in _HIERNA:
            k = p + 2
            while k < q and doc[k].text in (":", ",", "te", "noemen"):
                k += 1
            if k < q and q - k <= 4 and any(c.isupper() for c in doc[k:q].text):
                short_tokens = (k, q)
        elif len(words) == 2 and (words[0].islower() or is_capitalised(words[0])) and heads().word_class(words[0]) \
                and _is_short_token(words[1]):
            short_tokens = (p + 1, q)  # "(wet USB)", "(Wet SUWI)"
        elif len(words) == 2 and _is_short_token(words[0]) and words[1].isalnum() and \
                (is_capitalised(words[1]) or is_acronym(words[1]) or _YEAR(words[1])):
            short_tokens = (p + 1, q)  # "(NP Onderwijs)", "(NP RES)", "(Wmo 2015)": an acronym plus a word or year
        if short_tokens is None:
            return None
        ss, se = short_tokens
        short_form = doc[ss:se].text
        align_form = short_form
        w = self._window_start(doc, p)
        if w >= p:
            return None
        window_start_char = doc[w].idx
        window = text[window_start_char:doc[p - 1].idx + len(doc[p - 1].text)]
        pos = sh_align(align_form, window)
        if pos is not None:
            start_char = window_start_char + pos
            ls = next((t.i for t in doc[w:p] if t.idx == start_char), None)
            if ls is None:
                ls = next((t.i for t in doc[w:p] if t.idx <= start_char < t.idx + len(t.text)), None)
            if ls is not None and self._plausible_long(doc, ls, p, short_form):
                ls = self._extend_head(doc, ls, w)
                return (ls, p), (ss, se), short_form, "aligned"
        known = self.index.lookup(short_form)
        if known is not None and se - ss == 1:
            np_start = self._noun_phrase_start(doc, w, p)
            if np_start is not None:
                return (np_start, p), (ss, se), short_form, "np"
        return None

    def _short_long(self, doc: Doc, p: int, q: int):
        if p == 0 or not _is_short_token(doc[p - 1].text):
            return None
        inner = doc[p + 1:q]
        words = [t for t in inner if not t.is_punct or t.text in HYPHEN_TOKENS]
        if not words or any(t.like_num for t in inner) or inner[0].is_lower and is_stop(inner[0].text):
            return None
        short_form = doc[p - 1].text
        pos = sh_align(short_form, inner.text)
        if pos != 0:
            return None
        if not self._plausible_long(doc, p + 1, q, short_form):
            return None
        return (p + 1, q), (p - 1, p), short_form, "aligned"

    @staticmethod
    def _plausible_long(doc: Doc, ls: int, le: int, short_form: str) -> bool:
        toks = [t for t in doc[ls:le] if not (t.is_punct and t.text not in HYPHEN_TOKENS)]
        words = [t for t in toks if t.text not in HYPHEN_TOKENS]
        n_letters = len(short_letters(short_form))
        if not words or len(words) > min(n_letters + 5, 2 * n_letters):
            return False
        first = doc[ls]
        if first.text.lower() in DETERMINERS and not _name_article(doc, ls, le) or (is_stop(first.text) and first.is_lower):
            return False
        if doc[ls:le].text == short_form or short_form in [t.text for t in words]:
            return False
        return any(t.is_alpha for t in words)

    @staticmethod
    def _extend_head(doc: Doc, ls: int, w: int) -> int:
        """Add "Ministerie van" back to "Justitie en Veiligheid"."""
        k = ls - 1
        if k >= w and doc[k].lower_ in ("de", "het"):
            k -= 1
        if k >= w and doc[k].lower_ in ("van", "voor") and k - 1 >= w and heads().word_class(doc[k - 1].text):
            return k - 1
        return ls

    def _noun_phrase_start(self, doc: Doc, w: int, p: int) -> int | None:
        k = p - 1
        start = None
        while k >= w and p - k <= 6:
            t = doc[k]
            if t.text in HYPHEN_TOKENS:
                k -= 1
                continue
            low = t.lower_
            if low in ("en", "of") and k + 1 < p and k - 2 >= w and doc[k - 1].text in HYPHEN_TOKENS \
                    and doc[k - 2].is_alpha:
                start = k - 2  # elliptic "in- en uitreissysteem": the first part belongs to the phrase
                k -= 3
                continue
            if not t.is_alpha or low in DETERMINERS or low in _NP_STOP or is_acronym(t.text) or is_stop(t.text):
                break
            start = k
            k -= 1
        if start is None:
            return None
        while start < p and doc[start].text in HYPHEN_TOKENS:
            start += 1
        return start if start < p else None

    # -- other mentions of locally defined forms ----------------------------------------------------
    def _match_local(self, doc: Doc, local: dict[str, KnownEntity]) -> None:
        idx = EntityIndex()
        for ent in local.values():
            idx.add_entity(KnownEntity(id=ent.id, label=ent.label, name=ent.name, aliases=list(ent.aliases),
                                       case_sensitive=list(ent.case_sensitive), origin="definition"))
        cs = PhraseMatcher(self.nlp.vocab, attr="ORTH")
        ci = PhraseMatcher(self.nlp.vocab, attr="NORM")
        for ent in idx.entities.values():
            cs_texts: list[str] = []
            ci_texts: list[str] = []
            for form in ent.forms:
                if form in self.index.entities.get(ent.id, ent).forms and ent.id in self.index.entities:
                    continue  # already matched by the catalogue component
                mode = ent.mode(form)
                (cs_texts if mode == "cs" else ci_texts).extend(form_variants(form, mode, ent.label))
            if cs_texts:
                cs.add(ent.id, list(self.nlp.tokenizer.pipe(unique(cs_texts))))
            if ci_texts:
                docs = list(self.nlp.tokenizer.pipe(unique(ci_texts)))
                for d in docs:
                    set_norms(d)
                ci.add(ent.id, docs)
        self.matcher_component.match_into(doc, cs, ci, idx, source="definition")


@Language.factory("bb_definitions")
def make_definition_finder(nlp: Language, name: str) -> DefinitionFinder:
    return DefinitionFinder(nlp, name)
