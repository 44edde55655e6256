"""HTTP behaviour of every API response: caching headers, ETag/304, gzip and CORS.

One ``after_request`` hook for all responses under the API prefix (including the problem
responses to unknown paths, which no blueprint handles):

* successful GETs get a strong ``ETag`` (hash of the body as sent; searches a weak one that
  ignores ``took_ms``, see :func:`json_with_weak_etag`) and
  ``Cache-Control: public, max-age=60``; a matching ``If-None-Match`` turns them into
  ``304 Not Modified``; errors get ``Cache-Control: no-store``;
* 2xx bodies of at least :data:`GZIP_MIN_BYTES` are gzipped when the client accepts it
  (``Vary: Accept-Encoding``); the gzip variant has its own ETag (``…-gz``);
* CORS is off unless ``Settings.cors_origins`` lists origins: then a matching ``Origin`` gets
  ``Access-Control-Allow-Origin`` (``*`` in the list allows any origin), and preflight
  ``OPTIONS`` requests are answered with ``204`` and the allowed methods and headers.
"""
from __future__ import annotations

import gzip
import hashlib
import json
from typing import Any

from flask import Blueprint, Response, current_app, request

from webapp.api.problems import is_api_request

CACHE_CONTROL = "public, max-age=60"
GZIP_MIN_BYTES = 1024
GZIP_LEVEL = 6
CORS_ALLOW_HEADERS = "Content-Type, If-None-Match"
CORS_EXPOSE_HEADERS = "ETag, Link, Retry-After"
CORS_MAX_AGE = "600"


def install(bp: Blueprint) -> None:
    @bp.after_app_request
    def _finish(resp: Response) -> Response:
        if not is_api_request():
            return resp
        _cors(resp)
        if resp.status_code >= 400:
            resp.headers["Cache-Control"] = "no-store"
            return resp
        if resp.direct_passthrough or not resp.is_sequence or resp.status_code != 200:
            return resp
        if request.method not in ("GET", "HEAD"):
            resp.headers.setdefault("Cache-Control", "no-store")
        body = resp.get_data()
        gz = len(body) >= GZIP_MIN_BYTES and _accepts_gzip()
        resp.vary.add("Accept-Encoding")
        if request.method in ("GET", "HEAD"):
            if "ETag" not in resp.headers:  # a view may have set a weak one (see json_with_weak_etag)
                resp.set_etag(_digest(body) + ("-gz" if gz else ""))
            resp.headers["Cache-Control"] = CACHE_CONTROL
            resp.make_conditional(request)
            if resp.status_code == 304:
                return resp
        if gz:
            resp.set_data(gzip.compress(body, compresslevel=GZIP_LEVEL, mtime=0))
            resp.headers["Content-Encoding"] = "gzip"
        return resp


def json_with_weak_etag(body: dict[str, Any], volatile: tuple[str, ...]) -> Response:
    """A JSON response whose ETag ignores ``volatile`` keys (such as a search's ``took_ms``).

    Two such bodies differ in those keys only, so they are equivalent but not byte-identical:
    the validator is weak (``W/"..."``), which is what ``If-None-Match`` compares anyway."""
    resp = current_app.json.response(body)
    stable = {k: v for k, v in body.items() if k not in volatile}
    resp.set_etag(_digest(json.dumps(stable, ensure_ascii=False, sort_keys=True).encode("utf-8")), weak=True)
    return resp


def _digest(data: bytes) -> str:
    return hashlib.blake2b(data, digest_size=16).hexdigest()


def _accepts_gzip() -> bool:
    return request.accept_encodings["gzip"] > 0


def _cors(resp: Response) -> None:
    origins = current_app.config["SETTINGS"].cors_origins
    if not origins:
        return
    resp.vary.add("Origin")
    origin = request.headers.get("Origin")
    if not origin or not ("*" in origins or origin in origins):
        return
    resp.headers["Access-Control-Allow-Origin"] = origin
    resp.headers["Access-Control-Expose-Headers"] = CORS_EXPOSE_HEADERS
    if request.method == "OPTIONS" and "Access-Control-Request-Method" in request.headers and resp.status_code < 400:
        # a preflight: Flask's automatic OPTIONS response carries the route's Allow header
        resp.status_code = 204
        resp.set_data(b"")
        resp.headers.pop("Content-Type", None)
        resp.headers["Access-Control-Allow-Methods"] = resp.headers.get("Allow", "GET")
        resp.headers["Access-Control-Allow-Headers"] = CORS_ALLOW_HEADERS
        resp.headers["Access-Control-Max-Age"] = CORS_MAX_AGE
