"""The related-passage index: every passage of the store, analysed once, as numpy postings.

A passage is the knowledge base's window (:mod:`kb.passages`), the same span under the same id
as in search.  Its words go through the same Dutch chain as the search index (:mod:`nltext`),
with the participle filter on (plans write "ontwikkelen", reports "ontwikkeld"); general words
(every stop-word tier, months) are no evidence of a relation and are left out.  Tokens weigh by
kind: a word, its whole joined form, a completed shared-head compound or an infinitive 1.0,
the parts of a joined word or of a compound 0.5.

The index over a store is built once per store content and kept in memory, so a lookup takes
milliseconds after the first.
"""
from __future__ import annotations

import threading
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np
import yaml

from kb.passages import section_passages
from kb.sentences import block_spans, split_sentences
from nltext import EXPANSION, JOINPART, PART, PRIMARY, WHOLE, Analyzer, build_vocabulary, vocabulary_counts
from nltext.bm25 import TermMatrix, idf
from nltext.fold import normalise_with_map
from nltext.lexicon import ALL_STOP_WORDS, MONTHS
from settings import RelatedWeights

SYNONYMS_PATH = Path(__file__).resolve().parent.parent / "cues" / "synonyms.yaml"

#: Retrieval parameters (BM25 and the combination of signals): one home, settings.RelatedWeights.
W = RelatedWeights()

#: Weight of a token in a passage's bag of terms, by kind (nltext.tokens).
KIND_WEIGHTS = {PRIMARY: 1.0, WHOLE: 1.0, EXPANSION: 1.0, JOINPART: 0.5, PART: 0.5}
#: Words that never relate two passages: stop words of every tier and month names (dates are values).
IGNORED = ALL_STOP_WORDS | frozenset(MONTHS)


class Terms:
    """Weighted terms of a text, and each term's word as the text writes it."""

    def __init__(self, analyzer: Analyzer) -> None:
        self.analyzer = analyzer

    def stem(self, word: str) -> str:
        return self.analyzer.stem(word)

    def weighted(self, text: str) -> list[tuple[str, float, int, str]]:
        """(term, weight, start offset, word as written) of every token that is evidence."""
        out = []
        for t in self.analyzer.tokens(text):
            s = t.surface
            if len(s) < 2 or s.isdigit() or s in IGNORED:
                continue
            out.append((t.text, KIND_WEIGHTS[t.kind], t.start, t.written(text)))
        return out

    def bag(self, text: str) -> tuple[Counter[str], dict[str, str]]:
        """Weighted terms of a text, and each term's first word as written."""
        terms: Counter[str] = Counter()
        written: dict[str, str] = {}
        for term, weight, _start, word in self.weighted(text):
            terms[term] += weight
            written.setdefault(term, word)
        return terms, written

    def __call__(self, text: str) -> Counter[str]:
        return self.bag(text)[0]

    def word_terms(self, text: str) -> set[str]:
        """Terms of whole words (no parts of words): each word, joined word, completed compound, infinitive."""
        return {t.text for t in self.analyzer.tokens(text, with_parts=False)
                if t.kind in (PRIMARY, WHOLE, EXPANSION) and t.surface not in IGNORED}

    def sequence(self, text: str) -> list[str]:
        """The terms of the words in order (one per word), for multi-word synonym members."""
        out, last = [], -1
        for t in self.analyzer.tokens(text, with_parts=False):
            if t.kind in (PRIMARY, WHOLE) and t.pos != last and t.surface not in IGNORED:
                out.append(t.text)
                last = t.pos
        return out


@dataclass
class Sentence:
    start: int  # in the section text
    end: int
    kind: str
    terms: Counter[str]


@dataclass
class Passage:
    id: str
    section_id: str
    document_id: str
    block_start: int
    block_end: int
    start: int
    end: int
    text: str
    title: str
    path: list[str]
    terms: Counter[str]
    title_terms: Counter[str]
    written: dict[str, str]  # term -> the word as the passage (or its title) writes it
    length: float
    sentences: list[Sentence]
    kinds: Counter[str]
    entities: set[str]
    entity_spans: list[tuple[int, int, str]] = field(default_factory=list)  # start, end (section text), entity

    def holds_block(self, block_index: int) -> bool:
        return self.block_start <= block_index <= self.block_end


