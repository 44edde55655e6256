"""Paging of API lists: ``total``, ``limit``, ``offset``, ``next`` and ``prev`` in the body, and the
same links in a ``Link`` header (RFC 8288), so a client can walk a list from either.

``next`` is None on the last page.  ``prev`` is None on the first page; for an ``offset`` past the
end (an empty page) ``prev`` points to the last page that has results, so the links stay
correct whatever was asked (issue 15, defect 4).  Links are relative URLs with the request's
own query (parameters the operation knows, as given), ``limit`` and the new ``offset``.
"""
from __future__ import annotations

from typing import Any, Iterable

from flask import Response, g, request, url_for


def page_info(total: int, p: dict[str, Any]) -> dict[str, Any]:
    """The paging keys of a list body; also remembered for the ``Link`` header (:func:`add_link_header`)."""
    limit, offset = p["limit"], p["offset"]
    nxt = _url(p, offset + limit) if offset + limit < total else None
    prev = None
    if offset > 0 and total > 0:
        last_page = ((total - 1) // limit) * limit
        prev = _url(p, max(0, min(offset - limit, last_page)))
    g.api_links = {"next": nxt, "prev": prev}
    return {"total": total, "limit": limit, "offset": offset, "next": nxt, "prev": prev}


def _url(p: dict[str, Any], offset: int) -> str:
    view_args = request.view_args or {}
    args = {k: v for k, v in p.items() if k not in view_args and k in request.args and v is not None}
    args.update(limit=p["limit"], offset=offset)
    return url_for(request.endpoint, **view_args, **args)


def add_link_header(resp: Response) -> Response:
    links = getattr(g, "api_links", None) or {}
    parts = [f'<{url}>; rel="{rel}"' for rel, url in links.items() if url]
    if parts:
        resp.headers["Link"] = ", ".join(parts)
    return resp


def paged(rows: Iterable[dict[str, Any]], p: dict[str, Any], key: str, **extra: Any) -> dict[str, Any]:
    """One page of ``rows`` (all rows of a list, in order) under ``key``, with the paging keys."""
    items = list(rows)
    return {**page_info(len(items), p), **extra, key: items[p["offset"]:p["offset"] + p["limit"]]}
