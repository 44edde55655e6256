"""The home page ``/``, the document list ``/documenten`` and a document ``/documenten/<id>``.

:func:`document_summary` and :func:`section_tree` are also the API's ``DocumentSummary`` and the
``sections`` of its ``Document``.
"""
from __future__ import annotations

from collections import Counter
from typing import Any, Iterable

from flask import url_for

from webapp.dutch import kind_nl, year_or_period
from webapp.pages.model import Page, Table, not_found
from webapp.pages.search import example_searches
from webapp.links import public_base
from webapp.services import services

TOP_ENTITIES = 12
SUMMARY_KEYS = ("id", "title", "kind", "year", "period", "ministry", "source", "licence", "format", "source_path",
                "section_count", "metadata")
CSV_COLUMNS = (("id", "id"), ("title", "titel"), ("kind", "soort"), ("year", "jaar"), ("period", "periode"),
               ("ministry", "ministerie"), ("source", "bron"), ("licence", "licentie"), ("format", "formaat"),
               ("section_count", "secties"), ("url", "url"))


def document_summary(doc: dict[str, Any]) -> dict[str, Any]:
    return {k: doc[k] for k in SUMMARY_KEYS}


def section_tree(sections: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    """Flat sections (reading order, ``parent_id``) -> nested ``{id, title, level, children}``."""
    nodes: dict[str, dict[str, Any]] = {}
    roots: list[dict[str, Any]] = []
    for sec in sections:
        node = {"id": sec["id"], "title": sec["title"], "level": sec["level"], "children": []}
        nodes[sec["id"]] = node
        parent = nodes.get(sec.get("parent_id") or "")
        (parent["children"] if parent else roots).append(node)
    return roots


def home_page() -> Page:
    store = services().store
    return Page("home.html", {
        "counts": store.counts(),
        "examples": example_searches(store),
        "documents": [document_summary(d) for d in store.documents()],
    })


def documents_page() -> Page:
    documents = [document_summary(d) for d in services().store.documents()]

    def rows() -> Iterable[dict[str, Any]]:
        host = public_base()
        for d in documents:
            yield {**d, "kind": kind_nl(d["kind"]), "url": host + url_for("ui.document", doc_id=d["id"])}

    return Page("documents.html", {"documents": documents},
                table=lambda: Table("documenten", CSV_COLUMNS, rows()))


def document_page(doc_id: str) -> Page:
    store = services().store
    doc = store.document(doc_id)
    if doc is None:
        raise not_found("Dit document staat niet (meer) in de Beleidsbank.")
    sections = store.sections(doc_id)
    counts = Counter(m["entity_id"] for m in store.mentions(document_id=doc_id) if m.get("entity_id"))
    top = []
    for eid, n in counts.most_common(TOP_ENTITIES):
        ent = store.entity(eid)
        if ent:
            top.append({"id": eid, "name": ent["name"], "label": ent["label"], "count": n})
    source = doc.get("source") or ""
    return Page("document.html", {
        "document": {**document_summary(doc), "encoding": doc.get("encoding"), "warnings": doc.get("warnings") or []},
        "when": year_or_period(doc),
        "source_is_url": source.lower().startswith(("http://", "https://")),
        "toc": section_tree(sections),
        "section_count": len(sections),
        "top_entities": top,
    })
