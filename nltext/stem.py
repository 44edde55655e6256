"""The Dutch stemmer: Snowball's Dutch (Porter) algorithm from PyStemmer.

PyStemmer (the Snowball project's own C implementation) gives output identical to
``whoosh.lang.snowball.dutch`` and is about fifteen times faster; Whoosh's pure-Python stemmer
is the fallback when PyStemmer is missing.  One memoised instance per algorithm; stemmers
pickle by name (the search index pickles its analyzers).
"""
from __future__ import annotations

from typing import Callable

#: The algorithm the search index and related passages use (``settings.IndexOptions.stemmer``).
DEFAULT_ALGORITHM = "dutch_porter"
_MEMO_LIMIT = 500_000


def _load(algorithm: str) -> Callable[[str], str]:
    try:
        import Stemmer  # PyStemmer

        return Stemmer.Stemmer(algorithm).stemWord
    except Exception:  # pragma: no cover - PyStemmer is a dependency; stay usable without it
        from whoosh.lang.snowball.dutch import DutchStemmer

        return DutchStemmer().stem


class Stemmer:
    """Stems one folded word; words shorter than three letters and non-words stay as they are."""

    def __init__(self, algorithm: str = DEFAULT_ALGORITHM) -> None:
        self.algorithm = algorithm
        self._fn: Callable[[str], str] | None = None
        self._memo: dict[str, str] = {}

    def __getstate__(self) -> dict[str, str]:
        return {"algorithm": self.algorithm}

    def __setstate__(self, state: dict[str, str]) -> None:
        self.__init__(state["algorithm"])

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Stemmer) and other.algorithm == self.algorithm

    def __hash__(self) -> int:
        return hash(self.algorithm)

    def __call__(self, word: str) -> str:
        out = self._memo.get(word)
        if out is None:
            if len(word) < 3 or not word.isalpha():
                out = word
            else:
                out = (self._fn or self._loaded())(word)
            if len(self._memo) < _MEMO_LIMIT:
                self._memo[word] = out
        return out

    def _loaded(self) -> Callable[[str], str]:
        self._fn = _load(self.algorithm)
        return self._fn


_SHARED: dict[str, Stemmer] = {}


def stemmer(algorithm: str = DEFAULT_ALGORITHM) -> Stemmer:
    """The shared stemmer of ``algorithm`` (one memo per process)."""
    st = _SHARED.get(algorithm)
    if st is None:
        st = _SHARED[algorithm] = Stemmer(algorithm)
    return st


def stem(word: str) -> str:
    """Stem of one folded word with the default algorithm."""
    return stemmer()(word)
