"""The Dutch analysis chain: small filters composed Whoosh-style into one analyzer.

``Analyzer`` runs ``Tokenizer | FoldFilter | StopFilter | MainFilter | SharedHeadFilter |
ParticipleFilter | CompoundFilter | StemFilter`` over a text.  Each filter takes and yields
:class:`Word` records (one per position, carrying its tokens), so a filter adds tokens at the
word's position without renumbering anything.  The search index (through the Whoosh adapter
in ``indexer/analysis.py``) and related passages (``kb/related``) run this same chain, so both
agree on what a word is.

Filters, in order:

* ``FoldFilter`` — :func:`nltext.fold.fold`, then the pieces of a joined word;
* ``StopFilter`` — drops function words (positions are counted without them, so a phrase is
  analysed alike on both sides) except before a shared head ("in- en uitreis");
* ``MainFilter`` — the primary token; a joined word's whole form, its parts, and a hyphenated
  word glued ("e-mail" also "email");
* ``SharedHeadFilter`` — completes elliptic compounds around the word (:mod:`nltext.compounds`);
* ``ParticipleFilter`` — the infinitive of a participle the collection also writes as an
  infinitive ("ontwikkeld" -> "ontwikkelen", see :mod:`nltext.verbs`);
* ``CompoundFilter`` — the parts of a compound split against the vocabulary;
* ``StemFilter`` — stems every token but a joined word's whole form.
"""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from typing import Callable, Iterable, Iterator

from .compounds import MIN_PART, SHARED_HEAD_AFTER, SHARED_HEAD_BEFORE, Vocabulary
from .fold import fold
from .lexicon import FUNCTION_WORDS
from .stem import DEFAULT_ALGORITHM, Stemmer, stemmer
from .tokens import EXPANSION, HYPHENS, JOINPART, PART, PIECES_RE, PRIMARY, WHOLE, WORD_RE, Tok
from .verbs import infinitive

_HYPHEN_CLASS = re.compile("[" + re.escape(HYPHENS) + "]")
_TOKEN_CACHE_SIZE = 16
#: Written words whose analysis an analyzer keeps (:class:`WordForm`); cleared when full.
_FORM_CACHE_SIZE = 300_000


@dataclass
class Word:
    """One word of the text and the tokens at its position."""

    raw: str
    start: int
    end: int
    folded: str = ""
    pieces: list[str] = field(default_factory=list)
    pos: int = -1
    stop: bool = False
    tokens: list[Tok] = field(default_factory=list)

    @property
    def joined(self) -> bool:
        return len(self.pieces) > 1

    @property
    def single(self) -> str:
        """The folded word of a single-piece word ("+" of "ESF+" stripped)."""
        return self.pieces[0].rstrip("+") or self.pieces[0]

    def add(self, text: str, kind: str, surface: str) -> None:
        self.tokens.append(Tok(text, self.pos, self.start, self.end, kind, surface))


@dataclass
class Context:
    """What the filters share for one text."""

    text: str
    vocabulary: Vocabulary
    stem: Stemmer
    stop_words: frozenset[str]


Filter = Callable[[Iterator[Word], Context], Iterator[Word]]


@dataclass(frozen=True)
class WordForm:
    """What the chain makes of one written word, wherever it stands: everything but its position,
    offsets and shared-head completions (which depend on the words around it).

    Folding, stop words, joined-word pieces, participles, compound splitting and stemming are a
    function of the word alone, so :meth:`Analyzer.tokens` runs them once per distinct word and
    reuses the result: the index build analysed each of 541k words anew (7.6 of its 18 s on a
    3 MB slice).  Tokens are ``(text, kind, surface)``; ``head`` go before the shared-head
    completions, ``tail`` (infinitive, compound parts) after, as the filters add them.
    """

    stop: bool
    first: str
    last: str
    head: tuple[tuple[str, str, str], ...]
    tail: tuple[tuple[str, str, str], ...]


