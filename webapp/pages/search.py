"""The search page ``/zoeken``: results, facets as filters, active filters, paging; example searches.

The CSV twin holds every result the page could page through (up to ``Limits.max_page`` pages),
fetched from the searcher in batches while it is streamed.
"""
from __future__ import annotations

import html
import math
import re
from typing import Any, Iterator


from webapp import search_wording
from webapp.dutch import kind_nl, label_nl
from webapp.pages.common import (
    FILTER_KEYS, SORTS, Args, active_filters, fold, limits, page_arg, page_window, passage_url, query_arg,
    search_url,
)
from webapp.pages.model import Page, Table
from webapp.render import safe_snippet
from webapp.links import public_base
from webapp.services import services

EXAMPLE_LABELS = ("ORG", "SYSTEM", "FUND", "PROGRAMME", "LAW")  # places and persons make poor examples
ENTITIES_PER_RESULT = 8
CSV_BATCH = 100
CSV_COLUMNS = (("rank", "rang"), ("title", "titel"), ("document_title", "document"), ("where", "vindplaats"),
               ("year", "jaar"), ("kind", "soort"), ("entities", "entiteiten"), ("snippet", "fragment"),
               ("url", "url"))


def _example_form(entity: dict[str, Any]) -> str:
    """A short way to search for an entity: its name, or its shortest alias when the name is long."""
    name = entity["name"]
    if len(name) <= 32:
        return name
    aliases = [a for a in entity.get("aliases") or [] if 2 < len(a) <= 32]
    return min(aliases, key=len) if aliases else name


def example_searches(store, n: int = 6) -> list[dict[str, str]]:
    """Frequently mentioned entities of different types (round robin over types)."""
    by_label: dict[str, list[dict[str, Any]]] = {}
    for ent in store.entities():
        if ent.get("mention_count") and ent["label"] in EXAMPLE_LABELS:
            by_label.setdefault(ent["label"], []).append(ent)
    labels = sorted(by_label, key=lambda lb: -by_label[lb][0]["mention_count"])
    out: list[dict[str, str]] = []
    depth = 0
    while len(out) < n and any(len(v) > depth for v in by_label.values()):
        for lb in labels:
            if len(by_label[lb]) > depth and len(out) < n:
                ent = by_label[lb][depth]
                out.append({"q": _example_form(ent), "entity": ent["id"], "label": label_nl(ent["label"])})
        depth += 1
    return out


def _searcher_filters(filters: dict[str, list[str]]) -> dict[str, Any]:
    return {key: values[0] if len(values) == 1 else list(values) for key, values in filters.items()}


def _facet_label(key: str, item: dict[str, Any]) -> str:
    label = str(item.get("label") or item.get("value") or "")
    if key == "entity_type":
        return label_nl(str(item.get("value") or label))
    if key == "type":
        return kind_nl(label)
    return label


def _filter_label(store, key: str, value: str, facets: dict[str, list[dict[str, Any]]]) -> str:
    for item in facets.get(key) or []:
        if str(item.get("value")) == value and item.get("label"):
            return _facet_label(key, item)
    if key == "document":
        doc = store.document(value)
        return doc["title"] if doc else value
    if key == "entity":
        ent = store.entity(value)
        return ent["name"] if ent else value
    if key == "entity_type":
        return label_nl(value)
    if key == "type":
        return kind_nl(value)
    return value


def _result_blocks(r: dict[str, Any]) -> tuple[int, int] | None:
    """The (first, last) block index of a result passage.

    ``block_start``/``block_end`` are explicit 0-based indexes; ``anchor`` ("p3") is only the
    fallback, read as the block index the brief documents.
    """
    bs, be = r.get("block_start"), r.get("block_end")
    if isinstance(bs, int) and bs >= 0:
        return bs, be if isinstance(be, int) and be >= bs else bs
    anchor = str(r.get("anchor") or "")
    if re.fullmatch(r"p\d{1,6}", anchor):
        return int(anchor[1:]), int(anchor[1:])
    return None


def result_view(r: dict[str, Any], q: str) -> dict[str, Any]:
    """One hit as the page shows it: link to its blocks in the passage, where it stands, snippet, entities."""
    section_id = r.get("section_id") or str(r.get("id", "")).split("~")[0]
    path = [p for p in (r.get("path") or []) if p]
    if path and path[-1] == r.get("title"):
        path = path[:-1]
    if path and path[0] == r.get("document_title"):
        path = path[1:]
    snippet = safe_snippet(r.get("snippet"))
    if not str(snippet).strip():
        text = " ".join(str(r.get("text") or "").split())
        snippet = text[:280] + ("…" if len(text) > 280 else "")
    entities = [e for e in (r.get("entities") or []) if e.get("id")]
    return {
        "id": r.get("id"),
        "url": passage_url(section_id, blocks=_result_blocks(r), q=q),
        "title": r.get("title") or r.get("document_title") or section_id,
        "document": r.get("document"),
        "document_title": r.get("document_title") or r.get("document"),
        "path": path,
        "snippet": snippet,
        "entities": entities[:ENTITIES_PER_RESULT],
        "more_entities": max(0, len(entities) - ENTITIES_PER_RESULT),
        "year": r.get("year"),
        "kind": r.get("kind"),
    }


