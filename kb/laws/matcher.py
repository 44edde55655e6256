"""A compact longest-match dictionary of regulation names over tokens, cheap to load from a cache file.

spaCy's PhraseMatcher needs a Doc per pattern: some 30,000 names take seconds to add, on every start of
``beleidsbank tag``.  This is a plain token trie (nested dicts, JSON-serialisable) built once per register
and cached in the data directory; matching costs one dict lookup per token that cannot start a name.

Two tries: case-folded token keys for names, exact token text for abbreviations ("Sv", "AWR", "Wmg").
A trie node maps a token key to the next node; the key ``""`` holds the entry number of a complete name.
For matching, :meth:`NameTrie.hashed` turns the keys into the 64-bit string hashes spaCy stores for each
token's NORM and ORTH, so a Doc's keys come out of ``Doc.to_array`` at C speed instead of one attribute
lookup per token.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable, Sequence

END = ""
HASHED_END = -1


@dataclass
class NameTrie:
    folded: dict[str, Any] = field(default_factory=dict)
    exact: dict[str, Any] = field(default_factory=dict)

    def add(self, keys: Sequence[str], entry: int, *, exact: bool) -> None:
        node = self.exact if exact else self.folded
        for k in keys:
            if not k:
                return
            node = node.setdefault(k, {})
        node.setdefault(END, entry)

    def hashed(self, hash_string: Callable[[str], int]) -> "NameTrie":
        """The same trie keyed by ``hash_string`` of each token key (the entry marker becomes -1)."""
        def convert(node: dict[str, Any]) -> dict[Any, Any]:
            return {(HASHED_END if k == END else hash_string(k)): (v if k == END else convert(v))
                    for k, v in node.items()}

        return NameTrie(folded=convert(self.folded), exact=convert(self.exact))

    def longest(self, folded: Sequence[Any], exact: Sequence[Any], start: int,
                skip: Sequence[bool], end_key: Any = END) -> tuple[int, int] | None:
        """(end token, entry) of the longest name starting at token ``start``; ``skip`` marks tokens
        (whitespace) a name may run across; ``end_key`` is the entry marker (-1 in a hashed trie)."""
        best: tuple[int, int] | None = None
        for root, keys in ((self.folded, folded), (self.exact, exact)):
            node = root.get(keys[start])
            i = start + 1
            while node is not None:
                if end_key in node and (best is None or i > best[0]):
                    best = (i, node[end_key])
                while i < len(keys) and skip[i]:
                    i += 1
                if i >= len(keys):
                    break
                node = node.get(keys[i])
                i += 1
        return best

    def to_json(self) -> dict[str, Any]:
        return {"folded": self.folded, "exact": self.exact}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> "NameTrie":
        return cls(folded=data["folded"], exact=data["exact"])
