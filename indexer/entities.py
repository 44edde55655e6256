"""Entity names in queries and titles: the longest-match alias matcher of :mod:`nltext.aliases`.

The index builder finds the entities a section heading names with it, the query parser those a
query names; the matcher (one for every layer) lives in the text core.
"""
from __future__ import annotations

from nltext.aliases import MAX_ALIAS_TOKENS, AliasMatcher, Match, tokenize

__all__ = ["AliasMatcher", "Match", "MAX_ALIAS_TOKENS", "tokenize"]