def tokenizer(text: str) -> Iterator[Word]:
    for m in WORD_RE.finditer(text):
        yield Word(m.group(), m.start(), m.end())


def fold_filter(words: Iterator[Word], ctx: Context) -> Iterator[Word]:
    for w in words:
        w.folded = fold(w.raw)
        w.pieces = [p for p in PIECES_RE.split(w.folded) if p]
        if w.pieces:
            yield w


def shared_head_follows(text: str, end: int) -> bool:
    """Does "- en <word>" follow the word ending at ``end`` ("asiel- en migratiebeleid")?"""
    if end >= len(text) or not (text[end] in HYPHENS or text[end] == " " and text[end + 1:end + 2] in HYPHENS):
        return False
    return SHARED_HEAD_AFTER.match(text, end) is not None


def _is_stop(w: Word, stops: frozenset[str]) -> bool:
    """A stop word (a joined word never is one); kept anyway where a shared head follows it."""
    return not w.joined and w.single in stops


def stop_filter(words: Iterator[Word], ctx: Context) -> Iterator[Word]:
    pos = -1
    stops = ctx.stop_words
    for w in words:
        if not w.joined:
            w.stop = _is_stop(w, stops)
            if w.stop and not shared_head_follows(ctx.text, w.end):
                continue
        pos += 1
        w.pos = pos
        yield w


def main_filter(words: Iterator[Word], ctx: Context) -> Iterator[Word]:
    stops = ctx.stop_words
    for w in words:
        if not w.joined:
            if not w.stop:
                w.add(w.single, PRIMARY, w.single)
            yield w
            continue
        whole = _HYPHEN_CLASS.sub("-", w.folded).rstrip("+")
        w.add(whole, WHOLE, w.folded)
        for p in w.pieces:
            if (len(p) < 2 and not p.isdigit()) or p in stops:
                continue
            w.add(p, JOINPART, p)
        if any(c in HYPHENS for c in w.raw) and all(p.isalpha() for p in w.pieces):
            glued = "".join(w.pieces)
            w.add(glued, JOINPART, glued)
        yield w


def shared_head_expansions(text: str, start: int, end: int, first: str, last: str, vocab: Vocabulary,
                           follows: bool | None = None) -> list[str]:
    """Compounds completed around the word at ``text[start:end]`` from a shared head: "asiel- en
    migratiebeleid" completes "asiel" to "asielbeleid", "wachtlijsten en -tijden" completes
    "tijden" to "wachttijden" (``first``/``last``: the word's first and last folded piece)."""
    out: list[str] = []
    if follows if follows is not None else shared_head_follows(text, end):
        m = SHARED_HEAD_AFTER.match(text, end)
        nxt = WORD_RE.match(text, m.end()) if m else None
        if nxt:
            target = PIECES_RE.split(fold(nxt.group()))[-1]
            done = vocab.complete_left(last, target)
            if done:
                out.append(done)
    if start >= 2 and text[start - 1] in HYPHENS and (text[start - 2].isspace() or start >= 3 and text[start - 2] in HYPHENS):
        before = SHARED_HEAD_BEFORE.search(text, max(0, start - 80), start)
        if before:
            prev = fold(before.group(1))
            done = vocab.complete_right(prev, first) if prev.isalpha() else None
            if done:
                out.append(done)
    return out


def shared_head_filter(words: Iterator[Word], ctx: Context) -> Iterator[Word]:
    text, vocab = ctx.text, ctx.vocabulary
    for w in words:
        first, last = (w.pieces[0], w.pieces[-1]) if w.joined else (w.single, w.single)
        for done in shared_head_expansions(text, w.start, w.end, first, last, vocab):
            w.add(done, EXPANSION, done)
        yield w


def participle_filter(words: Iterator[Word], ctx: Context) -> Iterator[Word]:
    vocab = ctx.vocabulary
    for w in words:
        if not w.joined and not w.stop:
            inf = infinitive(w.single, vocab)
            if inf:
                w.add(inf, EXPANSION, inf)
        yield w


