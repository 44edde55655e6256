"""Security and caching headers on every response; the CSP forbids inline script and foreign sources.

Caching: a page of the interface (HTML and its ``.json``/``.csv`` twins) may be kept for a minute
by browsers and shared caches (``public, max-age=60``: the content only changes with a rebuild,
and a minute-old page is still right for a reader); an error page is never stored (``no-store``),
so a 404 during a rebuild does not linger.  The API sets its own headers (``webapp.api.http``)
and static files theirs (Flask); a response that already has ``Cache-Control`` keeps it.
"""
from __future__ import annotations

from flask import Flask, Response, request

CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'"
)
PAGE_CACHE = "public, max-age=60"
ERROR_CACHE = "no-store"


def install_security_headers(app: Flask) -> None:
    @app.after_request
    def _headers(resp: Response) -> Response:
        resp.headers.setdefault("Content-Security-Policy", CSP)
        resp.headers.setdefault("X-Content-Type-Options", "nosniff")
        resp.headers.setdefault("X-Frame-Options", "DENY")
        resp.headers.setdefault("Referrer-Policy", "same-origin")
        resp.headers.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
        resp.headers.setdefault("Cross-Origin-Opener-Policy", "same-origin")
        if request.method in ("GET", "HEAD") and "Cache-Control" not in resp.headers:
            resp.headers["Cache-Control"] = PAGE_CACHE if resp.status_code < 400 else ERROR_CACHE
        return resp
