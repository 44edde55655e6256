"""Components ``bb_stat_merge`` (statistical NER -> candidates) and ``bb_resolve`` (overlaps -> doc.ents).

Statistical labels are mapped: PER/PERSON -> PERSON; LOC/GPE -> LOC; ORG -> ORG when it passes the
precision filters (capitalised, not a bare generic word such as "Kamer", "Minister", "kabinet");
MISC/EVENT/PRODUCT/WORK_OF_ART/NORP/LAW -> LAW or PROGRAMME when the head noun says so, else dropped;
DATE/MONEY/PERCENT kept (value normalised when the text parses); everything else dropped.  A model
entity that names a catalogue entity gets its id; otherwise "person:<slug>", "loc:<slug>", "org:<slug>".
Catalogue and rule entities win every overlap with a model entity.

Resolution (rule and catalogue candidates):
  1. a heuristic name (tier 2) inside a known/rule entity is dropped; one that partly overlaps it is
     dropped; one that contains it is dropped when it has the same label, when the known entity is its
     tail ("Nederlandse HashCheckService" -> "HashCheckService") or when only lower-case words surround
     the known entity ("project Verwijzingsportaal Bankgegevens"), and kept otherwise ("Subsidieregeling
     AMIF en ISF 2014-2020" keeps AMIF and ISF as related);
  2. the longest span wins, then the lower tier, then the earlier start;
  3. the kb ids of entities inside a winning span become its ``related`` ("ECRIS-TCN-verordening
     2019/816" -> related ["ecris-tcn"]).
"""
from __future__ import annotations

from bisect import bisect_left
from typing import Callable

from spacy.language import Language
from spacy.tokens import Doc, Span

from kb.catalogue import ENTITY_LABELS

from .candidates import TIER_HEURISTIC, TIER_MODEL, Candidate, add_token_candidate, candidates, sentence_starts
from .index import EntityIndex
from .text import heads, is_capitalised, is_stop, norm_token, slug
from .values import find_values

MODEL_LABELS = {
    "PER": "PERSON", "PERSON": "PERSON", "LOC": "LOC", "GPE": "LOC", "ORG": "ORG",
    "DATE": "DATE", "MONEY": "MONEY", "PERCENT": "PERCENT",
    "MISC": "?", "EVENT": "?", "PRODUCT": "?", "WORK_OF_ART": "?", "NORP": "?", "LAW": "?",
}
GENERIC_ORG_WORDS = {"kamer", "minister", "ministerie", "kabinet", "regering", "overheid", "rijk", "staat",
                     "gemeente", "gemeenten", "provincie", "commissie", "raad", "directie", "dienst", "politie",
                     "staatssecretaris", "premier", "parlement", "departement", "unie", "eu"}


class StatisticalMerge:
    """Turn the statistical ``ner`` entities into low-priority candidates."""

    def __init__(self, nlp: Language, name: str) -> None:
        self.nlp = nlp
        self.name = name
        self.index = EntityIndex()

    def configure(self, index: EntityIndex) -> None:
        self.index = index

    def __call__(self, doc: Doc) -> Doc:
        starts = sentence_starts(doc)
        for ent in doc.ents:
            label = MODEL_LABELS.get(ent.label_)
            if label is None:
                continue
            text = ent.text
            known = self.index.lookup(text)
            if label == "?":
                label = heads().phrase_class(text.split())
                if label not in ("LAW", "PROGRAMME"):
                    continue
            if label == "ORG" and not known and not self._org_ok(ent, starts):
                continue
            if label in ("PERSON", "LOC") and not any(c.isupper() for c in text):
                continue
            value = None
            if label in ("DATE", "MONEY", "PERCENT"):
                vals = [v for v in find_values(text) if v.label == label]
                value = vals[0].value if vals else None
                kb = label.lower()
            elif known and self.index.entities[known].label in (label, "ORG", "LOC", "PERSON"):
                kb = known
                label = self.index.entities[known].label
            else:
                kb = f"{label.lower()}:{slug(text)}" if label in ("PERSON", "LOC", "ORG") else f"{label.lower()}-{slug(text)}"
            add_token_candidate(doc, ent.start, ent.end, label, kb, "model", TIER_MODEL, value=value)
        return doc

    @staticmethod
    def _org_ok(ent: Span, starts: list[bool]) -> bool:
        words = [t for t in ent if not t.is_punct]
        if not words or not any(is_capitalised(t.text) or t.text.isupper() for t in words):
            return False
        if len(words) == 1:
            w = words[0]
            if norm_token(w.text) in GENERIC_ORG_WORDS or is_stop(w.text):
                return False
            if starts[w.i] and not w.text.isupper():
                return False  # a capital at a sentence start says nothing
        if all(norm_token(t.text) in GENERIC_ORG_WORDS or is_stop(t.text) for t in words):
            return False
        return True


