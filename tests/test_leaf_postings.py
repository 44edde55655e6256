"""indexer.leaf_postings reads exactly what Whoosh reads: every term of every scored field of the
session's index (lists inlined in the term table and lists of several blocks), and a segment with
deleted documents (read through Whoosh)."""
from __future__ import annotations

from pathlib import Path

import numpy as np
from whoosh import fields, index as windex

from indexer.codec import INLINE_LIMIT, LeanCodec, WeightedTerms
from indexer.leaf_postings import LeafPostings, _Segment
from indexer.state import IndexState, _whoosh_postings


def _whoosh(leaves, fieldname: str, term: str) -> tuple[np.ndarray, np.ndarray]:
    parts = [(r[0] + off, r[1]) for leaf, off in leaves
             for r in [_whoosh_postings(leaf, off, fieldname, term)] if r is not None and len(r[0])]
    if not parts:
        return np.empty(0, np.int64), np.empty(0, np.float32)
    return np.concatenate([p[0] for p in parts]), np.concatenate([p[1] for p in parts])


def test_every_term_of_the_built_index_reads_as_whoosh_reads_it(kb) -> None:
    st = IndexState(Path(kb["index"]))
    try:
        assert st.leaf_postings.segments and all(isinstance(s, _Segment) for s in st.leaf_postings.segments)
        checked = several = inlined = 0
        indexed = [f for f in [*st.fields, "salience", "section_id"] if f in st.schema and st.schema[f].indexed]
        assert "text" in indexed and "salience" in indexed
        for fieldname in indexed:
            for term in {t for leaf, _ in st.leaves for t in leaf.lexicon(fieldname)}:
                term = term.decode("utf-8") if isinstance(term, bytes) else term
                ids, ws = st.leaf_postings.read(fieldname, term)
                want_ids, want_ws = _whoosh(st.leaves, fieldname, term)
                assert ids.dtype == np.int32 and ws.dtype == np.float32
                assert np.array_equal(ids, want_ids) and np.array_equal(ws, want_ws), (fieldname, term)
                checked += 1
                several += len(ids) > 128  # from several segments, or blocks (see the test below)
                inlined += 0 < len(ids) < INLINE_LIMIT  # in the term table (LeanTermInfo), unless in several segments
        assert checked > 1000 and several >= 5 and inlined > 500
        assert len(st.leaf_postings.read("text", "zzzgeenwoordzzz")[0]) == 0
        assert len(st.leaf_postings.read("no_such_field", "wet")[0]) == 0
    finally:
        st.close()


def test_lists_of_many_blocks_and_inlined_lists_read_as_whoosh_reads_them(tmp_path: Path) -> None:
    """LeanCodec with small blocks: lists of one to many blocks, counts and float weights."""
    schema = fields.Schema(text=fields.TEXT, title=fields.TEXT)
    schema["text"].format = WeightedTerms()
    schema["title"].format = WeightedTerms(field_boost=1.5)  # weights that are not counts
    ix = windex.create_in(str(tmp_path), schema)
    with ix.writer(codec=LeanCodec(blocklimit=16)) as w:
        for i in range(300):
            w.add_document(text=f"wet {'lid ' * (1 + i)}" + ("geit " if i % 7 == 0 else "schaap ") + f"w{i % 40}",
                           title=f"t{i % 50} t{i % 3}")
    with ix.searcher() as searcher:
        reader = searcher.reader()
        leaves = list(reader.leaf_readers()) if not reader.is_atomic() else [(reader, 0)]
        lp = LeafPostings(leaves, ix.schema, _whoosh_postings)
        assert all(isinstance(s, _Segment) for s in lp.segments)
        sizes = []
        for fieldname in ("text", "title"):
            for term in {t.decode("utf-8") for t in reader.lexicon(fieldname)}:
                ids, ws = lp.read(fieldname, term)
                want_ids, want_ws = _whoosh(leaves, fieldname, term)
                assert np.array_equal(ids, want_ids) and np.array_equal(ws, want_ws), term
                assert reader.doc_frequency(fieldname, term) == len(ids)
                sizes.append(len(ids))
        assert max(sizes) == 300 > 16 * 3 and min(sizes) < INLINE_LIMIT
        ids, ws = lp.read("text", "lid")
        assert ws.max() == 300 and len(ids) == 300  # counts above a byte, in blocks
        ids, ws = lp.read("title", "t7")
        assert len(ids) == 6 < INLINE_LIMIT and np.all(ws == 1.5)  # inlined, float weights


def test_the_key_directory_finds_what_walking_each_segments_hash_table_finds(kb) -> None:
    """The directory (all segments' keys sorted by hash) answers as each segment's own hash table
    does: for known terms of every field, absent terms, and keys that share a hash with another."""
    st = IndexState(Path(kb["index"]))
    try:
        lp = st.leaf_postings
        assert lp.directory is not None and len(lp.directory.segments) == len(lp.segments)
        first = lp.directory.segments[0]
        keys = [(f, t) for f in ("text", "title", "salience")
                for t in sorted({t for leaf, _ in st.leaves for t in leaf.lexicon(f)})[:300]]
        keys += [("text", b"zzzgeenwoordzzz"), ("title", b"qqq")]
        checked = 0
        for fieldname, tbytes in keys:
            key = first.fieldmap[fieldname].to_bytes(2, "big") + tbytes
            keyhash = first.hashfn(key)
            want = {i: w for i, seg in enumerate(lp.directory.segments) if (w := seg.find(key, keyhash)) is not None}
            assert lp.directory.find(key, keyhash) == want, (fieldname, tbytes)
            checked += bool(want)
        assert checked >= 600
        # a key whose hash another key has (forced): only the segments holding the key itself answer
        key = first.fieldmap["text"].to_bytes(2, "big") + b"zzzgeenwoordzzz"
        taken = int(lp.directory.sorted_hashes[len(lp.directory.sorted_hashes) // 2])
        assert lp.directory.find(key, taken) == {}
    finally:
        st.close()


def test_a_segment_with_deleted_documents_is_read_through_whoosh(tmp_path: Path) -> None:
    schema = fields.Schema(key=fields.ID(stored=True, unique=True), text=fields.TEXT)
    ix = windex.create_in(str(tmp_path), schema)
    with ix.writer() as w:
        for i in range(300):
            w.add_document(key=str(i), text="wet " * (1 + i % 3) + ("geit" if i % 7 == 0 else "schaap"))
    with ix.writer() as w:
        w.delete_by_term("key", "7")
    with ix.searcher() as searcher:
        reader = searcher.reader()
        leaves = list(reader.leaf_readers()) if not reader.is_atomic() else [(reader, 0)]
        lp = LeafPostings(leaves, ix.schema, _whoosh_postings)
        assert not any(isinstance(s, _Segment) for s in lp.segments)  # the deletion sends it through Whoosh
        ids, ws = lp.read("text", "geit")
        assert 7 not in ids and 14 in ids and len(ids) == len(range(0, 300, 7)) - 1
        clean = LeafPostings(leaves, ix.schema, lambda *a: None)
        assert len(clean.read("text", "geit")[0]) == 0  # proof the fallback, not the direct reader, answered
        ids, ws = lp.read("text", "wet")
        assert len(ids) == 299 and sorted(set(ws.tolist())) == [1.0, 2.0, 3.0]
