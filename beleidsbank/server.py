"""Serve the Flask app with gunicorn, the production WSGI server ``make serve`` uses."""
from __future__ import annotations

import sys
from typing import Any

from gunicorn.app.base import BaseApplication

from settings import Settings


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


def gunicorn_options(host: str, port: int, workers: int, threads: int) -> dict[str, Any]:
    """Worker settings: sync-threaded workers (gthread) — searches are CPU-bound and short, so
    one process per core with a few threads each keeps latency flat under concurrent load.
    When the workers are up, the server says where it listens (``when_ready``)."""
    line = ready_line(local_url(host, port), workers, threads)

    def when_ready(_server: Any) -> None:
        print(line, file=sys.stderr, flush=True)

    return {
        "when_ready": when_ready,
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
    _Gunicorn(settings, gunicorn_options(host, port, workers, threads)).run()
