"""One opened index generation: the Whoosh index, its per-passage arrays and caches.

Everything backend-specific (Whoosh readers, leaf matchers, the files ``indexer.build``
writes) stays in this module; scoring, facets and the searcher only use :class:`IndexState`'s
arrays and :meth:`IndexState.postings`.  A second backend would be a second state class with
the same attributes.

A generation is opened once per process and shared by every Searcher (``shared_state``);
a rebuilt index (atomically swapped directory, new ``build.json``) is a new generation.
"""
from __future__ import annotations

import json
import os
import sqlite3
import threading
from collections import OrderedDict
from pathlib import Path
from typing import Any

import numpy as np
from whoosh import index as windex
from whoosh.matching import ListMatcher

from indexer.analysis import DutchAnalyzer, shingle_key
from indexer.array_cache import ArrayCache
from indexer.build import BUILD_FILE, SHINGLES_FILE
from indexer.build_info import INDEX_FORMAT
from indexer.entities import AliasMatcher
from indexer.leaf_postings import LeafPostings
from indexer.schema import passage_text, unpack_passage
from indexer.segments import LENGTH_TABLE, shingle_table
from kb.passage_ids import passage_id
from indexer.spelling import Spelling
from kb.store_sections import section_brief_at
from nltext.bm25 import inverse_length_norm
from settings import Limits

#: the scored text fields, in the order the ranking weighs them
SCORED_FIELDS = ("text", "title", "path", "document_title", "entity_names", "compounds")
#: ``order`` (see indexer.build) is document * 10**9 + section order * 10**4 + passage number
_SECTION_DIV = 10**4
#: The section filter's field: not indexed (see :meth:`IndexState._section_postings`), nor stored
#: (the passage's section is its document's section of the order key's section number).
SECTION_FIELD = "section_id"
#: sections kept read from the knowledge base (a result page's passages and their neighbours)
_SECTION_CACHE_MAX = 256
#: the pseudo-field of word bigrams (phrase search), answered from the phrase table
SHINGLES = "shingles"