@dataclass
class Index:
    key: tuple[Any, ...]
    passages: list[Passage]
    by_section: dict[str, list[int]]
    sections: dict[str, dict[str, Any]]
    doc_titles: dict[str, str]
    terms: Terms
    entity_df: Counter[str]
    entity_aliases: dict[str, list[str]]
    norm_sections: list[tuple[str, str, list[int], str, list[int]]]  # section id, norm, map, loose, loose map
    synonyms: list[tuple[list[tuple[str, ...]], list[str]]]
    #: body + title terms (title terms count ``W.title_weight`` times) per passage, for BM25
    matrix: TermMatrix
    #: every passage's sentences in one list, their terms, and the passage of each
    sentence_list: list[Sentence]
    sentence_matrix: TermMatrix
    sentence_passage: np.ndarray
    df: Counter[str]
    avgdl: float

    @property
    def n(self) -> int:
        return len(self.passages)

    def idf(self, term: str) -> float:
        return idf(self.df.get(term, 0), self.n)

    def in_section(self, section_id: str, block_index: int | None = None) -> list[Passage]:
        """The section's passages (the one holding ``block_index``, when given)."""
        ps = [self.passages[i] for i in self.by_section.get(section_id, [])]
        return ps if block_index is None else [p for p in ps if p.holds_block(block_index)]


# -- synonyms -------------------------------------------------------------------------------
@lru_cache(maxsize=2)
def load_synonyms(path: Path = SYNONYMS_PATH) -> list[list[str]]:
    """The reviewed paraphrase groups (also read by the search index's query expansion)."""
    raw = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    groups = raw.get("groups", [])
    for i, g in enumerate(groups):
        if not isinstance(g, list) or len(g) < 2 or not all(isinstance(m, str) and m.strip() for m in g):
            raise ValueError(f"{path.name}: group {i + 1} must be a list of at least two phrases")
    return [[m.strip() for m in g] for g in groups]


# -- building and caching -------------------------------------------------------------------
_CACHE: dict[str, Index] = {}
_LOCK = threading.Lock()


def _store_key(store: Any) -> tuple[Any, ...]:
    conn = store.conn
    docs = tuple(tuple(r) for r in conn.execute("SELECT id, sha256, fingerprint, section_count FROM documents ORDER BY id"))
    counts = tuple(conn.execute(f"SELECT COUNT(*), COALESCE(MAX(rowid), 0) FROM {t}").fetchone()[0] for t in
                   ("sections", "statements", "mentions"))
    return (str(getattr(store, "path", id(store))), docs, counts)


def invalidate(store: Any | None = None) -> None:
    """Forget the cached index (of one store, or all)."""
    with _LOCK:
        if store is None:
            _CACHE.clear()
        else:
            _CACHE.pop(str(getattr(store, "path", id(store))), None)


def get_index(store: Any) -> Index:
    key = _store_key(store)
    name = key[0]
    with _LOCK:
        idx = _CACHE.get(name)
        if idx is not None and idx.key == key:
            return idx
    idx = build_index(store, key)
    with _LOCK:
        _CACHE[name] = idx
    return idx


def _rows(store: Any, sql: str) -> list[tuple]:
    try:
        return list(store.conn.execute(sql))
    except Exception:  # pragma: no cover - an older store without the table
        return []


