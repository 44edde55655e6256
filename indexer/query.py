"""Search over the passage index: query language, entity-aware BM25F ranking, facets, snippets.

Whoosh holds the inverted index (postings with positions, stored passages, term lists);
ranking is BM25F computed with numpy over postings read once per term and cached, so a
query costs a few vectorised operations per term instead of Python-level matcher loops.

Query language (Dutch UI, English operators)::

    asielaanvragen terugkeer          words: all words preferred, any word accepted
    "exact phrase"                    phrase (word bigrams; stop words ignored on both sides)
    a OR b, a AND b, NOT a, -a, +a    boolean operators (upper case), grouping with ( )
    document:ID  type:jaarverslag  entiteit:IND  jaar:2020  jaar:2019-2021  jaar:>2019
    asiel*  kinderporrno~  kinderporrno~2   prefix and fuzzy terms

Question words ("hoeveel", "welke", ...) and, in a question, light verbs ("gaat", "doet") are not
searched for.  A word found in no field is searched as its closest known spellings
("ketenmarniers" -> "ketenmariniers") or, failing that, as the corpus' compounds it begins
("coffeeshops" -> "coffeeshopketen"); the interpretation says so.

Facets are disjunctive: a facet whose own field is filtered counts with every filter except its
own, so the other values of that field stay listed (values of one field are OR-ed).

Entities named in the query by any alias are expanded to their canonical id: passages that
mention the entity under another alias match too, and passages that are *about* the entity
(mentioned in the title, often, early) rank above passing mentions.
"""
from __future__ import annotations

import bisect
import html
import json
import math
import os
import re
import threading
import time
from dataclasses import dataclass, field as dc_field
from pathlib import Path
from typing import Any

import numpy as np
from whoosh import index as windex

from indexer.analysis import (EXPANSION, JOINERS, JOINPART, PART, PRIMARY, STOP_WORDS, WHOLE, WORD_RE, DutchAnalyzer,
                               fold)
from indexer.build import BUILD_FILE
from indexer.entities import AliasMatcher
from settings import Limits, Ranking

#: bounds shared with the UI and API (one home: settings.Limits)
MAX_TERMS = Limits().max_query_terms
MAX_QUERY_CHARS = Limits().max_query_chars
MAX_EXPANSIONS = 50
MAX_FACET_VALUES = 50  # values per facet (documents, entities), by count
FIELD_ALIASES = {
    "document": "document", "doc": "document", "documents": "document",
    "type": "type", "soort": "type", "kind": "type",
    "entiteit": "entity", "entity": "entity", "entiteiten": "entity",
    "entiteittype": "entity_type", "entity_type": "entity_type", "label": "entity_type",
    "jaar": "year", "year": "year",
    "titel": "title", "title": "title",
}
SORTS = ("relevance", "date")
#: Question words ("hoeveel BMVI geld gaat naar liaison officers"): ignored in a run of words that
#: has other words, as they say what kind of answer is wanted, not what it is about.
QUESTION_WORDS = frozenset(
    """hoeveel welke welk waarom wanneer waar waarvoor waarmee waardoor waarover waaraan waarin waarop
    hoelang hoezo hoeverre""".split())
#: Light verbs that carry no topic in a question ("wat doet de VA", "hoeveel geld gaat naar ..."):
#: ignored too, but only when the run contains a question word.
QUESTION_FILLERS = frozenset("""gaat gaan ging doet deed krijgt krijgen kreeg staat stond komt komen kwam zit zitten
    geldt gelden betekent betekenen houdt kent kennen""".split())
#: An unknown word (no match in any field) this long is looked up as its closest known spellings.
AUTO_FUZZY_MIN = 5
_MIN_PART_TAIL = 4  # a compound found for an unknown first part has a tail of at least this many letters


#: at most this many alternatives (synonym group members) per query word
MAX_SYNONYMS = 12


# ---------------------------------------------------------------------------------------
# Parsing
# ---------------------------------------------------------------------------------------
@dataclass
class Node:
    kind: str  # words | phrase | prefix | fuzzy | filter | group | or | not
    text: str = ""
    field: str = ""
    children: list["Node"] = dc_field(default_factory=list)
    required: bool = False
    dist: int = 1


_CTRL_RE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b-\u200f\u2028\u2029\ufeff]")
_LEX_RE = re.compile(
    r'(?P<field>[A-Za-z_]+):(?P<fval>"[^"]*"?|\([^)]*\)?|[^\s()"]+)'
    r'|(?P<quote>"[^"]*"?)'
    r"|(?P<lpar>\()|(?P<rpar>\))"
    r"|(?P<word>[^\s()\"]+)"
)


class _Parser:
    def __init__(self, q: str, notes: list[str]) -> None:
        self.notes = notes
        self.tokens: list[tuple[str, str, str]] = []  # (type, value, field)
        if q.count('"') % 2:
            notes.append("aanhalingsteken niet gesloten: de tekst erna is als woordgroep gelezen")
        for m in _LEX_RE.finditer(q):
            if m.group("field") is not None:
                name = m.group("field").lower()
                val = m.group("fval")
                if name in FIELD_ALIASES:
                    self.tokens.append(("field", val.strip('"()'), FIELD_ALIASES[name]))
                else:
                    self.tokens.append(("word", f"{m.group('field')} {val.strip(chr(34))}", ""))
            elif m.group("quote") is not None:
                self.tokens.append(("phrase", m.group("quote").strip('"'), ""))
            elif m.group("lpar"):
                self.tokens.append(("lpar", "(", ""))
            elif m.group("rpar"):
                self.tokens.append(("rpar", ")", ""))
            else:
                w = m.group("word")
                if w in ("OR", "||", "|"):
                    self.tokens.append(("or", w, ""))
                elif w in ("AND", "&&"):
                    self.tokens.append(("and", w, ""))
                elif w == "NOT":
                    self.tokens.append(("not", w, ""))
                else:
                    self.tokens.append(("word", w, ""))
        self.i = 0
        self.depth = 0

    def peek(self):
        return self.tokens[self.i] if self.i < len(self.tokens) else None

    def parse(self) -> Node:
        nodes = []
        while self.peek() is not None:
            n = self.parse_or()
            if n is not None:
                nodes.append(n)
            tok = self.peek()
            if tok and tok[0] == "rpar":
                self.notes.append("haakje ')' zonder '(' genegeerd")
                self.i += 1
        return Node("group", children=nodes)

    def parse_or(self) -> Node | None:
        left = self.parse_and()
        alts = [left] if left is not None else []
        while (tok := self.peek()) is not None and tok[0] == "or":
            self.i += 1
            right = self.parse_and()
            if right is not None:
                alts.append(right)
            if left is None or right is None:
                self.notes.append("OR zonder term aan beide kanten genegeerd")
        if not alts:
            return None
        if len(alts) == 1:
            return alts[0]
        return Node("or", children=alts)

    def parse_and(self) -> Node | None:
        items: list[Node] = []
        pending_and = False
        while (tok := self.peek()) is not None and tok[0] not in ("or", "rpar"):
            if tok[0] == "and":
                self.i += 1
                if not items:
                    self.notes.append("AND zonder term ervoor genegeerd")
                    continue
                pending_and = True
                continue
            n = self.parse_unary()
            if n is None:
                continue
            if pending_and:
                items[-1].required = True
                n.required = True
                pending_and = False
            items.append(n)
        if pending_and:
            self.notes.append("AND zonder term erna genegeerd")
        if not items:
            return None
        return items[0] if len(items) == 1 else Node("group", children=items)

    def parse_unary(self) -> Node | None:
        tok = self.peek()
        if tok[0] == "not":
            self.i += 1
            nxt = self.peek()
            if nxt is None or nxt[0] in ("or", "and", "rpar", "not"):
                self.notes.append("NOT zonder term genegeerd")
                return None
            inner = self.parse_unary()
            return Node("not", children=[inner]) if inner is not None else None
        if tok[0] == "word" and tok[1].startswith("-") and len(tok[1]) > 1 and tok[1][1] not in "-":
            self.i += 1
            inner = self._word_node(tok[1][1:])
            return Node("not", children=[inner]) if inner is not None else None
        if tok[0] == "word" and tok[1].startswith("+") and len(tok[1]) > 1:
            self.i += 1
            inner = self._word_node(tok[1][1:])
            if inner is not None:
                inner.required = True
            return inner
        return self.parse_atom()

    def parse_atom(self) -> Node | None:
        tok = self.peek()
        self.i += 1
        kind, val, fld = tok
        if kind == "lpar":
            if self.depth > 8:
                return None
            self.depth += 1
            inner = self.parse_or()
            self.depth -= 1
            nxt = self.peek()
            if nxt is not None and nxt[0] == "rpar":
                self.i += 1
            else:
                self.notes.append("haakje '(' niet gesloten")
            return inner
        if kind == "phrase":
            return Node("phrase", text=val) if val.strip() else None
        if kind == "field":
            if fld == "title":
                return Node("words", text=val, field="title") if val.strip() else None
            if not val.strip():
                self.notes.append(f"filter '{fld}:' zonder waarde genegeerd")
                return None
            return Node("filter", text=val, field=fld)
        if kind == "word":
            return self._word_node(val)
        if kind in ("or", "and"):
            self.notes.append(f"losse operator {val} genegeerd")
        return None

    def _word_node(self, w: str) -> Node | None:
        m = re.fullmatch(r"(.+?)~(\d?)", w)
        if m and re.search(r"\w", m.group(1)):
            return Node("fuzzy", text=m.group(1), dist=min(int(m.group(2) or 0) or (1 if len(m.group(1)) < 6 else 2), 2))
        if w.endswith("*") and re.search(r"\w", w):
            stem = w.rstrip("*")
            if len(stem) >= 2:
                return Node("prefix", text=stem)
            self.notes.append(f"voorvoegsel '{w}' te kort; als woord gelezen")
            w = stem
        if not re.search(r"[^\W_]", w):
            if w.strip() in ("-", "+", "*", "~"):
                self.notes.append(f"losse '{w.strip()}' genegeerd")
            return None
        return Node("words", text=w)