def _facet_groups(store, q: str, filters: dict[str, list[str]], sort: str,
                  facets: dict[str, list[dict[str, Any]]]) -> list[dict[str, Any]]:
    groups = []
    for key in FILTER_KEYS:
        items = []
        selected = set(filters.get(key, []))
        for item in facets.get(key) or []:
            if item.get("value") in (None, "", 0):
                continue  # "onbekend": not a usable filter
            value = str(item.get("value"))
            items.append({
                "value": value,
                "label": _facet_label(key, item),
                "count": item.get("count"),
                "selected": value in selected,
                "url": search_url(q, filters, sort=sort, remove=(key, value)) if value in selected
                else search_url(q, filters, sort=sort, add=(key, value)),
            })
        shown = {i["value"] for i in items}
        for value in filters.get(key, []):
            if value not in shown:  # a chosen value the facet no longer lists
                items.insert(0, {"value": value, "label": _filter_label(store, key, value, facets), "count": None,
                                 "selected": True, "url": search_url(q, filters, sort=sort, remove=(key, value))})
        if key == "year":
            items.sort(key=lambda i: i["value"], reverse=True)
        if items:
            groups.append({"key": key, "items": items, "limit": 8 if key == "entity" else 12})
    return groups


def _interpretation(result: dict[str, Any], q: str) -> tuple[str, bool]:
    """The searcher's reading of the query in Dutch, when it says more than the query itself; and
    whether it was *read differently* (the searcher explains every query and notes what it changed)."""
    interpreted = search_wording.interpreted(result).strip()
    if " ".join(fold(interpreted).split()) == " ".join(fold(q).split()):
        interpreted = ""
    return interpreted, bool(interpreted) and search_wording.read_differently(result)


def search_page(args: Args) -> Page:
    store = services().store
    lim = limits()
    q = query_arg(args)
    filters = active_filters(args)
    sort = args.get("sort", "relevance")
    sort = sort if sort in SORTS else "relevance"
    page = page_arg(args)
    data: dict[str, Any] = {"q": q, "filters": filters, "sort": sort, "page": page, "searched": False}
    if not q and not filters:
        data["examples"] = example_searches(store)
        return Page("search.html", data, params={})

    size = lim.page_size
    result = services().searcher.search(q, limit=size, offset=(page - 1) * size,
                                        filters=_searcher_filters(filters), sort=sort)
    facets = result.get("facets") or {}
    total = int(result.get("total") or 0)
    last = max(1, min(lim.max_page, math.ceil(total / size)))
    interpreted, read_differently = _interpretation(result, q)
    suggestion = (result.get("suggestion") or "").strip()
    if fold(suggestion) == fold(q):
        suggestion = ""

    def page_url(n: int) -> str:
        return search_url(q, filters, sort=sort, page=n)

    data.update(
        searched=True,
        took_ms=result.get("took_ms"),
        total=total,
        results=[result_view(r, q) for r in result.get("results") or []],
        first=(page - 1) * size + 1,
        last_page=last,
        pages=page_window(page, last),
        previous=page_url(page - 1) if page > 1 else None,
        next=page_url(page + 1) if page < last else None,
        facet_groups=_facet_groups(store, q, filters, sort, facets),
        chips=[{"key": key, "value": value, "label": _filter_label(store, key, value, facets),
                "url": search_url(q, filters, sort=sort, remove=(key, value))}
               for key, values in filters.items() for value in values],
        interpreted=interpreted,
        read_differently=read_differently,
        suggestion=suggestion,
        suggestion_url=search_url(suggestion, filters, sort=sort) if suggestion else "",
        sort_urls={key: search_url(q, filters, sort=key) for key in SORTS},
        clear_url=search_url(q, {}, sort=sort),
        examples=example_searches(store) if total == 0 else [],
    )
    params = {"q": q, **filters, "sort": sort if sort != "relevance" else None, "pagina": page}
    return Page("search.html", data, extras={"page_url": page_url}, params=params,
                table=lambda: Table("zoekresultaten", CSV_COLUMNS, _all_rows(q, filters, sort)))


def _all_rows(q: str, filters: dict[str, list[str]], sort: str) -> Iterator[dict[str, Any]]:
    """Every result up to the deepest page the page offers, in batches, as CSV rows."""
    lim = limits()
    cap = lim.max_page * lim.page_size
    searcher = services().searcher
    host = public_base()
    rank = 0
    while rank < cap:
        batch = searcher.search(q, limit=min(CSV_BATCH, cap - rank), offset=rank,
                                filters=_searcher_filters(filters), sort=sort)
        hits = batch.get("results") or []
        for r in hits:
            rank += 1
            view = result_view(r, q)
            yield {
                "rank": rank, "title": view["title"], "document_title": view["document_title"],
                "where": " › ".join(view["path"]), "year": view["year"], "kind": kind_nl(view["kind"]),
                "entities": [e.get("name") or e["id"] for e in r.get("entities") or [] if e.get("id")],
                "snippet": html.unescape(re.sub(r"</?mark>", "", str(view["snippet"]))), "url": host + view["url"],
            }
        if len(hits) < CSV_BATCH or rank >= int(batch.get("total") or 0):
            return
