"""A compact longest-match dictionary of regulation names over tokens, cheap to load from a cache file.

spaCy's PhraseMatcher needs a Doc per pattern: some 30,000 names take seconds to add, on every start of
``beleidsbank tag``.  This is a plain token trie (nested dicts, JSON-serialisable) built once per register
and cached in the data directory; matching costs one dict lookup per token that cannot start a name.

Two tries: case-folded token keys for names, exact token text for abbreviations ("Sv", "AWR", "Wmg").
A trie node maps a token key to the next node; the key ``""`` holds the entry number of a complete name.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Sequence

END = ""


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

    def longest(self, folded: Sequence[str], exact: Sequence[str], start: int,
                skip: Sequence[bool]) -> tuple[int, int] | None:
        """(end token, entry) of the longest name starting at token ``start``; ``skip`` marks tokens
        (whitespace) a name may run across."""
        best: tuple[int, int] | None = None
        for root, keys in ((self.folded, folded), (self.exact, exact)):
            node = root.get(keys[start])
            i = start + 1
            while node is not None:
                if END in node and (best is None or i > best[0]):
                    best = (i, node[END])
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
