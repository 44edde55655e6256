"""The index's on-disk format (INDEX_FORMAT 15): LeanCodec's term entries and direct segment writer,
the phrase tables, and an index of the previous format being rebuilt rather than misread."""
from __future__ import annotations

import json
import os
import random
import struct
from pathlib import Path

import numpy as np
import pytest
from whoosh import fields, index as windex
from whoosh.filedb.compound import CompoundStorage
from whoosh.filedb.filestore import FileStorage
from whoosh.util.numeric import byte_to_length, length_to_byte

from indexer import Searcher, phrase_table
from indexer.analysis import ShingleAnalyzer, shingle_key
from indexer.build import build_index
from indexer.build_info import INDEX_FORMAT, index_is_current
from indexer.codec import (DF_OFFSET, INLINED, LeanCodec, LeanFieldWriter, LeanTermInfo, TallyFile, TermLists,
                           WeightedTerms, decode_inlined, encode_inlined, flush_segment)
from indexer.schema import passages_for_section
from indexer.state import SHINGLES, IndexState
from settings import IndexOptions


@pytest.mark.parametrize("ids, weights", [
    ((0,), (1,)),
    ((3, 17, 65535), (1, 2, 255)),
    ((3, 70000), (1, 2)),  # docnums past uint16
    ((5, 6), (1, 256)),  # a count past uint8
    ((1, 2, 9), (1.5, 3.0, 0.25)),  # weights that are not counts
])
def test_inlined_postings_round_trip(ids, weights) -> None:
    b = encode_inlined(ids, weights)
    assert b[0] & INLINED and decode_inlined(b) == (ids, tuple(weights))
    info = LeanTermInfo.from_bytes(b)
    assert info.is_inlined() and info.doc_frequency() == len(ids) and info.inlined_postings()[:2] == (ids, weights)
    assert info.weight() == pytest.approx(sum(weights)) and info.max_weight() == max(weights)
    assert len(b) <= 5 + 4 * len(ids) + 4 * len(ids)
    assert struct.unpack_from(">I", b, DF_OFFSET)[0] == len(ids)  # where readers of the raw table find it


def test_term_info_of_a_list_in_blocks_round_trips() -> None:
    info = LeanTermInfo(df=1234)
    info.set_extent(987654321, 4321)
    back = LeanTermInfo.from_bytes(info.to_bytes())
    assert not back.is_inlined() and back.extent() == (987654321, 4321) and back.doc_frequency() == 1234
    assert len(info.to_bytes()) == 17 and struct.unpack_from(">I", info.to_bytes(), DF_OFFSET)[0] == 1234


def _segment_files(folder: Path) -> dict[str, bytes]:
    """The sub-files of the one compound segment in ``folder``, by extension (segment ids differ)."""
    out = {}
    for name in os.listdir(folder):
        if name.endswith(".seg"):
            cs = CompoundStorage(FileStorage(str(folder)).open_file(name), use_mmap=False)
            out.update({sub.split(".", 1)[1]: bytes(cs.open_file(sub).read()) for sub in cs.list()})
    return out


def _write_segments(tmp_path: Path, ways: tuple[str, ...]) -> dict[str, dict[str, bytes]]:
    """The files of one segment of 700 random passages, written each of ``ways``: "whoosh" (Whoosh's
    pool, a posting at a time), "direct" (TermLists + flush_segment, a term at a time), "os-tell"
    (direct, with files that ask the operating system for their position instead of a TallyFile)."""
    rng = random.Random(7)
    words = [f"w{i}" for i in range(400)]
    docs = [{"text": " ".join(rng.choice(words[:rng.choice([20, 400])]) for _ in range(rng.randrange(1, 300))),
             "title": " ".join(rng.sample(words, 3)), "stored": (i, "x" * (i % 5))} for i in range(700)]

    def schema():
        s = fields.Schema(text=fields.TEXT, title=fields.TEXT, stored=fields.STORED)
        s["text"].format, s["title"].format = WeightedTerms(), WeightedTerms(field_boost=2.0)
        return s

    written = {}
    for way in ways:
        folder = tmp_path / way
        folder.mkdir()
        ix = windex.create_in(str(folder), schema(), indexname="MAIN")
        with pytest.MonkeyPatch.context() as mp:
            if way == "os-tell":  # the field writer opens its files when the segment writer is made
                mp.setattr(LeanFieldWriter, "_create_file",
                           lambda self, ext: self._segment.create_file(self._storage, ext))
            writer = ix.writer(codec=LeanCodec(blocklimit=64))
        if way == "os-tell":
            assert not isinstance(writer.fieldwriter._postfile.file, TallyFile)
        elif way == "direct":
            assert isinstance(writer.fieldwriter._postfile.file, TallyFile)
        if way != "whoosh":
            writer.pool = TermLists()
        for d in docs:
            writer.add_document(**d)
        if way != "whoosh":  # each field's length as the segment stores it (one byte, rounded)
            lengths = {f: [byte_to_length(length_to_byte(sum(n for _, n, _, _ in ix.schema[f].index(d[f]))))
                           for d in docs] for f in ("text", "title")}
            flush_segment(writer, lengths)
        else:
            writer._finalize_segment()  # reads the lengths back from the segment
        writer._finish()
        written[way] = _segment_files(folder)
    return written


