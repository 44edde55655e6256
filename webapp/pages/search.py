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
from webapp.dutch import iso_date_nl, kind_nl, label_nl, statement_kind_nl, year_or_period
from webapp.pages.common import (
    SINGLE_FILTERS, SORTS, Args, SectionCache, active_filters, fold, limits, page_arg, page_window, passage_url,
    public_url, query_arg, search_url,
)
from webapp.pages.docinfo import block_pages, pages_label
from webapp.pages.model import Page, Table
from webapp.render import safe_snippet
from webapp.services import services

EXAMPLE_LABELS = ("ORG", "SYSTEM", "FUND", "PROGRAMME", "LAW")  # places and persons make poor examples
ENTITIES_PER_RESULT = 8
CSV_BATCH = 100
#: Filters listed as facets on the page (``year`` is replaced by the date range ``van``/``tot``).
FACET_KEYS = ("document", "type", "statement", "entity_type", "entity")
#: Facets with a filter box (their values can run into the thousands), with its hint.
FACET_BOXES = {"document": "Een woord uit de titel", "entity": "Een naam of afkorting"}
#: How the results are shown: a ranked list, or the page's hits per document.
VIEWS = {"lijst": "lijst", "document": "per document"}
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
    """The page's filters as the searcher's: ``van``/``tot`` become one date range."""
    out: dict[str, Any] = {key: values[0] if len(values) == 1 else list(values) for key, values in filters.items()
                           if key not in SINGLE_FILTERS}
    if filters.get("van") or filters.get("tot"):
        out["date"] = f"{(filters.get('van') or [''])[0]}..{(filters.get('tot') or [''])[0]}"
    return out


def _facet_label(key: str, item: dict[str, Any]) -> str:
    label = str(item.get("label") or item.get("value") or "")
    if key == "statement":
        return statement_kind_nl(str(item.get("value") or label))
    if key == "entity_type":
        return label_nl(str(item.get("value") or label))
    if key == "type":
        return kind_nl(label)
    return label


def _filter_label(store, key: str, value: str, facets: dict[str, list[dict[str, Any]]]) -> str:
    if key in SINGLE_FILTERS:
        return iso_date_nl(value)
    if key == "section":
        sec = store.section(value)
        return sec["title"] if sec else value
    for item in facets.get(key) or []:
        if str(item.get("value")) == value and item.get("label"):
            return _facet_label(key, item)
    if key == "document":
        doc = store.document(value)
        return doc["title"] if doc else f"titel bevat ‘{value}’"
    if key == "entity":
        ent = store.entity(value)
        return ent["name"] if ent else value
    if key == "entity_type":
        return label_nl(value)
    if key == "type":
        return kind_nl(value)
    if key == "statement":
        return statement_kind_nl(value)
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


def _result_section(r: dict[str, Any]) -> str:
    return r.get("section_id") or str(r.get("id", "")).split("~")[0]


def result_url(r: dict[str, Any], q: str) -> str:
    """The link of one hit: its blocks in the passage (what :func:`result_view` links to)."""
    return passage_url(_result_section(r), blocks=_result_blocks(r), q=q)


def result_view(r: dict[str, Any], q: str, filters: dict[str, list[str]] | None = None,
                sections: SectionCache | None = None, docs: dict[str, dict[str, Any]] | None = None) -> dict[str, Any]:
    """One hit as the page shows it: link to its blocks in the passage, where it stands (document date,
    parliamentary number, page of the original), snippet, entities and "meer uit deze sectie"."""
    section_id = _result_section(r)
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
    blocks = _result_blocks(r)
    doc = (docs or {}).get(r.get("document") or "")
    sec = sections[section_id] if sections is not None else None
    pages = pages_label(*block_pages(sec, *blocks)) if sec and blocks else ""
    more = r.get("more_in_section") or {}
    more_count = int(more.get("count") or 0)
    return {
        "id": r.get("id"),
        "section_id": section_id,
        "url": passage_url(section_id, blocks=blocks, q=q),
        "title": r.get("title") or r.get("document_title") or section_id,
        "document": r.get("document"),
        "document_title": r.get("document_title") or r.get("document"),
        "path": path,
        "snippet": snippet,
        "entities": entities[:ENTITIES_PER_RESULT],
        "more_entities": max(0, len(entities) - ENTITIES_PER_RESULT),
        "year": r.get("year"),
        "kind": r.get("kind"),
        "when": year_or_period(doc) if doc else str(r.get("year") or ""),
        "date": doc.get("date") if doc else None,
        "kamerstuk": doc.get("kamerstuk") if doc else None,
        "pages": pages,
        "more_in_section": more_count,
        "more_url": search_url(q, {**(filters or {}), "section": [section_id]}) if more_count else "",
    }


