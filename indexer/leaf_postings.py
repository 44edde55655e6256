"""Read a term's postings from every Whoosh segment of an index at once, straight from the mapped files.

The index is one Whoosh segment per bucket (about a hundred on the regulations collection), and the
searcher needs a term's postings as numpy arrays over all of them.  Whoosh answers that one segment
at a time through several layers of Python per segment: hash the key (MD5) again for every segment,
test ``term in leaf``, look the term up a second time to build a matcher, then decode each block of
128 postings with a Python generator (``delta_decode``).  Measured on the whole regulations
collection: 5 ms for a word that is in no segment, half a second for "wet" (66,500 passages), a
second for "artikel" -- the larger part of a search's CPU time.

This module reads the same bytes (the W3 codec's term hash table and posting blocks, with the
term entries of :class:`indexer.codec.LeanCodec`) with the key hashed once per term, the hash
slots probed with ``struct.unpack_from`` on the segment's buffer, and each block's ids decoded with ``numpy.cumsum``.  No library does
this: Whoosh's own readers are the slow path, and the format is Whoosh's.  Segments this module
cannot read directly (another codec, deleted documents) are read through Whoosh as before, so the
result is always Whoosh's (checked against it in tests/test_leaf_postings.py).
"""
from __future__ import annotations

import io
import pickle
import struct
import zlib
from itertools import chain, repeat
from typing import Any, Callable, Iterable

import numpy as np
from whoosh.codec.whoosh3 import WHOOSH3_HEADER_MAGIC

from indexer.codec import DF_OFFSET, INLINED, LeanTermsReader, decode_inlined, extent as term_extent

_POINTER = struct.Struct("!Iq")  # a hash slot: key hash, item position (filetables._pointer)
_LENGTHS = struct.Struct("!ii")  # before a key/value pair: key length, value length (filetables._lengths)
_BLOCK_LENGTH = struct.Struct("!i")
_USHORT = struct.Struct("!H")

_EMPTY = (np.empty(0, np.int32), np.empty(0, np.float32))

Postings = tuple[np.ndarray, np.ndarray]


class _Segment:
    """The mapped term table and postings file of one segment (LeanCodec, no deleted documents)."""

    def __init__(self, terms: LeanTermsReader, offset: int) -> None:
        tindex = terms._tindex
        self.tbuf = tindex.dbfile._buf
        self.tables: list[tuple[int, int]] = tindex.tables
        self.hashfn: Callable[[bytes], int] = tindex.hashfn
        self.fieldmap: dict[str, int] = terms._fieldmap
        self.pbuf = terms._postfile._buf
        self.offset = offset

    def key_at(self, itempos: int, key: bytes) -> tuple[int, int] | None:
        """(position, length) of the value of the item at ``itempos`` when its key is ``key``."""
        keylen, datalen = _LENGTHS.unpack_from(self.tbuf, itempos)
        start = itempos + _LENGTHS.size
        if keylen == len(key) and bytes(self.tbuf[start:start + keylen]) == key:
            return start + keylen, datalen
        return None

    def find(self, key: bytes, keyhash: int) -> tuple[int, int] | None:
        """(position, length) of the value stored under ``key`` (filetables.HashReader.ranges_for_key)."""
        tablestart, numslots = self.tables[keyhash & 255]
        if not numslots:
            return None
        buf = self.tbuf
        size = _POINTER.size
        end = tablestart + numslots * size
        slotpos = tablestart + ((keyhash >> 8) % numslots) * size
        for _ in range(numslots):
            slothash, itempos = _POINTER.unpack_from(buf, slotpos)
            if not itempos:
                return None
            if slothash == keyhash:
                found = self.key_at(itempos, key)
                if found is not None:
                    return found
            slotpos += size
            if slotpos == end:
                slotpos = tablestart
        return None

    def postings(self, pos: int, length: int, out: "_Blocks") -> None:
        """Add the postings whose term info is at ``pos`` (segment-local docnums) to ``out``."""
        info = bytes(self.tbuf[pos:pos + length])
        if info[0] & INLINED:  # a short list, in the term table (indexer.codec.LeanTermInfo): ids not delta-coded
            inl_ids, inl_weights = decode_inlined(info)
            deltas = tuple(b - a for a, b in zip((0, *inl_ids), inl_ids))
            out.add(self.offset, len(inl_ids), deltas, inl_weights)
            return
        offset, _extent = term_extent(info)
        _blocks(self.pbuf, offset, self.offset, out)