def test_the_direct_segment_writer_writes_what_whooshs_own_path_writes(tmp_path: Path) -> None:
    """TermLists + flush_segment (a term at a time) against Whoosh's pool and field writer (a posting
    at a time), both with LeanCodec: the same bytes in every file of the segment."""
    written = _write_segments(tmp_path, ("whoosh", "direct"))
    assert set(written["whoosh"]) >= {"trm", "pst", "_stored.col", "_text_len.col"}
    assert written["whoosh"] == written["direct"]
    assert len(written["direct"]["pst"]) > 1000  # lists of several blocks, not only inlined ones


def test_term_and_postings_files_keep_their_own_position(tmp_path: Path) -> None:
    """The term table and postings written through TallyFile (positions counted, not asked of the
    operating system) are byte for byte those written through plain files, whose offsets they hold."""
    written = _write_segments(tmp_path, ("direct", "os-tell"))
    assert written["direct"] == written["os-tell"]
    with open(tmp_path / "tally.bin", "wb") as raw:
        f = TallyFile(raw)
        for i, chunk in enumerate([b"ab", b"", b"cdef" * 300, b"g"]):
            assert f.write(chunk) == len(chunk)
            assert f.tell() == raw.tell()
            if i == 2:
                assert f.seek(3) == 3 == f.tell() == raw.tell()
                f.seek(0, os.SEEK_END)
        assert f.tell() == raw.tell() == 1203


def test_phrase_table_round_trip(tmp_path: Path) -> None:
    rng = np.random.default_rng(5)
    for rows, n_docs in ((0, 1), (1, 1), (5, 3), (20_000, 3_000), (3_000, 70_000)):
        keys = rng.integers(0, 2**64, size=max(1, rows // 3), dtype=np.uint64)[rng.integers(0, max(1, rows // 3), rows)]
        docs = rng.integers(0, n_docs, rows)
        keys, docs = np.concatenate([keys, keys[:rows // 10]]), np.concatenate([docs, docs[:rows // 10]])  # repeats
        stem = tmp_path / f"t{rows}"
        phrase_table.save(stem, keys, docs, n_docs)
        table = phrase_table.PhraseTable(stem)
        assert table.docs.dtype == (np.uint16 if n_docs <= 1 << 16 else np.int32)
        assert len(table.directory) == 2 ** phrase_table.dir_bits(len(keys)) + 1
        want: dict[int, set[int]] = {}
        for k, d in zip(keys.tolist(), docs.tolist()):
            want.setdefault(k, set()).add(d)
        for k, ds in want.items():
            assert table.passages(k).tolist() == sorted(ds)
        for k in rng.integers(0, 2**64, size=2000, dtype=np.uint64).tolist():
            if k not in want:
                assert len(table.passages(k)) == 0
        size = sum(Path(f"{stem}{s}").stat().st_size for s in phrase_table.SUFFIXES)
        per_row = 4 + table.docs.dtype.itemsize + 0.5  # low key bits, passage, at most half a byte of directory
        assert size <= 3 * 128 + per_row * len(keys) + 4 * 2  # and the npy headers


def test_every_bigram_of_every_passage_finds_its_passage(kb) -> None:
    """Phrase search's table on the session's index: each passage is found by each of its word bigrams."""
    st = IndexState(Path(kb["index"]))
    try:
        docnum = {st.stored(d)["id"]: d for d in range(st.N)}
        shingler = ShingleAnalyzer(st.analyzer)
        checked = 0
        for doc in st.documents:
            for sec in kb["store"].sections(doc["id"]):
                for p in passages_for_section(sec, IndexOptions()):
                    for bigram in set(shingler.shingles(p.indexed)):
                        assert docnum[p.id] in st.postings(SHINGLES, bigram)[0], (p.id, bigram)
                        checked += 1
        assert checked > 5_000
        assert len(st.postings(SHINGLES, "zzqx yyqx")[0]) == 0
        assert shingle_key("zzqx yyqx") != shingle_key("yyqx zzqx")
    finally:
        st.close()


def test_exact_phrases_are_found(s) -> None:
    for q in ('"vrouwelijke statushouders"', '"de Tweede Kamer"'):
        res = s.search(q, limit=50)
        words = q.strip('"').lower()
        assert res["total"] > 0 and all(words in " ".join(r["text"].lower().split()) for r in res["results"]), q


def test_an_index_of_the_previous_format_is_rebuilt_not_read(built_store, tmp_path: Path) -> None:
    ix = tmp_path / "index"
    build_index(built_store, ix, progress=False)
    assert index_is_current(built_store, ix)
    info = json.loads((ix / "build.json").read_text(encoding="utf-8"))
    info["format"] = INDEX_FORMAT - 1
    (ix / "build.json").write_text(json.dumps(info), encoding="utf-8")
    assert not index_is_current(built_store, ix)
    with pytest.raises(ValueError, match=f"index format {INDEX_FORMAT - 1}.*rebuild"):
        IndexState(ix)
    with pytest.raises(FileNotFoundError, match="beleidsbank build"):
        Searcher(ix)
    stats = build_index(built_store, tmp_path / "next", progress=False, previous=ix, changed=[])
    assert not stats["incremental"] and stats["buckets_written"] == stats["n_buckets"]
    assert Searcher(tmp_path / "next").search("statushouders")["total"] > 0
