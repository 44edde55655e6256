"""The Whoosh adapter over the Dutch analysis chain of :mod:`nltext`.

All text handling (folding, stop words, joined words, shared-head and split compounds,
stemming) lives in :mod:`nltext.chain`; related passages run the same chain.  This module
only speaks Whoosh's analyzer protocol: :class:`DutchAnalyzer` yields Whoosh ``Token``s from
the chain's tokens (one position per word, extra tokens at the same position), and
:class:`ShingleAnalyzer` gives the word bigrams for phrase search (kept in a table of their keys,
:func:`shingle_key`, not in Whoosh).
"""
from __future__ import annotations

import hashlib

from whoosh.analysis import Composable, Token

from nltext import chain as _chain
from nltext.chain import build_vocabulary, vocabulary_counts  # noqa: F401 - the index builder's entry points
from nltext.compounds import Vocabulary  # noqa: F401 - pickled with the schema
from nltext.fold import fold  # noqa: F401 - query parsing folds with the same function
from nltext.lexicon import FUNCTION_WORDS
from nltext.tokens import EXPANSION, JOINERS, JOINPART, PART, PRIMARY, WHOLE, WORD_RE, Tok  # noqa: F401

#: The stop words of the index (Dutch function words; nltext/data/stop_words.tsv).
STOP_WORDS = FUNCTION_WORDS


class DutchAnalyzer(_chain.Analyzer, Composable):
    """Whoosh analyzer over the nltext chain; ``parts``: "inline" | "only" | "none".

    The participle filter is off for search: it lowered dev nDCG@10 from 0.974 to 0.960 (its
    extra tokens shift field lengths), while related passages, which pair reports ("ontwikkeld")
    with plans ("ontwikkelen"), need it."""

    is_morph = True

    def __init__(self, vocabulary: Vocabulary | None = None, *, parts: str = "inline",
                 stemmer: str = "dutch_porter", stop: bool = True) -> None:
        super().__init__(vocabulary, parts=parts, stemmer_name=stemmer, stop=stop, participles=False)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, DutchAnalyzer) and _chain.Analyzer.__eq__(self, other)

    __hash__ = _chain.Analyzer.__hash__

    def __call__(self, value, positions=False, chars=False, keeporiginal=False, removestops=True,
                 start_pos=0, start_char=0, tokenize=True, mode="", **kwargs):
        t = Token(positions, chars, removestops=removestops, mode=mode, **kwargs)
        if not tokenize:
            t.original = t.text = value
            t.boost = 1.0
            if positions:
                t.pos = start_pos
            if chars:
                t.startchar, t.endchar = start_char, start_char + len(value)
            yield t
            return
        for tok in self.tokens(value):
            t.text = tok.text
            t.boost = 1.0
            t.stopped = False
            if keeporiginal:
                t.original = tok.surface or tok.text
            if positions:
                t.pos = start_pos + tok.pos
            if chars:
                t.startchar = start_char + tok.start
                t.endchar = start_char + tok.end
            yield t


class ShingleAnalyzer(Composable):
    """Word bigrams ("vrouwelijk statushouder") of consecutive primary tokens, for phrase search.

    Phrases are matched as the conjunction of their bigrams in this field, which needs no
    positions in the postings: that keeps the index small, the build fast and phrase queries
    a few array intersections.
    """

    def __init__(self, base: DutchAnalyzer) -> None:
        self.base = base

    def __eq__(self, other: object) -> bool:
        return isinstance(other, ShingleAnalyzer) and self.base == other.base

    def __hash__(self) -> int:  # pragma: no cover
        return hash(("shingles", self.base.parts))

    def shingles(self, text: str) -> list[str]:
        out: list[str] = []
        prev: tuple[int, str] | None = None
        for tok in self.base.tokens(text, with_parts=False):
            if tok.kind not in (PRIMARY, WHOLE):
                continue
            if prev is not None and tok.pos == prev[0]:
                continue
            if prev is not None and tok.pos == prev[0] + 1:
                out.append(f"{prev[1]} {tok.text}")
            prev = (tok.pos, tok.text)
        return out

    def __call__(self, value, positions=False, chars=False, keeporiginal=False, removestops=True,
                 start_pos=0, start_char=0, tokenize=True, mode="", **kwargs):
        t = Token(positions, chars, removestops=removestops, mode=mode, **kwargs)
        for i, sh in enumerate(self.shingles(value) if tokenize else [value]):
            t.text = sh
            t.boost = 1.0
            t.stopped = False
            if positions:
                t.pos = start_pos + i
            if chars:
                t.startchar = t.endchar = start_char
            yield t


def shingle_key(bigram: str) -> int:
    """The 64-bit key of a word bigram in the phrase table (``shingles.keys.npy``, see
    :mod:`indexer.segments`): the first 8 bytes of its BLAKE2b digest, stable across processes."""
    return int.from_bytes(hashlib.blake2b(bigram.encode("utf-8"), digest_size=8).digest(), "little")


def analyze_terms(analyzer: DutchAnalyzer, text: str) -> list[str]:
    """Distinct index terms of ``text`` (convenience for tests and highlighting)."""
    return analyzer.terms(text)
