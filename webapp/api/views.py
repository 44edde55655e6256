"""The API operations.  Routes are registered from the OpenAPI document (:func:`register`):
each ``operationId`` names a function here, which receives the request's parameters already
checked and converted against the spec (defaults filled in).
"""
from __future__ import annotations

import json
import threading
from functools import wraps
from typing import Any, Callable

from flask import Blueprint, Response, current_app, request, url_for

from webapp.api.http import json_with_weak_etag
from webapp.api.problems import ApiError
from webapp.api.spec import Operation, body_error, operations, parse_params, spec_json
from webapp.pages.common import SectionCache, date_arg, fold
from webapp.pages.docinfo import document_summary
from webapp.pages.documents import filtered_documents, section_tree
from webapp.pages.entities import matches, mention_row
from webapp.pages.passage import passage_record
from webapp.search_wording import with_interpretation
from webapp.services import services

Params = dict[str, Any]


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


_ENTITY_KEYS = ("id", "label", "name", "aliases", "description", "refs", "relations", "origin",
                "mention_count", "section_count")


def _entity(e: dict[str, Any]) -> dict[str, Any]:
    return {k: e[k] for k in _ENTITY_KEYS}


def _passage(pid: str) -> dict[str, Any]:
    record = passage_record(services().store, pid)
    if record is None:
        raise _not_found("Onbekende passage", pid)
    return record


def _mention(row: dict[str, Any]) -> dict[str, Any]:
    """A mention row of the entity page in the API's ``Mention`` shape (cuts in the context marked "…")."""
    ctx = row["context"]
    return {
        **{k: row[k] for k in ("passage_id", "section_id", "document", "start", "end", "text", "label", "refs",
                               "article")},
        "context": {"before": ("…" if ctx["cut_before"] else "") + ctx["before"], "match": ctx["match"],
                    "after": ctx["after"] + ("…" if ctx["cut_after"] else "")},
    }


# -- operations ------------------------------------------------------------------------------
def search(p: Params) -> Any:
    filters = {k: p[k] for k in ("document", "type", "entity", "entity_type", "year", "statement", "section") if p[k] is not None}
    result = with_interpretation(services().searcher.search(p["q"], limit=p["limit"], offset=p["offset"],
                                                            filters=filters, sort=p["sort"], group=p["group"]))
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
    return {"passage": {"id": passage["id"], "section_id": passage["section_id"], "block_index": block_index,
                        "document": passage["document"]["id"], "title": passage["title"]},
            "related": related}


def get_related(p: Params) -> Any:
    from kb.related import related_json

    payload = related_json(services().store, p["quote"], p["limit"])
    if payload is None or payload.get("passage") is None:
        raise ApiError(404, "Geen passage gevonden die dit citaat bevat.")
    return payload


def list_documents(p: Params) -> Any:
    """The documents list with the filters of ``/documenten`` (one filter, :func:`filtered_documents`)."""
    store = services().store
    names = {"q": "q", "kind": "soort", "folder": "map", "ministry": "ministerie"}
    filters = {ui: str(p[api]) for api, ui in names.items() if p.get(api)}
    for api, ui, last in (("from", "van", False), ("to", "tot", True)):
        if p.get(api):
            day = date_arg({ui: p[api]}, ui, last=last)
            if day is None:
                raise ApiError(400, f"'{p[api]}' is geen datum; gebruik bijvoorbeeld 2020, 2020-05 of 2020-05-17.")
            filters[ui] = day
    docs = filtered_documents([document_summary(d) for d in store.documents()], filters)
    page = docs[p["offset"]:p["offset"] + p["limit"]]
    return {**_page(len(docs), p), "documents": page, "unread": store.unread()}


def get_document(p: Params) -> Any:
    store = services().store
    doc = store.document(p["id"])
    if doc is None:
        raise _not_found("Onbekend document", p["id"])
    return {**document_summary(doc), "warnings": doc["warnings"], "sections": section_tree(store.sections(doc["id"]))}


def list_entities(p: Params) -> Any:
    rows = services().store.entities(p["type"])
    if p["q"]:
        needle = fold(p["q"])
        rows = [e for e in rows if matches(e, needle)]
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
    sections = SectionCache(store)
    return {**_page(len(rows), p), "entity": {"id": e["id"], "label": e["label"], "name": e["name"]},
            "mentions": [_mention(mention_row(sections, m)) for m in page]}


_tagger_lock = threading.Lock()


def _tagger() -> Any:
    """The tagger of this app, built on first use (with the corpus' own abbreviation definitions)."""
    state = current_app.extensions.setdefault("beleidsbank.api.tagger", {})
    if "tagger" not in state:
        with _tagger_lock:
            if "tagger" not in state:
                from kb.laws.store import register_source
                from kb.tagger import build_tagger

                store = services().store
                state["tagger"] = build_tagger(definitions=store.definitions(), model=services().settings.spacy_model,
                                               register=register_source(store.conn, services().settings.data_dir))
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