def _only_lowercase_outside(doc: Doc | None, h: Candidate, k: Candidate) -> bool:
    """"project Verwijzingsportaal Bankgegevens": nothing but a lower-case descriptor around the known name."""
    if doc is None:
        return False
    outside = [t for t in doc[h.start:h.end] if not (k.start <= t.i < k.end)]
    return all(not t.text[:1].isupper() for t in outside)


class _Intervals:
    """Candidates sorted by start, for "which of these overlap [a, b)" in O(log n + k)."""

    def __init__(self, cands: list[Candidate]) -> None:
        self.cands = sorted(cands, key=lambda c: c.start_char)
        self.starts = [c.start_char for c in self.cands]
        self.max_len = max((c.length for c in self.cands), default=0)

    def overlapping(self, a: int, b: int) -> list[Candidate]:
        lo = bisect_left(self.starts, a - self.max_len)
        hi = bisect_left(self.starts, b)
        return [c for c in self.cands[lo:hi] if c.end_char > a]

    def inside(self, a: int, b: int) -> list[Candidate]:
        lo = bisect_left(self.starts, a)
        hi = bisect_left(self.starts, b)
        return [c for c in self.cands[lo:hi] if c.end_char <= b]


def resolve(cands: list[Candidate], doc: Doc | None = None, known: Callable[[str], bool] | None = None) -> list[Candidate]:
    rules = [c for c in cands if c.tier < TIER_MODEL]
    rule_index = _Intervals(rules)
    model = [m for m in cands if m.tier == TIER_MODEL and not rule_index.overlapping(m.start_char, m.end_char)]
    strong = [c for c in rules if c.tier < TIER_HEURISTIC]
    strong_index = _Intervals(strong)
    kept_heur: list[Candidate] = []
    for h in (c for c in rules if c.tier == TIER_HEURISTIC):
        ok = True
        for k in strong_index.overlapping(h.start_char, h.end_char):
            if k.contains(h):
                ok = False
            elif h.contains(k):
                if k.label in ("DATE", "MONEY", "PERCENT"):
                    continue
                if k.label == h.label or k.end_char == h.end_char and not h.head_first \
                        or _only_lowercase_outside(doc, h, k):
                    ok = False
            else:
                ok = False
            if not ok:
                break
        if ok:
            kept_heur.append(h)
    pool = strong + kept_heur + model
    pool.sort(key=lambda c: (-c.length, c.tier, c.start_char))
    chosen: list[Candidate] = []
    taken_starts: list[int] = []  # sorted starts of chosen spans (non-overlapping, so ends sort alike)
    taken: list[Candidate] = []
    for c in pool:
        i = bisect_left(taken_starts, c.start_char)
        if i < len(taken) and taken[i].start_char < c.end_char:
            continue
        if i > 0 and taken[i - 1].end_char > c.start_char:
            continue
        taken_starts.insert(i, c.start_char)
        taken.insert(i, c)
        chosen.append(c)
    pool_index = _Intervals(pool)
    for c in chosen:
        rel = list(c.related)
        for o in pool_index.inside(c.start_char, c.end_char):
            if o is c or o.label not in ENTITY_LABELS:
                continue
            if doc is not None and _parenthesised(doc, o):
                continue  # "verordening (EU) 2018/1805": the issuer in brackets is not a related entity
            for rid in [o.kb_id, *o.related]:
                if rid and rid != c.kb_id and rid not in rel and ":" not in rid and (known is None or known(rid)):
                    rel.append(rid)
        c.related = rel
    chosen.sort(key=lambda c: c.start_char)
    return chosen


def _parenthesised(doc: Doc, c: Candidate) -> bool:
    return c.start > 0 and c.end < len(doc) and doc[c.start - 1].text == "(" and doc[c.end].text == ")"


class Resolver:
    """Pick the final entities; ``related`` lists only entities the knowledge base knows (catalogue,
    definitions), not ids derived for sub-spans."""

    def __init__(self, nlp: Language, name: str) -> None:
        self.name = name
        self.index = EntityIndex()

    def configure(self, index: EntityIndex) -> None:
        self.index = index

    def __call__(self, doc: Doc) -> Doc:
        local = {e.id for e in (doc._.bb_new_entities or [])}
        chosen = resolve(candidates(doc), doc, known=lambda i: i in self.index.entities or i in local)
        ents = []
        meta = {}
        for c in chosen:
            ents.append(Span(doc, c.start, c.end, label=c.label, kb_id=c.kb_id or ""))
            meta[(c.start_char, c.end_char)] = {"related": list(c.related), "value": c.value, "source": c.source,
                                                "refs": c.refs, "article": c.article}
        doc.ents = ents
        doc._.bb_meta = meta
        return doc


@Language.factory("bb_resolve")
def make_resolver(nlp: Language, name: str) -> Resolver:
    return Resolver(nlp, name)


@Language.factory("bb_stat_merge")
def make_statistical_merge(nlp: Language, name: str) -> StatisticalMerge:
    return StatisticalMerge(nlp, name)
