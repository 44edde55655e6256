"""Per-thread access to the knowledge base and the search index of the published generation.

Opened lazily on first use in each worker thread — never before gunicorn forks, so no file
offsets are shared between processes, and never shared between threads, because SQLite
connections and Whoosh searchers keep per-connection state.

A build publishes a new generation (knowledge base + index, :mod:`beleidsbank.generations`) by
replacing the file ``CURRENT``.  Each request reads ``CURRENT`` once, on first use, and takes both
the store and the searcher from that generation, so search hits and the passages they point to
always come from the same build; the next request picks up a newer generation.  The request holds
that generation (:mod:`settings.readers`) until it ends, so a build does not remove it meanwhile.
"""
from __future__ import annotations

import threading
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, TypeVar

from flask import current_app, g, has_app_context

from settings import DB_FILENAME, INDEX_DIRNAME, Settings, current_generation
from settings.readers import GenerationUse

T = TypeVar("T")

if TYPE_CHECKING:  # pragma: no cover
    from indexer import Searcher
    from kb.store import Store


class Services:
    """The store and searcher of one app instance, one pair per thread and generation."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self._local = threading.local()
        self._memo: dict[str, Any] = {}
        self._memo_generation: Path | None = None
        self._memo_lock = threading.Lock()

    def per_generation(self, key: str, compute: Callable[[], T]) -> T:
        """``compute()`` once per published generation, shared by the app's threads.

        A generation never changes after it is published, so what is derived from all of it (the home
        page's counts scan every mention: seconds on a collection of thousands of regulations) is
        computed once and forgotten when a newer generation is published."""
        gen = self.generation
        with self._memo_lock:
            if self._memo_generation != gen:
                self._memo, self._memo_generation = {}, gen
            if key in self._memo:
                return self._memo[key]
        value = compute()
        with self._memo_lock:
            if self._memo_generation == gen:
                self._memo.setdefault(key, value)
        return value

    @property
    def generation(self) -> Path:
        """The generation folder this request uses (read once per request)."""
        if has_app_context():
            use = g.get("bb_generation")
            if use is None:  # held until the request ends (release_generation), so no build removes it
                use = g.bb_generation = GenerationUse(self.settings.data_dir)
            return use.path
        return current_generation(self.settings.data_dir)

    @property
    def index_dir(self) -> Path:
        return self.generation / INDEX_DIRNAME

    def _slot(self) -> threading.local:
        gen = self.generation
        loc = self._local
        if getattr(loc, "generation", None) != gen:
            old = getattr(loc, "store", None)
            if old is not None:
                old.close()
            loc.store = loc.searcher = None
            if getattr(loc, "generation", None) is not None:
                from indexer.state import forget_other_states

                forget_other_states(gen)
            loc.generation = gen
        return loc

    @property
    def store(self) -> "Store":
        loc = self._slot()
        if loc.store is None:
            from kb.store import Store

            loc.store = Store(loc.generation / DB_FILENAME, readonly=True)
        return loc.store

    @property
    def searcher(self) -> "Searcher":
        loc = self._slot()
        if loc.searcher is None:
            from indexer import Searcher

            loc.searcher = Searcher(loc.generation / INDEX_DIRNAME, self.store)
        return loc.searcher


def release_generation(_exc: BaseException | None = None) -> None:
    """End of a request (of its streamed body too) or app context: let a build remove the generation it used."""
    use = g.pop("bb_generation", None)
    if use is not None:
        use.release()


def services() -> Services:
    """The :class:`Services` of the current app."""
    return current_app.extensions["beleidsbank"]