def _merge_words(node: Node) -> Node:
    """Adjacent plain word nodes in a group become one run (so entities and ellipses span words)."""
    if node.kind in ("group", "or", "not"):
        merged: list[Node] = []
        for ch in node.children:
            ch = _merge_words(ch)
            if (node.kind == "group" and ch.kind == "words" and not ch.required and not ch.field and merged
                    and merged[-1].kind == "words" and not merged[-1].required and not merged[-1].field):
                merged[-1] = Node("words", text=merged[-1].text + " " + ch.text)
            else:
                merged.append(ch)
        node.children = merged
    return node


# ---------------------------------------------------------------------------------------
# Index state
# ---------------------------------------------------------------------------------------
class _State:
    """Everything opened for one index generation (immutable after load, plus caches)."""

    def __init__(self, index_dir: Path) -> None:
        self.index_dir = index_dir
        self.build_stat = _stat_key(index_dir / BUILD_FILE)
        self.ix = windex.open_dir(str(index_dir))
        self.searcher = self.ix.searcher()
        self.reader = self.searcher.reader()
        self.leaves = list(self.reader.leaf_readers()) if not self.reader.is_atomic() else [(self.reader, 0)]
        self.schema = self.ix.schema
        self.analyzer: DutchAnalyzer = self.schema["text"].analyzer
        self.info = json.loads((index_dir / BUILD_FILE).read_text(encoding="utf-8"))
        self.meta = json.loads((index_dir / "meta.json").read_text(encoding="utf-8"))
        arrays = np.load(index_dir / "arrays.npz")
        self.N = int(self.reader.doc_count_all())
        self.doc = arrays["doc"]
        self.kind = arrays["kind"]
        self.year = arrays["year"]
        self.order = arrays["order"]
        self.ent_doc = arrays["ent_doc"]
        self.ent_idx = arrays["ent_idx"]
        self.label_doc = arrays["label_doc"]
        self.label_idx = arrays["label_idx"]
        self.lengths = {k[4:]: arrays[k] for k in arrays.files if k.startswith("len_")}
        self.fields = [f for f in ("text", "title", "path", "document_title", "entity_names", "compounds")
                       if f in self.schema.names()]
        self.documents = self.meta["documents"]
        self.doc_ids = [d["id"] for d in self.documents]
        self.doc_pos = {d: i for i, d in enumerate(self.doc_ids)}
        self.kinds = self.meta["kinds"]
        self.labels = self.meta["labels"]
        self.entities = self.meta["entities"]
        self.ent_pos = {e["id"]: i for i, e in enumerate(self.entities)}
        self.matcher = AliasMatcher(self.entities)
        self.words_path = index_dir / "words.json"
        self._words: dict[str, int] | None = None
        self._deletes: dict[str, list[str]] | None = None
        self._sorted_words: list[str] | None = None
        self.postings_cache: dict[tuple[str, str], tuple[np.ndarray, np.ndarray]] = {}
        self.norm_cache: dict[tuple[str, float], np.ndarray] = {}
        self.ent_docs_cache: dict[str, tuple[np.ndarray, np.ndarray]] = {}
        self.lock = threading.RLock()
        self._deletes_lock = threading.Lock()
        # the spelling index takes ~0.2 s at 50,000 passages: build it off the request path
        threading.Thread(target=lambda: self.deletes, name="bb-spelling", daemon=True).start()
        # stop-ordering tie-break: rank position of every doc in document order
        self.order_rank = np.argsort(np.argsort(self.order, kind="stable"), kind="stable").astype(np.int64)

    def close(self) -> None:
        try:
            self.searcher.close()
        except Exception:  # pragma: no cover
            pass

    # -- postings -------------------------------------------------------------------------
    def postings(self, fieldname: str, term: str) -> tuple[np.ndarray, np.ndarray]:
        key = (fieldname, term)
        hit = self.postings_cache.get(key)
        if hit is not None:
            return hit
        ids_all: list[np.ndarray] = []
        w_all: list[np.ndarray] = []
        with self.lock:
            for leaf, offset in self.leaves:
                try:
                    if (fieldname, term) not in leaf:
                        continue
                    m = leaf.postings(fieldname, term)
                except Exception:
                    continue
                ids, ws = _read_matcher(m)
                if len(ids):
                    ids_all.append(ids + offset)
                    w_all.append(ws)
        if ids_all:
            res = (np.concatenate(ids_all).astype(np.int64), np.concatenate(w_all).astype(np.float32))
        else:
            res = (np.empty(0, np.int64), np.empty(0, np.float32))
        if len(self.postings_cache) > 200_000:
            self.postings_cache.clear()
        self.postings_cache[key] = res
        return res

    def inv_norm(self, fieldname: str, b: float, min_length: float = 0.0) -> np.ndarray:
        key = (fieldname, b, min_length)
        arr = self.norm_cache.get(key)
        if arr is None:
            lens = self.lengths.get(fieldname)
            if lens is None or not len(lens):
                arr = np.ones(self.N, np.float32)
            else:
                avg = float(lens.mean()) or 1.0
                rel = np.maximum(lens / avg, min_length) if min_length else lens / avg
                arr = (1.0 / (1.0 - b + b * rel)).astype(np.float32)
            self.norm_cache[key] = arr
        return arr

    def entity_docs(self, eid: str) -> tuple[np.ndarray, np.ndarray]:
        """Docs mentioning the entity and their salience counts."""
        hit = self.ent_docs_cache.get(eid)
        if hit is None:
            hit = self.postings("salience", eid)
            self.ent_docs_cache[eid] = hit
        return hit

    # -- words (spelling) -----------------------------------------------------------------
    @property
    def words(self) -> dict[str, int]:
        if self._words is None:
            try:
                self._words = json.loads(self.words_path.read_text(encoding="utf-8"))
            except (OSError, ValueError):
                self._words = {}
        return self._words

    def words_with_prefix(self, prefix: str, limit: int = 1000) -> list[str]:
        """Known words starting with ``prefix`` (sorted word list, bisected; built on first use)."""
        if self._sorted_words is None:
            self._sorted_words = sorted(self.words)
        sw = self._sorted_words
        i = bisect.bisect_left(sw, prefix)
        out = []
        while i < len(sw) and sw[i].startswith(prefix) and len(out) < limit:
            out.append(sw[i])
            i += 1
        return out

    @property
    def deletes(self) -> dict[str, list[str]]:
        """Symmetric-delete index (word and its one-deletion variants -> words) for spelling."""
        if self._deletes is None:
            with self._deletes_lock:
                if self._deletes is None:
                    d: dict[str, list[str]] = {}
                    for w in self.words:
                        d.setdefault(w, []).append(w)
                        for i in range(len(w)):
                            d.setdefault(w[:i] + w[i + 1:], []).append(w)
                    self._deletes = d
        return self._deletes

    def close_words(self, word: str, maxdist: int = 2, limit: int = 8) -> list[tuple[str, int, int]]:
        """Known words within ``maxdist`` edits: (word, distance, count), best first."""
        words = self.words
        dels = self.deletes
        cands: set[str] = set()
        variants = {word} | {word[:i] + word[i + 1:] for i in range(len(word))}
        if maxdist >= 2:
            variants |= {v[:i] + v[i + 1:] for v in list(variants) for i in range(len(v))}
        for v in variants:
            cands.update(dels.get(v, ()))
        out = []
        for c in cands:
            if c == word:
                continue
            dist = _damerau(word, c, maxdist)
            if dist <= maxdist:
                out.append((c, dist, words.get(c, 0)))
        out.sort(key=lambda x: (x[1], -x[2], x[0]))
        return out[:limit]