def _blocks(buf: memoryview, offset: int, base: int, out: "_Blocks") -> None:
    """Unpack the posting blocks of one term in one segment (W3LeafMatcher's layout: a header tag, then
    per block its signed length (negative for the last), a pickled info tuple and the (compressed)
    pickled ``(id deltas, weights, values)``; the deltas start again from 0 in every block).  Only
    the unpickling happens here, per block, straight from the mapped file; the numbers become
    arrays once per term (:meth:`_Blocks.arrays`).  The info tuple (count, last id, max weight,
    compression, min and max length byte) is not unpickled: its ints' opcodes give its length."""
    if buf[offset:offset + 4] != WHOOSH3_HEADER_MAGIC:
        raise ValueError(f"posting block tag error at {offset}")
    loads, decompress, unpack_from = pickle.loads, zlib.decompress, _BLOCK_LENGTH.unpack_from
    bases, counts, deltas, weights = out.bases, out.counts, out.deltas, out.weights
    pos = offset + 4
    while True:
        length = unpack_from(buf, pos)[0]
        pos += 4
        end = pos + (length if length > 0 else -length)
        at = pos + 3  # after PROTO 2 and MARK: the count, the last id (BININT1/2 or BININT), the float
        at += _INT_SIZE.get(buf[at], 99)
        at += _INT_SIZE.get(buf[at], 99)
        if at + 19 <= end and buf[at] == _BINFLOAT and buf[at + 9] == _BININT1 and buf[at + 15:at + 19] == _INFO_END:
            compressed, at = buf[at + 10], at + 19
        else:  # laid out otherwise: unpickle it from a stream to find its end
            info, at = _info_from_stream(buf, pos, end)
            compressed = info[3]
        data = buf[at:end]
        block_deltas, block_weights, _values = loads(decompress(data) if compressed else data)
        bases.append(base)
        counts.append(len(block_deltas))
        deltas.append(block_deltas)
        weights.append(block_weights)
        if length < 0:
            return
        pos = end


#: a pickled W3 block info tuple: opcode -> bytes of the int it starts (BININT1, BININT2, BININT)
_INT_SIZE = {ord("K"): 2, ord("M"): 3, ord("J"): 5}
_BINFLOAT, _BININT1 = ord("G"), ord("K")
#: how the info tuple ends: TUPLE, BINPUT 0, STOP
_INFO_END = b"tq\x00."


def _info_from_stream(buf: memoryview, pos: int, end: int) -> tuple[tuple, int]:
    """A block's info tuple and where its data starts, by unpickling from a stream."""
    stream = io.BytesIO(buf[pos:end])
    info = pickle.load(stream)
    return info, pos + stream.tell()


