"""Read a term's postings from every Whoosh segment of an index at once, straight from the mapped files.

The index is one Whoosh segment per bucket (about a hundred on the regulations collection), and the
searcher needs a term's postings as numpy arrays over all of them.  Whoosh answers that one segment
at a time through several layers of Python per segment: hash the key (MD5) again for every segment,
test ``term in leaf``, look the term up a second time to build a matcher, then decode each block of
128 postings with a Python generator (``delta_decode``).  Measured on the whole regulations
collection: 5 ms for a word that is in no segment, half a second for "wet" (66,500 passages), a
second for "artikel" -- the larger part of a search's CPU time.

This module reads the same bytes (the W3 codec's term hash table and posting blocks, format
unchanged) with the key hashed once per term, the hash slots probed with ``struct.unpack_from``
on the segment's buffer, and each block's ids decoded with ``numpy.cumsum``.  No library does
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
from whoosh.codec.whoosh3 import WHOOSH3_HEADER_MAGIC, W3TermsReader

_POINTER = struct.Struct("!Iq")  # a hash slot: key hash, item position (filetables._pointer)
_LENGTHS = struct.Struct("!ii")  # before a key/value pair: key length, value length (filetables._lengths)
_TERMINFO = struct.Struct("!BfIBBfII")  # W3TermInfo: flags, weight, df, min/max length, max weight, min/max id
_EXTENT = struct.Struct("!qi")  # after the term info of postings not inlined: offset, length in the postings file
_BLOCK_LENGTH = struct.Struct("!i")
_USHORT = struct.Struct("!H")
_TERMINFO_DF = 5  # the df's offset in a term info (after flags and weight)
_EMPTY = (np.empty(0, np.int32), np.empty(0, np.float32))

Postings = tuple[np.ndarray, np.ndarray]


class _Segment:
    """The mapped term table and postings file of one segment (W3 codec, no deleted documents)."""

    def __init__(self, terms: W3TermsReader, offset: int) -> None:
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
        if info[0]:  # inlined (a term of one posting): pickled (ids, weights, values), ids not delta-coded
            inl_ids, inl_weights, _ = pickle.loads(info[_TERMINFO.size:])
            deltas = tuple(b - a for a, b in zip((0, *inl_ids), inl_ids))
            out.add(self.offset, len(inl_ids), deltas, inl_weights)
            return
        offset, extent = _EXTENT.unpack_from(info, _TERMINFO.size)
        self._blocks(offset, extent, out)

    def _blocks(self, offset: int, extent: int, out: "_Blocks") -> None:
        """Unpack the posting blocks of one term (W3LeafMatcher's layout: a header tag, then per block
        its signed length, a pickled info tuple and the (compressed) pickled ``(id deltas, weights,
        values)``; the deltas start again from 0 in every block).  Only the unpickling happens here,
        per block, straight from the mapped file; the numbers become arrays once per term
        (:meth:`_Blocks.arrays`)."""
        buf = self.pbuf
        if buf[offset:offset + 4] != WHOOSH3_HEADER_MAGIC:
            raise ValueError(f"posting block tag error at {offset}")
        loads, decompress, unpack_from = pickle.loads, zlib.decompress, _BLOCK_LENGTH.unpack_from
        bases, counts, deltas, weights = out.bases, out.counts, out.deltas, out.weights
        base = self.offset
        pos = offset + 4
        while True:
            length = unpack_from(buf, pos)[0]
            pos += 4
            end = pos + (length if length > 0 else -length)
            info = loads(buf[pos:end])  # the info tuple; what follows it is ignored
            data = buf[_data_start(buf, pos, end, info):end]
            block_deltas, block_weights, _values = loads(decompress(data) if info[3] else data)
            bases.append(base)
            counts.append(info[0])
            deltas.append(block_deltas)
            weights.append(block_weights)
            if length < 0:
                return
            pos = end


#: how a W3 block's info tuple ends when pickled: TUPLE, BINPUT 0, STOP
_INFO_END = b"tq\x00."


def _int_length(v: int) -> int:
    """Bytes of a non-negative int pickled with protocol 2 (BININT1, BININT2, BININT)."""
    return 2 if v < 256 else 3 if v < 65536 else 5


def _data_start(buf: memoryview, pos: int, end: int, info: tuple) -> int:
    """Where a block's data starts: after its pickled info tuple (count, last id, max weight as a
    float, compression, min and max length byte), whose length follows from its values; checked
    against the pickle's last bytes, else measured by unpickling it from a stream."""
    count, maxid, maxweight = info[0], info[1], info[2]
    if type(maxweight) is float and 0 <= maxid < 2**31:
        start = pos + 3 + _int_length(count) + _int_length(maxid) + 9 + 6 + 4
        if buf[start - 4:start] == _INFO_END:
            return start
    stream = io.BytesIO(buf[pos:end])
    pickle.load(stream)
    return pos + stream.tell()


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