def _read_matcher(m) -> tuple[np.ndarray, np.ndarray]:
    """All (docnum, weight) of a Whoosh leaf matcher, block by block."""
    if hasattr(m, "_next_block") and hasattr(m, "_read_ids"):
        ids_parts, w_parts = [], []
        while not m._atend:
            m._read_ids()
            m._read_weights()
            ids_parts.append(np.asarray(m._ids, dtype=np.int64))
            w_parts.append(np.asarray(m._weights, dtype=np.float32))
            m._next_block()
        if not ids_parts:
            return np.empty(0, np.int64), np.empty(0, np.float32)
        return np.concatenate(ids_parts), np.concatenate(w_parts)
    if hasattr(m, "_ids"):
        ids = np.asarray(m._ids, dtype=np.int64)
        ws = m._weights
        if ws is None:
            ws = np.ones(len(ids), np.float32)
        elif isinstance(ws, float):
            ws = np.full(len(ids), ws, np.float32)
        return ids, np.asarray(ws, dtype=np.float32)
    ids, ws = [], []
    while m.is_active():  # pragma: no cover - generic fallback
        ids.append(m.id())
        ws.append(m.weight())
        m.next()
    return np.asarray(ids, np.int64), np.asarray(ws, np.float32)


def _damerau(a: str, b: str, maxdist: int) -> int:
    if abs(len(a) - len(b)) > maxdist:
        return maxdist + 1
    prev2 = None
    prev = list(range(len(b) + 1))
    for i in range(1, len(a) + 1):
        cur = [i] + [0] * len(b)
        for j in range(1, len(b) + 1):
            cost = 0 if a[i - 1] == b[j - 1] else 1
            cur[j] = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost)
            if prev2 is not None and i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                cur[j] = min(cur[j], prev2[j - 2] + 1)
        prev2, prev = prev, cur
    return prev[-1]


def _stat_key(path: Path):
    try:
        st = os.stat(path)
        return (st.st_ino, st.st_mtime_ns, st.st_size)
    except OSError:
        return None


# ---------------------------------------------------------------------------------------
# Evaluation
# ---------------------------------------------------------------------------------------
@dataclass
class Clause:
    score: np.ndarray
    match: np.ndarray
    label: str


