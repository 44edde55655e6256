"""The API operations.  Routes are registered from the OpenAPI document (:func:`register`):
each ``operationId`` names a function here (or in :mod:`webapp.api.collections`), which receives
the request's parameters already checked and converted against the spec (defaults filled in).

Every list item carries ``url``, the address of its page on the site.  A list
operation's rows are produced once (``ROWS``): the JSON view pages through them, and its
``.csv``/``.ndjson`` export operations (:mod:`webapp.api.exports`) stream all of them.
"""
from __future__ import annotations

from functools import wraps
from typing import Any, Callable, Iterable, Iterator

from flask import Blueprint, Response, make_response, request, url_for

from webapp import budgets
from webapp.api import analysis, collections, exports
from webapp.api.http import json_with_weak_etag
from webapp.api.paging import add_link_header, page_info, paged
from webapp.api.problems import ApiError
from webapp.api.ratelimit import limit_posts
from webapp.api.spec import Operation, operations, parse_params, spec_json
from webapp.links import public_url
from webapp.pages.common import SectionCache, date_arg, fold, passage_url
from webapp.pages.docinfo import document_summary
from webapp.pages.documents import filtered_documents, section_tree
from webapp.pages.entities import matches, mention_row
from webapp.pages.extracts import sentence_link
from webapp.pages.passage import passage_record
from webapp.pages.search import result_url
from webapp.search_wording import with_interpretation
from webapp.services import services

Params = dict[str, Any]
Rows = Callable[[Params], Iterable[dict[str, Any]]]


# -- helpers ---------------------------------------------------------------------------------



def _not_found(what: str, ident: str) -> ApiError:
    """404 with e.g. "Onbekende passage: 'x'." (``what`` with its article-agreeing adjective)."""
    return ApiError(404, f"{what}: {ident!r}.")


_ENTITY_KEYS = ("id", "label", "name", "aliases", "description", "refs", "relations", "origin",
                "mention_count", "section_count")


def _entity(e: dict[str, Any]) -> dict[str, Any]:
    return {**{k: e[k] for k in _ENTITY_KEYS}, "url": public_url(url_for("ui.entity", entity_id=e["id"]))}


def _passage(pid: str) -> dict[str, Any]:
    record = passage_record(services().store, pid)
    if record is None:
        raise _not_found("Onbekende passage", pid)
    chunk = record.get("chunk")
    blocks = (chunk["block_start"], chunk["block_end"]) if chunk else None
    return {**record, "url": public_url(passage_url(record["section_id"], blocks=blocks))}


def _mention(row: dict[str, Any]) -> dict[str, Any]:
    """A mention row of the entity page in the API's ``Mention`` shape (cuts in the context marked "…")."""
    ctx = row["context"]
    return {
        **{k: row[k] for k in ("passage_id", "section_id", "document", "start", "end", "text", "label", "refs",
                               "article")},
        "context": {"before": ("…" if ctx["cut_before"] else "") + ctx["before"], "match": ctx["match"],
                    "after": ctx["after"] + ("…" if ctx["cut_after"] else "")},
        "url": public_url(row["url"]),
    }


