"""Dutch compounds: splitting against a corpus vocabulary, and compounds that share a head.

Dutch writes compounds as one word ("terugkeerbeleid") and shares their head in a
coordination ("asiel- en migratiebeleid" = asielbeleid + migratiebeleid; "wachtlijsten en
-tijden" = wachtlijsten + wachttijden).  Both need to know which words exist, so both work
against a :class:`Vocabulary`: the folded words of the collection itself (no dictionary to
ship or to go stale).

Costs are bounded by construction: a word longer than ``settings.Limits.max_compound_chars``
is never split (no Dutch compound is that long), a part is never longer than the longest
vocabulary word, and results are memoised — so one 200,000-letter "word" costs one length
check, and a run of long words costs at most a fixed amount each.
"""
from __future__ import annotations

import re
from typing import Iterable, Iterator

from settings import Limits

from .fold import DASHES, fold

#: Shortest part of a compound ("asiel", "beleid"; "reis" but not "uit").
MIN_PART = 4
#: Dutch linking morphemes between the parts of a compound ("beleid-s-verslag", "klant-en-contact").
LINKS = ("", "s", "e", "en")
#: Words longer than this are not compounds (``settings.Limits.max_compound_chars``).
MAX_COMPOUND_CHARS = Limits().max_compound_chars
_CACHE_LIMIT = 200_000

_CONJ = r"(?:en/of|en|of|tot|and|or)"
_HY = "[" + re.escape(DASHES) + "]"
#: After a word ending in a hyphen: "asiel- en " (the next word completes it).
SHARED_HEAD_AFTER = re.compile(r" ?" + _HY + r"\s+" + _CONJ + r"\s+(?=[^\W_])", re.I)
#: Before a fragment starting with a hyphen: "wachtlijsten en -" (the previous word completes it).
SHARED_HEAD_BEFORE = re.compile(r"([^\W_][\w\u00ad]*)\s+(?:en/of|en|of)\s+" + _HY + r"\s?$", re.I)


class Vocabulary:
    """Known words (folded, unstemmed, at least four letters, no stop words) of a collection."""

    def __init__(self, words: Iterable[str] = (), *, max_chars: int = MAX_COMPOUND_CHARS) -> None:
        self.max_chars = max_chars
        self.words = frozenset(w for w in words if len(w) <= max_chars)
        self.longest = max((len(w) for w in self.words), default=0)
        self._split_cache: dict[str, tuple[str, ...] | None] = {}
        #: shared per-text token cache of the analyzers over this vocabulary (see nltext.chain)
        self.token_cache: dict[tuple, list] = {}

    def __getstate__(self) -> dict:
        return {"words": sorted(self.words), "max_chars": self.max_chars}

    def __setstate__(self, state: dict) -> None:
        self.__init__(state["words"], max_chars=state.get("max_chars", MAX_COMPOUND_CHARS))

    def __len__(self) -> int:
        return len(self.words)

    def __contains__(self, word: str) -> bool:
        return word in self.words

    # -- splitting ---------------------------------------------------------------------------
    def split(self, word: str) -> tuple[str, ...] | None:
        """Known parts of a compound (fewest parts, then the shortest first part), or None."""
        if len(word) < 2 * MIN_PART or len(word) > self.max_chars or not word.isalpha():
            return None
        cached = self._split_cache.get(word, False)
        if cached is not False:
            return cached  # type: ignore[return-value]
        result = self._split(word)
        if len(self._split_cache) < _CACHE_LIMIT:
            self._split_cache[word] = result
        return result

    def _split(self, word: str) -> tuple[str, ...] | None:
        n = len(word)
        words = self.words
        longest = self.longest
        # best[i]: fewest parts covering word[i:], with the parts
        best: list[tuple[int, tuple[str, ...]] | None] = [None] * (n + 1)
        best[n] = (0, ())
        for i in range(n - MIN_PART, -1, -1):
            cand = None
            for j in range(i + MIN_PART, min(n, i + longest) + 1):
                part = word[i:j]
                if part not in words or (i == 0 and j == n):
                    continue
                for link in LINKS:
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
        """A vocabulary word or a compound of vocabulary words."""
        return word in self.words or self.split(word) is not None

    # -- shared heads ------------------------------------------------------------------------
    def head_of(self, word: str) -> str | None:
        """What a compound shares with a hyphenated modifier before it: the word after its first
        element ("migratiebeleid" -> "beleid", "herkomstvaststelling" -> "vaststelling",
        "uitreissysteem" -> "reissysteem"), or None.

        The first element is the first part of a split into vocabulary words (and its linking
        morpheme); else the longest known suffix after a prefix of two letters or more (a short
        first element: "uit", "in"); else what follows the longest known prefix."""
        if len(word) > self.max_chars or len(word) < MIN_PART + 2 or not word.isalpha():
            return None
        parts = self.split(word)
        if parts:
            first = len(parts[0])
            for link in LINKS:  # the split's own linking morpheme between its first two parts
                if word.startswith(link + parts[1], first):
                    return word[first + len(link):]
            return word[first:]  # pragma: no cover - a split always has a link between its parts
        for k in range(2, len(word) - MIN_PART + 1):
            rest = word[k:]
            if self.is_known(rest):
                return rest
        for k in range(len(word) - MIN_PART, MIN_PART - 1, -1):
            if word[:k] in self.words:
                rest = word[k + 1:] if word[k] == "s" and len(word) - k > 5 else word[k:]
                return rest if len(rest) >= MIN_PART else None
        return None

    def modifier_of(self, word: str) -> str | None:
        """What a compound shares with a hyphenated head after it: the word before its last
        element ("wachtlijsten" -> "wacht" for "wachtlijsten en -tijden"), or None."""
        if len(word) > self.max_chars or not word.isalpha():
            return None
        parts = self.split(word)
        if parts:
            return word[: len(word) - len(parts[-1])]
        for k in range(len(word) - MIN_PART, 1, -1):
            if self.is_known(word[k:]):
                return word[:k]
        for k in range(len(word) - 3, MIN_PART - 1, -1):
            if word[:k] in self.words:
                return word[:k]
        return None

    def complete_left(self, fragment: str, word: str) -> str | None:
        """"asiel" + "migratiebeleid" -> "asielbeleid" (from "asiel- en migratiebeleid")."""
        head = self.head_of(word)
        return fragment + head if head and fragment else None

    def complete_right(self, word: str, fragment: str) -> str | None:
        """"wachtlijsten" + "tijden" -> "wachttijden" (from "wachtlijsten en -tijden")."""
        mod = self.modifier_of(word)
        return mod + fragment if mod and fragment else None


_WORD_CHARS = re.compile(r"[^\W_][\w\u00ad]*")
_SHARED_LEFT = re.compile(r"([^\W_][\w\u00ad]*)" + SHARED_HEAD_AFTER.pattern + r"([^\W_][\w\u00ad]*)", re.I)


def shared_head_compounds(text: str, vocabulary: Vocabulary) -> Iterator[tuple[int, int, str]]:
    """The written-out left compounds of "X- en Ycompound" coordinations in ``text``:
    (start, end of the fragment, folded completed word) — "asiel- en migratiebeleid" gives
    "asielbeleid".  Fragments shorter than three letters ("in-") are left alone here: they are
    no word of their own."""
    for m in _SHARED_LEFT.finditer(text):
        frag, word = fold(m.group(1)), fold(m.group(2))
        word = re.split("[" + re.escape(DASHES) + "/]", word)[-1]
        if len(frag) < 3:
            continue
        done = vocabulary.complete_left(frag, word)
        if done:
            yield m.start(1), m.end(1), done
