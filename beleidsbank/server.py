"""Serve the Flask app with gunicorn, the production WSGI server ``make serve`` uses."""
from __future__ import annotations

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


def gunicorn_options(host: str, port: int, workers: int, threads: int) -> dict[str, Any]:
    """Worker settings: sync-threaded workers (gthread) — searches are CPU-bound and short, so
    one process per core with a few threads each keeps latency flat under concurrent load."""
    return {
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
    _Gunicorn(settings, gunicorn_options(host, port, workers, threads)).run()
