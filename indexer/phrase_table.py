"""One bucket's phrase table: which passages hold which word bigram, in 6¼ to 6½ bytes a row.

Phrase search matches the word bigrams of a phrase (:class:`indexer.analysis.ShingleAnalyzer`); a
bucket keeps, for every passage, the 64-bit keys of its bigrams (:func:`indexer.analysis.shingle_key`,
uniformly spread hashes).  Stored as sorted uint64 keys plus a passage column these were a fifth of
the index (117 MB on the regulations collection).  Here a key is cut in two:

* its top ``d`` bits pick a slot of a directory (``d`` = ceil(log2(rows / 16)): 8 to 16 rows a
  slot), which holds the first row of each slot (uint32, ``2**d + 1`` entries, at most half a byte
  a row);
* its next 32 bits are kept per row (uint32), sorted within the slot, beside the passage (uint16
  when the bucket has at most 65,536 passages).

So a key is matched on ``d + 32`` bits: a bigram that is not in a bucket shares them with one of
its n rows with chance at most n / 2**(d+32) <= 2**-28; over the ~100 buckets of the whole
regulations collection a phrase's bigram picks up a passage it does not hold less than once in
two million lookups (whole 64-bit keys: never in practice).  That is far below what a bigram match
already approximates (word order, not positions).  Rows equal on the kept bits are stored once per
passage, so the passages of a key come out sorted and unique.

The three arrays are ``.npy`` files, mapped on open (pages are read when a phrase needs them); a
lookup reads two directory entries and a slot of at most ~16 rows.  Written by hand: this is two numpy
sorts and a ``searchsorted``, not worth a dependency.
"""
from __future__ import annotations

import math
from bisect import bisect_left, bisect_right
from pathlib import Path

import numpy as np

#: rows per directory slot aimed at (the directory costs 4 bytes per slot)
ROWS_PER_SLOT = 16
#: the directory has at most 2**MAX_DIR_BITS slots
MAX_DIR_BITS = 24
#: file suffixes of the three arrays: directory, low key bits, passages
DIR_SUFFIX = ".phx.npy"
KEYS_SUFFIX = ".phk.npy"
DOCS_SUFFIX = ".phd.npy"
SUFFIXES = (DIR_SUFFIX, KEYS_SUFFIX, DOCS_SUFFIX)
_LOW = np.uint64(0xFFFFFFFF)
_EMPTY = np.empty(0, np.int64)
_EMPTY.flags.writeable = False


def dir_bits(rows: int) -> int:
    """Bits of the directory of a table of ``rows`` rows (``ROWS_PER_SLOT / 2`` to ``ROWS_PER_SLOT`` rows a slot)."""
    return max(0, min(MAX_DIR_BITS, math.ceil(math.log2(max(1.0, rows / ROWS_PER_SLOT)))))


def split_keys(keys: np.ndarray, bits: int) -> tuple[np.ndarray, np.ndarray]:
    """(directory slot, next 32 bits) of 64-bit keys."""
    keys = np.asarray(keys, dtype=np.uint64)
    slot = keys >> np.uint64(64 - bits) if bits else np.zeros(len(keys), np.uint64)
    low = (keys >> np.uint64(32 - bits)) & _LOW
    return slot.astype(np.int64), low.astype(np.uint32)


def encode(keys: np.ndarray, docs: np.ndarray, n_docs: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(directory, low key bits, passages) of the rows (``keys[i]``, ``docs[i]``); passages are
    bucket-local numbers below ``n_docs``."""
    bits = dir_bits(len(keys))
    slot, low = split_keys(keys, bits)
    docs = np.asarray(docs, dtype=np.int64)
    order = np.lexsort((docs, low, slot))
    slot, low, docs = slot[order], low[order], docs[order]
    if len(docs):  # rows equal on the kept bits, for one passage, once
        keep = np.ones(len(docs), bool)
        keep[1:] = (slot[1:] != slot[:-1]) | (low[1:] != low[:-1]) | (docs[1:] != docs[:-1])
        slot, low, docs = slot[keep], low[keep], docs[keep]
    directory = np.searchsorted(slot, np.arange((1 << bits) + 1), side="left").astype(np.uint32)
    return directory, low, docs.astype(np.uint16 if n_docs <= 1 << 16 else np.int32)


def save(stem: Path, keys: np.ndarray, docs: np.ndarray, n_docs: int) -> None:
    """Write the table of the rows (``keys``, ``docs``) as ``<stem><suffix>`` files."""
    for suffix, arr in zip(SUFFIXES, encode(keys, docs, n_docs)):
        np.save(f"{stem}{suffix}", arr)


class PhraseTable:
    """One bucket's table, mapped."""

    def __init__(self, stem: Path) -> None:
        self.directory, self.low, self.docs = (np.load(f"{stem}{s}", mmap_mode="r") for s in SUFFIXES)
        self.bits = int(len(self.directory) - 1).bit_length() - 1
        # plain buffers for the lookups: indexing and bisecting them costs a fraction of numpy's
        # per-call overhead, which dominated (a phrase looks in every bucket)
        self._directory, self._low = memoryview(self.directory), memoryview(self.low)

    def passages(self, key: int) -> np.ndarray:
        """The passages (bucket-local, ascending) holding the bigram of 64-bit ``key``."""
        bits = self.bits
        slot = key >> (64 - bits) if bits else 0
        low = (key >> (32 - bits)) & 0xFFFFFFFF
        lows = self._low
        a, b = self._directory[slot], self._directory[slot + 1]
        lo = bisect_left(lows, low, a, b)
        if lo == b or lows[lo] != low:
            return _EMPTY
        return np.asarray(self.docs[lo:bisect_right(lows, low, lo, b)], dtype=np.int64)