def _facet_groups(store, q: str, filters: dict[str, list[str]], sort: str,
                  facets: dict[str, list[dict[str, Any]]]) -> list[dict[str, Any]]:
    """Facets as filter links: the first ``Limits.facet_values_shown`` values, the rest behind
    "Meer tonen", and for documents and entities a filter box (a plain GET form) that adds any
    value by name, whatever the number of values."""
    shown = limits().facet_values_shown
    groups = []
    for key in FACET_KEYS:
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
        listed = {i["value"] for i in items}
        for value in filters.get(key, []):
            if value not in listed:  # a chosen value the facet no longer lists
                items.insert(0, {"value": value, "label": _filter_label(store, key, value, facets), "count": None,
                                 "selected": True, "url": search_url(q, filters, sort=sort, remove=(key, value))})
        if items or key in FACET_BOXES:
            groups.append({"key": key, "items": items, "limit": shown, "box": key in FACET_BOXES and bool(items),
                           "box_hint": FACET_BOXES.get(key, "")})
    return groups


def _interpretation(result: dict[str, Any], q: str) -> tuple[str, bool]:
    """The searcher's reading of the query in Dutch, when it says more than the query itself; and
    whether it was *read differently* (the searcher explains every query and notes what it changed)."""
    interpreted = search_wording.interpreted(result).strip()
    if " ".join(fold(interpreted).split()) == " ".join(fold(q).split()):
        interpreted = ""
    return interpreted, bool(interpreted) and search_wording.read_differently(result)


def _search(q: str, filters: dict[str, list[str]], sort: str, *, limit: int, offset: int, **options: Any):
    """The searcher's answer: one hit per section, carrying "meer uit deze sectie"; within one section
    (the ``section`` filter that link sets) every matching passage."""
    group = "none" if filters.get("section") else "section"
    return services().searcher.search(q, limit=limit, offset=offset, filters=_searcher_filters(filters), sort=sort,
                                      group=group, **options)


def document_groups(results: list[dict[str, Any]], facets: dict[str, list[dict[str, Any]]], q: str,
                    filters: dict[str, list[str]], sort: str) -> list[dict[str, Any]]:
    """The page's hits per document (in the order the documents first appear), with each document's
    number of matching passages (the document facet's count) and a link to all of them."""
    counts = {str(f.get("value")): f.get("count") for f in facets.get("document") or []}
    groups: dict[str, dict[str, Any]] = {}
    for r in results:
        doc = r.get("document") or ""
        if doc not in groups:
            groups[doc] = {"id": doc, "title": r["document_title"], "when": r["when"], "kamerstuk": r["kamerstuk"],
                           "count": counts.get(doc), "url": search_url(q, {**filters, "document": [doc]}, sort=sort),
                           "results": []}
        groups[doc]["results"].append(r)
    return list(groups.values())


def _entity_ids(store, values: list[str]) -> list[str]:
    """Entity filter values typed as a name or abbreviation ("IND") as entity ids, where one entity has
    that name or alias (so the filter, its chip and its links name the entity); others stay as typed."""
    out = []
    for value in values:
        if store.entity(value) is None:
            needle = fold(value)
            hits = [e["id"] for e in store.entities()
                    if any(fold(form) == needle for form in [e["name"], *(e.get("aliases") or [])])]
            value = hits[0] if len(hits) == 1 else value
        if value not in out:
            out.append(value)
    return out


