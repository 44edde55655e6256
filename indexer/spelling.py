"""Spelling: the corpus' own words, their closest spellings, and the "Bedoelde u" suggestion.

The word list (``words.json`` of an index generation: surface word -> count) is the only
dictionary: a suggestion is always a word that occurs in the indexed texts.  Close words are
found with a symmetric-delete index (a word and its one-deletion variants -> words), so a
lookup costs a few dict probes instead of a scan of the vocabulary.
"""
from __future__ import annotations

import bisect
import json
import re
import threading
from pathlib import Path
from typing import Callable

from indexer.analysis import STOP_WORDS, fold

#: a suggestion is only offered when the query finds at most this many passages (or respelled a word)
SUGGEST_BELOW = 5


class Spelling:
    """Known words of one index generation (loaded lazily; the delete index on a thread)."""

    def __init__(self, words_path: Path, *, warm: bool = True) -> None:
        self.words_path = words_path
        self._words: dict[str, int] | None = None
        self._deletes: dict[str, list[str]] | None = None
        self._sorted_words: list[str] | None = None
        self._lock = threading.Lock()
        if warm:  # the delete index takes ~0.2 s at 50,000 passages: build it off the request path
            threading.Thread(target=lambda: self.deletes, name="bb-spelling", daemon=True).start()

    @property
    def words(self) -> dict[str, int]:
        if self._words is None:
            try:
                self._words = json.loads(self.words_path.read_text(encoding="utf-8"))
            except (OSError, ValueError):
                self._words = {}
        return self._words

    def words_with_prefix(self, prefix: str, limit: int = 1000) -> list[str]:
        """Known words starting with ``prefix`` (sorted word list, bisected; built on first use)."""
        if self._sorted_words is None:
            self._sorted_words = sorted(self.words)
        sw = self._sorted_words
        i = bisect.bisect_left(sw, prefix)
        out = []
        while i < len(sw) and sw[i].startswith(prefix) and len(out) < limit:
            out.append(sw[i])
            i += 1
        return out

    @property
    def deletes(self) -> dict[str, list[str]]:
        """Symmetric-delete index (word and its one-deletion variants -> words)."""
        if self._deletes is None:
            with self._lock:
                if self._deletes is None:
                    d: dict[str, list[str]] = {}
                    for w in self.words:
                        d.setdefault(w, []).append(w)
                        for i in range(len(w)):
                            d.setdefault(w[:i] + w[i + 1:], []).append(w)
                    self._deletes = d
        return self._deletes

    def close_words(self, word: str, maxdist: int = 2, limit: int = 8) -> list[tuple[str, int, int]]:
        """Known words within ``maxdist`` edits: (word, distance, count), best first."""
        words = self.words
        dels = self.deletes
        cands: set[str] = set()
        variants = {word} | {word[:i] + word[i + 1:] for i in range(len(word))}
        if maxdist >= 2:
            variants |= {v[:i] + v[i + 1:] for v in list(variants) for i in range(len(v))}
        for v in variants:
            cands.update(dels.get(v, ()))
        out = []
        for c in cands:
            if c == word:
                continue
            dist = damerau(word, c, maxdist)
            if dist <= maxdist:
                out.append((c, dist, words.get(c, 0)))
        out.sort(key=lambda x: (x[1], -x[2], x[0]))
        return out[:limit]


def damerau(a: str, b: str, maxdist: int) -> int:
    """Optimal-string-alignment distance of ``a`` and ``b`` (``maxdist + 1`` when clearly larger)."""
    if abs(len(a) - len(b)) > maxdist:
        return maxdist + 1
    prev2 = None
    prev = list(range(len(b) + 1))
    for i in range(1, len(a) + 1):
        cur = [i] + [0] * len(b)
        for j in range(1, len(b) + 1):
            cost = 0 if a[i - 1] == b[j - 1] else 1
            cur[j] = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost)
            if prev2 is not None and i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                cur[j] = min(cur[j], prev2[j - 2] + 1)
        prev2, prev = prev, cur
    return prev[-1]


def suggest(spelling: Spelling, clean: str, total: int, *, respelled: bool,
            count: Callable[[str], int], base_total: Callable[[], int]) -> str | None:
    """"Bedoelde u ...": the query with its unknown words replaced by their closest known spellings,
    when the query finds little (or a word was respelled) and the suggestion finds at least as much.

    ``count(q)`` counts the passages a query finds; ``base_total()`` the passages this query finds
    without synonym expansion (a misspelt word is judged as it would be without its synonyms)."""
    if not respelled and total > SUGGEST_BELOW and base_total() > SUGGEST_BELOW:
        return None
    words = spelling.words
    changed = False
    out = []
    for m in re.finditer(r'[^\s"()]+', clean):
        tok = m.group()
        core = re.sub(r"[*~\d]+$", "", tok) if not tok.isdigit() else tok
        w = fold(core)
        if (len(w) >= 4 and w.isalpha() and w not in words and w not in STOP_WORDS
                and tok not in ("AND", "OR", "NOT") and ":" not in tok):
            cands = spelling.close_words(w, 2 if len(w) >= 6 else 1, limit=3)
            if cands:
                best = cands[0][0]
                out.append(best if core == core.lower() else best.capitalize() if core[:1].isupper() else best)
                changed = True
                continue
        out.append(tok)
    if not changed:
        return None
    suggestion = " ".join(out)
    if suggestion == clean:
        return None
    new_total = count(suggestion)
    if new_total == 0 or (total > 0 and new_total < total):
        return None
    return suggestion