class _Blocks:
    """The unpickled posting blocks of one term: per block its segment's first docnum, its number of
    postings, its id deltas (restarting in every block) and its weights (a tuple, one float for all,
    or None for all 1.0).  Turned into arrays at once, with C-level iteration over the tuples
    (building Python lists of every posting and converting those cost three times as much)."""

    __slots__ = ("bases", "counts", "deltas", "weights")

    def __init__(self) -> None:
        self.bases: list[int] = []
        self.counts: list[int] = []
        self.deltas: list[tuple[int, ...]] = []
        self.weights: list[Any] = []

    def add(self, base: int, count: int, deltas: tuple[int, ...], weights: Any) -> None:
        self.bases.append(base)
        self.counts.append(count)
        self.deltas.append(deltas)
        self.weights.append(weights)

    def add_arrays(self, base: int, ids: np.ndarray, weights: np.ndarray) -> None:
        """Segment-local postings read another way (through Whoosh) as one block."""
        ids = [int(x) for x in ids]
        self.add(base, len(ids), tuple(b - a for a, b in zip((0, *ids), ids)), tuple(float(w) for w in weights))

    def __len__(self) -> int:
        return len(self.counts)

    def arrays(self) -> Postings:
        """(docnums, weights) of all blocks: int32 docnums (an index holds fewer than 2**31 passages;
        half the memory of the postings cache), float32 weights."""
        if not self.counts:
            return _EMPTY
        counts = np.array(self.counts, np.int64)
        total = int(counts.sum())
        ids = np.fromiter(chain.from_iterable(self.deltas), np.int64, total)
        np.cumsum(ids, out=ids)
        ends = np.cumsum(counts)
        # every block's deltas start from its segment's docnum 0: take off the running sum before the block
        before = np.zeros(len(counts), np.int64)
        before[1:] = ids[ends[:-1] - 1]
        ids -= np.repeat(before - np.array(self.bases, np.int64), counts)
        weights = np.fromiter(chain.from_iterable(
            w if type(w) is tuple else repeat(1.0 if w is None else float(w), c)
            for w, c in zip(self.weights, self.counts)), np.float32, total)
        return ids.astype(np.int32), weights


