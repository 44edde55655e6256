"""The home page ``/``, the document list ``/documenten``, a document ``/documenten/<id>``, its
reading view ``/documenten/<id>/tekst`` and its original ``/documenten/<id>/origineel``.

:func:`~webapp.pages.docinfo.document_summary` and :func:`section_tree` are also the API's
``DocumentSummary`` and the ``sections`` of its ``Document``; :func:`filtered_documents` is the
filter of both the list page and the API's ``/documents``.

The list is paged (``Limits.documents_page_size``) and filtered by plain GET parameters, so it
works without JavaScript and with thousands of documents: ``soort`` (kind), ``map`` (folder),
``ministerie``, ``van``/``tot`` (document date; a year is read as its first or last day) and ``q``
(words of the title, the file name or the BWB id).  The files the build could not read are listed
with their reason.
"""
from __future__ import annotations

import math
from collections import Counter
from typing import Any, Iterable, Iterator

from flask import url_for

from webapp.dutch import kind_nl
from webapp.pages.common import Args, date_range_arg, fold, limits, page_arg, page_window, public_url, query_arg
from webapp.pages.docinfo import document_summary
from webapp.pages.model import Page, Table, not_found
from webapp.pages.search import example_searches
from webapp.services import services

TOP_ENTITIES = 12
CSV_COLUMNS = (("id", "id"), ("title", "titel"), ("kind", "soort"), ("date", "datum"), ("year", "jaar"),
               ("period", "periode"), ("kamerstuk", "kamerstuk"), ("ministry", "ministerie"), ("folder", "map"),
               ("bwb", "BWB-id"), ("source", "bron"), ("licence", "licentie"), ("format", "formaat"),
               ("section_count", "secties"), ("url", "url"))
#: The list's filters: query parameter -> document field.
LIST_FILTERS = {"soort": "kind", "map": "folder", "ministerie": "ministry"}