class IndexState:
    """Everything opened for one index generation (immutable after load, plus caches)."""

    def __init__(self, index_dir: Path) -> None:
        self.index_dir = index_dir
        self.build_stat = stat_key(index_dir / BUILD_FILE)
        self.info = json.loads((index_dir / BUILD_FILE).read_text(encoding="utf-8"))
        if self.info.get("format") != INDEX_FORMAT:
            raise ValueError(f"{index_dir}: index format {self.info.get('format')}, this version reads format "
                             f"{INDEX_FORMAT}: rebuild the index (`beleidsbank build`)")
        self.ix = windex.open_dir(str(index_dir))
        self.searcher = self.ix.searcher()
        self.reader = self.searcher.reader()
        self.leaves = list(self.reader.leaf_readers()) if not self.reader.is_atomic() else [(self.reader, 0)]
        self.schema = self.ix.schema
        self.leaf_postings = LeafPostings(self.leaves, self.schema, _whoosh_postings)
        self.analyzer: DutchAnalyzer = self.schema["text"].analyzer
        self.meta = json.loads((index_dir / "meta.json").read_text(encoding="utf-8"))
        #: the knowledge base the index was built from (recorded relative to the index folder)
        self.kb_path = (Path(index_dir) / self.info.get("kb", "")).resolve()
        # stored narrow (indexer.build._assemble), used as int32 / float32
        arrays = np.load(index_dir / "arrays.npz")
        wide = {k: arrays[k].astype(np.int32) for k in arrays.files if not k.startswith("lenb_") and k != "within"}
        self.N = int(self.reader.doc_count_all())
        self.doc = wide["doc"]
        self.kind = wide["kind"]
        self.year = wide["year"]
        self.order = self.doc.astype(np.int64) * 10**9 + arrays["within"].astype(np.int64)
        self.ent_doc = wide["ent_doc"]
        self.ent_idx = wide["ent_idx"]
        self.label_doc = wide["label_doc"]
        self.label_idx = wide["label_idx"]
        self.lengths = {k[5:]: LENGTH_TABLE[arrays[k]] for k in arrays.files if k.startswith("lenb_")}
        self.stmt_doc = wide["stmt_doc"]
        self.stmt_idx = wide["stmt_idx"]
        self.stmt_count = wide["stmt_count"]
        self.fields = [f for f in SCORED_FIELDS if f in self.schema.names()]
        self.documents = self.meta["documents"]
        self.doc_ids = [d["id"] for d in self.documents]
        self.doc_pos = {d: i for i, d in enumerate(self.doc_ids)}
        self.kinds = self.meta["kinds"]
        self.labels = self.meta["labels"]
        self.entities = self.meta["entities"]
        self.ent_pos = {e["id"]: i for i, e in enumerate(self.entities)}
        self.statement_kinds: list[str] = self.meta.get("statement_kinds", [])
        self.matcher = AliasMatcher(self.entities)
        self.spelling = Spelling(index_dir / "words.json")
        # the buckets' phrase tables (indexer.segments), mapped, not read: pages come in as needed
        self.shingle_tables = [(shingle_table(index_dir, name), base) for name, base in
                               json.loads((index_dir / SHINGLES_FILE).read_text(encoding="utf-8"))]
        #: decoded postings ((field, term) -> (docnums, weights)) and terms' scores (indexer.scoring),
        #: kept across queries within ``Limits.search_cache_mb``
        self.cache = ArrayCache(Limits().search_cache_mb * 2**20)
        #: work done, for benchmarks and cost tests: terms read from the index and postings decoded
        self.work = {"terms_read": 0, "postings_read": 0}
        self.norm_cache: dict[tuple[str, float, float], np.ndarray] = {}
        self.ent_docs_cache: dict[str, tuple[np.ndarray, np.ndarray]] = {}
        self.lock = threading.RLock()
        self._kb: sqlite3.Connection | None = None
        self._sections: OrderedDict[tuple[int, int], tuple[str, str, str, list[str], str]] = OrderedDict()
        # stop-ordering tie-break: rank position of every doc in document order
        self.order_rank = np.argsort(np.argsort(self.order, kind="stable"), kind="stable").astype(np.int64)
        # the section of every passage (windows of one section share it), for grouping hits
        self.section = (self.order // _SECTION_DIV).astype(np.int64)

    def close(self) -> None:
        try:
            self.searcher.close()
            if self._kb is not None:
                self._kb.close()
        except Exception:  # pragma: no cover
            pass

    # -- postings -------------------------------------------------------------------------
    def postings(self, fieldname: str, term: str) -> tuple[np.ndarray, np.ndarray]:
        """(docnums, weights) of ``term`` in ``fieldname``, read once per generation and cached."""
        key = ("postings", fieldname, term)
        hit = self.cache.get(key)
        if hit is not None:
            return hit
        if fieldname == SHINGLES:
            res = self._shingle_postings(term)
        elif fieldname == SECTION_FIELD:
            res = self._section_postings(term)
        else:
            with self.lock:
                res = self.leaf_postings.read(fieldname, term)
            self.work["terms_read"] += 1
            self.work["postings_read"] += len(res[0])
        return self.cache.put(key, res)

    def frequent_terms(self, min_df: int) -> list[tuple[str, str, int]]:
        """(field, term, df) of the scored fields' terms held by at least ``min_df`` passages, most
        frequent first."""
        with self.lock:
            found = self.leaf_postings.frequent_terms(min_df)
        return [(f, t, df) for f, t, df in found if f in self.fields]

    def _shingle_postings(self, bigram: str) -> tuple[np.ndarray, np.ndarray]:
        """The passages holding the word bigram ``"a b"`` (sorted, unique), weight 1 each."""
        k = shingle_key(bigram)
        found = []
        for table, base in self.shingle_tables:
            docs = table.passages(k)
            if len(docs):
                found.append(docs + base)
        ids = np.concatenate(found) if found else np.empty(0, np.int64)
        return ids, np.ones(len(ids), np.float32)

    def _section_postings(self, section_id: str) -> tuple[np.ndarray, np.ndarray]:
        """The passages of one section, weight 1 each: the section's (document, ord) from the knowledge
        base matched against the passages' order keys (an indexed id field cost ~150 bytes a section)."""
        with self.lock:
            row = self._kb_conn().execute("SELECT document_id, ord FROM sections WHERE id = ?",
                                          (section_id,)).fetchone()
        pos = self.doc_pos.get(row[0]) if row is not None else None
        if pos is None:
            return np.empty(0, np.int64), np.empty(0, np.float32)
        key = (pos * 10**9 + int(row[1]) * _SECTION_DIV) // _SECTION_DIV  # the order key's section part
        ids = np.flatnonzero(self.section == key).astype(np.int64)
        return ids, np.ones(len(ids), np.float32)

    def inv_norm(self, fieldname: str, b: float, min_length: float = 0.0) -> np.ndarray:
        """BM25 length normalisation ``1 / (1 - b + b * len / avglen)`` of every passage."""
        key = (fieldname, b, min_length)
        arr = self.norm_cache.get(key)
        if arr is None:
            lens = self.lengths.get(fieldname)
            if lens is None or not len(lens):
                arr = np.ones(self.N, np.float32)
            else:
                arr = inverse_length_norm(lens, b, min_length=min_length)
            self.norm_cache[key] = arr
        return arr

    def entity_docs(self, eid: str) -> tuple[np.ndarray, np.ndarray]:
        """Passages mentioning the entity and their salience counts."""
        hit = self.ent_docs_cache.get(eid)
        if hit is None:
            hit = self.postings("salience", eid)
            self.ent_docs_cache[eid] = hit
        return hit

    def statement_docs(self, kind: str) -> tuple[np.ndarray, np.ndarray]:
        """Passages holding statements of ``kind`` and how many."""
        if kind not in self.statement_kinds:
            return np.empty(0, np.int64), np.empty(0, np.float32)
        sel = self.stmt_idx == self.statement_kinds.index(kind)
        return self.stmt_doc[sel].astype(np.int64), self.stmt_count[sel].astype(np.float32)

    def prefix_terms(self, fieldname: str, prefix: str) -> list[str]:
        """Indexed terms of ``fieldname`` that start with ``prefix``."""
        with self.lock:
            try:
                terms = list(self.reader.expand_prefix(fieldname, prefix))
            except Exception:
                terms = []
        return [t.decode("utf-8") if isinstance(t, bytes) else t for t in terms]

    def doc_frequency(self, fieldname: str, term: str) -> int:
        with self.lock:
            return int(self.reader.doc_frequency(fieldname, term))

    def stored(self, docnum: int, *, texts: bool = True) -> dict[str, Any]:
        """The fields of one passage: its stored record (:func:`indexer.schema.unpack_passage`) with what
        the index derives instead of storing (see :func:`indexer.schema.make_schema`): the section (id,
        ``text``, ``title``, ``path``, ``document_title``) from the knowledge base the index was built
        from, by document and section number; the passage ``id`` and ``anchor``; the document, kind,
        year and entities from the per-passage arrays.  ``texts=False``: without the section's texts
        (its id, section and offsets only; no section text is read)."""
        with self.lock:
            record = self.searcher.stored_fields(docnum).get("passage")
            sf = unpack_passage(record) if record is not None else {}
            doc = int(self.doc[docnum])
            ord_ = int(self.order[docnum] % 10**9) // _SECTION_DIV
            lead = sf.pop("lead", "")
            if texts:
                sid, text, title, path, doc_title = self._section(doc, ord_)
                sf.update(text=passage_text(text, lead, sf.get("char_start") or 0, sf.get("char_end") or 0),
                          title=title, path=path, document_title=doc_title)
            else:
                sid = self._section_id(doc, ord_)
        b0, b1 = sf.get("block_start") or 0, sf.get("block_end", -1)
        sf.update(
            section_id=sid, id=passage_id(sid, b0 if sf.pop("split", False) else None),
            anchor=f"p{b0}" if b1 >= b0 else "",
            document=self.doc_ids[doc], kind=self.kinds[int(self.kind[docnum])], year=int(self.year[docnum]),
            entities=" ".join(self.passage_entities(docnum)),
        )
        return sf

    def passage_entities(self, docnum: int) -> list[str]:
        """The ids of the entities of one passage (mentioned in it or in its section's heading), sorted."""
        lo, hi = np.searchsorted(self.ent_doc, [docnum, docnum + 1])
        return sorted(self.entities[int(i)]["id"] for i in self.ent_idx[lo:hi])

    def _kb_conn(self) -> sqlite3.Connection:
        """The knowledge base the index was built from, read-only (opened on first use)."""
        if self._kb is None:
            self._kb = sqlite3.connect(f"file:{self.kb_path}?mode=ro", uri=True, check_same_thread=False)
        return self._kb

    def _section_id(self, doc: int, ord_: int) -> str:
        """The id of section number ``ord_`` of document ``doc`` (from the cached section, or the
        knowledge base's index on document and order: no text read)."""
        hit = self._sections.get((doc, ord_))
        if hit is not None:
            return hit[0]
        row = self._kb_conn().execute("SELECT id FROM sections WHERE document_id = ? AND ord = ?",
                                      (self.doc_ids[doc], ord_)).fetchone()
        if row is None:
            raise LookupError(f"{self.kb_path}: section {ord_} of document {self.doc_ids[doc]} of the index is not "
                              "in the knowledge base")
        return row[0]

    def _section(self, doc: int, ord_: int) -> tuple[str, str, str, list[str], str]:
        """(id, text, title, path, document title) of section number ``ord_`` of document ``doc``
        (position in ``doc_ids``), from the knowledge base (cached)."""
        key = (doc, ord_)
        hit = self._sections.get(key)
        if hit is not None:
            self._sections.move_to_end(key)
            return hit
        hit = section_brief_at(self._kb_conn(), self.doc_ids[doc], ord_)
        if hit is None:
            raise LookupError(f"{self.kb_path}: section {ord_} of document {self.doc_ids[doc]} of the index is not "
                              "in the knowledge base")
        self._sections[key] = hit
        if len(self._sections) > _SECTION_CACHE_MAX:
            self._sections.popitem(last=False)
        return hit


def _whoosh_postings(leaf, offset: int, fieldname: str, term: str) -> tuple[np.ndarray, np.ndarray] | None:
    """One segment's postings of a term read through Whoosh (segments :mod:`indexer.leaf_postings`
    does not read directly); None when the term is not there."""
    try:
        if (fieldname, term) not in leaf:
            return None
        m = leaf.postings(fieldname, term)
    except Exception:
        return None
    return _read_matcher(m)


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
    if isinstance(m, ListMatcher):  # inlined postings (a FilterMatcher's ``_ids`` are the deleted docs)
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


def stat_key(path: Path):
    """Identity of a file version (inode, mtime, size), or None when it is missing."""
    try:
        st = os.stat(path)
        return (st.st_ino, st.st_mtime_ns, st.st_size)
    except OSError:
        return None


#: Opened index generations, shared by every Searcher of the process: (index dir, build.json stat) -> state.
_STATES: dict[tuple[str, Any], IndexState] = {}
_STATES_LOCK = threading.Lock()


def shared_state(index_dir: Path) -> IndexState:
    """The opened state of the index generation now in ``index_dir`` (opened once per process)."""
    key = (str(Path(index_dir).resolve()), stat_key(Path(index_dir) / BUILD_FILE))
    st = _STATES.get(key)
    if st is not None:
        return st
    with _STATES_LOCK:
        st = _STATES.get(key)
        if st is None:
            st = IndexState(Path(index_dir))
            key = (key[0], st.build_stat)
            for old in [k for k in _STATES if k[0] == key[0] and k != key]:
                del _STATES[old]  # running searches keep their reference; GC closes it later
            _STATES[key] = st
        return st


def forget_other_states(keep: Path) -> None:
    """Drop the opened states of every index folder outside ``keep`` (a published generation): the
    web app calls this when a build publishes a new generation, whose folder name never comes back."""
    prefix = str(Path(keep).resolve())
    with _STATES_LOCK:
        for key in [k for k in _STATES if not k[0].startswith(prefix)]:
            del _STATES[key]  # running searches keep their reference
