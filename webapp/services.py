"""Per-thread access to the knowledge base and the search index.

Opened lazily on first use in each worker thread — never before gunicorn forks, so no file
offsets are shared between processes, and never shared between threads, because SQLite
connections and Whoosh searchers keep per-connection state.
"""
from __future__ import annotations

import threading
from typing import TYPE_CHECKING

from flask import current_app

from settings import Settings

if TYPE_CHECKING:  # pragma: no cover
    from indexer import Searcher
    from kb.store import Store


class Services:
    """The store and searcher of one app instance, one pair per thread."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self._local = threading.local()

    @property
    def store(self) -> "Store":
        store = getattr(self._local, "store", None)
        if store is None:
            from kb.store import Store

            store = self._local.store = Store(self.settings.db_path, readonly=True)
        return store

    @property
    def searcher(self) -> "Searcher":
        searcher = getattr(self._local, "searcher", None)
        if searcher is None:
            from indexer import Searcher

            searcher = self._local.searcher = Searcher(self.settings.index_dir, self.store)
        return searcher


def services() -> Services:
    """The :class:`Services` of the current app."""
    return current_app.extensions["beleidsbank"]