class _KeyDirectory:
    """Every key of all directly read segments, by hash: the items of the segments' hash tables (key
    hash, segment, position of the key) in one array sorted by hash, so that the segments holding a
    key are found with one binary search and a check of their keys, instead of probing each
    segment's hash table (a numpy pass over the segments cost 0.2 ms per term; about ten terms are
    read per query word).  Built when the segments share one field numbering and hash function (one
    schema; always so for our builds).  Memory: about 20 bytes per key and segment (40 MB for the
    regulations collection's two million)."""

    def __init__(self, segments: list[_Segment]) -> None:
        hashes, positions, owners = [], [], []
        self.bounds: list[tuple[int, int]] = []  # per segment: (its first item in the arrays, items)
        base = 0
        for i, seg in enumerate(segments):
            first = seg.tables[0][0]
            total = sum(n for _, n in seg.tables)
            slots = np.frombuffer(seg.tbuf, dtype=[("hash", ">u4"), ("item", ">i8")], count=total, offset=first)
            live = slots["item"] != 0
            hashes.append(slots["hash"][live].astype(np.uint32))
            positions.append(slots["item"][live].astype(np.int64))
            owners.append(np.full(int(live.sum()), i, np.int32))
            self.bounds.append((base, int(live.sum())))
            base += int(live.sum())
        #: per item, grouped by segment: its key's hash, the position of the item (key length, value
        #: length, key, value) in its segment's table file, and its segment
        self.hashes = np.concatenate(hashes) if hashes else np.empty(0, np.uint32)
        self.items = np.concatenate(positions) if positions else np.empty(0, np.int64)
        self.owner = np.concatenate(owners) if owners else np.empty(0, np.int32)
        self.by_hash = np.argsort(self.hashes, kind="stable").astype(np.int32)
        self.sorted_hashes = self.hashes[self.by_hash]
        self.segments = segments

    def find(self, key: bytes, keyhash: int) -> dict[int, tuple[int, int]]:
        """Segment number -> (position, length) of the value stored under ``key``, where it is."""
        h = np.uint32(keyhash)  # a Python int would make numpy compare in int64: a copy of the array
        lo = int(self.sorted_hashes.searchsorted(h, "left"))
        hi = int(self.sorted_hashes.searchsorted(h, "right"))
        out: dict[int, tuple[int, int]] = {}
        if hi == lo:
            return out
        at = self.by_hash[lo:hi]
        segments = self.segments
        for seg_no, item in zip(self.owner[at].tolist(), self.items[at].tolist()):
            found = segments[seg_no].key_at(item, key)
            if found is not None:
                out[seg_no] = found
        return out

    def frequent_keys(self, min_df: int) -> list[tuple[bytes, int]]:
        """(key, document frequency summed over the segments) of the keys held by at least ``min_df``
        documents, most frequent first.  Read from the table items with numpy: each item's key length,
        the df in its term info after the key, and a signature of its key (hash, length, first two
        term bytes) that tells keys apart across segments.  A key that sums to ``min_df`` over ``S``
        segments has ``min_df / S`` documents in one of them, so only those keys' signatures are
        looked up among all items."""
        sigs, dfs, places = [], [], []
        for i, seg in enumerate(self.segments):
            first, total = self.bounds[i]
            pos = self.items[first:first + total]
            raw = np.frombuffer(seg.tbuf, np.uint8)
            keylen = _be_u32(raw, pos).astype(np.int64)
            key = pos + _LENGTHS.size
            letters = (np.where(keylen > 2, raw[np.minimum(key + 2, len(raw) - 1)], 0).astype(np.uint64) << np.uint64(8)
                       | np.where(keylen > 3, raw[np.minimum(key + 3, len(raw) - 1)], 0).astype(np.uint64))
            sigs.append(self.hashes[first:first + total].astype(np.uint64) << np.uint64(32)
                        | keylen.astype(np.uint64) << np.uint64(16) | letters)
            dfs.append(_be_u32(raw, key + keylen + DF_OFFSET).astype(np.int64))
            places.append(np.stack([np.full(len(pos), i), key, keylen], axis=1))
        if not sigs:
            return []
        sig, df = np.concatenate(sigs), np.concatenate(dfs)
        cand = np.unique(sig[df >= max(1, -(-min_df // len(self.segments)))])
        if not len(cand):
            return []
        group = np.searchsorted(cand, sig)
        group[group == len(cand)] = 0
        member = np.flatnonzero(cand[group] == sig)
        sums = np.bincount(group[member], weights=df[member], minlength=len(cand))
        hot = sums >= min_df
        member = member[hot[group[member]]]
        _, first_of = np.unique(group[member], return_index=True)  # one item of every frequent key
        out = []
        for (seg_no, start, keylen), g in zip(np.concatenate(places)[member[first_of]].tolist(),
                                              group[member[first_of]].tolist()):
            out.append((bytes(self.segments[seg_no].tbuf[start:start + keylen]), int(sums[g])))
        return sorted(out, key=lambda kv: (-kv[1], kv[0]))

    @staticmethod
    def usable(segments: list[_Segment]) -> bool:
        """Whether the segments' keys can be looked up together (one field numbering and hash function)."""
        if not segments:
            return False
        first = segments[0]
        for seg in segments:
            if seg.fieldmap != first.fieldmap or seg.hashfn is not first.hashfn:
                return False
            for (a, n), (b, _) in zip(seg.tables, seg.tables[1:]):
                if a + n * _POINTER.size != b:  # tables follow each other (HashWriter writes them so)
                    return False
        return True


class LeafPostings:
    """A term's postings over all segments of an opened index, as (docnums, weights) arrays."""

    def __init__(self, leaves: Iterable[tuple[Any, int]], schema: Any,
                 slow: Callable[[Any, int, str, str], Postings | None]) -> None:
        """``leaves``: (segment reader, first docnum); ``slow(leaf, offset, field, term)`` reads one
        segment through Whoosh (None when the term is not there) for the segments read that way."""
        self.schema = schema
        self.slow = slow
        #: per segment, in docnum order: read directly, or (segment reader, first docnum) read through Whoosh
        self.segments: list[_Segment | tuple[Any, int]] = []
        for leaf, offset in leaves:
            terms = getattr(leaf, "_terms", None)
            self.segments.append(_Segment(terms, offset) if self._readable(leaf, terms) else (leaf, offset))
        direct = [seg for seg in self.segments if isinstance(seg, _Segment)]
        self.directory = _KeyDirectory(direct) if _KeyDirectory.usable(direct) else None
        #: positions in ``segments`` of the directly read ones (the directory's segment numbers)
        self._direct_at = [i for i, seg in enumerate(self.segments) if isinstance(seg, _Segment)]
        self._slow_at = [i for i, seg in enumerate(self.segments) if not isinstance(seg, _Segment)]

    @staticmethod
    def _readable(leaf: Any, terms: Any) -> bool:
        try:
            return (isinstance(terms, LeanTermsReader) and not leaf.has_deletions()
                    and hasattr(terms._tindex.dbfile, "_buf") and hasattr(terms._postfile, "_buf"))
        except Exception:  # noqa: BLE001 - anything unexpected: read it through Whoosh
            return False

    def read(self, fieldname: str, term: str) -> Postings:
        """(docnums ascending, weights) of ``term`` in ``fieldname``; empty when absent."""
        if fieldname not in self.schema:
            return _EMPTY
        found = self._find(fieldname, self.schema[fieldname].to_bytes(term))
        out = _Blocks()
        for i in sorted([*found, *self._slow_at]):
            seg = self.segments[i]
            if isinstance(seg, _Segment):
                seg.postings(*found[i], out)
            else:
                leaf, offset = seg
                res = self.slow(leaf, offset, fieldname, term)
                if res is not None and len(res[0]):
                    out.add_arrays(offset, res[0], res[1])
        return out.arrays()

    def frequent_terms(self, min_df: int) -> list[tuple[str, str, int]]:
        """(field, term, document frequency) of the terms of the directly read segments held by at
        least ``min_df`` documents, most frequent first (empty without a key directory)."""
        if self.directory is None:
            return []
        names = {num: name for name, num in self.directory.segments[0].fieldmap.items()}
        out = []
        for key, df in self.directory.frequent_keys(min_df):
            name = names.get(_USHORT.unpack_from(key)[0])
            if name is not None and name in self.schema:
                out.append((name, self.schema[name].from_bytes(key[_USHORT.size:]), df))
        return out

    def _find(self, fieldname: str, tbytes: bytes) -> dict[int, tuple[int, int]]:
        """Position in ``segments`` -> (position, length) of the term info, for the directly read
        segments that hold the term: all at once through the key directory, else one by one."""
        if self.directory is not None:
            first = self.directory.segments[0]
            fnum = first.fieldmap.get(fieldname)
            if fnum is None:
                return {}
            key = _USHORT.pack(fnum) + tbytes
            return {self._direct_at[n]: where for n, where in self.directory.find(key, first.hashfn(key)).items()}
        out: dict[int, tuple[int, int]] = {}
        hashes: dict[tuple[int, Callable], tuple[bytes, int]] = {}
        for i in self._direct_at:
            seg = self.segments[i]
            fnum = seg.fieldmap.get(fieldname)
            if fnum is None:
                continue
            coded = hashes.get((fnum, seg.hashfn))
            if coded is None:
                key = _USHORT.pack(fnum) + tbytes
                coded = hashes[(fnum, seg.hashfn)] = (key, seg.hashfn(key))
            where = seg.find(*coded)
            if where is not None:
                out[i] = where
        return out


def _be_u32(raw: np.ndarray, pos: np.ndarray) -> np.ndarray:
    """The big-endian unsigned 32-bit numbers at byte positions ``pos`` of ``raw`` (any alignment)."""
    out = raw[pos].astype(np.uint64) << np.uint64(24)
    out |= raw[pos + 1].astype(np.uint64) << np.uint64(16)
    out |= raw[pos + 2].astype(np.uint64) << np.uint64(8)
    out |= raw[pos + 3].astype(np.uint64)
    return out