class _SlotDirectory:
    """The hash slots of all directly read segments in two arrays, so that a key's first slots are
    probed in every segment with a few numpy operations instead of a Python loop per segment (the
    loop was half the cost of reading a term once blocks were decoded fast).  Built when the
    segments share one field numbering and hash function (one schema; always so for our builds)."""

    PROBES = 8  # slots looked at per segment at once; a longer run (rare) is followed by _Segment.find

    def __init__(self, segments: list[_Segment]) -> None:
        hashes, items = [], []
        self.bounds: list[tuple[int, int]] = []  # per segment: (global index of its first slot, slots)
        self.start = np.zeros((len(segments), 256), np.int64)  # global index of each table's first slot
        self.size = np.zeros((len(segments), 256), np.int64)  # slots per table
        base = 0
        for i, seg in enumerate(segments):
            first = seg.tables[0][0]
            total = sum(n for _, n in seg.tables)
            slots = np.frombuffer(seg.tbuf, dtype=[("hash", ">u4"), ("item", ">i8")], count=total, offset=first)
            hashes.append(slots["hash"].astype(np.uint32))
            items.append(slots["item"].astype(np.int64))
            for b, (tablestart, numslots) in enumerate(seg.tables):
                self.start[i, b] = base + (tablestart - first) // _POINTER.size
                self.size[i, b] = numslots
            self.bounds.append((base, total))
            base += total
        self.hashes = np.concatenate(hashes) if hashes else np.empty(0, np.uint32)
        self.items = np.concatenate(items) if items else np.empty(0, np.int64)
        self.segments = segments
        self._steps = np.arange(self.PROBES)

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
            items = self.items[first:first + total]
            live = items != 0
            pos = items[live]
            raw = np.frombuffer(seg.tbuf, np.uint8)
            keylen = _be_u32(raw, pos).astype(np.int64)
            key = pos + _LENGTHS.size
            letters = (np.where(keylen > 2, raw[np.minimum(key + 2, len(raw) - 1)], 0).astype(np.uint64) << np.uint64(8)
                       | np.where(keylen > 3, raw[np.minimum(key + 3, len(raw) - 1)], 0).astype(np.uint64))
            sigs.append(self.hashes[first:first + total][live].astype(np.uint64) << np.uint64(32)
                        | keylen.astype(np.uint64) << np.uint64(16) | letters)
            dfs.append(_be_u32(raw, key + keylen + _TERMINFO_DF).astype(np.int64))
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
        """Whether the segments' tables are laid out as :class:`_SlotDirectory` reads them."""
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

    def find(self, key: bytes, keyhash: int) -> dict[int, tuple[int, int]]:
        """Segment number -> (position, length) of the value stored under ``key``, where it is."""
        b = keyhash & 255
        size = self.size[:, b]
        live = np.flatnonzero(size)
        if not len(live):
            return {}
        size = size[live]
        first = (keyhash >> 8) % size
        idx = self.start[live, b][:, None] + (first[:, None] + self._steps) % size[:, None]
        items = self.items[idx]
        empty = items == 0
        same = (self.hashes[idx] == keyhash) & ~empty
        stop = np.where(empty.any(axis=1), empty.argmax(axis=1), self.PROBES)
        same &= self._steps < stop[:, None]
        out: dict[int, tuple[int, int]] = {}
        rows = np.flatnonzero(same.any(axis=1) | (stop == self.PROBES))
        first_same = same[rows].argmax(axis=1)
        for row, step, item in zip(rows.tolist(), first_same.tolist(), items[rows, first_same].tolist()):
            seg_no = int(live[row])
            seg = self.segments[seg_no]
            found = seg.key_at(item, key) if same[row, step] else None
            if found is None:  # another key with the same hash first (rare): the row's other candidates
                for later in np.flatnonzero(same[row])[1:].tolist():
                    found = seg.key_at(int(items[row, later]), key)
                    if found is not None:
                        break
            if found is None and stop[row] == self.PROBES and size[row] > self.PROBES:
                found = seg.find(key, keyhash)  # a run longer than the probes: walk it the slow way
            if found is not None:
                out[seg_no] = found
        return out


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
        self.directory = _SlotDirectory(direct) if _SlotDirectory.usable(direct) else None
        #: positions in ``segments`` of the directly read ones (the directory's segment numbers)
        self._direct_at = [i for i, seg in enumerate(self.segments) if isinstance(seg, _Segment)]
        self._slow_at = [i for i, seg in enumerate(self.segments) if not isinstance(seg, _Segment)]

    @staticmethod
    def _readable(leaf: Any, terms: Any) -> bool:
        try:
            return (isinstance(terms, W3TermsReader) and not leaf.has_deletions()
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
        least ``min_df`` documents, most frequent first (empty without a slot directory)."""
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
        segments that hold the term: all at once through the slot directory, else one by one."""
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
