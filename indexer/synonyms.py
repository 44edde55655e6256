"""The reviewed paraphrase groups for query expansion: the Dutch policy groups of
``kb/cues/synonyms.yaml`` and the legal ones of ``indexer/legal_synonyms.yaml``.

The policy file is the one kb/related uses; both are read and validated by its ``load_synonyms``.  Here every member is analysed with the search index's analyzer into
its sequence of index terms, once per analyzer.
"""
from __future__ import annotations

import threading
from pathlib import Path

from indexer.analysis import PRIMARY, WHOLE, DutchAnalyzer

_CACHE: dict[tuple[int, str], "SynonymGroups"] = {}
_LOCK = threading.Lock()


#: Everyday words beside the statute book's terms ("ongeluk" / "ongeval"), for search only.
LEGAL_SYNONYMS_PATH = Path(__file__).with_name("legal_synonyms.yaml")


def synonyms_path() -> Path:
    from kb.related import SYNONYMS_PATH
    return SYNONYMS_PATH


def raw_groups(path: Path | None = None) -> list[list[str]]:
    """The groups of ``path``; by default the shared policy groups followed by the legal ones."""
    from kb.related import load_synonyms
    if path is not None:
        return load_synonyms(path)
    return load_synonyms(synonyms_path()) + load_synonyms(LEGAL_SYNONYMS_PATH)


class SynonymGroups:
    """Members as index-term sequences; ``single`` maps a one-term member to its groups."""

    def __init__(self, groups: list[list[str]], analyzer: DutchAnalyzer) -> None:
        self._analyzer = analyzer
        self.groups: list[list[tuple[str, tuple[str, ...]]]] = []  # (surface, terms) per member
        self.single: dict[str, list[int]] = {}
        for gi, g in enumerate(groups):
            members = []
            for m in g:
                terms: list[str] = []
                last = None
                for t in analyzer.tokens(m, with_parts=False):
                    if t.kind in (PRIMARY, WHOLE) and t.pos != last:
                        terms.append(t.text)
                        last = t.pos
                if not terms:
                    continue
                members.append((m, tuple(terms)))
                if len(terms) == 1:
                    self.single.setdefault(terms[0], [])
                    if gi not in self.single[terms[0]]:
                        self.single[terms[0]].append(gi)
            self.groups.append(members)


def load_groups(analyzer: DutchAnalyzer, path: Path | None = None) -> SynonymGroups:
    """The groups analysed with ``analyzer`` (cached per analyzer and file)."""
    key = (id(analyzer), str(path))
    hit = _CACHE.get(key)
    if hit is not None and hit._analyzer is analyzer:
        return hit
    with _LOCK:
        hit = _CACHE.get(key)
        if hit is None or hit._analyzer is not analyzer:
            hit = SynonymGroups(raw_groups(path), analyzer)
            hit._analyzer = analyzer
            _CACHE[key] = hit
        return hit
