"""Component ``bb_catalogue``: token-level matching of catalogue (and definition) surface forms.

Two PhraseMatchers: ORTH for case-sensitive forms (acronyms, ``case_sensitive``), NORM for the rest
(``bb_norm`` sets a lower-case, accent- and dash-neutral NORM).  Each surface form is expanded into
variants before matching:

* hyphen/space variants ("ECRIS-TCN" = "ECRIS – TCN" = "ECRIS TCN"; "Entry-Exit System" = "Entry Exit System");
* elliptic coordination with and without the hyphen ("Asiel- en Migratiefonds" = "Asiel en Migratiefonds");
* a closed compound for short multi-word names ("Schengen Informatie Systeem" = "Schengeninformatiesysteem");
* Dutch inflection of the last word of names: plural -en/-s/'s, diminutive -je/-tje (genitive 's is a
  token of its own after :mod:`kb.tagger.tokenizer`).

Precision rules: a case-insensitive match on text in capitals ("RAAD" in a heading) is dropped; forms the
catalogue marks case-sensitive match only as written (at a sentence start a lower-case form may be
capitalised: "politie" -> "Politie").

Acronym compounds: an acronym followed by "-word" ("ECRIS-TCN-verordening", "JenV-Beleidsagenda",
"PNR-gegevens", "SIS-systemen") is resolved by the head noun of the word:
  same label as the acronym ("SIS-systemen")   -> one mention of the acronym's entity, whole compound;
  another entity label (LAW, PROGRAMME, ...)   -> a mention of the compound with that label, kb_id the
      catalogue entity of that label related to the acronym if exactly one exists, else a derived id
      (CELEX id when an act number follows: "ECRIS-TCN-verordening 2019/816" -> celex-32019r0816), and
      ``related`` = [acronym's entity];
  no head ("PNR-gegevens", "AMIF-projecten")    -> the acronym alone.
"""
from __future__ import annotations

import re
from typing import Any, Iterable

import numpy

from spacy.attrs import NORM, ORTH
from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc

from kb.catalogue import is_acronym

from .candidates import TIER_KNOWN, TIER_RULE, add_token_candidate, sentence_starts
from .index import EntityIndex, celex_number
from .text import (HYPHEN_TOKENS, derived_id, heads, inflections, is_all_caps, is_stop, load_yaml, norm_token,
                   unique)

SENTENCE_START_KEY = "\x00sentence-start"
MODIFIER_ONLY = object()
_ACT_NUMBER = re.compile(r"^(\d{1,4})/(\d{1,4})(?:/[A-Z]{2,4})?$")
_YEAR = re.compile(r"^(?:19|20)\d{2}$")
_PERIOD = re.compile(r"^(?:19|20)\d{2}[-\u2010-\u2015](?:19|20)\d{2}$")


@Language.component("bb_norm")
def set_norms(doc: Doc) -> Doc:
    """Set ``token.norm_`` to the case-insensitive matching key (after any statistical component).

    Through the Doc's arrays rather than one Token object per token, and with each word's folded key
    remembered (per vocabulary: the hashes stand for strings of that vocabulary's store): folding and
    Token objects were most of this component's cost, and words repeat."""
    vocab = doc.vocab
    entry = _NORMS.get(id(vocab))
    if entry is None or entry[0] is not vocab or len(entry[1]) >= 200_000:  # bounded memo
        entry = _NORMS[id(vocab)] = (vocab, {})
    memo = entry[1]
    strings = vocab.strings
    norms = []
    for orth in doc.to_array(ORTH).tolist():
        norm = memo.get(orth)
        if norm is None:
            norm = memo[orth] = strings.add(norm_token(strings[orth]))
        norms.append(norm)
    if norms:
        doc.from_array([NORM], numpy.array(norms, dtype="uint64").reshape(-1, 1))
    return doc


#: per vocabulary (by id, the vocabulary kept to check it is the same): orth hash -> norm hash
_NORMS: dict[int, tuple[Any, dict[int, int]]] = {}


def act_celex(number: str, keyword: str) -> str | None:
    """CELEX number of "2019/816" with keyword "verordening" (year first since 2015, number first before)."""
    m = _ACT_NUMBER.match(number)
    if not m:
        return None
    a, b = m.group(1), m.group(2)
    kinds = load_yaml("legal.yaml").get("eu_act_types") or {}
    kind = kinds.get(norm_token(keyword))
    if kind is None:
        return None
    a_year = len(a) == 4 and 1950 <= int(a) <= 2100
    b_year = len(b) == 4 and 1950 <= int(b) <= 2100 or len(b) == 2
    if a_year:
        year, num = a, b
    elif b_year:
        year, num = (b if len(b) == 4 else ("19" + b if int(b) > 50 else "20" + b)), a
    else:
        return None
    return celex_number(year, num, kind)


