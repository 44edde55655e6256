"""The index's Whoosh codec and posting format: Whoosh 3's files, written leaner and faster.

Whoosh's own W3 codec spent most of the index on overhead (measured on the regulations collection,
INDEX_FORMAT 14: postings 243 MB and term tables 161 MB for ~22 million postings in 103 segments):

* every posting carried its term frequency twice: as the weight and again as a 4-byte value
  (``Frequency`` format), pickled per posting;
* every posting list, even of a term in one passage, was a block in the postings file (a tag, a
  length, a pickled statistics tuple and a zlib stream: ~55 bytes before the first posting), because
  W3's inlining of short lists into the term table is broken (``W3TermInfo.set_inline`` does not
  exist, so W3Codec ships with ``inlinelimit=1``, i.e. never);
* every term entry held 23 bytes of statistics for Whoosh's own scorers, which this index does not
  use (:mod:`indexer.scoring` scores from its own arrays);
* weights were pickled as 8-byte floats although they are counts.

:class:`WeightedTerms` keeps the count as the weight only (the query side reads weights, never
values); :class:`LeanCodec` keeps lists of fewer than ``INLINE_LIMIT`` postings in the term table
as packed integers (:class:`LeanTermInfo`: 5 bytes and ~3 a posting), pickles integral weights as
integers and writes larger blocks (postings 243 -> 25 MB, term tables 161 -> 127 MB on the whole
collection).  The files stay Whoosh 3's otherwise (term hash table, posting blocks, columns), so
Whoosh's readers read them through :class:`LeanTermsReader` and :mod:`indexer.leaf_postings` reads
them directly.  :class:`TermLists` and :func:`flush_segment` write a segment a term at a time
instead of a posting at a time (the same bytes, checked in tests/test_index_codec.py).

Written by hand because these are subclasses of Whoosh's own writer and reader classes (the codec
is Whoosh's extension point for this): no library provides them.
"""
from __future__ import annotations

import struct
from array import array
from collections import defaultdict

from whoosh.codec.whoosh3 import W3Codec, W3FieldCursor, W3FieldWriter, W3PostingsWriter, W3TermInfo, W3TermsReader
from whoosh.formats import Format, tokens
from whoosh.reading import TermNotFound
from whoosh.system import emptybytes

#: Posting lists of fewer postings than this are kept in the term table (no block in the postings file).
INLINE_LIMIT = 32
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
    """W3's posting writer with working inlining and integral weights pickled as ints; takes a
    term's postings one at a time (Whoosh's path) or all at once (:meth:`add_list`)."""

    def add_list(self, ids: list[int], weights: list[float], lengths: list[float]) -> None:
        """All postings of the term: docnums ascending, their weights and field lengths (0: none).
        Writes the same blocks as one ``add_posting`` call each, a block at a time."""
        limit = self._blocklimit
        n = len(ids)
        for a in range(0, n, limit):
            if self._ids:
                self._write_block()
            b = min(n, a + limit)
            self._ids = array("I", ids[a:b])
            self._weights = array("f", weights[a:b])
            self._maxweight = max(0, max(self._weights))
            block_lengths = [x for x in lengths[a:b] if x]
            if block_lengths:
                self._minlength, self._maxlength = min(block_lengths), max(block_lengths)

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


# -- term info ------------------------------------------------------------------------------
#: Before every term info: flags (:data:`INLINED`, :data:`WIDE_IDS`, :data:`FLOAT_WEIGHTS`) and the
#: number of postings (big-endian, as Whoosh's own structures).
HEADER = struct.Struct(">BI")
#: Where the number of postings starts in a term info (a uint32, big-endian).
DF_OFFSET = 1
#: After the header of a list not inlined: its offset and length in the postings file.
EXTENT = struct.Struct(">qi")
INLINED, WIDE_IDS, FLOAT_WEIGHTS = 1, 2, 4