class _Eval:
    """Evaluates one parsed query against one index state."""

    def __init__(self, st: _State, ranking: Ranking, notes: list[str]) -> None:
        self.st = st
        self.r = ranking
        self.notes = notes
        self.highlight_terms: set[str] = set()
        self.highlight_entities: set[str] = set()
        self.described: list[str] = []
        self.filters: list[str] = []
        self.term_budget = MAX_TERMS
        self.truncated = False
        self.word_count = 0
        self.words_seen: list[str] = []
        self.respelled: list[str] = []  # unknown words searched as their closest spellings
        self.depth = 0  # nesting of the group being evaluated (0: the whole query)
        self.in_not = False  # evaluating an excluded (NOT) term: no synonym expansion
        self.use_synonyms = True
        self.synonyms_used: list[str] = []  # synonym group members also searched for
        #: top-level filters by facet field (query filters and the filters argument), AND-ed per field
        self.field_masks: dict[str, np.ndarray] = {}

    # -- term scoring -----------------------------------------------------------------------
    def idf(self, df: int) -> float:
        N = self.st.N
        return math.log(1.0 + (N - df + 0.5) / (df + 0.5))

    def term_tf(self, term: str, fields: tuple[str, ...] | None = None) -> tuple[np.ndarray, int]:
        """BM25F pseudo-frequency (dense) of ``term`` over the scored fields, and its df."""
        st, r = self.st, self.r
        acc = np.zeros(st.N, np.float32)
        df = 0
        for f in fields or st.fields:
            w = r.field_weights.get(f, 0.0)
            if not w:
                continue
            ids, tf = st.postings(f, term)
            if not len(ids):
                continue
            if f == "text":
                df = len(ids)
            else:
                df = max(df, len(ids)) if not df else df
            acc[ids] += w * tf * st.inv_norm(f, r.field_b.get(f, 0.75), r.min_length if f in ("text", "compounds") else 0.0)[ids]
        return acc, df

    def term_score(self, term: str, fields: tuple[str, ...] | None = None) -> np.ndarray:
        acc, df = self.term_tf(term, fields)
        if not df:
            return acc
        k1 = self.r.k1
        return (self.idf(df) * acc * (k1 + 1) / (acc + k1)).astype(np.float32)

    def _zeros(self) -> tuple[np.ndarray, np.ndarray]:
        return np.zeros(self.st.N, np.float32), np.zeros(self.st.N, bool)

    # -- clauses --------------------------------------------------------------------------
    def clauses_for_words(self, text: str, fields: tuple[str, ...] | None = None) -> list[Clause]:
        """A run of plain words -> one clause per word position (entities merged into one clause)."""
        st = self.st
        an = st.analyzer
        toks = list(an.tokens(text, with_parts=True))
        by_pos: dict[int, list] = {}
        for t in toks:
            by_pos.setdefault(t.pos, []).append(t)
        # entity mentions in the run (by any alias), mapped to word positions via char offsets
        ent_matches = st.matcher.find(text) if fields is None else []
        clauses: list[Clause] = []
        consumed: set[int] = set()
        question = {p for p, ts in by_pos.items() if ts[0].kind == PRIMARY and ts[0].surface in QUESTION_WORDS}
        is_question = bool(question) or text.rstrip().endswith("?") or bool(
            re.match(r"\s*(?:wat|wie|hoe)\b", fold(text)))
        if is_question:
            question |= {p for p, ts in by_pos.items() if ts[0].kind == PRIMARY and ts[0].surface in QUESTION_FILLERS}
        if question and len(question) < len(by_pos):
            consumed.update(question)
            self.described.append("vraagwoorden genegeerd: " + ", ".join(
                dict.fromkeys(by_pos[p][0].surface for p in sorted(question))))
        for em in ent_matches:
            eid = em.entity_id
            poss = [p for p, ts in by_pos.items() if ts[0].start >= em.char_start and ts[0].end <= em.char_end]
            word_clauses = [self.word_clause(by_pos[p], fields) for p in sorted(poss) if p not in consumed]
            consumed.update(poss)
            ent_score, ent_match = self.entity_clause(eid)
            score, match = ent_score, ent_match.copy()
            if word_clauses:
                # the alias counts as a unit: its words score only where all of them occur
                s_words = sum(c.score for c in word_clauses)
                m_words = np.logical_and.reduce([c.match for c in word_clauses])
                score = score + np.where(m_words, s_words, 0).astype(np.float32)
                match |= m_words
            ent = st.entities[st.ent_pos[eid]]
            self.highlight_entities.add(eid)
            self.described.append(f"entiteit {ent['name']} ({eid})")
            clauses.append(Clause(score, match, f"entity:{eid}"))
        seen_words: set[tuple[str, ...]] = set()
        alts = self.synonym_alternatives(by_pos, consumed) if fields is None and not self.in_not else {}
        for p in sorted(by_pos):
            if p in consumed:
                continue
            key = tuple(sorted(t.text for t in by_pos[p] if t.kind != PART))
            if key in seen_words:  # a repeated word counts once
                continue
            seen_words.add(key)
            if self.term_budget <= 0:
                self.truncated = True
                break
            c = self.word_clause(by_pos[p], fields, alts.get(p))
            if c is not None:
                clauses.append(c)
        return clauses

    def synonym_alternatives(self, by_pos: dict[int, list], consumed: set[int]) -> dict[int, list[tuple[str, tuple[str, ...]]]]:
        """Query word position -> other members (surface, index terms) of the synonym groups its
        word belongs to.  Only a one-word member fires a group (a multi-word member such as
        "digitale weerbaarheid" does not: spreading its alternatives over each of its words made
        them count as several matched words, measured worse); any member may be an alternative.
        Empty when off (``Ranking.synonym_weight`` 0)."""
        if self.r.synonym_weight <= 0 or not self.use_synonyms:
            return {}
        try:
            from indexer.synonyms import load_groups
            syn = load_groups(self.st.analyzer)
        except Exception:  # a broken data file must not break search
            return {}
        order = [p for p in sorted(by_pos) if p not in consumed]
        main = {p: [t.text for t in by_pos[p] if t.kind in (PRIMARY, WHOLE)] for p in order}
        fired: dict[int, dict[int, set[tuple[str, ...]]]] = {}  # pos -> group -> members that fired
        for p in order:
            for t in main[p]:
                for gi in syn.single.get(t, ()):
                    fired.setdefault(p, {}).setdefault(gi, set()).add((t,))
        out: dict[int, list[tuple[str, tuple[str, ...]]]] = {}
        for p, groups in fired.items():
            own = {(t,) for t in main[p]}
            lst: list[tuple[str, tuple[str, ...]]] = []
            seen: set[tuple[str, ...]] = set(own)
            for gi, hit in groups.items():
                for surface, terms in syn.groups[gi]:
                    if terms in seen or terms in hit:
                        continue
                    seen.add(terms)
                    lst.append((surface, terms))
            if lst:
                out[p] = lst[:MAX_SYNONYMS]
        return out

    def _alternative_score(self, terms: tuple[str, ...]) -> np.ndarray:
        """Score of one synonym member: a word's BM25F score, or a multi-word member's mean term
        score where it occurs as a phrase (all its word bigrams)."""
        if len(terms) == 1:
            return self.term_score(terms[0])
        st = self.st
        docs: np.ndarray | None = None
        for a, b in zip(terms, terms[1:]):
            ids, _ = st.postings("shingles", f"{a} {b}")
            docs = ids if docs is None else np.intersect1d(docs, ids, assume_unique=True)
            if not len(docs):
                return np.zeros(st.N, np.float32)
        match = np.zeros(st.N, bool)
        match[docs] = True
        score = sum(self.term_score(t) for t in terms) / len(terms)
        return np.where(match, score, 0).astype(np.float32)

    def word_clause(self, toks: list, fields: tuple[str, ...] | None = None,
                    alternatives: list[tuple[str, tuple[str, ...]]] | None = None) -> Clause | None:
        r = self.r
        self.term_budget -= 1
        main_terms = [t.text for t in toks if t.kind in (PRIMARY, WHOLE)]
        expansions = [t.text for t in toks if t.kind == EXPANSION]
        joinparts = [t.text for t in toks if t.kind == JOINPART]
        parts = [t.text for t in toks if t.kind == PART]
        surface = next((t.surface for t in toks if t.kind in (PRIMARY, WHOLE)), toks[0].surface)
        self.words_seen.append(surface)
        score = np.zeros(self.st.N, np.float32)
        for t in dict.fromkeys(main_terms):
            score = np.maximum(score, self.term_score(t, fields))
            self.highlight_terms.add(t)
        for t in dict.fromkeys(expansions):
            score = np.maximum(score, r.expansion_weight * self.term_score(t, fields))
            self.highlight_terms.add(t)
        if joinparts and any(t.kind == WHOLE for t in toks):
            sub = [self.term_score(t, fields) for t in dict.fromkeys(joinparts)]
            both = np.logical_and.reduce([s > 0 for s in sub])
            score = np.maximum(score, r.joinpart_weight * np.where(both, sum(sub), 0))
            self.highlight_terms.update(joinparts)
        elif joinparts:  # glued form of a hyphenated word
            for t in dict.fromkeys(joinparts):
                score = np.maximum(score, r.joinpart_weight * self.term_score(t, fields))
        if fields is None and "compounds" in self.st.fields:
            for t in dict.fromkeys(main_terms):
                cs = self.term_score(t, ("compounds",))
                score = np.maximum(score, r.compound_weight * cs)
        if parts and fields is None:
            sub = [self.term_score(t) for t in dict.fromkeys(parts)]
            allp = np.logical_and.reduce([s > 0 for s in sub])
            score = np.maximum(score, r.parts_weight * np.where(allp, sum(sub) / max(1, len(sub)), 0))
            self.highlight_terms.update(parts)
        if not main_terms and not expansions and not joinparts:
            return None
        if alternatives and fields is None:
            used = []
            for alt_surface, terms in alternatives:
                alt = self._alternative_score(terms)
                if alt.any():
                    score = np.maximum(score, r.synonym_weight * alt)
                    self.highlight_terms.update(terms)
                    used.append(alt_surface)
            if used:
                self.synonyms_used.extend(used)
        if (not score.any() and len(main_terms) == 1 and not joinparts and surface.isalpha()
                and len(surface) >= AUTO_FUZZY_MIN and surface not in STOP_WORDS):
            score = self._respell(surface, fields, score)
        return Clause(score, score > 0, surface)

    def _compound_heads(self, surface: str, fields, score: np.ndarray) -> np.ndarray:
        """A word found nowhere that begins compounds of the corpus ("coffeeshops" ->
        "coffeeshopketen"): searched as those compounds (the most frequent few)."""
        st = self.st
        stem = st.analyzer.stem(surface)
        if len(stem) < AUTO_FUZZY_MIN:
            return score
        words = st.words
        heads = sorted((w for w in st.words_with_prefix(stem) if len(w) >= len(stem) + _MIN_PART_TAIL),
                       key=lambda w: (-words[w], w))[:5]
        used = list(heads)
        for w in used:
            score = self._alternative(w, self.r.compound_weight, fields, score)
        if used:
            self.respelled.append(surface)
            self.notes.append(f"'{surface}' komt niet los voor; gezocht op {', '.join(repr(u) for u in used)}")
        return score

    def _alternative(self, word: str, weight: float, fields, score: np.ndarray) -> np.ndarray:
        """Fold a stand-in word for an unmatched query word into ``score`` at ``weight``."""
        for t in self.st.analyzer.tokens(word, with_parts=False):
            if t.kind in (PRIMARY, WHOLE):
                score = np.maximum(score, weight * self.term_score(t.text, fields))
                self.highlight_terms.add(t.text)
        return score

    def _respell(self, surface: str, fields, score: np.ndarray) -> np.ndarray:
        """A word found nowhere (a typo: "ketenmarniers") is searched as its closest known spellings."""
        st = self.st
        if surface in st.words:
            return score
        cands = st.close_words(surface, 1 if len(surface) < 8 else 2, limit=8)
        if not cands:
            return self._compound_heads(surface, fields, score)
        best = cands[0][1]
        used = []
        for c, dist, _ in cands:
            if dist > best or len(used) >= 3:
                break
            score = self._alternative(c, self.r.fuzzy_weight, fields, score)
            used.append(c)
        if used:
            self.respelled.append(surface)
            self.notes.append(f"'{surface}' komt niet voor; gezocht op {', '.join(repr(u) for u in used)}")
        return score

    def entity_clause(self, eid: str) -> tuple[np.ndarray, np.ndarray]:
        st = self.st
        ids, sal = st.entity_docs(eid)
        score = np.zeros(st.N, np.float32)
        match = np.zeros(st.N, bool)
        if len(ids):
            k1 = self.r.k1
            s = sal * (k1 + 1) / (sal + k1)
            score[ids] = self.r.entity_weight * self.idf(len(ids)) * s
            match[ids] = True
        return score, match

    def phrase_clause(self, text: str) -> Clause | None:
        st = self.st
        toks = [t for t in st.analyzer.tokens(text) if t.kind in (PRIMARY, WHOLE)]
        if not toks:
            return None
        # one primary term per position
        seq: list[str] = []
        last = None
        for t in toks:
            if t.pos != last:
                seq.append(t.text)
                last = t.pos
        self.term_budget -= len(seq)
        self.highlight_terms.update(seq)
        scores = [self.term_score(t) for t in seq]
        score = sum(scores)
        if len(seq) == 1:
            self.words_seen.append(toks[0].surface or seq[0])
            return Clause(score, score > 0, f'"{text}"')
        match = np.zeros(st.N, bool)
        docs: np.ndarray | None = None
        for a, b in zip(seq, seq[1:]):
            ids, _ = st.postings("shingles", f"{a} {b}")
            docs = ids if docs is None else np.intersect1d(docs, ids, assume_unique=True)
            if not len(docs):
                break
        if docs is not None and len(docs):
            match[docs] = True
        score = np.where(match, score * 1.5, 0).astype(np.float32)
        self.described.append(f'woordgroep "{text}"')
        return Clause(score, match, f'"{text}"')

    def prefix_clause(self, text: str) -> Clause | None:
        st = self.st
        pref = fold(text)
        with st.lock:
            try:
                terms = list(st.reader.expand_prefix("text", pref))
            except Exception:
                terms = []
        terms = [t.decode("utf-8") if isinstance(t, bytes) else t for t in terms]
        if len(terms) > MAX_EXPANSIONS:
            with st.lock:
                df = {t: st.reader.doc_frequency("text", t) for t in terms}
            terms.sort(key=lambda t: (-df[t], t))
            terms = terms[:MAX_EXPANSIONS]
            self.notes.append(f"'{text}*' uitgebreid tot de {MAX_EXPANSIONS} meest voorkomende termen")
        self.term_budget -= 1
        score = np.zeros(st.N, np.float32)
        for t in terms:
            score = np.maximum(score, self.r.prefix_weight * self.term_score(t))
        self.highlight_terms.update(terms)
        self.described.append(f"woorden die beginnen met '{text}'")
        return Clause(score, score > 0, f"{text}*")

    def fuzzy_clause(self, text: str, dist: int) -> Clause | None:
        st = self.st
        w = fold(text)
        cands = [w] + [c for c, _, _ in st.close_words(w, dist, limit=20)]
        self.term_budget -= 1
        score = np.zeros(st.N, np.float32)
        used = []
        for c in cands:
            for t in st.analyzer.tokens(c):
                if t.kind in (PRIMARY, WHOLE):
                    weight = 1.0 if c == w else self.r.fuzzy_weight
                    score = np.maximum(score, weight * self.term_score(t.text))
                    self.highlight_terms.add(t.text)
                    used.append(c)
        self.described.append(f"woorden die lijken op '{text}'" + (f" ({', '.join(used[:5])})" if used else ""))
        return Clause(score, score > 0, f"{text}~")

    # -- filters ----------------------------------------------------------------------------
    def filter_mask(self, fld: str, value: Any) -> np.ndarray:
        st = self.st
        values = value if isinstance(value, (list, tuple, set)) else [value]
        mask = np.zeros(st.N, bool)
        for v in values:
            v = str(v).strip()
            if not v:
                continue
            if fld == "document":
                idx = st.doc_pos.get(v)
                if idx is None:  # by title words / id prefix
                    cands = [i for i, d in enumerate(st.documents)
                             if fold(v) in fold(d["id"]) or fold(v) in fold(d["title"] or "")]
                else:
                    cands = [idx]
                if not cands:
                    self.notes.append(f"onbekend document '{v}'")
                for i in cands:
                    mask |= st.doc == i
                self.filters.append(f"document {v}")
            elif fld == "type":
                hits = [i for i, k in enumerate(st.kinds) if k and fold(k) == fold(v)]
                if not hits:
                    self.notes.append(f"onbekend documenttype '{v}'")
                for i in hits:
                    mask |= st.kind == i
                self.filters.append(f"type {v}")
            elif fld == "entity":
                eid = st.matcher.resolve(v)
                if eid is None:
                    self.notes.append(f"onbekende entiteit '{v}'")
                else:
                    ids, _ = st.entity_docs(eid)
                    mask[ids] = True
                    self.highlight_entities.add(eid)
                    self.filter_entities.append(eid)
                    ent = st.entities[st.ent_pos[eid]]
                    self.filters.append(f"entiteit {ent['name']}")
            elif fld == "entity_type":
                hits = [i for i, l in enumerate(st.labels) if l.lower() == v.lower()]
                if not hits:
                    self.notes.append(f"onbekend entiteittype '{v}'")
                for i in hits:
                    mask[st.label_doc[st.label_idx == i]] = True
                self.filters.append(f"entiteittype {v}")
            elif fld == "year":
                lo, hi = _year_range(v)
                if lo is None:
                    self.notes.append(f"jaar '{v}' niet begrepen")
                    continue
                mask |= (st.year >= lo) & (st.year <= hi)
                self.filters.append(f"jaar {v}")
        return mask

    filter_entities: list[str]

    # -- tree -----------------------------------------------------------------------------
    def evaluate(self, node: Node) -> tuple[np.ndarray, np.ndarray, np.ndarray, bool]:
        """(score, match, restrict, has_positive) of a group node."""
        st, r = self.st, self.r
        positives: list[Clause] = []
        required: list[np.ndarray] = []
        restrict = np.ones(st.N, bool)
        for ch in node.children:
            if self.term_budget <= 0 and ch.kind not in ("filter",):
                self.truncated = True
                continue
            if ch.kind == "filter":
                fmask = self.filter_mask(ch.field, ch.text)
                if self.depth == 0:  # a top-level filter: kept per field for disjunctive facets
                    prev = self.field_masks.get(ch.field)
                    self.field_masks[ch.field] = fmask if prev is None else prev & fmask
                else:
                    restrict &= fmask
                if ch.field == "entity" and self.filter_entities:
                    sc, _ = self.entity_clause(self.filter_entities[-1])
                    self.filter_scores.append(sc)
                continue
            if ch.kind == "not":
                inner = ch.children[0]
                saved = (set(self.highlight_terms), set(self.highlight_entities), list(self.words_seen),
                         list(self.described))
                was_not, self.in_not = self.in_not, True
                try:
                    cs = self._node_clauses(inner)
                finally:
                    self.in_not = was_not
                self.highlight_terms, self.highlight_entities, self.words_seen, self.described = saved
                if cs:
                    neg = np.logical_or.reduce([c.match for c in cs])
                    restrict &= ~neg
                    self.described.append(f"zonder '{inner.text or 'groep'}'")
                continue
            cs = self._node_clauses(ch)
            if ch.required:
                for c in cs:
                    required.append(c.match)
            positives.extend(cs)
        if not positives:
            return np.zeros(st.N, np.float32), np.zeros(st.N, bool), restrict, False
        score = np.sum([c.score for c in positives], axis=0)
        matched = np.sum([c.match for c in positives], axis=0)
        n = len(positives)
        if r.coord_power and n > 1:
            score = score * (matched / n) ** r.coord_power
        match = matched > 0
        if r.strict and n > 1:
            all_match = matched == n
            if (all_match & restrict).any():
                match = all_match
        for req in required:
            match &= req
        return score.astype(np.float32), match, restrict, True

    def _node_clauses(self, node: Node) -> list[Clause]:
        if node.kind == "words":
            if node.field == "title":
                return self.clauses_for_words(node.text, fields=("title",))
            return self.clauses_for_words(node.text)
        if node.kind == "phrase":
            c = self.phrase_clause(node.text)
            return [c] if c else []
        if node.kind == "prefix":
            c = self.prefix_clause(node.text)
            return [c] if c else []
        if node.kind == "fuzzy":
            c = self.fuzzy_clause(node.text, node.dist)
            return [c] if c else []
        if node.kind == "or":
            subs = []
            for ch in node.children:
                if ch.kind in ("not", "filter"):
                    continue
                cs = self._node_clauses(ch)
                if cs:
                    subs.append(self._combine(cs))
            if not subs:
                return []
            score = np.sum([s.score for s in subs], axis=0).astype(np.float32)
            match = np.logical_or.reduce([s.match for s in subs])
            self.described.append("een van: " + " | ".join(s.label for s in subs))
            return [Clause(score, match, " OR ".join(s.label for s in subs))]
        if node.kind == "group":
            self.depth += 1
            try:
                score, match, restrict, has = self.evaluate(node)
            finally:
                self.depth -= 1
            if not has:
                return []
            return [Clause(np.where(restrict, score, 0).astype(np.float32), match & restrict, "(groep)")]
        return []

    def _combine(self, cs: list[Clause]) -> Clause:
        """Several clauses as one alternative of an OR (coordination as at the top level)."""
        if len(cs) == 1:
            return cs[0]
        score = np.sum([c.score for c in cs], axis=0).astype(np.float32)
        frac = np.sum([c.match for c in cs], axis=0) / len(cs)
        return Clause((score * frac ** self.r.coord_power).astype(np.float32), frac > 0,
                      " ".join(c.label for c in cs))