def section_tree(sections: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Flat sections (reading order, ``parent_id``) -> nested ``{id, title, level, context, children}``
    (``context`` tells apart entries with the same title, see :func:`_toc_context`)."""
    tree = _bare_tree(sections)
    _toc_context(tree, sections)
    return tree


def _bare_tree(sections: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    nodes: dict[str, dict[str, Any]] = {}
    roots: list[dict[str, Any]] = []
    for sec in sections:
        node = {"id": sec["id"], "title": sec["title"], "level": sec["level"], "children": []}
        nodes[sec["id"]] = node
        parent = nodes.get(sec.get("parent_id") or "")
        (parent["children"] if parent else roots).append(node)
    return roots


def home_page() -> Page:
    """The collection at a glance; computed once per generation (it counts every mention)."""
    return Page("home.html", services().per_generation("home_page", _home_data))


def _home_data() -> dict[str, Any]:
    store = services().store
    docs = store.documents()
    return {
        "counts": store.collection_counts(),
        "examples": example_searches(store),
        "documents": [document_summary(d) for d in docs[:limits().documents_page_size]],
        "more_documents": max(0, len(docs) - limits().documents_page_size),
    }


# -- the list -------------------------------------------------------------------------------------
def list_filters(args: Args) -> dict[str, str]:
    """The list's filters from a query string (values cut to a sane length; empty ones dropped)."""
    out = {key: (args.get(key) or "").strip()[:200] for key in LIST_FILTERS}
    out["q"] = query_arg(args)
    lo, hi = date_range_arg(args)
    out["van"], out["tot"] = lo or "", hi or ""
    return {k: v for k, v in out.items() if v}


def _doc_date_bounds(d: dict[str, Any]) -> tuple[str, str] | None:
    """The dates a document may have: its own date, else its year as a whole; None without either."""
    if d.get("date"):
        return d["date"][:10], d["date"][:10]
    if d.get("year"):
        return f"{int(d['year']):04d}-01-01", f"{int(d['year']):04d}-12-31"
    return None


def in_date_range(d: dict[str, Any], lo: str | None, hi: str | None) -> bool:
    """Whether a document's date (or year) falls in ``lo..hi``; one without a date only when no range is set."""
    if not lo and not hi:
        return True
    bounds = _doc_date_bounds(d)
    if bounds is None:
        return False
    return (not lo or bounds[1] >= lo) and (not hi or bounds[0] <= hi)


def filtered_documents(summaries: list[dict[str, Any]], filters: dict[str, str],
                       skip: str | None = None) -> list[dict[str, Any]]:
    """The documents that pass every filter (except ``skip``, for the counts of that filter's options)."""
    needle = fold(filters.get("q", ""))
    out = []
    for d in summaries:
        if any(key != skip and value and fold(str(d.get(LIST_FILTERS[key]) or "")) != fold(value)
               for key, value in filters.items() if key in LIST_FILTERS):
            continue
        if skip != "datum" and not in_date_range(d, filters.get("van"), filters.get("tot")):
            continue
        if needle and skip != "q" and not all(
                w in fold(" ".join(str(d.get(k) or "") for k in ("title", "source_path", "bwb", "kamerstuk")))
                for w in needle.split()):
            continue
        out.append(d)
    return out


def _options(summaries: list[dict[str, Any]], filters: dict[str, str], key: str) -> list[dict[str, Any]]:
    """The values of one filter with their counts under the other filters (the chosen one always listed)."""
    counts = Counter(str(d.get(LIST_FILTERS[key]) or "") for d in filtered_documents(summaries, filters, skip=key))
    chosen = filters.get(key, "")
    if chosen and chosen not in counts:
        counts[chosen] = 0
    label = kind_nl if key == "soort" else str
    return [{"value": v, "label": label(v), "count": n, "selected": fold(v) == fold(chosen)}
            for v, n in sorted(counts.items(), key=lambda kv: (-kv[1], fold(kv[0]))) if v]


def documents_url(filters: dict[str, str], page: int = 1) -> str:
    params = {k: v for k, v in filters.items() if v}
    if page > 1:
        params["pagina"] = str(page)
    return url_for("ui.documents", **params)


def documents_page(args: Args) -> Page:
    store = services().store
    size = limits().documents_page_size
    summaries = [document_summary(d) for d in store.documents()]
    filters = list_filters(args)
    shown = filtered_documents(summaries, filters)
    last = max(1, math.ceil(len(shown) / size))
    page = page_arg(args)
    out_of_range = page > last
    items = shown[(page - 1) * size: page * size]

    def rows() -> Iterator[dict[str, Any]]:
        for d in shown:
            yield {**d, "kind": kind_nl(d["kind"]), "url": public_url(d["url"])}

    data = {
        "documents": items,
        "total": len(shown),
        "collection_total": len(summaries),
        "filters": filters,
        "options": {key: _options(summaries, filters, key) for key in LIST_FILTERS},
        "page": page, "last_page": last, "pages": page_window(min(page, last), last),
        "first_index": (page - 1) * size + 1,
        "out_of_range": out_of_range,
        "previous": documents_url(filters, page - 1) if 1 < page <= last else None,
        "next": documents_url(filters, page + 1) if page < last else None,
        "last_url": documents_url(filters, last),
        "clear_url": url_for("ui.documents"),
        "unread": store.unread(),
    }
    return Page("documents.html", data, extras={"page_url": lambda n: documents_url(filters, n)},
                params={**filters, "pagina": page if page > 1 else None},
                table=lambda: Table("documenten", CSV_COLUMNS, rows()),
                status=404 if out_of_range else 200)


# -- one document ---------------------------------------------------------------------------------
OPENING_CHARS = 60


def _opening(text: str) -> str:
    """The first words of a section's text (at most ``OPENING_CHARS`` characters, cut at a word)."""
    words = " ".join(text.split())
    if len(words) <= OPENING_CHARS:
        return words
    return words[:OPENING_CHARS].rsplit(" ", 1)[0] + " …"


def _toc_context(tree: list[dict[str, Any]], sections: list[dict[str, Any]]) -> None:
    """Give every entry whose title is not unique in the document a ``context`` that tells it apart:
    its parent's title where that suffices, else the opening words of its text ("Artikel 3(2)(a)"
    five times under one heading, each about another point)."""
    texts = {s["id"]: s["text"] for s in sections}
    nodes: list[tuple[dict[str, Any], str]] = []

    def walk(level: list[dict[str, Any]], parent_title: str) -> None:
        for n in level:
            nodes.append((n, parent_title))
            walk(n["children"], n["title"])

    walk(tree, "")
    titles = Counter(fold(n["title"]) for n, _ in nodes)
    with_parent = Counter((fold(n["title"]), fold(parent)) for n, parent in nodes)
    for n, parent in nodes:
        n["context"] = ""
        if titles[fold(n["title"])] > 1:
            unique_by_parent = parent and with_parent[(fold(n["title"]), fold(parent))] == 1
            n["context"] = parent if unique_by_parent else _opening(texts.get(n["id"], "")) or parent


def _document(doc_id: str) -> dict[str, Any]:
    doc = services().store.document(doc_id)
    if doc is None:
        raise not_found("Dit document staat niet (meer) in de Beleidsbank.")
    return doc


def document_page(doc_id: str) -> Page:
    store = services().store
    doc = _document(doc_id)
    sections = store.sections(doc_id)
    counts = Counter(m["entity_id"] for m in store.mentions(document_id=doc_id) if m.get("entity_id"))
    top = []
    for eid, n in counts.most_common(TOP_ENTITIES * 2):
        ent = store.entity(eid)
        if ent and len(top) < TOP_ENTITIES:
            top.append({"id": eid, "name": ent["name"], "label": ent["label"], "count": n})
    source = doc.get("source") or ""
    toc = section_tree(sections)
    pages = [b[4] for s in sections for b in s["blocks"] if len(b) > 4 and isinstance(b[4], int)]
    return Page("document.html", {
        "document": {**document_summary(doc), "encoding": doc.get("encoding"), "warnings": doc.get("warnings") or []},
        "source_is_url": source.lower().startswith(("http://", "https://")),
        "toc": toc,
        "section_count": len(sections),
        "page_count": max(pages) if pages else None,
        "reading_url": url_for("ui.document_text", doc_id=doc_id),
        "top_entities": top,
    })


def reading_page(doc_id: str, args: Args) -> Page:
    """The whole text, section after section, in pages of about ``Limits.reading_page_chars``
    characters (a page always ends at a section boundary)."""
    from webapp.pages.passage import section_view

    store = services().store
    doc = _document(doc_id)
    budget = limits().reading_page_chars
    pages: list[list[dict[str, Any]]] = [[]]
    size = 0
    for sec in store.sections(doc_id):
        if pages[-1] and size + len(sec["text"]) > budget:
            pages.append([])
            size = 0
        pages[-1].append(sec)
        size += len(sec["text"]) + len(sec["title"])
    last = len(pages)
    page = page_arg(args)
    if page > last:
        raise not_found(f"Deze leesweergave heeft {last} pagina's; pagina {page} bestaat niet.")

    def page_url(n: int) -> str:
        return url_for("ui.document_text", doc_id=doc_id, **({"pagina": n} if n > 1 else {}))

    views = [section_view(store, doc, sec, f"s{sec['ord']}-") for sec in pages[page - 1]]
    previous_level = 1  # the page's <h1>; a heading goes at most one level deeper than the one before
    for view in views:
        view["heading"] = min(max(view["level"] + 1, 2), previous_level + 1, 6)
        previous_level = view["heading"]
    return Page("reading.html", {
        "document": document_summary(doc),
        "sections": [{k: v for k, v in view.items() if k != "body"} for view in views],
        "page": page, "last_page": last, "pages": page_window(page, last),
        "previous": page_url(page - 1) if page > 1 else None,
        "next": page_url(page + 1) if page < last else None,
    }, extras={"bodies": {v["id"]: v["body"] for v in views}, "page_url": page_url},
        params={"pagina": page if page > 1 else None})


def original_file(doc_id: str):
    """The kept original of a document: (path on disk, file name to offer, MIME type)."""
    import mimetypes
    from pathlib import PurePosixPath

    doc = _document(doc_id)
    data_dir = services().settings.data_dir.resolve()
    stored = doc.get("original") or ""
    path = (data_dir / stored).resolve()
    if not stored or data_dir not in path.parents or not path.is_file():
        raise not_found("Het originele bestand van dit document is niet bewaard.")
    name = PurePosixPath(doc.get("source_path") or path.name).name
    mime = mimetypes.guess_type(name)[0] or "application/octet-stream"
    return path, name, mime
