"""Absolute links: the configured public address (``Settings.public_url``), else the request's own.

Exports, feeds and the API's ``url`` fields carry absolute links that outlive the request (a
CSV file, a feed reader's copy); with ``public_url`` set they never echo a forged ``Host``
header (issue 16, finding 10), and feed entry ids stay the same whichever address was used.
"""
from __future__ import annotations

from flask import current_app, request


def public_base() -> str:
    """``https://host`` without a trailing slash."""
    configured = current_app.config["SETTINGS"].public_url
    return configured.rstrip("/") if configured else request.host_url.rstrip("/")


def absolute(path: str) -> str:
    """An absolute URL for a site path (``/passages/x``); an empty path stays empty."""
    if not path:
        return ""
    if path.startswith(("http://", "https://")):
        return path
    return public_base() + (path if path.startswith("/") else "/" + path)
