"""Entities: the catalogue ``/entiteiten`` and an entity with its mentions ``/entiteiten/<id>``.

The name filter (:func:`matches`) and the mention rows with their context (:func:`mention_row`)
are also what the API's ``/entities`` and ``/entities/<id>/mentions`` return.
"""
from __future__ import annotations

import math
import re
from collections import Counter
from typing import Any, Iterable, Iterator

from flask import url_for

from kb.catalogue import ENTITY_LABELS
from kb.laws.urls import law_url
from kb.passages import passage_at
from webapp.dutch import label_nl, relation_nl, year_or_period
from webapp.pages.common import (
    Args, SectionCache, fold, limits, marked_passage_url, page_arg, page_window, public_url, query_arg, search_url,
)
from webapp.pages.model import Page, Table, not_found
from webapp.render import context
from webapp.services import services

COOCCURRING = 12
LIST_CSV_COLUMNS = (("id", "id"), ("name", "naam"), ("label", "soort"), ("aliases", "ook genoemd"),
                    ("mention_count", "vermeldingen"), ("section_count", "passages"), ("url", "url"))
MENTION_CSV_COLUMNS = (("document", "document"), ("section_title", "sectie"), ("where", "vindplaats"),
                       ("count", "vermeldingen"), ("before", "ervoor"), ("text", "vermelding"), ("after", "erna"),
                       ("passage_id", "passage"), ("url", "url"))


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
    order = {lb: i for i, lb in enumerate([*ENTITY_LABELS, *sorted({e["label"] for e in shown} - set(ENTITY_LABELS))])}
    shown.sort(key=lambda e: order[e["label"]])  # stable: by mentions within a kind
    per_kind = Counter(e["label"] for e in shown)
    size = limits().entities_page_size
    last = max(1, math.ceil(len(shown) / size))
    page = page_arg(args)
    groups: dict[str, list[dict[str, Any]]] = {}
    for ent in shown[(page - 1) * size: page * size]:
        groups.setdefault(ent["label"], []).append(ent)
    params = {"q": q, "type": label, "alle": "1" if include_all else None}

    def page_url(n: int) -> str:
        return url_for("ui.entities", **{k: v for k, v in params.items() if v}, **({"pagina": n} if n > 1 else {}))

    def rows() -> Iterator[dict[str, Any]]:
        for e in shown:
            yield {**e, "label": label_nl(e["label"]), "url": public_url(url_for("ui.entity", entity_id=e["id"]))}

    return Page("entities.html", {
        "groups": list(groups.items()),
        "kind_totals": dict(per_kind),
        "total": len(shown),
        "label": label,
        "q": q,
        "include_all": include_all,
        "type_options": [(lb, type_counts.get(lb, 0)) for lb in ENTITY_LABELS if type_counts.get(lb)],
        "page": page, "last_page": last, "pages": page_window(min(page, last), last),
        "out_of_range": page > last, "last_url": page_url(last),
        "previous": page_url(page - 1) if 1 < page <= last else None,
        "next": page_url(page + 1) if page < last else None,
    }, extras={"page_url": page_url}, table=lambda: Table("entiteiten", LIST_CSV_COLUMNS, rows()),
        params={**params, "pagina": page if page > 1 else None}, status=404 if page > last else 200)


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


def passage_rows(sections: SectionCache, mentions: Iterable[dict[str, Any]]) -> Iterator[dict[str, Any]]:
    """Mentions (in document order) as one row per passage: the first mention's row (its context and
    link) with ``count``, how often the passage names the entity, and ``mentions``, where."""
    row: dict[str, Any] | None = None
    for m in mentions:
        if sections[m["section_id"]] is None:
            continue
        first = mention_row(sections, m)
        where = {"start": m["start"], "end": m["end"], "text": m["surface"], "article": m.get("article")}
        if row is not None and row["passage_id"] == first["passage_id"]:
            row["count"] += 1
            row["mentions"].append(where)
            continue
        if row is not None:
            yield row
        row = {**first, "count": 1, "mentions": [where]}
    if row is not None:
        yield row


