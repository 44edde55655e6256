"""The API operations.  Routes are registered from the OpenAPI document (:func:`register`):
each ``operationId`` names a function here, which receives the request's parameters already
checked and converted against the spec (defaults filled in).
"""
from __future__ import annotations

import json
import threading
import unicodedata
from functools import wraps
from typing import Any, Callable

from flask import Blueprint, Response, current_app, request, url_for

from kb.passage_ids import parse_passage_id, passage_id

from webapp.api.http import json_with_weak_etag
from webapp.api.problems import ApiError
from webapp.api.spec import Operation, body_error, operations, parse_params, spec_json
from webapp.search_wording import with_interpretation
from webapp.services import services

Params = dict[str, Any]
CONTEXT_CHARS = 80  # characters of context on each side of a mention


# -- helpers ---------------------------------------------------------------------------------
def _page(total: int, p: Params) -> dict[str, Any]:
    """``total``, ``limit``, ``offset`` and ``next`` (relative URL of the next page, or None)."""
    limit, offset = p["limit"], p["offset"]
    nxt = None
    if offset + limit < total:
        args = {k: v for k, v in p.items() if k not in request.view_args and k in request.args and v is not None}
        args.update(limit=limit, offset=offset + limit)
        nxt = url_for(request.endpoint, **request.view_args, **args)
    return {"total": total, "limit": limit, "offset": offset, "next": nxt}


def _not_found(what: str, ident: str) -> ApiError:
    """404 with e.g. "Onbekende passage: 'x'." (``what`` with its article-agreeing adjective)."""
    return ApiError(404, f"{what}: {ident!r}.")