class LeanTermInfo(W3TermInfo):
    """A term's entry in the term table: 5 bytes (flags, number of postings), then either the
    postings themselves (docnums as uint16 or uint32, weights as uint8 counts or float32) or the
    extent of its blocks in the postings file.

    W3's entry spent 23 bytes on statistics for Whoosh's own scorers (total and largest weight,
    shortest and longest field, first and last docnum) before a pickled tuple of the inlined
    postings (~20 bytes for one posting); the index is scored by :mod:`indexer.scoring` from its
    own arrays, so only the number of postings is kept.  The statistics read back are those the
    entry allows: total and largest weight of an inlined list; nothing for a longer list."""

    def to_bytes(self) -> bytes:
        if self._inlined is None:
            return HEADER.pack(0, self._df) + EXTENT.pack(self._offset, self._length)
        ids, weights, _ = self._inlined
        return encode_inlined(ids, weights)

    @classmethod
    def from_bytes(cls, s: bytes) -> "LeanTermInfo":
        flags, df = HEADER.unpack_from(s)
        info = cls(df=df)
        if flags & INLINED:
            ids, weights = decode_inlined(s)
            info._inlined = (ids, weights, ())
            info._weight = float(sum(weights))
            info._maxweight = float(max(weights, default=0))
            info._minid, info._maxid = (ids[0], ids[-1]) if ids else (None, None)
        else:
            info._offset, info._length = EXTENT.unpack_from(s, HEADER.size)
        return info

    @classmethod
    def read_doc_freq(cls, dbfile, datapos: int) -> int:
        return HEADER.unpack(dbfile.get(datapos, HEADER.size))[1]


def encode_inlined(ids, weights) -> bytes:
    """The term info of a list kept in the term table (:class:`LeanTermInfo`)."""
    n = len(ids)
    flags = INLINED
    id_code = "I" if ids and max(ids) > 0xFFFF else "H"
    if id_code == "I":
        flags |= WIDE_IDS
    weight_code = "B" if all(w == int(w) and 0 <= w <= 255 for w in weights) else "f"
    if weight_code == "f":
        flags |= FLOAT_WEIGHTS
    else:
        weights = [int(w) for w in weights]
    return HEADER.pack(flags, n) + struct.pack(f">{n}{id_code}{n}{weight_code}", *ids, *weights)


def decode_inlined(s: bytes) -> tuple[tuple[int, ...], tuple]:
    """(docnums, weights) of an inlined term info."""
    flags, n = HEADER.unpack_from(s)
    values = struct.unpack_from(f">{n}{'I' if flags & WIDE_IDS else 'H'}{n}{'f' if flags & FLOAT_WEIGHTS else 'B'}",
                                s, HEADER.size)
    return values[:n], values[n:]


def extent(s: bytes) -> tuple[int, int]:
    """(offset, length) in the postings file of a term info not inlined."""
    return EXTENT.unpack_from(s, HEADER.size)


class TallyFile:
    """A binary file being written that keeps its own position: ``BufferedWriter.tell()`` asks the
    operating system (``lseek``) on every call, and Whoosh's term and postings writers ask once or
    twice per term (5 % of the index stage's CPU on the regulations collection)."""

    __slots__ = ("_file", "_pos")

    def __init__(self, file) -> None:
        self._file = file
        self._pos = file.tell()

    def write(self, data) -> int:
        n = self._file.write(data)
        self._pos += n
        return n

    def tell(self) -> int:
        return self._pos

    def seek(self, offset: int, whence: int = 0) -> int:
        self._pos = self._file.seek(offset, whence)
        return self._pos

    def __getattr__(self, name: str):
        return getattr(self._file, name)


class LeanFieldWriter(W3FieldWriter):
    def _create_file(self, ext):
        f = super()._create_file(ext)
        f.file = TallyFile(f.file)
        return f

    def write_lists(self, schema, lengths: dict[str, list[float]], lists: dict[tuple[str, bytes], tuple[list, list]]
                    ) -> None:
        """Write the postings of every term of ``lists`` ((field, term) -> (docnums, weights), docnums
        ascending), in field and term order, with the documents' field ``lengths``."""
        field = None
        for fieldname, tbytes in sorted(lists):
            if fieldname != field:
                if field is not None:
                    self.finish_field()
                field = fieldname
                self.start_field(fieldname, schema[fieldname])
                field_lengths = lengths.get(fieldname) or []
            ids, weights = lists[(fieldname, tbytes)]
            self.start_term(tbytes)
            self._postwriter.add_list(ids, weights, [field_lengths[d] if d < len(field_lengths) else 0 for d in ids])
            self.finish_term()
        if field is not None:
            self.finish_field()

    def start_term(self, btext):
        if self._postwriter is None:
            raise Exception("Called start_term before start_field")
        self._btext = btext
        self._postwriter.start_postings(self._fieldobj.format, LeanTermInfo())


