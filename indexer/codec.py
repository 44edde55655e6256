"""The index's Whoosh codec and posting format: Whoosh 3's files, written leaner.

Whoosh's own W3 codec spent most of the index on overhead (measured on the regulations collection,
INDEX_FORMAT 14: postings 243 MB and term tables 161 MB for ~22 million postings):

* every posting carried its term frequency twice: as the weight and again as a 4-byte value
  (``Frequency`` format), pickled per posting;
* every posting list, even of a term in one passage, was a block in the postings file (a tag, a
  length, a pickled statistics tuple and a zlib stream: ~55 bytes before the first posting), because
  W3's inlining of short lists into the term table is broken (``W3TermInfo.set_inline`` does not
  exist, so W3Codec ships with ``inlinelimit=1``, i.e. never);
* weights were pickled as 8-byte floats although they are counts.

:class:`WeightedTerms` keeps the count as the weight only (the query side reads weights, never
values); :class:`LeanCodec` inlines lists of up to ``INLINE_LIMIT`` postings into the term table,
pickles integral weights as integers and writes larger blocks.  The files stay Whoosh 3's (term
hash table, posting blocks, columns), so Whoosh's readers and :mod:`indexer.leaf_postings` read them
unchanged.  Written by hand because the fix is a subclass of Whoosh's own writer: no library
provides it.
"""
from __future__ import annotations

from collections import defaultdict

from whoosh.codec.whoosh3 import W3Codec, W3PostingsWriter
from whoosh.formats import Format, tokens
from whoosh.system import emptybytes

#: Posting lists of fewer postings than this are kept in the term table (no block in the postings file).
INLINE_LIMIT = 8
#: Postings per block of a longer list (Whoosh's default is 128; the query side reads whole lists).
BLOCK_LIMIT = 512
#: zlib level of the posting blocks (Whoosh's default; 6 and 9 gained under 2 %).
COMPRESSION = 3


class WeightedTerms(Format):
    """A term's count in the field as the posting's weight, and no value: the ``Frequency`` format
    without its copy of the count as a 4-byte value (``posting_size`` 0: Whoosh stores no values)."""

    posting_size = 0
    __inittypes__ = dict(field_boost=float)

    def __init__(self, field_boost: float = 1.0, **options) -> None:
        self.field_boost = float(field_boost)
        self.options = options

    def word_values(self, value, analyzer, **kwargs):
        freqs: dict[str, int] = defaultdict(int)
        weights: dict[str, float] = defaultdict(float)
        kwargs["boosts"] = True
        for t in tokens(value, analyzer, kwargs):
            freqs[t.text] += 1
            weights[t.text] += t.boost
        fb = self.field_boost
        return ((w, n, weights[w] * fb, emptybytes) for w, n in freqs.items())


def _compact(weights) -> tuple:
    """Weights as a tuple, integral ones as ints (a pickled int of a count takes 2 bytes, a float 9)."""
    return tuple(int(w) if w == int(w) else w for w in weights)


class LeanPostingsWriter(W3PostingsWriter):
    """W3's posting writer with working inlining and integral weights pickled as ints."""

    def finish_postings(self):
        terminfo = self._terminfo
        if not self.written() and len(self) < self._inlinelimit:
            terminfo.add_block(self)
            terminfo.set_inlined(self._ids, _compact(self._weights), self._values)
        else:
            if self._ids:
                self._write_block(last=True)
            terminfo.set_extent(self._startoffset, self._postfile.tell() - self._startoffset)
        self._terminfo = None
        return terminfo

    def _mini_weights(self):
        weights = self._weights
        if all(w == 1.0 for w in weights):
            return None
        if all(w == weights[0] for w in weights):
            return weights[0]  # a float: W3's readers take a float here as "this weight for all"
        return _compact(weights)


class LeanCodec(W3Codec):
    """Whoosh 3's codec with :class:`LeanPostingsWriter` (see the module docstring)."""

    def __init__(self, blocklimit: int = BLOCK_LIMIT, compression: int = COMPRESSION,
                 inlinelimit: int = INLINE_LIMIT) -> None:
        super().__init__(blocklimit=blocklimit, compression=compression, inlinelimit=inlinelimit)

    def postings_writer(self, dbfile, byteids=False):
        return LeanPostingsWriter(dbfile, blocklimit=self._blocklimit, byteids=byteids,
                                  compression=self._compression, inlinelimit=self._inlinelimit)
