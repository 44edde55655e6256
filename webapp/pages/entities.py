"""Entities: the catalogue ``/entiteiten`` and an entity with its mentions ``/entiteiten/<id>``.

The name filter (:func:`matches`) and the mention rows with their context (:func:`mention_row`)
are also what the API's ``/entities`` and ``/entities/<id>/mentions`` return.
"""
from __future__ import annotations

from collections import Counter
from typing import Any, Iterable, Iterator

from flask import url_for

from kb.catalogue import ENTITY_LABELS
from kb.laws.urls import law_url
from kb.passages import passage_at
from webapp.dutch import label_nl, relation_nl, year_or_period
from webapp.pages.common import Args, SectionCache, fold, limits, marked_passage_url, query_arg, search_url
from webapp.pages.model import Page, Table, not_found
from webapp.render import context
from webapp.links import public_base
from webapp.services import services

COOCCURRING = 12
LIST_CSV_COLUMNS = (("id", "id"), ("name", "naam"), ("label", "soort"), ("aliases", "ook genoemd"),
                    ("mention_count", "vermeldingen"), ("section_count", "passages"), ("url", "url"))
MENTION_CSV_COLUMNS = (("document", "document"), ("section_title", "sectie"), ("where", "vindplaats"),
                       ("before", "ervoor"), ("text", "vermelding"), ("after", "erna"), ("passage_id", "passage"),
                       ("url", "url"))


def matches(entity: dict[str, Any], needle: str) -> bool:
    """Whether the name or an alias contains ``needle`` (already folded: no case, no accents)."""
    return any(needle in fold(form) for form in [entity["name"], *(entity.get("aliases") or [])])


def mention_row(sections: SectionCache, m: dict[str, Any]) -> dict[str, Any]:
    """One mention where it stands: passage (its block), section, context within the sentence and a link."""
    sec = sections[m["section_id"]] or {"id": m["section_id"], "text": "", "blocks": [], "title": "", "path": []}
    text = sec["text"]
    window = passage_at(sec, m["start"]) if sec.get("blocks") else None  # kb.passages: one id, one span
    before, match, after, cut_before, cut_after = context(text, m["start"], m["end"],
                                                          width=limits().mention_context_chars)
    return {
        "passage_id": window.id if window else m["section_id"], "section_id": m["section_id"], "document": m["document_id"],
        "start": m["start"], "end": m["end"], "text": m["surface"], "label": m["label"],
        "refs": m.get("refs") or {}, "article": m.get("article"), "law_url": law_url(m.get("refs"), m.get("article")),
        "section_title": sec["title"], "path": sec.get("path") or [],
        "context": {"before": before, "match": match, "after": after, "cut_before": cut_before, "cut_after": cut_after},
        "url": marked_passage_url(sec, m["start"], m["end"], param="m") if sections[m["section_id"]] else "",
    }


def entity_ref_links(refs: dict[str, str]) -> list[dict[str, str]]:
    """External references of an entity as links (only http(s) targets)."""
    out = []
    for kind, value in (refs or {}).items():
        value = str(value).strip()
        if not value:
            continue
        if kind == "celex":
            out.append({"label": f"EUR-Lex (CELEX {value})", "href": law_url({"celex": value}) or ""})
        elif kind == "bwb":
            out.append({"label": f"wetten.overheid.nl ({value})", "href": law_url({"bwb": value}) or ""})
        elif kind == "eli" and value.lower().startswith(("http://", "https://")):
            out.append({"label": f"ELI: {value}", "href": value})
        elif kind in ("site", "url", "eli"):
            if value.lower().startswith(("http://", "https://")):
                out.append({"label": "Website" if kind == "site" else value, "href": value, "text": value})
            else:
                out.append({"label": value, "href": ""})
    return out