def _year_range(v: str) -> tuple[int | None, int | None]:
    v = v.strip()
    m = re.fullmatch(r"(\d{4})", v)
    if m:
        return int(v), int(v)
    m = re.fullmatch(r"(\d{4})\s*(?:-|–|\.\.|tot)\s*(\d{4})", v)
    if m:
        a, b = int(m.group(1)), int(m.group(2))
        return min(a, b), max(a, b)
    m = re.fullmatch(r"(>=|<=|>|<)\s*(\d{4})", v)
    if m:
        y = int(m.group(2))
        return {">": (y + 1, 9999), ">=": (y, 9999), "<": (0, y - 1), "<=": (0, y)}[m.group(1)]
    return None, None


# ---------------------------------------------------------------------------------------
# Snippets
# ---------------------------------------------------------------------------------------
SNIPPET_CHARS = 260


def make_snippet(text: str, spans: list[tuple[int, int]], width: int = SNIPPET_CHARS) -> tuple[str, str]:
    """(html, plain-with-«»): a window of ``text`` around the densest matches, escaped, marked."""
    spans = sorted(spans)
    merged: list[list[int]] = []
    for s, e in spans:
        if merged and s <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], e)
        else:
            merged.append([s, e])
    if len(text) <= width:
        lo, hi = 0, len(text)
    elif not merged:
        lo, hi = 0, width
    else:
        best, best_lo = -1, merged[0][0]
        for i, (s, _) in enumerate(merged):
            lo_c = max(0, s - 40)
            cnt = sum(1 for s2, e2 in merged[i:] if e2 <= lo_c + width)
            if cnt > best:
                best, best_lo = cnt, lo_c
        lo = best_lo
        hi = min(len(text), lo + width)
        lo = max(0, min(lo, hi - width))
    if lo > 0:  # snap to word boundaries
        sp = text.rfind(" ", max(0, lo - 20), lo + 1)
        lo = sp + 1 if sp >= 0 else lo
    if hi < len(text):
        sp = text.find(" ", hi - 20, hi + 20)
        hi = sp if sp > lo else hi
    out_html, out_plain = [], []
    pos = lo
    for s, e in merged:
        if e <= lo or s >= hi:
            continue
        s, e = max(s, lo), min(e, hi)
        out_html.append(html.escape(text[pos:s], quote=False))
        out_plain.append(text[pos:s])
        out_html.append("<mark>" + html.escape(text[s:e], quote=False) + "</mark>")
        out_plain.append("«" + text[s:e] + "»")
        pos = e
    out_html.append(html.escape(text[pos:hi], quote=False))
    out_plain.append(text[pos:hi])
    pre = "… " if lo > 0 else ""
    post = " …" if hi < len(text) else ""
    h = re.sub(r"\s+", " ", pre + "".join(out_html) + post).strip()
    p = re.sub(r"\s+", " ", pre + "".join(out_plain) + post).strip()
    return h, p


