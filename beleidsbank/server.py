"""Serve the Flask app with gunicorn, the production WSGI server ``make serve`` uses."""
from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from gunicorn.app.base import BaseApplication

from settings import DB_FILENAME, INDEX_DIRNAME, Limits, Settings, current_generation


class _Gunicorn(BaseApplication):
    """Embed gunicorn so ``beleidsbank serve`` needs no separate config file."""

    def __init__(self, settings: Settings, options: dict[str, Any]) -> None:
        self.settings = settings
        self.options = options
        super().__init__()

    def load_config(self) -> None:
        for key, value in self.options.items():
            if key in self.cfg.settings and value is not None:
                self.cfg.set(key, value)

    def load(self):
        from webapp import create_app

        return create_app(self.settings)


def local_url(host: str, port: int) -> str:
    """The address a local user opens: a wildcard bind (0.0.0.0, ::) is reached on 127.0.0.1."""
    shown = "127.0.0.1" if host in ("", "0.0.0.0", "::", "[::]") else host
    if ":" in shown and not shown.startswith("["):
        shown = f"[{shown}]"
    return f"http://{shown}:{port}"


def ready_line(url: str, workers: int, threads: int) -> str:
    return f"Beleidsbank luistert op {url} ({workers} worker(s) met elk {threads} threads; stoppen met Ctrl+C)"


def warm_up(data_dir: Path) -> bool:
    """Open the published index and answer a query with its knowledge base, so that a worker's first
    real search does not pay for what is loaded once per process: the index files, the regulation
    names (read from the knowledge base: about a second on the regulations collection), the entity
    matcher, synonyms, the spelling index (built on a thread at open; waited for here, or it
    competes with the first requests for the interpreter) and the most frequent terms' postings and
    scores (``Searcher.warm``, bounded by ``Limits.search_warm_seconds``).  Runs in each worker after the fork,
    before it accepts requests; returns False when there is no usable index yet (the first request
    then reports it)."""
    from indexer import Searcher
    from kb.store import Store

    generation = current_generation(data_dir)
    index_dir = generation / INDEX_DIRNAME
    if not (index_dir / "build.json").is_file():
        return False
    try:
        store = Store(generation / DB_FILENAME, readonly=True)
    except Exception:  # noqa: BLE001 - a missing knowledge base is reported by the request that needs it
        return False
    try:
        searcher = Searcher(index_dir, store)
        searcher.search("beleid", limit=1)
        _ = searcher.state.spelling.deletes
        limits = Limits()
        if limits.search_warm_seconds > 0:
            searcher.warm(limits.search_warm_min_df, limits.search_warm_seconds)
    except Exception:  # noqa: BLE001 - a broken index is reported by the request that needs it
        return False
    finally:
        store.close()
    return True


def gunicorn_options(host: str, port: int, workers: int, threads: int,
                     data_dir: Path | None = None) -> dict[str, Any]:
    """Worker settings: sync-threaded workers (gthread) — searches are CPU-bound and short, so
    one process per core with a few threads each keeps latency flat under concurrent load.
    When the workers are up, the server says where it listens (``when_ready``); each worker opens
    the index of ``data_dir`` before it takes requests (:func:`warm_up`)."""
    line = ready_line(local_url(host, port), workers, threads)

    def when_ready(_server: Any) -> None:
        print(line, file=sys.stderr, flush=True)

    def post_worker_init(_worker: Any) -> None:
        if data_dir is not None:
            warm_up(data_dir)

    return {
        "when_ready": when_ready,
        "post_worker_init": post_worker_init,
        "bind": f"{host}:{port}",
        "workers": workers,
        "threads": threads,
        "worker_class": "gthread",
        "timeout": 60,
        "graceful_timeout": 10,
        "keepalive": 5,
        "accesslog": None,
        "errorlog": "-",
        "loglevel": "warning",
        "limit_request_line": 8190,
        "preload_app": False,  # each worker opens its own index files (no shared file offsets)
    }


def run(settings: Settings, *, host: str, port: int, workers: int = 2, threads: int = 4) -> None:
    """Serve until stopped.  Without a configured public address, permalinks and citations use the
    address this server listens on (never the ``Host`` header of a request)."""
    if not settings.public_url:
        settings = settings.with_overrides(public_url=local_url(host, port))
    _Gunicorn(settings, gunicorn_options(host, port, workers, threads, settings.data_dir)).run()