def _article_key(article: str) -> tuple:
    """Natural order of article numbers: "2" < "7:658" < "10" < "10a"."""
    return tuple((0, int(part), "") if part.isdigit() else (1, 0, part)
                 for part in re.findall(r"\d+|[^\d\s:.,]+", article.lower()))


def articles_cited(ent: dict[str, Any], rows: list[dict[str, Any]], titles: dict[str, str]) -> list[dict[str, Any]]:
    """For a regulation: the passages that cite it, per article cited (its official text at that article),
    in article order; a passage citing two articles is listed under both."""
    groups: dict[str, dict[str, Any]] = {}
    for row in rows:
        for m in row["mentions"]:
            article = (m.get("article") or "").strip()
            if not article:
                continue
            group = groups.setdefault(article, {"article": article, "passages": [],
                                                "url": law_url(row.get("refs") or ent.get("refs"), article)})
            if all(p["passage_id"] != row["passage_id"] for p in group["passages"]):
                group["passages"].append({"passage_id": row["passage_id"], "url": row["url"],
                                          "section_title": row["section_title"],
                                          "document": titles.get(row["document"], row["document"])})
    return [groups[a] for a in sorted(groups, key=_article_key)]


def entity_page(entity_id: str, args: Args) -> Page:
    """An entity with every passage that names it, one row per passage with the number of mentions,
    grouped by document and paged (``Limits.entity_passages_page_size``)."""
    store = services().store
    ent = store.entity(entity_id)
    if ent is None:
        raise not_found("Deze entiteit staat niet in de Beleidsbank.")
    mentions = store.mentions(entity_id=entity_id)
    rows = list(passage_rows(SectionCache(store), mentions))
    size = limits().entity_passages_page_size
    last = max(1, math.ceil(len(rows) / size))
    page = page_arg(args)
    shown = rows[(page - 1) * size: page * size]
    per_document = Counter(r["document"] for r in rows)
    mentions_per_document = Counter(m["document_id"] for m in mentions)
    docs: dict[str, dict[str, Any]] = {}
    groups: list[dict[str, Any]] = []
    for r in shown:
        doc_id = r["document"]
        if doc_id not in docs:
            d = store.document(doc_id)
            docs[doc_id] = {"id": doc_id, "title": d["title"] if d else doc_id, "when": year_or_period(d),
                            "passages": per_document[doc_id], "count": mentions_per_document[doc_id], "items": []}
            groups.append(docs[doc_id])
        docs[doc_id]["items"].append(r)

    def page_url(n: int) -> str:
        return url_for("ui.entity", entity_id=entity_id, **({"pagina": n} if n > 1 else {}))

    def csv_rows() -> Iterator[dict[str, Any]]:
        titles = {d["id"]: d["title"] for d in store.documents()}
        for row in rows:
            ctx = row["context"]
            yield {**row, "document": titles.get(row["document"], row["document"]), "where": " › ".join(row["path"]),
                   "before": ("…" if ctx["cut_before"] else "") + ctx["before"],
                   "after": ctx["after"] + ("…" if ctx["cut_after"] else ""),
                   "url": public_url(row["url"]) if row["url"] else ""}

    return Page("entity.html", {
        "entity": ent,
        "refs": entity_ref_links(ent.get("refs") or {}),
        "relations": _relations(store, ent),
        "groups": groups,
        "mention_total": len(mentions),
        "passage_total": len(rows),
        "document_total": len(per_document),
        "page": page, "last_page": last, "pages": page_window(min(page, last), last),
        "first_index": (page - 1) * size + 1,
        "shown": len(shown),
        "out_of_range": page > last,
        "last_url": page_url(last),
        "previous": page_url(page - 1) if 1 < page <= last else None,
        "next": page_url(page + 1) if page < last else None,
        "articles": articles_cited(ent, rows, {d["id"]: d["title"] for d in store.documents()})
        if ent["label"] == "LAW" else [],
        "cooccurring": store.cooccurring(entity_id, limit=COOCCURRING),
        "search_link": search_url("", {"entity": [entity_id]}),
    }, extras={"page_url": page_url}, params={"pagina": page if page > 1 else None},
        table=lambda: Table(f"vermeldingen-{entity_id}", MENTION_CSV_COLUMNS, csv_rows()),
        status=404 if page > last else 200)
