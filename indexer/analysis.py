"""Dutch text analysis for the search index (Whoosh analyzer + the same logic for queries).

One pass over the text produces, per word, a primary token (folded, lower-cased, stemmed)
and, at the *same position*, extra tokens:

* joined words ("ECRIS-TCN", "2019/816", "DT&V") keep the whole form and also index every
  part ("ecris", "tcn"; "2019", "816");
* elliptic compounds are completed: "in- en uitreissysteem" also yields "inreissysteem",
  "wachtlijsten en -tijden" also yields "wachttijden";
* compounds are split against the corpus' own vocabulary (parts of at least four letters,
  Dutch linking "s", "e", "en" allowed between parts): "terugkeerbeleid" -> "terugkeer" +
  "beleid".  Depending on ``parts`` these parts go into the same field (``"inline"``), only
  into a separate lower-weighted field (``"only"``, for the ``compounds`` field) or nowhere
  (``"none"``).

Soft hyphens are dropped, accents folded (financiële = financiele), Dutch stop words removed
(positions are counted without them, so phrases are analysed the same way on both sides)
and words stemmed with the Snowball Dutch (Porter) stemmer from PyStemmer (identical output
to ``whoosh.lang.snowball.dutch`` and ~15x faster), falling back to Whoosh's when PyStemmer
is missing.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import Iterable, Iterator

from whoosh.analysis import Composable, Token

# Snowball's Dutch stop list (as shipped with Whoosh), plus a few very frequent function words.
STOP_WORDS = frozenset(
    """aan al alles als altijd andere ben bij daar dan dat de der deze die dit doch doen door dus een eens
    en er ge geen geweest haar had heb hebben heeft hem het hier hij hoe hun iemand iets ik in is ja je kan kon
    kunnen maar me meer men met mij mijn moet na naar niet niets nog nu of om omdat onder ons ook op over
    reeds te tegen toch toen tot u uit uw van veel voor want waren was wat werd wezen wie wil worden wordt
    zal ze zelf zich zij zijn zo zonder zou""".split()
)

HYPHENS = "-\u2010\u2011\u2012\u2013"  # hyphen-minus, hyphen, non-breaking hyphen, figure dash, en dash
JOINERS = HYPHENS + "/&.,'\u2019+"
_SOFT = "\u00ad"
#: a word: letters/digits, joined by hyphens, slashes, '&', '.', ',' or apostrophes to more letters/digits.
WORD_RE = re.compile(r"[^\W_][\w\u00ad]*(?:[" + re.escape(JOINERS) + r"][^\W_][\w\u00ad]*)*\+?")
_SPLIT_RE = re.compile(r"[" + re.escape(JOINERS) + r"]+")
_ELLIPSIS_AFTER = re.compile(r" ?[" + re.escape(HYPHENS) + r"]\s+(?:en|of|en/of|tot|and|or)\s+(?=[^\W_])", re.I)
_ELLIPSIS_BEFORE = re.compile(r"([^\W_][\w\u00ad]*)\s+(?:en|of|en/of)\s+[" + re.escape(HYPHENS) + r"]\s?$", re.I)
_LINKS = ("", "s", "e", "en")
_MIN_PART = 4

# token kinds
PRIMARY, WHOLE, JOINPART, PART, EXPANSION = "w", "j", "jp", "p", "x"


def _fold_table() -> dict[int, str]:
    table = {ord(_SOFT): ""}
    for cp in range(0xC0, 0x250):  # Latin-1 supplement and Latin Extended-A/B
        ch = chr(cp)
        base = "".join(c for c in unicodedata.normalize("NFKD", ch) if not unicodedata.combining(c))
        if base != ch and base:
            table[cp] = base
    return table


_FOLD = _fold_table()


def fold(text: str) -> str:
    """Lower-case, drop soft hyphens and accents ("Financiële" -> "financiele")."""
    text = text.lower()
    if text.isascii():
        return text
    text = text.translate(_FOLD)
    if text.isascii():
        return text
    text = unicodedata.normalize("NFKD", text)
    return "".join(c for c in text if not unicodedata.combining(c))


class _Stemmer:
    """Dutch Snowball stemmer with a memo; picklable (rebuilt lazily after unpickling)."""

    def __init__(self, algorithm: str = "dutch_porter") -> None:
        self.algorithm = algorithm
        self._fn = None
        self._cache: dict[str, str] = {}

    def __getstate__(self):
        return {"algorithm": self.algorithm}

    def __setstate__(self, state):
        self.__init__(state["algorithm"])

    def _load(self):
        try:
            import Stemmer  # PyStemmer

            self._fn = Stemmer.Stemmer(self.algorithm).stemWord
        except Exception:  # pragma: no cover - PyStemmer is a dependency of the bench extra only
            from whoosh.lang.snowball.dutch import DutchStemmer

            self._fn = DutchStemmer().stem
        return self._fn

    def __call__(self, word: str) -> str:
        out = self._cache.get(word)
        if out is None:
            if not word.isalpha() or len(word) < 3:
                out = word
            else:
                out = (self._fn or self._load())(word)
            if len(self._cache) < 500_000:
                self._cache[word] = out
        return out


@dataclass
class Tok:
    text: str
    pos: int
    start: int
    end: int
    kind: str
    surface: str = ""  # folded unstemmed form (for primary tokens)


class Vocabulary:
    """Known words (folded, unstemmed, >= 4 letters, no stop words) for compound splitting."""

    def __init__(self, words: Iterable[str] = ()) -> None:
        self.words = frozenset(words)
        self._split_cache: dict[str, tuple[str, ...] | None] = {}
        self._tok_cache: dict[tuple, list] = {}

    def __getstate__(self):
        return {"words": sorted(self.words)}

    def __setstate__(self, state):
        self.__init__(state["words"])

    def __len__(self) -> int:
        return len(self.words)

    def __contains__(self, word: str) -> bool:
        return word in self.words

    def split(self, word: str) -> tuple[str, ...] | None:
        """Split a compound into known parts (fewest parts, then longest head-last), or None."""
        if len(word) < 2 * _MIN_PART or not word.isalpha():
            return None
        cached = self._split_cache.get(word, False)
        if cached is not False:
            return cached  # type: ignore[return-value]
        result = self._split(word)
        if len(self._split_cache) < 200_000:
            self._split_cache[word] = result
        return result

    def _split(self, word: str) -> tuple[str, ...] | None:
        n = len(word)
        words = self.words
        # best[i]: fewest parts covering word[i:], with the parts
        best: list[tuple[int, tuple[str, ...]] | None] = [None] * (n + 1)
        best[n] = (0, ())
        for i in range(n - _MIN_PART, -1, -1):
            cand = None
            for j in range(i + _MIN_PART, n + 1):
                part = word[i:j]
                if part not in words or (i == 0 and j == n):
                    continue
                for link in _LINKS:
                    k = j + len(link)
                    if k > n or (link and (k == n or word[j:k] != link)):
                        continue
                    rest = best[k]
                    if rest is None:
                        continue
                    score = rest[0] + 1
                    if cand is None or score < cand[0] or (score == cand[0] and len(part) < len(cand[1][0])):
                        cand = (score, (part, *rest[1]))
            best[i] = cand
        res = best[0]
        if res is None or res[0] < 2:
            return None
        return res[1]

    def is_known(self, word: str) -> bool:
        return word in self.words or self.split(word) is not None

    def tail(self, word: str) -> str | None:
        """The head noun of a compound: shortest known/splittable suffix after a prefix of >= 2 letters."""
        for k in range(2, len(word) - _MIN_PART + 1):
            rest = word[k:]
            if self.is_known(rest):
                return rest
        return None

    def head(self, word: str) -> str | None:
        """The first element of a compound: longest prefix whose remainder is known, else the
        longest prefix that is itself a known word."""
        for k in range(len(word) - _MIN_PART, 1, -1):
            if self.is_known(word[k:]):
                return word[:k]
        for k in range(len(word) - 3, _MIN_PART - 1, -1):
            if word[:k] in self.words:
                return word[:k]
        return None


class DutchAnalyzer(Composable):
    """Whoosh analyzer; ``parts``: "inline" | "only" | "none" (where compound parts go)."""

    is_morph = True

    def __init__(self, vocabulary: Vocabulary | None = None, *, parts: str = "inline",
                 stemmer: str = "dutch_porter", stop: bool = True) -> None:
        self.vocabulary = vocabulary or Vocabulary()
        self.parts = parts
        self.stemmer = _Stemmer(stemmer)
        self.stop = stop

    def __eq__(self, other: object) -> bool:
        return (isinstance(other, DutchAnalyzer) and self.parts == other.parts
                and self.stemmer.algorithm == other.stemmer.algorithm and self.stop == other.stop
                and len(self.vocabulary) == len(other.vocabulary))

    def __hash__(self) -> int:  # pragma: no cover - analyzers are not hashed by Whoosh
        return hash((self.parts, self.stemmer.algorithm))

    # -- core ---------------------------------------------------------------------------
    def stem(self, word: str) -> str:
        return self.stemmer(word)

    def _is_stop(self, w: str) -> bool:
        return self.stop and w in STOP_WORDS

    def tokens(self, text: str, *, with_parts: bool | None = None) -> list[Tok]:
        """The tokens of ``text`` with kinds, positions and character offsets.

        ``with_parts`` None follows the analyzer's ``parts`` mode; True/False forces compound
        parts in or out.  The full analysis is memoised per text (shared by every analyzer over
        the same vocabulary), so the fields that index the same text (text, compounds,
        shingles) analyse it once.
        """
        key = (text, self.stemmer.algorithm, self.stop)
        cache = self.vocabulary._tok_cache
        full = cache.get(key)
        if full is None:
            full = list(self._generate(text))
            if len(cache) >= 16:
                cache.clear()
            cache[key] = full
        mode = self.parts
        if with_parts is None:
            with_parts = mode in ("inline", "only")
        if mode == "only":
            return [t for t in full if t.kind == PART] if with_parts else []
        return full if with_parts else [t for t in full if t.kind != PART]

    def _generate(self, text: str) -> Iterator[Tok]:
        emit_main = emit_parts = True
        vocab = self.vocabulary
        stem = self.stemmer
        pos = -1
        for m in WORD_RE.finditer(text):
            raw = m.group()
            start, end = m.start(), m.end()
            word = fold(raw)
            pieces = [p for p in _SPLIT_RE.split(word) if p]
            if not pieces:
                continue
            if len(pieces) == 1:
                w = pieces[0].rstrip("+") or pieces[0]
                if self._is_stop(w) and not self._ellipsis_after(text, end):
                    continue
                pos += 1
                if emit_main and not self._is_stop(w):
                    yield Tok(stem(w), pos, start, end, PRIMARY, w)
                if emit_main or emit_parts:
                    yield from self._ellipsis(text, start, end, w, pos)
                if emit_parts:
                    sp = vocab.split(w)
                    if sp:
                        for p in sp:
                            yield Tok(stem(p), pos, start, end, PART, p)
                continue
            # joined word: whole form + every part at the same position
            pos += 1
            joiner = "-" if any(c in HYPHENS for c in raw) else ("/" if "/" in raw else "")
            whole = re.sub(r"[" + re.escape(HYPHENS) + r"]", "-", word).rstrip("+")
            if emit_main:
                yield Tok(whole, pos, start, end, WHOLE, word)
                for p in pieces:
                    if len(p) < 2 and not p.isdigit():
                        continue
                    if self._is_stop(p):
                        continue
                    yield Tok(stem(p), pos, start, end, JOINPART, p)
                if joiner == "-" and all(p.isalpha() for p in pieces):
                    glued = "".join(pieces)
                    yield Tok(stem(glued), pos, start, end, JOINPART, glued)
            if emit_parts:
                last = pieces[-1]
                sp = vocab.split(last)
                if sp:
                    for p in sp:
                        yield Tok(stem(p), pos, start, end, PART, p)
            if emit_main or emit_parts:
                yield from self._ellipsis(text, start, end, pieces[-1], pos, first_piece=pieces[0])

    @staticmethod
    def _ellipsis_after(text: str, end: int) -> bool:
        if end >= len(text) or not (text[end] in HYPHENS or text[end] == " " and text[end + 1:end + 2] in HYPHENS):
            return False
        return _ELLIPSIS_AFTER.match(text, end) is not None

    def _ellipsis(self, text: str, start: int, end: int, w: str, pos: int, first_piece: str | None = None):
        """Complete elliptic compounds around a word ("in- en uitreissysteem", "lijsten en -tijden")."""
        vocab = self.vocabulary
        if self._ellipsis_after(text, end):
            m = _ELLIPSIS_AFTER.match(text, end)
            nxt = WORD_RE.match(text, m.end())
            if nxt:
                target = fold(nxt.group())
                target = _SPLIT_RE.split(target)[-1] if _SPLIT_RE.search(target) else target
                tail = vocab.tail(target)
                if tail:
                    yield Tok(self.stemmer(w + tail), pos, start, end, EXPANSION, w + tail)
        if start >= 2 and text[start - 1] in HYPHENS and (text[start - 2].isspace() or start >= 3 and text[start - 2] in HYPHENS):
            before = _ELLIPSIS_BEFORE.search(text, max(0, start - 80), start)
            if before:
                prev = fold(before.group(1))
                head = vocab.head(prev) if prev.isalpha() else None
                target = first_piece or w
                if head:
                    yield Tok(self.stemmer(head + target), pos, start, end, EXPANSION, head + target)

    # -- Whoosh protocol ------------------------------------------------------------------
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


_WORD_VOCAB_RE = re.compile(r"[^\W\d_]{4,}")


def vocabulary_counts(texts: Iterable[str]) -> dict[str, int]:
    """Folded word counts (letters only, >= 4 letters) over ``texts``."""
    counts: dict[str, int] = {}
    get = counts.get
    for text in texts:
        for w in _WORD_VOCAB_RE.findall(fold(text)):
            counts[w] = get(w, 0) + 1
    return counts


def build_vocabulary(counts: dict[str, int], *, min_count: int = 1) -> Vocabulary:
    return Vocabulary(w for w, c in counts.items() if c >= min_count and w not in STOP_WORDS)


def analyze_terms(analyzer: DutchAnalyzer, text: str) -> list[str]:
    """Distinct index terms of ``text`` (convenience for tests and highlighting)."""
    return list(dict.fromkeys(t.text for t in analyzer.tokens(text)))