#: Highlighting looks at the first this many characters of a passage (passages are short;
#: a rare giant single-block passage would otherwise cost milliseconds per result).
HIGHLIGHT_SCAN_CHARS = 12_000
_PIECES_RE = re.compile(r"[" + re.escape(JOINERS) + r"]+")


def highlight_spans(analyzer: DutchAnalyzer, text: str, terms: set[str], entities: set[str],
                    mention_spans=None, matcher: AliasMatcher | None = None) -> list[tuple[int, int]]:
    """Character spans of the words of ``text`` that analyse to one of ``terms``, plus mentions
    of ``entities`` (stored spans, else found with the alias matcher)."""
    spans: list[tuple[int, int]] = []
    if terms:
        heads = {t[:3] for t in terms} | {t[:2] for t in terms if len(t) <= 2}
        for m in WORD_RE.finditer(text, 0, HIGHLIGHT_SCAN_CHARS):
            raw = m.group()
            w = fold(raw[:4])
            if w[:3] not in heads and w[:2] not in heads:
                if not _PIECES_RE.search(raw) or not any(
                        p[:3] in heads or p[:2] in heads for p in _PIECES_RE.split(fold(raw)) if p):
                    continue
            for t in analyzer.tokens(m.group(), with_parts=False):
                if t.text in terms:
                    spans.append((m.start(), m.end()))
                    break
    if entities:
        if mention_spans is not None:
            spans.extend((s, e) for s, e, eid in mention_spans if eid in entities)
        elif matcher is not None:
            spans.extend((m.char_start, m.char_end) for m in matcher.find(text) if m.entity_id in entities)
    return spans


# ---------------------------------------------------------------------------------------
# Searcher
# ---------------------------------------------------------------------------------------
#: Opened index generations, shared by every Searcher of the process: (index dir, build.json stat) -> state.
_STATES: dict[tuple[str, Any], _State] = {}
_STATES_LOCK = threading.Lock()


