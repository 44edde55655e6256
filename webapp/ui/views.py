"""Routes of the search interface."""
from __future__ import annotations

import logging
import math
import re
import unicodedata
from collections import Counter
from typing import Any

from flask import redirect, render_template, request, url_for

from kb.catalogue import ENTITY_LABELS
from settings import Limits
from webapp import render, search_wording
from webapp.services import services
from webapp.ui import ui_bp
from webapp.ui.errors import not_found_nl
from webapp.ui.helpers import (
    FILTER_KEYS, RELATION_NAMES_NL, SORTS, active_filters, entity_ref_links, kind_nl, label_nl, nl_date,
    page_window, search_url, toc_tree,
)

log = logging.getLogger(__name__)

_LIMITS = Limits()
PAGE_SIZE = _LIMITS.page_size
MAX_PAGE = _LIMITS.max_page
MAX_QUERY_CHARS = _LIMITS.max_query_chars
MENTIONS_PER_DOCUMENT = _LIMITS.mentions_per_document
_RANGE = re.compile(r"^(\d{1,9})-(\d{1,9})$")
_CHUNK = re.compile(r"~(?:p(\d{1,6})|\d{1,6})$")  # kb.passage_ids: "{section_id}~p{first block}"


# -- small helpers -----------------------------------------------------------------------------------
def _int_arg(name: str, default: int | None = None) -> int | None:
    raw = request.args.get(name, "")
    return int(raw) if raw.isdigit() and len(raw) < 10 else default


def _range_arg(name: str, limit: int) -> tuple[int, int] | None:
    m = _RANGE.match(request.args.get(name, ""))
    if not m:
        return None
    start, end = min(int(m.group(1)), limit), min(int(m.group(2)), limit)
    return (start, end) if end > start else None


def _block_range_arg(name: str, count: int) -> tuple[int, int] | None:
    """``b=3`` or ``b=3-5``: block indexes to mark (clipped to the section)."""
    raw = request.args.get(name, "")
    m = _RANGE.match(raw)
    if m:
        first, last = int(m.group(1)), int(m.group(2))
    elif raw.isdigit() and len(raw) < 10:
        first = last = int(raw)
    else:
        return None
    if first >= count or last < first:
        return None
    return first, min(last, count - 1)


def _query_arg() -> str:
    q = request.args.get("q") or ""
    q = "".join(c for c in q if unicodedata.category(c) != "Cc" or c in "\t")
    return " ".join(q.split())[:MAX_QUERY_CHARS]


def _fold(text: str) -> str:
    text = unicodedata.normalize("NFKD", text or "")
    return "".join(c for c in text if not unicodedata.combining(c)).lower()


def _example_form(entity: dict[str, Any]) -> str:
    """A short way to search for an entity: its name, or its shortest alias when the name is long."""
    name = entity["name"]
    if len(name) <= 32:
        return name
    aliases = [a for a in entity.get("aliases") or [] if 2 < len(a) <= 32]
    return min(aliases, key=len) if aliases else name


EXAMPLE_LABELS = ("ORG", "SYSTEM", "FUND", "PROGRAMME", "LAW")  # places and persons make poor examples


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


def _entity_names(store, ids) -> dict[str, str]:
    out = {}
    for eid in dict.fromkeys(ids):
        if eid:
            ent = store.entity(eid)
            if ent:
                out[eid] = ent["name"]
    return out


def _year_or_period(doc: dict[str, Any] | None) -> str:
    """For display: "2020", "periode 2021-2027" or "2020, periode 2021-2027"."""
    if not doc:
        return ""
    parts = [str(doc["year"])] if doc.get("year") else []
    if doc.get("period") and str(doc["period"]) != str(doc.get("year")):
        parts.append(f"periode {doc['period']}")
    return ", ".join(parts)


# -- home ------------------------------------------------------------------------------------------------
@ui_bp.get("/")
def home():
    store = services().store
    return render_template(
        "home.html",
        counts=store.counts(),
        examples=example_searches(store),
        documents=store.documents(),
    )


