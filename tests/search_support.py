"""Plain helpers of the search tests (test_search_*.py), which run on the index the real pipeline
(readers + tagger) built for the session (``built_settings`` in conftest.py)."""
from __future__ import annotations

import re

from indexer.entities import AliasMatcher
from kb.store import Store


def entity_id_for(store: Store, alias: str) -> str | None:
    """The id of the entity that has ``alias`` as name or alias (tests stay id-agnostic)."""
    return AliasMatcher(store.entities()).resolve(alias)


def texts(res) -> list[str]:
    """The texts of a search's results, in order."""
    return [r["text"] for r in res["results"]]


def norm(t: str) -> str:
    """Text with its white space collapsed and lower-cased, to look for words in it."""
    return re.sub(r"\s+", " ", t).lower()


def codes(res, part: str = "notes") -> list[str]:
    """The codes of a search explanation's notes (or another part)."""
    return [n["code"] for n in res["explain"][part]]