def _fold(text: str) -> str:
    """Lower case without accents, for substring filters ("Financiële" ~ "financiele")."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def _link(section: dict[str, Any] | None) -> dict[str, str] | None:
    return {"id": section["id"], "title": section["title"]} if section else None


def _document_ref(doc: dict[str, Any] | None, doc_id: str) -> dict[str, Any]:
    doc = doc or {}
    return {"id": doc_id, "title": doc.get("title", doc_id), "kind": doc.get("kind"), "year": doc.get("year")}


def _document_summary(d: dict[str, Any]) -> dict[str, Any]:
    return {
        "id": d["id"], "title": d["title"], "kind": d["kind"], "year": d["year"], "period": d["period"],
        "ministry": d["ministry"], "source": d["source"], "licence": d["licence"], "format": d["format"],
        "source_path": d["source_path"], "section_count": d["section_count"], "metadata": d["metadata"],
    }


_ENTITY_KEYS = ("id", "label", "name", "aliases", "description", "refs", "relations", "origin",
                "mention_count", "section_count")


def _entity(e: dict[str, Any]) -> dict[str, Any]:
    return {k: e[k] for k in _ENTITY_KEYS}


# -- passages --------------------------------------------------------------------------------
def _part_span(section: dict[str, Any], first: int) -> tuple[int, int, int, int] | None:
    """(first block, last block, start, end) of the passage ``{section}~p{first}``, or None.

    The passage is the search index's window that starts at that block (cut with the options
    the index was built with), else that single block (the ids related passages and
    allocations use)."""
    from indexer.build import read_build_info
    from indexer.schema import chunk_blocks
    from settings import IndexOptions

    blocks = section["blocks"]
    if first >= len(blocks):
        return None
    info = read_build_info(services().settings.index_dir) or {}
    last = next((b1 for b0, b1 in chunk_blocks(section, IndexOptions(**info.get("options", {}))) if b0 == first), first)
    return first, last, blocks[first][0], blocks[last][1]


def _passage(pid: str) -> dict[str, Any]:
    store = services().store
    section_id, first = parse_passage_id(pid)
    sec = store.section(section_id)
    span = _part_span(sec, first) if sec is not None and first is not None else None
    if sec is None or (first is not None and span is None):
        raise _not_found("Onbekende passage", pid)
    text, start, end = sec["text"], 0, len(sec["text"])
    blocks = [{"start": b[0], "end": b[1], "kind": b[2], "level": b[3]} for b in sec["blocks"]]
    chunk = None
    if span is not None:
        b0, b1, start, end = span
        chunk = {"block_start": b0, "block_end": b1, "start": start, "end": end}
        text = text[start:end]
        blocks = [{**b, "start": b["start"] - start, "end": b["end"] - start} for b in blocks[b0:b1 + 1]]
    names: dict[str, str | None] = {}
    entities = []
    for m in store.mentions(section_id=section_id):
        if m["start"] < start or m["end"] > end:
            continue
        eid = m["entity_id"]
        if eid and eid not in names:
            row = store.entity(eid)
            names[eid] = row["name"] if row else None
        entities.append({
            "id": eid, "label": m["label"], "name": names.get(eid) if eid else None,
            "start": m["start"] - start, "end": m["end"] - start, "text": m["surface"], "value": m["value"],
        })
    breadcrumb = []
    parent_id = sec["parent_id"]
    while parent_id and len(breadcrumb) < 50:
        parent = store.section(parent_id)
        if parent is None:
            break
        breadcrumb.insert(0, _link(parent))
        parent_id = parent["parent_id"]
    previous, following = store.neighbours(section_id)
    return {
        "id": pid,
        "section_id": section_id,
        "chunk": chunk,
        "document": _document_ref(store.document(sec["document_id"]), sec["document_id"]),
        "title": sec["title"],
        "level": sec["level"],
        "path": sec["path"],
        "breadcrumb": breadcrumb,
        "parent": breadcrumb[-1] if breadcrumb else None,
        "previous": _link(previous),
        "next": _link(following),
        "text": text,
        "markdown": sec["markdown"],
        "blocks": blocks,
        "footnotes": [{"label": f[0], "text": f[1]} for f in sec["footnotes"]],
        "entities": entities,
    }


# -- operations ------------------------------------------------------------------------------
def search(p: Params) -> Any:
    filters = {k: p[k] for k in ("document", "type", "entity", "entity_type", "year") if p[k] is not None}
    result = with_interpretation(
        services().searcher.search(p["q"], limit=p["limit"], offset=p["offset"], filters=filters, sort=p["sort"]))
    return json_with_weak_etag({**result, **_page(result["total"], p)}, volatile=("took_ms",))


def get_passage(p: Params) -> Any:
    return _passage(p["id"])


def get_passage_related(p: Params) -> Any:
    from kb.related import related_passages

    passage = _passage(p["id"])
    chunk = passage["chunk"]
    block_index = chunk["block_start"] if chunk else None
    try:
        related = related_passages(services().store, passage["section_id"], block_index=block_index, limit=p["limit"])
    except KeyError:  # a section without passages of its own (a heading only)
        related = []
    return {"passage": {"id": p["id"], "section_id": passage["section_id"], "block_index": block_index,
                        "document": passage["document"]["id"], "title": passage["title"]},
            "related": related}


def get_related(p: Params) -> Any:
    from kb.related import related_json

    payload = related_json(services().store, p["quote"], p["limit"])
    if payload is None or payload.get("passage") is None:
        raise ApiError(404, "Geen passage gevonden die dit citaat bevat.")
    return payload


def list_documents(p: Params) -> Any:
    docs = services().store.documents()
    page = docs[p["offset"]:p["offset"] + p["limit"]]
    return {**_page(len(docs), p), "documents": [_document_summary(d) for d in page]}


def get_document(p: Params) -> Any:
    store = services().store
    doc = store.document(p["id"])
    if doc is None:
        raise _not_found("Onbekend document", p["id"])
    nodes: dict[str, dict[str, Any]] = {}
    roots: list[dict[str, Any]] = []
    for s in store.sections(doc["id"]):
        node = {"id": s["id"], "title": s["title"], "level": s["level"], "children": []}
        nodes[s["id"]] = node
        parent = nodes.get(s["parent_id"]) if s["parent_id"] else None
        (parent["children"] if parent else roots).append(node)
    return {**_document_summary(doc), "warnings": doc["warnings"], "sections": roots}


def list_entities(p: Params) -> Any:
    rows = services().store.entities(p["type"])
    if p["q"]:
        needle = _fold(p["q"])
        rows = [e for e in rows if any(needle in _fold(form) for form in [e["name"], *e["aliases"]])]
    page = rows[p["offset"]:p["offset"] + p["limit"]]
    return {**_page(len(rows), p), "entities": [_entity(e) for e in page]}


def get_entity(p: Params) -> Any:
    store = services().store
    e = store.entity(p["id"])
    if e is None:
        raise _not_found("Onbekende entiteit", p["id"])
    return {**_entity(e), "provenance": e["provenance"], "cooccurring": store.cooccurring(e["id"])}


def list_entity_mentions(p: Params) -> Any:
    store = services().store
    e = store.entity(p["id"])
    if e is None:
        raise _not_found("Onbekende entiteit", p["id"])
    rows = store.mentions(entity_id=e["id"])
    page = rows[p["offset"]:p["offset"] + p["limit"]]
    sections: dict[str, dict[str, Any]] = {}
    mentions = []
    for m in page:
        sid = m["section_id"]
        if sid not in sections:
            sections[sid] = store.section(sid) or {"text": "", "blocks": []}
        text, blocks = sections[sid]["text"], sections[sid]["blocks"]
        block = next((i for i, b in enumerate(blocks) if b[0] <= m["start"] < b[1]), None)
        mentions.append({
            "passage_id": passage_id(sid, block), "section_id": sid, "document": m["document_id"],
            "start": m["start"], "end": m["end"], "text": m["surface"], "label": m["label"],
            "context": _context(text, m["start"], m["end"]),
        })
    return {**_page(len(rows), p), "entity": {"id": e["id"], "label": e["label"], "name": e["name"]},
            "mentions": mentions}


def _context(text: str, start: int, end: int) -> dict[str, str]:
    """Up to CONTEXT_CHARS characters either side, cut at a space, whitespace collapsed."""
    lo, hi = max(0, start - CONTEXT_CHARS), min(len(text), end + CONTEXT_CHARS)
    before, after = text[lo:start], text[end:hi]
    if lo > 0 and " " in before:
        before = "…" + before[before.index(" ") + 1:]
    if hi < len(text) and " " in after:
        after = after[:after.rindex(" ")] + "…"
    return {"before": " ".join(before.split(" ")).lstrip(), "match": text[start:end], "after": after.rstrip()}


_tagger_lock = threading.Lock()


def _tagger() -> Any:
    """The tagger of this app, built on first use (with the corpus' own abbreviation definitions)."""
    state = current_app.extensions.setdefault("beleidsbank.api.tagger", {})
    if "tagger" not in state:
        with _tagger_lock:
            if "tagger" not in state:
                from kb.tagger import build_tagger

                state["tagger"] = build_tagger(definitions=services().store.definitions(),
                                               model=services().settings.spacy_model)
                state["lock"] = threading.Lock()
    return state


def tag_text(p: Params) -> Any:
    op = operations()["tagText"]
    if request.mimetype != "application/json":
        shown = request.mimetype or "geen Content-Type"
        raise ApiError(415, f"Stuur de tekst als application/json ({{\"text\": \"...\"}}), niet als {shown}.")
    raw = request.get_data(cache=False)  # raises RequestEntityTooLarge (413) past MAX_CONTENT_LENGTH
    try:
        body = json.loads(raw)
    except (ValueError, RecursionError) as exc:
        raise ApiError(400, f"De aanvraag is geen geldige JSON ({exc}).") from None
    problem = body_error(op, body)
    if problem:
        raise ApiError(400, f"Ongeldige aanvraag: {problem}; verwacht {{\"text\": \"...\"}}.")
    text: str = body["text"]
    try:
        size = len(text.encode("utf-8"))
    except UnicodeEncodeError:
        raise ApiError(400, "De tekst bevat ongeldige Unicode (een losse surrogaat).") from None
    limit = services().settings.max_request_bytes
    if size > limit:
        raise ApiError(413, f"De tekst is {size} bytes (UTF-8); ten hoogste {limit} bytes (1 MiB) is toegestaan.")
    from kb.tagger import tag_json

    state = _tagger()
    with state["lock"]:  # one spaCy call at a time per process
        return tag_json(text, state["tagger"])


def list_allocations(p: Params) -> Any:
    from kb.allocations import allocations_json

    return allocations_json(services().store)


def get_openapi(p: Params) -> Any:
    return Response(spec_json(), mimetype="application/json")


VIEWS: dict[str, Callable[[Params], Any]] = {
    "search": search,
    "getPassage": get_passage,
    "getPassageRelated": get_passage_related,
    "getRelated": get_related,
    "listDocuments": list_documents,
    "getDocument": get_document,
    "listEntities": list_entities,
    "getEntity": get_entity,
    "listEntityMentions": list_entity_mentions,
    "tagText": tag_text,
    "listAllocations": list_allocations,
    "getOpenapi": get_openapi,
}


def _endpoint(op: Operation, fn: Callable[[Params], Any]) -> Callable[..., Any]:
    @wraps(fn)
    def view(**path_args: str) -> Any:
        return fn(parse_params(op, request.args, path_args))

    return view


def register(bp: Blueprint) -> None:
    """One URL rule per operation of the spec; a spec operation without a view fails loudly."""
    for op_id, op in operations().items():
        bp.add_url_rule(op.rule, endpoint=op_id, view_func=_endpoint(op, VIEWS[op_id]), methods=[op.method.upper()])
    missing = set(VIEWS) - set(operations())
    assert not missing, f"views without an operation in openapi.yaml: {missing}"