def base_variants(form: str, mode: str) -> list[str]:
    """Spelling variants of a surface form (no inflection)."""
    out = [form]
    if re.search(r"\S[-\u2010-\u2015]\S", form):
        out.append(re.sub(r"(?<=\S)[-\u2010-\u2015](?=\S)", " - ", form))
        if mode == "cs":  # case-sensitive forms match on the token text: spell the dashes out
            out.append(re.sub(r"(?<=\S)[-\u2010-\u2015](?=\S)", " \u2013 ", form))
        out.append(re.sub(r"(?<=\S)[-\u2010-\u2015](?=\S)", " ", form))
    if re.search(r"\w[-\u2010-\u2015] (en|of) ", form):
        out.append(re.sub(r"(\w)[-\u2010-\u2015] (en|of) ", r"\1 \2 ", form))
    if mode == "ci":
        m = re.match(r"^(\w+) (en|of) (\w+.*)$", form)
        if m and not is_stop(m.group(1)):
            out.append(f"{m.group(1)}- {m.group(2)} {m.group(3)}")
        words = form.split()
        if 2 <= len(words) <= 4 and all(w.isalpha() and len(w) >= 3 and not is_stop(w) for w in words):
            out.append(words[0] + "".join(w.lower() for w in words[1:]))
    return unique(out)


def _inflectable(form: str, last: str) -> bool:
    return not is_acronym(form) and len(last) >= 4 and last.isalpha() and not is_acronym(last)


def inflected_words(words: list[str]) -> list[list[str]]:
    """Token lists of the inflected variants of a tokenized form (last word inflected)."""
    out = []
    for f in inflections(words[-1]):
        out.append(words[:-1] + ([f[:-2], "'s"] if f.endswith("'s") else [f]))
    return out


def form_variants(form: str, mode: str, label: str) -> list[str]:
    out = base_variants(form, mode)
    extra: list[str] = []
    for v in out:
        words = v.split(" ")
        if _inflectable(form, words[-1]):
            extra += [" ".join(words[:-1] + [f]) for f in inflections(words[-1])]
    return unique(out + extra)