def compound_filter(words: Iterator[Word], ctx: Context) -> Iterator[Word]:
    vocab = ctx.vocabulary
    for w in words:
        parts = vocab.split(w.pieces[-1] if w.joined else w.single)
        if parts:
            for p in parts:
                w.add(p, PART, p)
        yield w


def stem_filter(words: Iterator[Word], ctx: Context) -> Iterator[Word]:
    stem = ctx.stem
    for w in words:
        for t in w.tokens:
            if t.kind != WHOLE:
                t.text = stem(t.text)
        yield w


#: The chain, in order (the participle filter runs when the analyzer asks for it).
FILTERS: tuple[Filter, ...] = (fold_filter, stop_filter, main_filter, shared_head_filter, participle_filter,
                               compound_filter, stem_filter)


#: The form of a match that folds to no word at all (no position).
_NO_WORD = WordForm(True, "", "", (), ())


class Analyzer:
    """The Dutch chain over one vocabulary: ``tokens(text)`` gives :class:`Tok` records.

    ``parts``: where compound parts go — ``"inline"`` (with the other tokens), ``"only"`` (only
    the parts: the search index's separate compounds field) or ``"none"``.  ``participles``
    adds the infinitive of participles.  The full analysis of a text is memoised (shared by
    every analyzer over the same vocabulary and settings), so fields that index the same text
    analyse it once.
    """

    def __init__(self, vocabulary: Vocabulary | None = None, *, parts: str = "inline",
                 stemmer_name: str = DEFAULT_ALGORITHM, stop: bool = True, participles: bool = True) -> None:
        if parts not in ("inline", "only", "none"):
            raise ValueError(f"parts must be 'inline', 'only' or 'none', not {parts!r}")
        self.vocabulary = vocabulary if vocabulary is not None else Vocabulary()
        self.parts = parts
        self.stemmer = stemmer(stemmer_name)
        self.stop = stop
        self.participles = participles
        self.filters = tuple(f for f in FILTERS if participles or f is not participle_filter)
        #: the context-free filters after the shared-head one, run once per word by :meth:`_form`
        self._after_shared_head = self.filters[self.filters.index(shared_head_filter) + 1:]
        self._forms: dict[str, WordForm] = {}

    def __eq__(self, other: object) -> bool:
        return (isinstance(other, Analyzer) and self.parts == other.parts and self.stemmer == other.stemmer
                and self.stop == other.stop and self.participles == other.participles
                and len(self.vocabulary) == len(other.vocabulary))

    def __hash__(self) -> int:
        return hash((self.parts, self.stemmer.algorithm, self.stop, self.participles))

    def __getstate__(self) -> dict:
        return {"vocabulary": self.vocabulary, "parts": self.parts, "stemmer": self.stemmer.algorithm,
                "stop": self.stop, "participles": self.participles}

    def __setstate__(self, state: dict) -> None:
        Analyzer.__init__(self, state["vocabulary"], parts=state["parts"], stemmer_name=state["stemmer"],
                          stop=state["stop"], participles=state.get("participles", True))

    def stem(self, word: str) -> str:
        return self.stemmer(word)

    def is_stop(self, word: str) -> bool:
        return self.stop and word in FUNCTION_WORDS

    def words(self, text: str) -> Iterator[Word]:
        """The chain's :class:`Word` records (fresh, not memoised)."""
        ctx = Context(text, self.vocabulary, self.stemmer, FUNCTION_WORDS if self.stop else frozenset())
        stream: Iterator[Word] = tokenizer(text)
        for f in self.filters:
            stream = f(stream, ctx)
        return stream

    def tokens(self, text: str, *, with_parts: bool | None = None) -> list[Tok]:
        """The tokens of ``text``; ``with_parts`` None follows ``parts``, True/False forces parts in or out."""
        key = (text, self.stemmer.algorithm, self.stop, self.participles)
        cache = self.vocabulary.token_cache
        full = cache.get(key)
        if full is None:
            full = self._analyse(text)
            if len(cache) >= _TOKEN_CACHE_SIZE:
                cache.clear()
            cache[key] = full
        if with_parts is None:
            with_parts = self.parts in ("inline", "only")
        if self.parts == "only":
            return [t for t in full if t.kind == PART] if with_parts else []
        return full if with_parts else [t for t in full if t.kind != PART]

    def _analyse(self, text: str) -> list[Tok]:
        """The tokens :meth:`words` gives, from memoised :class:`WordForm`s plus what context adds
        (whether a stop word is kept, positions, shared-head completions)."""
        out: list[Tok] = []
        append = out.append
        pos = -1
        forms, vocab, stem = self._forms, self.vocabulary, self.stemmer
        for m in WORD_RE.finditer(text):
            raw = m.group()
            form = forms.get(raw)
            if form is None:
                form = self._form(raw)
            if form is _NO_WORD:
                continue
            start, end = m.span()
            # most words are followed by a space and a letter: skip the call (its own first test)
            after = text[end:end + 1]
            follows = (after in HYPHENS or after == " " and text[end + 1:end + 2] in HYPHENS) and after != "" \
                and shared_head_follows(text, end)
            if form.stop and not follows:
                continue
            pos += 1
            for t, kind, surface in form.head:
                append(Tok(t, pos, start, end, kind, surface))
            if follows or (start >= 2 and text[start - 1] in HYPHENS):
                for done in shared_head_expansions(text, start, end, form.first, form.last, vocab, follows):
                    append(Tok(stem(done), pos, start, end, EXPANSION, done))
            for t, kind, surface in form.tail:
                append(Tok(t, pos, start, end, kind, surface))
        return out

    def _form(self, raw: str) -> WordForm:
        """Run the context-free filters over one word (the filters themselves, so both paths agree)."""
        ctx = Context(raw, self.vocabulary, self.stemmer, FUNCTION_WORDS if self.stop else frozenset())
        form: WordForm = _NO_WORD
        for w in fold_filter(iter([Word(raw, 0, len(raw))]), ctx):
            w.stop = _is_stop(w, ctx.stop_words)
            w.pos = 0
            for _ in main_filter(iter([w]), ctx):
                pass
            n = len(w.tokens)
            for f in self._after_shared_head:
                for _ in f(iter([w]), ctx):
                    pass
            toks = [(t.text, t.kind, t.surface) for t in w.tokens]
            first, last = (w.pieces[0], w.pieces[-1]) if w.joined else (w.single, w.single)
            form = WordForm(w.stop, first, last, tuple(toks[:n]), tuple(toks[n:]))
        if len(self._forms) >= _FORM_CACHE_SIZE:
            self._forms.clear()
        self._forms[raw] = form
        return form

    def terms(self, text: str) -> list[str]:
        """Distinct index terms of ``text``, in order."""
        return list(dict.fromkeys(t.text for t in self.tokens(text)))


_VOCABULARY_WORD = re.compile(r"[^\W\d_]{%d,}" % MIN_PART)


def vocabulary_counts(texts: Iterable[str]) -> dict[str, int]:
    """Folded word counts (letters only, at least :data:`MIN_PART` letters) over ``texts``
    (``Counter.update`` counts in C: the index build counts every word of the collection this way)."""
    counts: Counter[str] = Counter()
    findall = _VOCABULARY_WORD.findall
    for text in texts:
        counts.update(findall(fold(text)))
    return dict(counts)


def build_vocabulary(counts: dict[str, int], *, min_count: int = 1) -> Vocabulary:
    """A vocabulary of the words counted at least ``min_count`` times, stop words left out."""
    return Vocabulary(w for w, c in counts.items() if c >= min_count and w not in FUNCTION_WORDS)