def _with_related_urls(related: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Related passages with the address of their passage on the site (their block in view)."""
    out = []
    for r in related:
        bi = r.get("block_index")
        blocks = (bi, bi) if isinstance(bi, int) else None
        out.append({**r, "url": public_url(passage_url(r["section_id"], blocks=blocks))} if r.get("section_id") else r)
    return out


# -- operations ------------------------------------------------------------------------------
SEARCH_FILTERS = ("document", "type", "entity", "entity_type", "year", "statement", "section")


def _search(p: Params, limit: int, offset: int, **options: Any) -> dict[str, Any]:
    filters = {k: p[k] for k in SEARCH_FILTERS if p.get(k) is not None}
    with budgets.request_budget("search"):
        result = services().searcher.search(p["q"], limit=limit, offset=offset, filters=filters, sort=p["sort"],
                                            group=p["group"], **options)
    result["results"] = [{**r, "url": public_url(result_url(r, p["q"]))} for r in result.get("results") or []]
    return result


def search(p: Params) -> Any:
    result = with_interpretation(_search(p, p["limit"], p["offset"]))
    return json_with_weak_etag({**result, **page_info(result["total"], p)}, volatile=("took_ms",))


def search_rows(p: Params) -> Iterator[dict[str, Any]]:
    """Every hit up to ``Limits.max_export_rows``, in batches (each batch its own search budget)."""
    cap = services().settings.limits.max_export_rows
    done = 0
    while done < cap:
        size = min(exports.BATCH, cap - done)
        batch = _search(p, size, done, facets=False, suggest=False)
        yield from batch["results"]
        done += len(batch["results"])
        if len(batch["results"]) < size or done >= batch["total"]:
            return


def get_passage(p: Params) -> Any:
    return _passage(p["id"])


def get_passage_related(p: Params) -> Any:
    from kb.related import related_passages

    passage = _passage(p["id"])
    chunk = passage["chunk"]
    block_index = chunk["block_start"] if chunk else None
    try:
        with budgets.request_budget("search"):
            related = related_passages(services().store, passage["section_id"], block_index=block_index,
                                       limit=p["limit"])
    except KeyError:  # a section without passages of its own (a heading only)
        related = []
    return {"passage": {"id": passage["id"], "section_id": passage["section_id"], "block_index": block_index,
                        "document": passage["document"]["id"], "title": passage["title"]},
            "related": _with_related_urls(related)}


def get_related(p: Params) -> Any:
    from kb.related import related_json

    with budgets.request_budget("search"):
        payload = related_json(services().store, p["quote"], p["limit"])
    if payload is None or payload.get("passage") is None:
        raise ApiError(404, "Geen passage gevonden die dit citaat bevat.")
    return {**payload, "related": _with_related_urls(payload.get("related") or [])}


def document_rows(p: Params) -> Iterator[dict[str, Any]]:
    """The documents with the filters of ``/documenten`` (one filter, :func:`filtered_documents`)."""
    names = {"q": "q", "kind": "soort", "folder": "map", "ministry": "ministerie"}
    filters = {ui: str(p[api]) for api, ui in names.items() if p.get(api)}
    for api, ui, last in (("from", "van", False), ("to", "tot", True)):
        if p.get(api):
            day = date_arg({ui: p[api]}, ui, last=last)
            if day is None:
                raise ApiError(400, f"'{p[api]}' is geen datum; gebruik bijvoorbeeld 2020, 2020-05 of 2020-05-17.")
            filters[ui] = day
    for d in filtered_documents([document_summary(d) for d in services().store.documents()], filters):
        yield {**d, "url": public_url(url_for("ui.document", doc_id=d["id"]))}


def list_documents(p: Params) -> Any:
    return paged(document_rows(p), p, "documents", unread=services().store.unread())


def get_document(p: Params) -> Any:
    store = services().store
    doc = store.document(p["id"])
    if doc is None:
        raise _not_found("Onbekend document", p["id"])
    return {**document_summary(doc), "warnings": doc["warnings"], "sections": section_tree(store.sections(doc["id"]))}


def entity_rows(p: Params) -> Iterator[dict[str, Any]]:
    needle = fold(p["q"]) if p["q"] else ""
    for e in services().store.entities(p["type"]):
        if not needle or matches(e, needle):
            yield _entity(e)


def list_entities(p: Params) -> Any:
    return paged(entity_rows(p), p, "entities")


def get_entity(p: Params) -> Any:
    store = services().store
    e = store.entity(p["id"])
    if e is None:
        raise _not_found("Onbekende entiteit", p["id"])
    return {**_entity(e), "provenance": e["provenance"], "cooccurring": store.cooccurring(e["id"])}


def _known_entity(entity_id: str) -> dict[str, Any]:
    e = services().store.entity(entity_id)
    if e is None:
        raise _not_found("Onbekende entiteit", entity_id)
    return e


def mention_rows(p: Params) -> Iterator[dict[str, Any]]:
    store = services().store
    e = _known_entity(p["id"])
    sections = SectionCache(store)
    for m in store.mentions(entity_id=e["id"]):
        yield _mention(mention_row(sections, m))


def list_entity_mentions(p: Params) -> Any:
    store = services().store
    e = _known_entity(p["id"])
    rows = store.mentions(entity_id=e["id"])
    page = rows[p["offset"]:p["offset"] + p["limit"]]
    sections = SectionCache(store)
    return {**page_info(len(rows), p), "entity": {"id": e["id"], "label": e["label"], "name": e["name"]},
            "mentions": [_mention(mention_row(sections, m)) for m in page]}


def allocation_rows(p: Params) -> list[dict[str, Any]]:
    return list_allocations(p)["allocations"]


def list_allocations(p: Params) -> Any:
    from kb.allocations import allocations_json

    store = services().store
    payload = allocations_json(store)
    sections = SectionCache(store)
    for a in payload["allocations"]:
        a["url"] = public_url(sentence_link(sections, a["section_id"], a["start"], a["end"]))
    return payload


def get_openapi(p: Params) -> Any:
    return Response(spec_json(), mimetype="application/json")


ROWS: dict[str, Rows] = {
    "search": search_rows,
    "listDocuments": document_rows,
    "listEntities": entity_rows,
    "listEntityMentions": mention_rows,
    "listAllocations": allocation_rows,
    **collections.ROWS,
}

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
    "tagText": analysis.tag_text,
    "analyseStatements": analysis.analyse_statements,
    "listAllocations": list_allocations,
    "getOpenapi": get_openapi,
    **collections.VIEWS,
}

#: The expensive POST operations: a request limit per client (``webapp.api.ratelimit``).
LIMITED = {"tagText", "analyseStatements"}


def _endpoint(op: Operation, fn: Callable[[Params], Any]) -> Callable[..., Any]:
    @wraps(fn)
    def view(**path_args: str) -> Any:
        if op.id in LIMITED:
            limit_posts()
        resp = make_response(fn(parse_params(op, request.args, path_args)))
        return add_link_header(resp)

    return view


def _export_endpoint(op: Operation) -> Callable[..., Any]:
    def view(**path_args: str) -> Any:
        return exports.export(op, ROWS[op.export_of or ""], parse_params(op, request.args, path_args))

    view.__name__ = op.id
    return view


def register(bp: Blueprint) -> None:
    """One URL rule per operation of the spec; a spec operation without a view fails loudly."""
    for op_id, op in operations().items():
        func = _export_endpoint(op) if op.export_of else _endpoint(op, VIEWS[op_id])
        bp.add_url_rule(op.rule, endpoint=op_id, view_func=func, methods=[op.method.upper()])
    missing = set(VIEWS) - set(operations())
    assert not missing, f"views without an operation in openapi.yaml: {missing}"
    no_rows = {op.export_of for op in operations().values() if op.export_of} - set(ROWS)
    assert not no_rows, f"exported operations without rows: {no_rows}"