def _shared_state(index_dir: Path) -> _State:
    """The opened state of the index generation now in ``index_dir`` (opened once per process)."""
    key = (str(Path(index_dir).resolve()), _stat_key(Path(index_dir) / BUILD_FILE))
    st = _STATES.get(key)
    if st is not None:
        return st
    with _STATES_LOCK:
        st = _STATES.get(key)
        if st is None:
            st = _State(Path(index_dir))
            key = (key[0], st.build_stat)
            for old in [k for k in _STATES if k[0] == key[0] and k != key]:
                del _STATES[old]  # running searches keep their reference; GC closes it later
            _STATES[key] = st
        return st


class Searcher:
    """Thread-safe; cheap to create (the opened index is shared per process); picks up a rebuilt
    index (atomically swapped directory) within ``RECHECK_SECONDS``."""

    RECHECK_SECONDS = 1.0

    def __init__(self, index_dir: Path, store=None, *, ranking: Ranking | None = None) -> None:
        self.index_dir = Path(index_dir)
        self.store = store
        self.ranking = ranking or Ranking()
        self._state: _State | None = None
        self._checked = time.monotonic()
        self._state = self._open()

    def _open(self) -> _State:
        last_exc: Exception | None = None
        for _ in range(50):  # a rebuild may be between its two renames for a moment
            try:
                return _shared_state(self.index_dir)
            except Exception as exc:  # noqa: PERF203
                last_exc = exc
                time.sleep(0.02)
        raise FileNotFoundError(f"{self.index_dir}: no usable search index ({last_exc}); run `beleidsbank build`")

    @property
    def state(self) -> _State:
        now = time.monotonic()
        st = self._state
        if now - self._checked >= self.RECHECK_SECONDS:
            self._checked = now
            key = _stat_key(self.index_dir / BUILD_FILE)
            if key is not None and key != st.build_stat:
                try:
                    self._state = _shared_state(self.index_dir)
                except Exception:  # mid-swap or broken new index: keep serving the old one
                    pass
            st = self._state
        return st

    def refresh(self) -> None:
        self._checked = 0.0
        _ = self.state

    def close(self) -> None:
        """Searchers share the opened index per process; nothing to release per instance."""

    @property
    def doc_count(self) -> int:
        return self.state.N

    # -- public API -----------------------------------------------------------------------
    def search(self, q: str, *, limit: int = 10, offset: int = 0, filters: dict | None = None,
               sort: str = "relevance", facets: bool = True, snippets: bool = True,
               suggest: bool = True) -> dict[str, Any]:
        t0 = time.perf_counter()
        st = self.state
        original_q = q if isinstance(q, str) else ("" if q is None else str(q))
        try:
            limit = max(0, min(int(limit), 1000))
        except (TypeError, ValueError):
            limit = 10
        try:
            offset = max(0, int(offset))
        except (TypeError, ValueError):
            offset = 0
        if sort not in SORTS:
            sort = "relevance"
        notes: list[str] = []
        try:
            ev, score, mask, has_pos, clean = self._run(st, original_q, filters, notes)
        except Exception as exc:  # never fail on input: fall back to plain words
            notes.append(f"zoekvraag niet volledig begrepen ({type(exc).__name__}); gelezen als losse woorden")
            plain = " ".join(re.findall(r"[^\W_]+", original_q))[:MAX_QUERY_CHARS]
            ev, score, mask, has_pos, clean = self._run(st, plain, filters, notes, plain=True)
        cand = np.flatnonzero(mask)
        total = int(len(cand))
        page = self._rank(st, cand, score, sort, has_pos, offset, limit)
        results = [self._result(st, int(d), float(score[d]), ev, snippets) for d in page]
        out: dict[str, Any] = {
            "query": original_q,
            "total": total,
            "results": results,
            "facets": self._disjunctive_facets(st, mask, ev) if facets else {},
            "suggestion": None,
            "interpreted": self._interpreted(ev, notes, clean, has_pos),
            "took_ms": 0.0,
        }
        if suggest and clean.strip():
            out["suggestion"] = self._suggest(st, clean, filters, total, ev)
        out["took_ms"] = round((time.perf_counter() - t0) * 1000, 2)
        return out

    def count(self, q: str, filters: dict | None = None, *, synonyms: bool = True) -> int:
        """Number of passages matching ``q`` (no ranking, snippets or facets)."""
        st = self.state
        try:
            _, _, mask, _, _ = self._run(st, q, filters, [], synonyms=synonyms)
        except Exception:
            return 0
        return int(mask.sum())

    # -- internals ------------------------------------------------------------------------
    def _sanitize(self, q: str, notes: list[str]) -> str:
        q = q.replace("\u00ad", "")
        if _CTRL_RE.search(q):
            q = _CTRL_RE.sub(" ", q)
            notes.append("stuurtekens verwijderd")
        if len(q) > MAX_QUERY_CHARS:
            q = q[:MAX_QUERY_CHARS]
            q = q[: q.rfind(" ")] if " " in q[-50:] else q
            notes.append(f"zoekvraag ingekort tot de eerste {MAX_QUERY_CHARS} tekens")
        return re.sub(r"\s+", " ", q).strip()

    def _run(self, st: _State, q: str, filters: dict | None, notes: list[str], plain: bool = False,
             synonyms: bool = True):
        clean = self._sanitize(q, notes)
        ev = _Eval(st, self.ranking, notes)
        ev.use_synonyms = synonyms
        ev.filter_entities = []
        ev.filter_scores = []
        if plain:
            tree = Node("group", children=[Node("words", text=clean)] if clean else [])
        else:
            tree = _merge_words(_Parser(clean, notes).parse())
            # the parser wraps a plain query in two groups: unwrap, so its filters are top-level
            # (facets, and filter-only queries such as "entiteit:IND jaar:2020")
            while (tree.kind == "group" and len(tree.children) == 1 and tree.children[0].kind == "group"
                   and not tree.children[0].required):
                tree = tree.children[0]
        score, match, restrict, has_pos = ev.evaluate(tree)
        for key, value in (filters or {}).items():
            fld = {"document": "document", "type": "type", "kind": "type", "entity": "entity",
                   "entity_type": "entity_type", "year": "year", "jaar": "year"}.get(key)
            if fld is None or value in (None, "", [], ()):
                if fld is None and value not in (None, "", [], ()):
                    notes.append(f"onbekend filter '{key}' genegeerd")
                continue
            fmask = ev.filter_mask(fld, value)
            prev = ev.field_masks.get(fld)
            ev.field_masks[fld] = fmask if prev is None else prev & fmask
            if fld == "entity" and ev.filter_entities:
                sc, _ = ev.entity_clause(ev.filter_entities[-1])
                ev.filter_scores.append(sc)
        # ``base``: what matches before the facet-field filters; each facet counts over ``base``
        # with every filter except its own ("disjunctive" facets: a chosen document keeps the other
        # documents listed with the counts they would have)
        base = (match & restrict) if has_pos else (restrict if ev.filters else np.zeros(st.N, bool))
        restrict = restrict.copy()
        for fmask in ev.field_masks.values():
            restrict &= fmask
        ev.base_mask = base
        if has_pos:
            mask = match & restrict
        elif ev.filters:
            mask = restrict
            if ev.filter_scores:
                score = np.sum(ev.filter_scores, axis=0).astype(np.float32)
        else:
            mask = np.zeros(st.N, bool)
        if ev.truncated:
            notes.append(f"zoekvraag ingekort tot de eerste {MAX_TERMS} termen")
        return ev, score, mask, has_pos, clean

    def _rank(self, st: _State, cand: np.ndarray, score: np.ndarray, sort: str, has_pos: bool,
              offset: int, limit: int) -> np.ndarray:
        if not len(cand) or limit == 0 or offset >= len(cand):
            return np.empty(0, np.int64)
        k = offset + limit
        if sort == "date":
            keys = (st.order_rank[cand], -st.year[cand].astype(np.int64))
            order = np.lexsort(keys)
            return cand[order][offset:k]
        s = score[cand]
        if len(cand) > k * 4 and k < len(cand):
            part = np.argpartition(-s, k - 1)[:k]
            thresh = s[part].min()
            sel = cand[s >= thresh]
            s2 = score[sel]
            order = np.lexsort((st.order_rank[sel], -s2))
            return sel[order][offset:k]
        order = np.lexsort((st.order_rank[cand], -s))
        return cand[order][offset:k]

    def _result(self, st: _State, docnum: int, score: float, ev: _Eval, snippets: bool) -> dict[str, Any]:
        with st.lock:
            sf = st.searcher.stored_fields(docnum)
        text = sf.get("text", "")
        ents = []
        for eid in (sf.get("entities") or "").split():
            i = st.ent_pos.get(eid)
            if i is not None:
                e = st.entities[i]
                ents.append({"id": e["id"], "label": e["label"], "name": e["name"]})
        snippet = ""
        if snippets:
            snippet = self._snippet(st, text, ev, sf.get("spans"))
        path = sf.get("path") or []
        if isinstance(path, str):
            path = [p for p in path.split(" / ") if p]
        return {
            "id": sf.get("id"),
            "section_id": sf.get("section_id"),
            "document": sf.get("document"),
            "document_title": sf.get("document_title"),
            "title": sf.get("title"),
            "path": list(path),
            "score": round(score, 4),
            "snippet": snippet,
            "text": text,
            "entities": ents,
            "anchor": sf.get("anchor") or "",
            "block_start": sf.get("block_start"),
            "block_end": sf.get("block_end"),
            "char_start": sf.get("char_start"),
            "char_end": sf.get("char_end"),
            "year": sf.get("year") or None,
            "kind": sf.get("kind") or None,
        }

    def _snippet(self, st: _State, text: str, ev: _Eval, mention_spans=None) -> str:
        return make_snippet(text, highlight_spans(st.analyzer, text, ev.highlight_terms, ev.highlight_entities,
                                                  mention_spans, st.matcher))[0]

    def _disjunctive_facets(self, st: _State, mask: np.ndarray, ev: "_Eval") -> dict[str, list[dict[str, Any]]]:
        """Facets of ``mask``, except that a facet whose own field is filtered counts over the
        results of all *other* filters, so its unchosen values stay listed (and can be added:
        values of one field are OR-ed)."""
        out = self._facets(st, mask)
        fm = getattr(ev, "field_masks", None) or {}
        base = getattr(ev, "base_mask", None)
        if base is None or not fm:
            return out
        for fld in fm:
            if fld not in out:
                continue
            m = base.copy()
            for other, om in fm.items():
                if other != fld:
                    m &= om
            out[fld] = self._facets(st, m)[fld]
        return out

    def _facets(self, st: _State, mask: np.ndarray) -> dict[str, list[dict[str, Any]]]:
        out: dict[str, list[dict[str, Any]]] = {}
        if not mask.any():
            return {"document": [], "type": [], "entity_type": [], "entity": [], "year": []}
        dc = np.bincount(st.doc[mask], minlength=len(st.documents))
        top_docs = [int(i) for i in np.argsort(-dc, kind="stable")[:MAX_FACET_VALUES] if dc[i]]
        out["document"] = sorted(
            ({"value": st.documents[i]["id"], "label": st.documents[i]["title"], "count": int(dc[i])}
             for i in top_docs), key=lambda x: (-x["count"], x["label"]))
        kc = np.bincount(st.kind[mask], minlength=len(st.kinds))
        out["type"] = sorted(({"value": st.kinds[i], "label": st.kinds[i] or "onbekend", "count": int(c)}
                              for i, c in enumerate(kc) if c), key=lambda x: (-x["count"], x["label"]))
        if len(st.label_doc):
            lc = np.bincount(st.label_idx[mask[st.label_doc]], minlength=len(st.labels))
        else:
            lc = np.zeros(len(st.labels), int)
        out["entity_type"] = sorted(({"value": st.labels[i], "label": _label_nl(st.labels[i]), "count": int(c)}
                                     for i, c in enumerate(lc) if c), key=lambda x: (-x["count"], x["label"]))
        if len(st.ent_doc):
            ec = np.bincount(st.ent_idx[mask[st.ent_doc]], minlength=len(st.entities))
            top = np.argsort(-ec, kind="stable")[:MAX_FACET_VALUES]
            out["entity"] = [{"value": st.entities[i]["id"], "label": st.entities[i]["name"],
                              "entity_type": st.entities[i]["label"], "count": int(ec[i])} for i in top if ec[i]]
        else:
            out["entity"] = []
        years, yc = np.unique(st.year[mask], return_counts=True)
        out["year"] = sorted(({"value": int(y), "label": str(int(y)) if y else "onbekend", "count": int(c)}
                              for y, c in zip(years, yc)), key=lambda x: -x["value"])
        return out

    def _interpreted(self, ev: _Eval, notes: list[str], clean: str, has_pos: bool) -> str:
        parts = []
        words = [w for w in ev.words_seen if w]
        if words:
            parts.append("woorden: " + ", ".join(dict.fromkeys(words)))
        parts.extend(dict.fromkeys(ev.described))
        if ev.synonyms_used:
            parts.append("ook gezocht naar: " + ", ".join(dict.fromkeys(ev.synonyms_used)))
        if ev.filters:
            parts.append("filters: " + "; ".join(dict.fromkeys(ev.filters)))
        if not clean.strip():
            head = "Lege zoekvraag: geen resultaten."
        elif not has_pos and not ev.filters:
            stop_only = all(fold(w) in STOP_WORDS for w in re.findall(r"[^\W_]+", clean)) and re.search(r"\w", clean)
            head = ("Alleen stopwoorden: daar wordt niet op gezocht." if stop_only
                    else "Geen zoektermen gevonden in de zoekvraag.")
        else:
            head = "Gezocht op " + "; ".join(parts) + "." if parts else "Gezocht."
            if has_pos and len(ev.words_seen) > 1 and not self.ranking.strict:
                head += " Passages met alle woorden eerst."
        if notes:
            head += " Let op: " + "; ".join(dict.fromkeys(notes)) + "."
        return head

    def _suggest(self, st: _State, clean: str, filters: dict | None, total: int, ev: _Eval) -> str | None:
        # a misspelt word is suggested as it would be without its synonyms' matches
        base_total = self.count(clean, filters, synonyms=False) if ev.synonyms_used and total > 5 else total
        if base_total > 5 and not ev.respelled:
            return None
        words = st.words
        changed = False
        out = []
        for m in re.finditer(r'[^\s"()]+', clean):
            tok = m.group()
            core = re.sub(r"[*~\d]+$", "", tok) if not tok.isdigit() else tok
            w = fold(core)
            if (len(w) >= 4 and w.isalpha() and w not in words and w not in STOP_WORDS
                    and tok not in ("AND", "OR", "NOT") and ":" not in tok):
                cands = st.close_words(w, 2 if len(w) >= 6 else 1, limit=3)
                if cands:
                    best = cands[0][0]
                    out.append(best if core == core.lower() else best.capitalize() if core[:1].isupper() else best)
                    changed = True
                    continue
            out.append(tok)
        if not changed:
            return None
        suggestion = " ".join(out)
        if suggestion == clean:
            return None
        new_total = self.count(suggestion, filters)
        if new_total == 0 or (total > 0 and new_total < total):
            return None
        return suggestion


def _label_nl(label: str) -> str:
    try:
        from kb.catalogue import LABEL_NAMES_NL
        return LABEL_NAMES_NL.get(label, label)
    except Exception:  # pragma: no cover
        return label


def search_json(searcher: Searcher, q: str, limit: int = 10, offset: int = 0, *, filters: dict | None = None,
                sort: str = "relevance") -> str:
    """The search result as a JSON string (CLI and API)."""
    return json.dumps(searcher.search(q, limit=limit, offset=offset, filters=filters, sort=sort),
                      ensure_ascii=False)
