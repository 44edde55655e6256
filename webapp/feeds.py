"""Atom feeds (RFC 4287): a saved search without an account, for any search and any statement filter.

``/zoeken.atom?q=…`` follows a search, ``/toezeggingen.atom?…`` any filter of the commitments
register, ``/maatregelen.atom?type=…&…`` a filter of the statements (commitments, results,
problems).  The feed holds the page's results with the
passages that were *new in the latest build* first: the knowledge base records, per section,
the build that first stored it (``Store.first_seen``); entries are ordered by that build,
newest first, then by the page's own order (relevance, or document order for statements).  An
entry's ``updated`` is the time of that build, so a feed reader shows a passage as new once,
when a build adds it.

Entry ids are the passages' absolute permalinks (``Settings.public_url`` when configured, so
the ids do not depend on the address a reader used).

Written with the standard library's ElementTree: the feed is a dozen Atom elements, and
ElementTree escapes every text and attribute, so document text never breaks the XML.  (The
``feedgen`` package would add lxml and dateutil for no gain here.)  Tests read the feeds back
with ``feedparser``.
"""
from __future__ import annotations

import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any, Iterable

from flask import Response, url_for

from webapp.dutch import kind_nl
from webapp.links import absolute
from webapp.pages.common import Args, active_filters, limits, query_arg, search_url, SORTS
from webapp.services import services

ATOM_NS = "http://www.w3.org/2005/Atom"
ATOM_MIMETYPE = "application/atom+xml"
SUMMARY_CHARS = 400


@dataclass
class Entry:
    id: str
    title: str
    url: str
    updated: str  # RFC 3339
    summary: str
    categories: list[tuple[str, str]] = field(default_factory=list)  # (term, label)


@dataclass
class Feed:
    id: str
    title: str
    subtitle: str
    self_url: str
    html_url: str
    updated: str
    entries: list[Entry]


# -- writing ---------------------------------------------------------------------------------
def atom_bytes(feed: Feed) -> bytes:
    ET.register_namespace("", ATOM_NS)

    def el(parent: ET.Element, tag: str, text: str | None = None, **attrs: str) -> ET.Element:
        node = ET.SubElement(parent, f"{{{ATOM_NS}}}{tag}", attrs)
        if text is not None:
            node.text = _xml_text(text)
        return node

    root = ET.Element(f"{{{ATOM_NS}}}feed", {"xml:lang": "nl"})
    el(root, "id", feed.id)
    el(root, "title", feed.title)
    el(root, "subtitle", feed.subtitle)
    el(root, "updated", feed.updated)
    el(root, "link", rel="self", type=ATOM_MIMETYPE, href=feed.self_url)
    el(root, "link", rel="alternate", type="text/html", href=feed.html_url)
    author = el(root, "author")
    el(author, "name", "Beleidsbank")
    el(root, "generator", "Beleidsbank")
    for entry in feed.entries:
        node = el(root, "entry")
        el(node, "id", entry.id)
        el(node, "title", entry.title)
        el(node, "link", rel="alternate", type="text/html", href=entry.url)
        el(node, "updated", entry.updated)
        el(node, "published", entry.updated)
        el(node, "summary", entry.summary)
        for term, label in entry.categories:
            el(node, "category", term=term, label=label)
    return ET.tostring(root, encoding="utf-8", xml_declaration=True)


def atom_response(feed: Feed) -> Response:
    resp = Response(atom_bytes(feed), mimetype=ATOM_MIMETYPE)
    resp.headers["Content-Type"] = f"{ATOM_MIMETYPE}; charset=utf-8"
    return resp


def _xml_text(text: str) -> str:
    """XML 1.0 allows no control characters but tab and newline: drop the rest."""
    return "".join(c for c in text if c in "\t\n\r" or ord(c) >= 0x20)


def _excerpt(text: str) -> str:
    flat = " ".join(str(text or "").split())
    return flat if len(flat) <= SUMMARY_CHARS else flat[:SUMMARY_CHARS].rsplit(" ", 1)[0] + " …"


# -- ordering: new passages first ------------------------------------------------------------
def _newest_first(rows: list[dict[str, Any]], section_of: str) -> tuple[list[tuple[dict[str, Any], str]], str]:
    """``rows`` ordered by the build that first held their section (newest first, stable otherwise),
    each with that build's time; and the feed's ``updated``."""
    store = services().store
    seen = store.first_seen([r[section_of] for r in rows if r.get(section_of)])
    latest = store.latest_build()
    fallback = _knowledge_base_time()
    ordered = sorted(rows, key=lambda r: -(seen.get(r.get(section_of) or "", {}).get("build") or 0))
    out = [(r, (seen.get(r.get(section_of) or "") or {}).get("at") or fallback) for r in ordered]
    updated = max([at for _r, at in out] + [latest["at"] if latest else fallback])
    return out, updated


def _knowledge_base_time() -> str:
    """When the knowledge base file last changed: the time of passages stored before builds were recorded."""
    try:
        mtime = services().settings.db_path.stat().st_mtime
    except OSError:
        mtime = 0.0
    return datetime.fromtimestamp(mtime, timezone.utc).isoformat(timespec="seconds")