def build_index(store: Any, key: tuple[Any, ...] = ()) -> Index:
    from kb.statements import classify_sentence

    sections = store.sections()
    doc_titles = {d["id"]: d["title"] for d in store.documents()}
    vocab = build_vocabulary(vocabulary_counts(f"{s['title']}\n{s['text']}" for s in sections))
    terms = Terms(Analyzer(vocab, parts="inline", participles=True))
    stored_kinds: dict[str, list[tuple[int, int, str]]] = defaultdict(list)
    for sid, a, b, kind in _rows(store, "SELECT section_id, start, end, kind FROM statements"):
        stored_kinds[sid].append((a, b, kind))
    aliases: dict[str, list[str]] = {}
    try:
        for e in store.entities():
            aliases[e["id"]] = [e["name"], *e.get("aliases", [])]
    except Exception:  # pragma: no cover
        pass
    mentions: dict[str, list[tuple[int, int, str]]] = defaultdict(list)
    for sid, a, b, eid in _rows(store, "SELECT section_id, start, end, entity_id FROM mentions WHERE entity_id IS NOT NULL"):
        # Only catalogued entities link passages: value mentions (dates, percentages, amounts)
        # carry a type-level id ("date", "percent") that every passage with a year would share.
        if not aliases or eid in aliases:
            mentions[sid].append((a, b, eid))

    passages: list[Passage] = []
    by_section: dict[str, list[int]] = defaultdict(list)
    norm_sections = []
    sec_map = {}
    sentence_list: list[Sentence] = []
    sentence_of: list[int] = []
    for s in sections:
        sid = s["id"]
        sec_map[sid] = s
        text = s["text"]
        n, nmap = normalise_with_map(text)
        lo, lmap = normalise_with_map(text, loose=True)
        norm_sections.append((sid, n, nmap, lo, lmap))
        title_terms, title_written = terms.bag(s["title"])
        # only shown kinds are stored: with any statement stored, a section without rows has "other" ones
        kinds_here = stored_kinds.get(sid, [] if stored_kinds else None)
        spans = block_spans(text, s["blocks"])
        for w in section_passages(s):
            ptext = text[w.char_start:w.char_end]
            toks = terms.weighted(ptext)  # one analysis per passage; sentences take their tokens by offset
            body: Counter[str] = Counter()
            written: dict[str, str] = {}
            for term, weight, _start, word in toks:
                body[term] += weight
                written.setdefault(term, word)
            for t, word in title_written.items():
                written.setdefault(t, word)
            sents: list[Sentence] = []
            kinds: Counter[str] = Counter()
            k = 0
            for bs, be, bkind in spans[w.block_start:w.block_end + 1]:
                for sp in split_sentences(text[bs:be], base=bs):
                    if kinds_here is not None:
                        kind = next((kk for a, b, kk in kinds_here if a <= sp.start < b), "other")
                    else:
                        kind = classify_sentence(sp.text, block_kind=bkind).kind
                    kinds[kind] += 1
                    st: Counter[str] = Counter()
                    while k < len(toks) and w.char_start + toks[k][2] < sp.start:
                        k += 1
                    while k < len(toks) and w.char_start + toks[k][2] < sp.end:
                        st[toks[k][0]] += toks[k][1]
                        k += 1
                    sents.append(Sentence(sp.start, sp.end, kind, st))
            ents = [(a, b, e) for a, b, e in mentions.get(sid, []) if a < w.char_end and b > w.char_start]
            p = Passage(w.id, sid, s["document_id"], w.block_start, w.block_end, w.char_start, w.char_end, ptext,
                        s["title"], s["path"], body, title_terms, written, sum(body.values()), sents, kinds,
                        {e for _a, _b, e in ents}, ents)
            by_section[sid].append(len(passages))
            sentence_list.extend(sents)
            sentence_of.extend([len(passages)] * len(sents))
            passages.append(p)
    df: Counter[str] = Counter()
    entity_df: Counter[str] = Counter()
    for p in passages:
        df.update(set(p.terms) | set(p.title_terms))
        entity_df.update(p.entities)
    avgdl = sum(p.length for p in passages) / max(1, len(passages))
    combined = [p.terms + Counter({t: W.title_weight * c for t, c in p.title_terms.items()}) for p in passages]
    matrix = TermMatrix.from_counts(combined, [p.length for p in passages])
    sentence_matrix = TermMatrix.from_counts([st.terms for st in sentence_list],
                                             [max(1.0, sum(st.terms.values())) for st in sentence_list])
    synonyms = [([tuple(terms.sequence(m)) for m in group], group) for group in load_synonyms()]
    return Index(key, passages, dict(by_section), sec_map, doc_titles, terms, entity_df, aliases, norm_sections,
                 synonyms, matrix, sentence_list, sentence_matrix, np.asarray(sentence_of, np.int64), df, avgdl)