class CatalogueMatcher:
    def __init__(self, nlp: Language, name: str) -> None:
        self.nlp = nlp
        self.name = name
        self.index = EntityIndex()
        self.cs = PhraseMatcher(nlp.vocab, attr="ORTH")
        self.ci = PhraseMatcher(nlp.vocab, attr="NORM")
        self.n_patterns = 0

    # -- configuration ----------------------------------------------------------------------------
    def configure(self, index: EntityIndex) -> None:
        self.index = index
        self.cs = PhraseMatcher(self.nlp.vocab, attr="ORTH")
        self.ci = PhraseMatcher(self.nlp.vocab, attr="NORM")
        cs_docs, ci_docs = self.pattern_docs(index.forms())
        self.n_patterns = 0
        for matcher, patterns in ((self.cs, cs_docs), (self.ci, ci_docs)):
            for eid, docs in patterns.items():
                matcher.add(eid, docs)
                self.n_patterns += len(docs)

    def pattern_docs(self, forms: Iterable[tuple[str, str, str]]) -> tuple[dict[str, list[Doc]], dict[str, list[Doc]]]:
        """Pattern Docs per entity id for the ORTH and NORM matchers.  The tokenizer runs once per spelling
        variant; inflected variants are built from its tokens (the tokenizer splits "'s" off anyway)."""
        vocab = self.nlp.vocab
        cs: dict[str, list[Doc]] = {}
        ci: dict[str, list[Doc]] = {}
        seen: set[tuple[str, str, tuple[str, ...]]] = set()

        def add(target: dict[str, list[Doc]], key: str, words: list[str], norm: bool) -> None:
            sig = (key, "ci" if norm else "cs", tuple(words))
            if sig in seen:
                return
            seen.add(sig)
            d = Doc(vocab, words=words)
            if norm:
                set_norms(d)
            target.setdefault(key, []).append(d)

        for form, eid, mode in forms:
            norm = mode == "ci"
            target = ci if norm else cs
            for variant in base_variants(form, mode):
                words = [t.text for t in self._tokenize(variant)]
                if not words:
                    continue
                add(target, eid, words, norm)
                if _inflectable(form, words[-1]):
                    for ws in inflected_words(words):
                        add(target, eid, ws, norm)
                if mode == "cs" and variant[:1].islower():
                    # a lower-case form capitalised: only at a sentence start ("politie" -> "Politie")
                    add(cs, eid + SENTENCE_START_KEY, [words[0][0].upper() + words[0][1:]] + words[1:], False)
        return cs, ci

    def _tokenize(self, text: str) -> Doc:
        return self.nlp.tokenizer(text)

    # -- matching ---------------------------------------------------------------------------------
    def __call__(self, doc: Doc) -> Doc:
        self.match_into(doc, self.cs, self.ci, self.index, source="catalogue")
        return doc

    def match_into(self, doc: Doc, cs: PhraseMatcher, ci: PhraseMatcher, index: EntityIndex, *, source: str,
                   restrict: Iterable[str] | None = None) -> None:
        starts = sentence_starts(doc)
        strings = doc.vocab.strings
        found: list[tuple[int, int, str, str]] = []
        for match_id, start, end in cs(doc):
            eid = strings[match_id]
            if eid.endswith(SENTENCE_START_KEY):
                if not starts[start]:
                    continue
                eid = eid[: -len(SENTENCE_START_KEY)]
            found.append((start, end, eid, "cs"))
        for match_id, start, end in ci(doc):
            eid = strings[match_id]
            span = doc[start:end]
            if is_all_caps(span.text):
                continue  # "RAAD" in a heading in capitals
            found.append((start, end, eid, "ci"))
        allowed = set(restrict) if restrict is not None else None
        for start, end, eid, mode in found:
            if allowed is not None and eid not in allowed:
                continue
            ent = index.entities.get(eid)
            if ent is None:
                continue
            compound = self._compound(doc, start, end, eid, index)
            if compound is not None:
                continue  # a compound candidate was added, or the match is a mere modifier
            add_token_candidate(doc, start, end, ent.label, eid, source, TIER_KNOWN)

    def _compound(self, doc: Doc, start: int, end: int, eid: str, index: EntityIndex):
        """Handle "ACRONYM-word" compounds; returns the candidate added, or None to add a plain match."""
        ent = index.entities[eid]
        if end + 1 >= len(doc) or end - start != 1 or not is_acronym(doc[end - 1].text):
            return None
        hyphen, word = doc[end], doc[end + 1]
        if hyphen.text not in HYPHEN_TOKENS or doc[end - 1].whitespace_ or hyphen.whitespace_ or not word.is_alpha:
            return None
        lex = heads()
        same = lex.word_class(word.text) == ent.label or lex.word_class(word.text, plural=True) == ent.label
        cls = lex.word_class(word.text)
        if same:
            return add_token_candidate(doc, start, end + 2, ent.label, eid, "compound", TIER_KNOWN)
        if cls is None or cls == "ORG":
            if ent.label == "ORG":
                # an organisation as the modifier of a compound ("EU-lidstaten", "COA-locatie",
                # "EU-beleidsinstrumenten") describes something else; not a mention of the organisation
                return MODIFIER_ONLY
            return None  # "PNR-gegevens", "AMIF-projecten", "SIS-gerelateerde": the acronym alone
        stop = end + 2
        number = None
        if stop < len(doc) and (_ACT_NUMBER.match(doc[stop].text) or _YEAR.match(doc[stop].text)
                                or _PERIOD.match(doc[stop].text)) and not doc[stop - 1].text.endswith(","):
            if cls in ("LAW", "PROGRAMME", "FUND"):
                number = doc[stop].text
                stop += 1
        surface = doc[start:stop].text
        kb_id = index.lookup(surface) or index.lookup(doc[start:end + 2].text)
        if kb_id is None and cls == "LAW" and number:
            celex = act_celex(number, word.text)
            if celex:
                kb_id = index.by_celex(celex) or f"celex-{celex.lower()}"
        if kb_id is None:
            related_ids = index.related_of(eid, cls)
            if len(related_ids) == 1:
                kb_id = related_ids[0]
        if kb_id is None:
            kb_id = derived_id(cls, doc[start:end + 2].text)
        return add_token_candidate(doc, start, stop, cls, kb_id, "compound", TIER_RULE, related=[eid])


@Language.factory("bb_catalogue")
def make_catalogue_matcher(nlp: Language, name: str) -> CatalogueMatcher:
    return CatalogueMatcher(nlp, name)