def entities_page(args: Args) -> Page:
    store = services().store
    label = args.get("type", "").strip().upper()
    label = label if label in ENTITY_LABELS else ""
    q = query_arg(args)
    needle = fold(q)
    include_all = args.get("alle") == "1"
    every = store.entities()
    type_counts = Counter(e["label"] for e in every if include_all or e.get("mention_count"))
    shown = [ent for ent in every
             if (not label or ent["label"] == label) and (include_all or ent.get("mention_count"))
             and (not needle or matches(ent, needle))]
    groups: dict[str, list[dict[str, Any]]] = {}
    for ent in shown:
        groups.setdefault(ent["label"], []).append(ent)
    ordered = [(lb, groups[lb]) for lb in [*ENTITY_LABELS, *sorted(set(groups) - set(ENTITY_LABELS))] if lb in groups]

    def rows() -> Iterator[dict[str, Any]]:
        host = public_base()
        for _lb, items in ordered:
            for e in items:
                yield {**e, "label": label_nl(e["label"]), "url": host + url_for("ui.entity", entity_id=e["id"])}

    return Page("entities.html", {
        "groups": ordered,
        "total": len(shown),
        "label": label,
        "q": q,
        "include_all": include_all,
        "type_options": [(lb, type_counts.get(lb, 0)) for lb in ENTITY_LABELS if type_counts.get(lb)],
    }, table=lambda: Table("entiteiten", LIST_CSV_COLUMNS, rows()),
        params={"q": q, "type": label, "alle": "1" if include_all else None})


def _relations(store, ent: dict[str, Any]) -> list[dict[str, Any]]:
    """The entity's own relations and those of others that point to it, in Dutch."""
    out = []
    for rel in ent.get("relations") or []:
        target = store.entity(rel.get("target", ""))
        out.append({"type": relation_nl(rel.get("type")), "id": rel.get("target"),
                    "name": target["name"] if target else rel.get("target"), "exists": target is not None})
    for other in store.entities():
        for rel in other.get("relations") or []:
            if rel.get("target") == ent["id"] and other["id"] != ent["id"]:
                out.append({"type": relation_nl(rel.get("type"), inverse=True), "id": other["id"],
                            "name": other["name"], "exists": True})
    return out


def _mention_groups(store, entity_id: str, mentions: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    """Mentions per document, at most ``Limits.mentions_per_document`` each (the rest through a search)."""
    per_document = limits().mentions_per_document
    sections = SectionCache(store)
    docs: dict[str, dict[str, Any]] = {}
    groups: list[dict[str, Any]] = []
    for m in mentions:
        doc_id = m["document_id"]
        if doc_id not in docs:
            d = store.document(doc_id)
            docs[doc_id] = {"id": doc_id, "title": d["title"] if d else doc_id, "when": year_or_period(d),
                            "items": [], "count": 0,
                            "more_url": search_url("", {"entity": [entity_id], "document": [doc_id]})}
            groups.append(docs[doc_id])
        group = docs[doc_id]
        group["count"] += 1
        if len(group["items"]) < per_document and sections[m["section_id"]] is not None:
            group["items"].append(mention_row(sections, m))
    return groups


def entity_page(entity_id: str) -> Page:
    store = services().store
    ent = store.entity(entity_id)
    if ent is None:
        raise not_found("Deze entiteit staat niet in de Beleidsbank.")
    mentions = store.mentions(entity_id=entity_id)

    def rows() -> Iterator[dict[str, Any]]:
        host = public_base()
        sections = SectionCache(store)
        titles = {d["id"]: d["title"] for d in store.documents()}
        for m in mentions:
            row = mention_row(sections, m)
            ctx = row["context"]
            yield {**row, "document": titles.get(row["document"], row["document"]), "where": " › ".join(row["path"]),
                   "before": ("…" if ctx["cut_before"] else "") + ctx["before"],
                   "after": ctx["after"] + ("…" if ctx["cut_after"] else ""),
                   "url": host + row["url"] if row["url"] else ""}

    return Page("entity.html", {
        "entity": ent,
        "refs": entity_ref_links(ent.get("refs") or {}),
        "relations": _relations(store, ent),
        "groups": _mention_groups(store, entity_id, mentions),
        "mention_total": len(mentions),
        "cooccurring": store.cooccurring(entity_id, limit=COOCCURRING),
        "search_link": search_url("", {"entity": [entity_id]}),
    }, table=lambda: Table(f"vermeldingen-{entity_id}", MENTION_CSV_COLUMNS, rows()))