def search_page(args: Args) -> Page:
    store = services().store
    lim = limits()
    q = query_arg(args)
    filters = active_filters(args)
    if filters.get("entity"):
        filters["entity"] = _entity_ids(store, filters["entity"])
    sort = args.get("sort", "relevance")
    sort = sort if sort in SORTS else "relevance"
    view = args.get("weergave", "lijst")
    view = view if view in VIEWS else "lijst"
    page = page_arg(args)
    data: dict[str, Any] = {"q": q, "filters": filters, "sort": sort, "view": view, "page": page, "searched": False}
    if not q and not filters:
        data["examples"] = example_searches(store)
        return Page("search.html", data, params={})

    size = lim.page_size
    result = _search(q, filters, sort, limit=size, offset=(page - 1) * size)
    facets = result.get("facets") or {}
    total = int(result.get("total") or 0)
    last = max(1, min(lim.max_page, math.ceil(total / size)))
    out_of_range = page > last
    interpreted, read_differently = _interpretation(result, q)
    suggestion = (result.get("suggestion") or "").strip()
    if fold(suggestion) == fold(q):
        suggestion = ""
    sections = SectionCache(store)
    docs = {d: store.document(d) for d in {r.get("document") for r in result.get("results") or []} if d}
    results = [result_view(r, q, filters, sections, docs) for r in result.get("results") or []]

    def page_url(n: int) -> str:
        return search_url(q, filters, sort=sort, page=n, view=view)

    data.update(
        searched=True,
        took_ms=result.get("took_ms"),
        total=total,
        passages=int(result.get("passages") or total),
        results=results,
        document_groups=document_groups(results, facets, q, filters, sort) if view == "document" else [],
        first=(page - 1) * size + 1,
        last_page=last,
        out_of_range=out_of_range,
        last_url=page_url(last),
        pages=page_window(min(page, last), last),
        previous=page_url(page - 1) if 1 < page <= last else None,
        next=page_url(page + 1) if page < last else None,
        facet_groups=_facet_groups(store, q, filters, sort, facets),
        chips=[{"key": key, "value": value, "label": _filter_label(store, key, value, facets),
                "url": search_url(q, filters, sort=sort, remove=(key, value))}
               for key, values in filters.items() for value in values],
        interpreted=interpreted,
        read_differently=read_differently,
        suggestion=suggestion,
        suggestion_url=search_url(suggestion, filters, sort=sort) if suggestion else "",
        sort_urls={key: search_url(q, filters, sort=key, view=view) for key in SORTS},
        view_urls={key: search_url(q, filters, sort=sort, view=key) for key in VIEWS},
        clear_url=search_url(q, {}, sort=sort),
        examples=example_searches(store) if total == 0 else [],
    )
    params = {"q": q, **filters, "sort": sort if sort != "relevance" else None, "pagina": page,
              "weergave": view if view != "lijst" else None}
    return Page("search.html", data, extras={"page_url": page_url}, params=params,
                table=lambda: Table("zoekresultaten", CSV_COLUMNS, _all_rows(q, filters, sort)),
                status=404 if out_of_range else 200)


def _all_rows(q: str, filters: dict[str, list[str]], sort: str) -> Iterator[dict[str, Any]]:
    """Every result up to the deepest page the page offers, in batches, as CSV rows."""
    lim = limits()
    cap = lim.max_page * lim.page_size
    rank = 0
    while rank < cap:
        batch = _search(q, filters, sort, limit=min(CSV_BATCH, cap - rank), offset=rank, facets=False)
        hits = batch.get("results") or []
        for r in hits:
            rank += 1
            view = result_view(r, q, filters)
            yield {
                "rank": rank, "title": view["title"], "document_title": view["document_title"],
                "where": " › ".join(view["path"]), "year": view["year"], "kind": kind_nl(view["kind"]),
                "entities": [e.get("name") or e["id"] for e in r.get("entities") or [] if e.get("id")],
                "snippet": html.unescape(re.sub(r"</?mark>", "", str(view["snippet"]))), "url": public_url(view["url"]),
            }
        if len(hits) < CSV_BATCH or rank >= int(batch.get("total") or 0):
            return