# -- search ----------------------------------------------------------------------------------------------
def _searcher_filters(filters: dict[str, list[str]]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, values in filters.items():
        out[key] = values[0] if len(values) == 1 else list(values)
    return out


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


def _facet_label(key: str, item: dict[str, Any]) -> str:
    label = str(item.get("label") or item.get("value") or "")
    if key == "entity_type":
        return label_nl(str(item.get("value") or label))
    if key == "type":
        return kind_nl(label)
    return label


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


def _result_view(r: dict[str, Any], q: str) -> dict[str, Any]:
    section_id = r.get("section_id") or str(r.get("id", "")).split("~")[0]
    blocks = _result_blocks(r)
    params: dict[str, Any] = {"q": q} if q else {}
    if blocks is not None:
        params["b"] = str(blocks[0]) if blocks[0] == blocks[1] else f"{blocks[0]}-{blocks[1]}"
    url = url_for("ui.passage", passage_id=section_id, **params) + (f"#p{blocks[0]}" if blocks is not None else "")
    path = [p for p in (r.get("path") or []) if p]
    if path and path[-1] == r.get("title"):
        path = path[:-1]
    if path and path[0] == r.get("document_title"):
        path = path[1:]
    snippet = render.safe_snippet(r.get("snippet"))
    if not str(snippet).strip():
        text = " ".join(str(r.get("text") or "").split())
        snippet = text[:280] + ("…" if len(text) > 280 else "")
    entities = [e for e in (r.get("entities") or []) if e.get("id")]
    return {
        "url": url,
        "title": r.get("title") or r.get("document_title") or section_id,
        "document": r.get("document"),
        "document_title": r.get("document_title") or r.get("document"),
        "path": path,
        "snippet": snippet,
        "entities": entities[:8],
        "more_entities": max(0, len(entities) - 8),
        "year": r.get("year"),
        "kind": r.get("kind"),
    }


@ui_bp.get("/zoeken")
def search():
    store = services().store
    q = _query_arg()
    filters = active_filters()
    sort = request.args.get("sort", "relevance")
    sort = sort if sort in SORTS else "relevance"
    page = max(1, min(_int_arg("pagina", 1) or 1, MAX_PAGE))
    ctx: dict[str, Any] = {"q": q, "filters": filters, "sort": sort, "page": page, "result": None}
    if not q and not filters:
        ctx["examples"] = example_searches(store)
        return render_template("search.html", **ctx)

    result = services().searcher.search(q, limit=PAGE_SIZE, offset=(page - 1) * PAGE_SIZE,
                                        filters=_searcher_filters(filters), sort=sort)
    facets = result.get("facets") or {}
    total = int(result.get("total") or 0)
    last = max(1, min(MAX_PAGE, math.ceil(total / PAGE_SIZE)))
    facet_groups = []
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
            facet_groups.append({"key": key, "items": items, "limit": 8 if key in ("entity",) else 12})
    chips = [
        {"key": key, "value": value, "label": _filter_label(store, key, value, facets),
         "url": search_url(q, filters, sort=sort, remove=(key, value))}
        for key, values in filters.items() for value in values
    ]
    interpreted = search_wording.interpreted(result).strip()
    if " ".join(_fold(interpreted).split()) == " ".join(_fold(q).split()):
        interpreted = ""
    # the searcher explains every query; it was *read differently* when it adds a note
    read_differently = bool(interpreted) and search_wording.read_differently(result)
    suggestion = (result.get("suggestion") or "").strip()
    if _fold(suggestion) == _fold(q):
        suggestion = ""
    ctx.update(
        result=result,
        total=total,
        results=[_result_view(r, q) for r in result.get("results") or []],
        first=(page - 1) * PAGE_SIZE + 1,
        last_page=last,
        pages=page_window(page, last),
        facet_groups=facet_groups,
        chips=chips,
        interpreted=interpreted,
        read_differently=read_differently,
        suggestion=suggestion,
        suggestion_url=search_url(suggestion, filters, sort=sort) if suggestion else "",
        sort_urls={key: search_url(q, filters, sort=key) for key in SORTS},
        page_url=lambda n: search_url(q, filters, sort=sort, page=n),
        clear_url=search_url(q, {}, sort=sort),
        examples=example_searches(store) if total == 0 else [],
    )
    return render_template("search.html", **ctx)


# -- passages --------------------------------------------------------------------------------------------
def _related_passages(store, section_id: str, block: int | None) -> list[dict[str, Any]] | None:
    """HOOK "Gerelateerd": passages elsewhere about the same measure, from ``kb.related``.

    Returns None while ``kb.related`` does not exist (the panel is then left out); a failure in
    it is logged and never breaks the passage page.
    """
    try:
        from kb.related import related_passages
    except ImportError:
        return None
    try:
        items = related_passages(store, section_id, block_index=block, limit=5) or []
    except KeyError:  # a section the related-passage index does not hold (no text)
        return None
    except Exception:  # pragma: no cover - defensive: the panel is optional
        log.exception("related_passages failed for %s", section_id)
        return None
    out = []
    for item in items:
        item = item if isinstance(item, dict) else getattr(item, "__dict__", {})
        rid = str(item.get("section_id") or item.get("id") or "")
        sec = store.section(rid) or (store.section(rid.split("~")[0]) if rid else None)
        if sec is None:
            continue
        doc = store.document(sec["document_id"])
        params: dict[str, Any] = {}
        bi = item.get("block_index")
        if isinstance(bi, int) and 0 <= bi < len(sec.get("blocks") or []):
            params["b"] = bi
        sentence = (item.get("evidence") or {}).get("sentence") or {}
        quote = str(sentence.get("text") or "").strip()
        if isinstance(sentence.get("start"), int) and isinstance(sentence.get("end"), int) \
                and sentence["end"] > sentence["start"]:
            params["s"] = f"{sentence['start']}-{sentence['end']}"
            if "b" not in params:
                params["b"] = render.block_index(sec.get("blocks") or [], sentence["start"])
        url = url_for("ui.passage", passage_id=sec["id"], **params)
        if params.get("b") is not None:
            url += f"#p{params['b']}"
        if len(quote) > 240:
            quote = quote[:240].rsplit(" ", 1)[0] + " …"
        out.append({"url": url, "title": sec["title"], "document_title": doc["title"] if doc else sec["document_id"],
                    "when": _year_or_period(doc), "reason": str(item.get("reason") or ""), "quote": quote})
    return out


def _citation(doc: dict[str, Any] | None, section: dict[str, Any], url: str) -> str:
    author = (doc or {}).get("ministry") or ""
    when = str((doc or {}).get("year") or (doc or {}).get("period") or "z.d.")  # publication year first
    title = (doc or {}).get("title") or section["document_id"]
    path = " › ".join(p for p in section.get("path") or [section["title"]] if p)
    parts = [f"{author} ({when}). {title}." if author else f"{title} ({when})."]
    if path:
        parts.append(f"{path}.")
    parts.append(f"Geraadpleegd op {nl_date()} via Beleidsbank: {url}")
    return " ".join(parts)


@ui_bp.get("/passages/<path:passage_id>")
def passage(passage_id: str):
    store = services().store
    section = store.section(passage_id)
    if section is None and "~" in passage_id:
        # a passage (chunk) id: "{section_id}~p{first block}" (or "~{n}"); the page is per section
        m = _CHUNK.search(passage_id)
        sid = passage_id[: m.start()] if m else passage_id.rsplit("~", 1)[0]
        section = store.section(sid)
        if section is not None:
            args = request.args.to_dict(flat=False)
            first = int(m.group(1)) if m and m.group(1) is not None else None
            fragment = ""
            if first is not None and first < len(section.get("blocks") or []):
                args.setdefault("b", [str(first)])
                fragment = f"#p{first}"
            return redirect(url_for("ui.passage", passage_id=sid, **args) + fragment, code=302)
    if section is None:
        raise not_found_nl("Deze passage bestaat niet (meer). Misschien is het document opnieuw ingelezen.")
    text = section.get("text") or ""
    q = _query_arg()
    nblocks = len(section.get("blocks") or [])
    marked_blocks = _block_range_arg("b", nblocks)
    block = marked_blocks[0] if marked_blocks else None
    statement = _range_arg("s", len(text))
    mention = _range_arg("m", len(text))
    mark_range, mark_kind = (statement, "statement") if statement else (mention, "mention") if mention else (None, "")
    mentions = store.mentions(section_id=section["id"])
    names = _entity_names(store, (m.get("entity_id") for m in mentions))
    rendered = render.render_passage(
        section, mentions, entity_url=lambda eid: url_for("ui.entity", entity_id=eid), entity_names=names,
        query=q, marked_blocks=marked_blocks, mark_range=mark_range, mark_kind=mark_kind,
    )
    if mark_range is not None and block is None:
        block = render.block_index(section.get("blocks") or [], mark_range[0])
    referenced = {m.group(1) for m in render.FOOTNOTE_REF.finditer(text)}
    doc = store.document(section["document_id"])
    ancestors = []
    parent_id = section.get("parent_id")
    while parent_id and len(ancestors) < 12:
        parent = store.section(parent_id)
        if parent is None:
            break
        ancestors.insert(0, parent)
        parent_id = parent.get("parent_id")
    prev, nxt = store.neighbours(section["id"])
    permalink = url_for("ui.passage", passage_id=section["id"], _external=True)
    counts = Counter(m["entity_id"] for m in mentions if m.get("entity_id"))
    entities = []
    for e in rendered.entities:
        ent = store.entity(e["id"])
        entities.append({"id": e["id"], "name": e["name"], "label": ent["label"] if ent else "",
                         "count": counts.get(e["id"], 0)})
    return render_template(
        "passage.html",
        section=section,
        document=doc,
        when=_year_or_period(doc),
        ancestors=ancestors,
        body=rendered.body,
        footnotes=[{"label": str(f[0]), "text": str(f[1]), "referenced": str(f[0]) in referenced}
                   for f in section.get("footnotes") or []],
        entities=entities,
        q=q,
        marked_block=block,
        mark_range=mark_range,
        mark_kind=mark_kind,
        prev=prev,
        next=nxt,
        permalink=permalink,
        citation=_citation(doc, section, permalink),
        related=_related_passages(store, section["id"], block),
    )


# -- documents -------------------------------------------------------------------------------------------
@ui_bp.get("/documenten")
def documents():
    return render_template("documents.html", documents=services().store.documents())


@ui_bp.get("/documenten/<doc_id>")
def document(doc_id: str):
    store = services().store
    doc = store.document(doc_id)
    if doc is None:
        raise not_found_nl("Dit document staat niet (meer) in de Beleidsbank.")
    sections = store.sections(doc_id)
    counts = Counter(m["entity_id"] for m in store.mentions(document_id=doc_id) if m.get("entity_id"))
    top = []
    for eid, n in counts.most_common(12):
        ent = store.entity(eid)
        if ent:
            top.append({"id": eid, "name": ent["name"], "label": ent["label"], "count": n})
    source = doc.get("source") or ""
    return render_template(
        "document.html",
        document=doc,
        when=_year_or_period(doc),
        source_is_url=source.lower().startswith(("http://", "https://")),
        toc=toc_tree(sections),
        section_count=len(sections),
        top_entities=top,
    )


# -- entities ----------------------------------------------------------------------------------------------
@ui_bp.get("/entiteiten")
def entities():
    store = services().store
    label = request.args.get("type", "").strip().upper()
    label = label if label in ENTITY_LABELS else ""
    needle = _fold(_query_arg())
    include_all = request.args.get("alle") == "1"
    every = store.entities()
    type_counts = Counter(e["label"] for e in every if include_all or e.get("mention_count"))
    groups: dict[str, list[dict[str, Any]]] = {}
    for ent in every:
        if label and ent["label"] != label:
            continue
        if not include_all and not ent.get("mention_count"):
            continue
        if needle:
            hay = _fold(" ".join([ent["id"], ent["name"], *(ent.get("aliases") or [])]))
            if needle not in hay:
                continue
        groups.setdefault(ent["label"], []).append(ent)
    ordered = [(lb, groups[lb]) for lb in [*ENTITY_LABELS, *sorted(set(groups) - set(ENTITY_LABELS))] if lb in groups]
    return render_template(
        "entities.html",
        groups=ordered,
        total=sum(len(v) for _, v in ordered),
        label=label,
        q=_query_arg(),
        include_all=include_all,
        type_options=[(lb, type_counts.get(lb, 0)) for lb in ENTITY_LABELS if type_counts.get(lb)],
    )


@ui_bp.get("/entiteiten/<entity_id>")
def entity(entity_id: str):
    store = services().store
    ent = store.entity(entity_id)
    if ent is None:
        raise not_found_nl("Deze entiteit staat niet in de Beleidsbank.")
    relations = []
    for rel in ent.get("relations") or []:
        target = store.entity(rel.get("target", ""))
        names = RELATION_NAMES_NL.get(rel.get("type"), (rel.get("type", ""), rel.get("type", "")))
        relations.append({"type": names[0], "id": rel.get("target"), "name": target["name"] if target else rel.get("target"),
                          "exists": target is not None})
    for other in store.entities():
        for rel in other.get("relations") or []:
            if rel.get("target") == entity_id and other["id"] != entity_id:
                names = RELATION_NAMES_NL.get(rel.get("type"), (rel.get("type", ""), rel.get("type", "")))
                relations.append({"type": names[1], "id": other["id"], "name": other["name"], "exists": True})

    mentions = store.mentions(entity_id=entity_id)
    sections: dict[str, dict[str, Any] | None] = {}
    docs: dict[str, dict[str, Any]] = {}
    groups: list[dict[str, Any]] = []
    for m in mentions:
        doc_id = m["document_id"]
        if doc_id not in docs:
            d = store.document(doc_id)
            docs[doc_id] = {"id": doc_id, "title": d["title"] if d else doc_id, "when": _year_or_period(d),
                            "items": [], "count": 0,
                            "more_url": search_url("", {"entity": [entity_id], "document": [doc_id]})}
            groups.append(docs[doc_id])
        group = docs[doc_id]
        group["count"] += 1
        if len(group["items"]) >= MENTIONS_PER_DOCUMENT:
            continue
        sid = m["section_id"]
        if sid not in sections:
            sections[sid] = store.section(sid)
        sec = sections[sid]
        if sec is None:
            continue
        before, surface, after, cut_before, cut_after = render.context(sec["text"], m["start"], m["end"])
        blk = render.block_index(sec.get("blocks") or [], m["start"])
        url = url_for("ui.passage", passage_id=sid, m=f"{m['start']}-{m['end']}") + (f"#p{blk}" if blk is not None else "")
        group["items"].append({"url": url, "section_title": sec["title"], "path": sec.get("path") or [],
                               "before": before, "surface": surface, "after": after,
                               "cut_before": cut_before, "cut_after": cut_after})
    return render_template(
        "entity.html",
        entity=ent,
        refs=entity_ref_links(ent.get("refs") or {}),
        relations=relations,
        groups=groups,
        mention_total=len(mentions),
        cooccurring=store.cooccurring(entity_id, limit=12),
        search_link=search_url("", {"entity": [entity_id]}),
    )


# -- measures: see webapp/ui/measures.py ------------------------------------------------------------
