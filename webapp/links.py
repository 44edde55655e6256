"""Links that leave the request: on the configured public address (``Settings.public_url``).

Permalinks, exports, API ``url`` fields and problem types never take their host from the
request's ``Host`` header (issue 16, finding 10): :func:`public_url` puts a site path on the
configured address, and leaves it relative when none is configured (``beleidsbank serve``
always configures its own).  An Atom feed needs absolute ids and links, so :func:`absolute`
falls back to the address the request came in on — only where nothing is configured, which
under ``beleidsbank serve`` never happens.
"""
from __future__ import annotations

from flask import current_app, request


def _configured() -> str:
    return current_app.config["SETTINGS"].public_url.rstrip("/")


def public_url(path: str) -> str:
    """``path`` (a URL of this site) on the configured public address; relative without one."""
    base = _configured()
    return base + path if base and path.startswith("/") else path


def absolute(path: str) -> str:
    """An absolute URL for a site path (feeds): the configured address, else the request's own."""
    if not path or path.startswith(("http://", "https://")):
        return path
    base = _configured() or request.host_url.rstrip("/")
    return base + (path if path.startswith("/") else "/" + path)