# -- the feeds -------------------------------------------------------------------------------
def search_feed(args: Args) -> Feed:
    """The results of a search (the same query and filters as ``/zoeken``), new passages first."""
    from webapp.pages.search import _search as page_search, result_view

    q = query_arg(args)
    filters = active_filters(args)
    sort = args.get("sort", "relevance")
    sort = sort if sort in SORTS else "relevance"
    lim = limits()
    hits: list[dict[str, Any]] = []
    if q or filters:
        result = page_search(q, filters, sort, limit=lim.max_page * lim.page_size, offset=0,  # as the page does
                             facets=False, snippets=False, suggest=False)
        hits = list(result.get("results") or [])
    ordered, updated = _newest_first(hits, "section_id")
    entries = []
    for hit, at in ordered[:lim.feed_entries]:
        view = result_view(hit, q, filters)
        where = " › ".join([view["document_title"] or "", *view["path"]])
        entries.append(Entry(
            id=absolute(url_for("ui.passage", passage_id=hit.get("id") or hit.get("section_id"))),
            title=f"{view['title']} — {view['document_title']}", url=absolute(view["url"]), updated=at,
            summary=_excerpt(hit.get("text")),
            categories=[(str(hit.get("document") or ""), where)] + _kind_category(hit.get("kind"))))
    described = _describe_search(q, filters)
    html = absolute(search_url(q, filters, sort=sort))
    return Feed(id=html, title=f"Beleidsbank: {described}",
                subtitle="Zoekresultaten, nieuwe passages uit de laatste bouw eerst.",
                self_url=absolute(_atom_url("ui.search", args)), html_url=html, updated=updated, entries=entries)


def statements_feed(args: Args) -> Feed:
    """The statements of ``/maatregelen`` with the same filters (kind, document, fund, entity)."""
    from webapp.pages.measures import measures_page, measures_url

    page = measures_page(args)
    data = page.data
    rows = list(page.table().rows) if page.table else []
    ordered, updated = _newest_first(rows, "section_id")
    entries = [Entry(id=f"{row['url']}", title=f"{row['kind_nl']}: {_excerpt(row['text'])[:120]}", url=row["url"],
                     updated=at, summary=_excerpt(row["text"]),
                     categories=[(row.get("document_id") or "", row.get("document") or ""),
                                 (row["kind"], row["kind_nl"])])
               for row, at in ordered[:limits().feed_entries]]
    described = ", ".join(x for x in (data.get("kind_nl") or "uitspraken", data.get("document_title"),
                                      data.get("fund_name") if data.get("fund") else "",
                                      (data.get("entity") or {}).get("name")) if x)
    html = absolute(measures_url(**data["filters"]))
    return Feed(id=html, title=f"Beleidsbank: {described}",
                subtitle="Toezeggingen, resultaten en problemen, nieuwe uit de laatste bouw eerst.",
                self_url=absolute(_atom_url("ui.measures", args)), html_url=html, updated=updated, entries=entries)


def _atom_url(endpoint: str, args: Args) -> str:
    query = {k: v for k, v in args.to_dict(flat=False).items() if k not in ("pagina", "fmt")}
    return url_for(endpoint, **query, fmt="atom")


def _kind_category(kind: Any) -> list[tuple[str, str]]:
    return [(str(kind), kind_nl(str(kind)))] if kind else []


def _describe_search(q: str, filters: dict[str, list[str]]) -> str:
    parts: Iterable[str] = [f"‘{q}’"] if q else []
    store = services().store
    for key, values in filters.items():
        for value in values:
            if key == "entity":
                ent = store.entity(value)
                parts = [*parts, ent["name"] if ent else value]
            elif key == "document":
                doc = store.document(value)
                parts = [*parts, doc["title"] if doc else value]
            else:
                parts = [*parts, value]
    return "zoeken naar " + ", ".join(parts) if parts else "zoeken"


def commitments_feed(args: Args) -> Feed:
    """The commitments register with the same filters as ``/toezeggingen``, new commitments first."""
    from webapp.pages.commitments import FILTER_KEYS, commitments_url, read_filters, select

    f = read_filters(args)
    _every, shown = select(f)
    ordered, updated = _newest_first(shown, "section_id")
    entries = []
    for e, at in ordered[:limits().feed_entries]:
        who = (e["actor"] or {}).get("label") or "onbekend"
        when = (e["deadline"] or {}).get("text")
        summary = f"{e['text']} — Wie: {who}." + (f" Termijn: {when}." if when else "") + f" Status: {e['status_nl']}."
        entries.append(Entry(id=absolute(e["url"]), title=f"{who}: {_excerpt(e['text'])[:120]}", url=absolute(e["url"]),
                             updated=at, summary=summary,
                             categories=[(e["document"], e["document_title"]), (e["status"], e["status_nl"])]))
    described = ", ".join(f"{key} {f[key]}" for key in FILTER_KEYS if f[key])
    html = absolute(commitments_url(**{k: f[k] for k in FILTER_KEYS}, sort=f["sort"]))
    return Feed(id=html, title="Beleidsbank: toezeggingen" + (f" ({described})" if described else ""),
                subtitle="Het register van toezeggingen, nieuwe uit de laatste bouw eerst.",
                self_url=absolute(_atom_url("ui.commitments", args)), html_url=html, updated=updated, entries=entries)