class LeanFieldCursor(W3FieldCursor):
    def term_info(self):
        if self._pos is None:
            return None
        return LeanTermInfo.from_bytes(self._tindex.dbfile.get(self._datapos, self._datalen))


class LeanTermsReader(W3TermsReader):
    """W3's term table reader for :class:`LeanTermInfo` entries."""

    def cursor(self, fieldname, fieldobj):
        return LeanFieldCursor(self._tindex, fieldname, self._keycoder, self._keydecoder, fieldobj)

    def items(self):
        decode = self._keydecoder
        return ((decode(k), LeanTermInfo.from_bytes(v)) for k, v in self._tindex.items())

    def items_from(self, fieldname, prefix):
        decode = self._keydecoder
        return ((decode(k), LeanTermInfo.from_bytes(v))
                for k, v in self._tindex.items_from(self._keycoder(fieldname, prefix)))

    def term_info(self, fieldname, tbytes):
        try:
            return LeanTermInfo.from_bytes(self._tindex[self._keycoder(fieldname, tbytes)])
        except KeyError:
            raise TermNotFound(f"No term {fieldname}:{tbytes!r}") from None

    def frequency(self, fieldname, tbytes):
        """Total weight of the term (read from its postings: the entry does not keep it)."""
        m = self.matcher(fieldname, tbytes, WeightedTerms())
        total = 0.0
        while m.is_active():
            total += m.weight()
            m.next()
        return total

    def doc_frequency(self, fieldname, tbytes):
        return LeanTermInfo.read_doc_freq(self._dbfile, self._range_for_key(fieldname, tbytes)[0])


class TermLists:
    """A posting pool for Whoosh's ``SegmentWriter`` (its ``pool``) that keeps each term's postings
    as two lists, so that :func:`flush_segment` writes them a term at a time.  Whoosh's own pool
    makes every posting a tuple, sorts them all and hands them to the field writer one call each:
    two fifths of the CPU time of writing a bucket, measured."""

    def __init__(self) -> None:
        self.lists: dict[tuple[str, bytes], tuple[list[int], list[float]]] = {}

    def add(self, item: tuple) -> None:
        fieldname, tbytes, docnum, weight, _value = item
        entry = self.lists.get((fieldname, tbytes))
        if entry is None:
            entry = self.lists[(fieldname, tbytes)] = ([], [])
        entry[0].append(docnum)
        entry[1].append(weight)

    def cleanup(self) -> None:
        self.lists = {}


def flush_segment(writer, lengths: dict[str, list[float]]):
    """Finish the segment of ``writer`` (a ``SegmentWriter`` with a :class:`TermLists` pool and a
    :class:`LeanCodec`), as ``SegmentWriter._finalize_segment`` does, and return it; ``lengths``:
    each field's length in each document (Whoosh's rounded lengths; the block statistics)."""
    writer.perdocwriter.close()
    writer.fieldwriter.write_lists(writer.schema, lengths, writer.pool.lists)
    writer.fieldwriter.close()
    writer._close_segment()
    writer._assemble_segment()
    return writer.get_segment()


class LeanCodec(W3Codec):
    """Whoosh 3's codec with :class:`LeanPostingsWriter` and :class:`LeanTermInfo` (see the module
    docstring)."""

    def __init__(self, blocklimit: int = BLOCK_LIMIT, compression: int = COMPRESSION,
                 inlinelimit: int = INLINE_LIMIT) -> None:
        super().__init__(blocklimit=blocklimit, compression=compression, inlinelimit=inlinelimit)

    def postings_writer(self, dbfile, byteids=False):
        return LeanPostingsWriter(dbfile, blocklimit=self._blocklimit, byteids=byteids,
                                  compression=self._compression, inlinelimit=self._inlinelimit)

    def field_writer(self, storage, segment):
        return LeanFieldWriter(self, storage, segment)

    def terms_reader(self, storage, segment):
        name = segment.make_filename(self.TERMS_EXT)
        return LeanTermsReader(self, storage.open_file(name), storage.file_length(name),
                               segment.open_file(storage, self.POSTS_EXT))
