"""API operations for what the measures, fund and commitments pages show: the collection's statements
(``GET /statements``), its measures (``GET /measures``), funds (``GET /funds``, ``/funds/{code}``) and
the commitments register (``GET /commitments``).

No page is web-only: each operation takes its data from the page module that assembles the page
(``webapp.pages.measures``, ``webapp.pages.funds``), so the API and the page list the same rows
with the same filters.  Pages drop filter values they do not know (a page never fails on a bad
link); the API must not widen a list that way, so a value the page dropped matches nothing here.
"""
from __future__ import annotations

from typing import Any, Callable, Iterable, Iterator

from werkzeug.datastructures import MultiDict

from webapp.api.paging import paged
from webapp.api.problems import ApiError
from webapp.links import public_url
from webapp.pages.common import SectionCache
from webapp.pages.extracts import fund_names, sentence_link
from webapp.services import services

Params = dict[str, Any]


# -- statements --------------------------------------------------------------------------------
def _measures_page(p: Params, kind: str | None = None):
    """The measures page for these filters, or None when the page did not recognise one of them."""
    from webapp.pages.measures import measures_page

    asked = {"document": p.get("document") or "", "type": kind or "", "fonds": (p.get("fund") or "").upper(),
             "entity": p.get("entity") or ""}
    page = measures_page(MultiDict({k: v for k, v in asked.items() if v}))
    understood = page.data["filters"]
    if any(value and understood.get(key) != value for key, value in asked.items()):
        return None
    return page


def statement_rows(p: Params) -> Iterator[dict[str, Any]]:
    page = _measures_page(p, p.get("kind"))
    if page is None or page.table is None:
        return
    for row in page.table().rows:
        yield {
            "id": row["id"], "kind": row["kind"], "kind_nl": row["kind_nl"], "text": row["text"],
            "document": row["document_id"], "document_title": row["document"], "section_id": row["section_id"],
            "start": row["start"], "end": row["end"], "path": row["path"],
            "cue": row.get("cue_text") or "", "negated": bool(row["negated"]), "conditional": bool(row["conditional"]),
            "url": row["url"],
        }


def list_statements(p: Params) -> Any:
    return paged(statement_rows(p), p, "statements")


# -- measures ----------------------------------------------------------------------------------
def measure_rows(p: Params) -> Iterator[dict[str, Any]]:
    from kb.extract_store import read_measures
    from webapp.pages.measures import entities_in_spans

    store = services().store
    if (p.get("document") or p.get("entity") or p.get("fund")) and _measures_page(p) is None:
        return
    fund = (p.get("fund") or "").upper()
    rows = [m for m in read_measures(store)
            if (not fund or m.get("fund") == fund) and (not p.get("document") or m["document_id"] == p["document"])]
    if p.get("entity"):
        spans = entities_in_spans(store, rows)
        rows = [m for m in rows if p["entity"] in spans.get(m["id"], ())]
    names = fund_names()
    titles = {d["id"]: d["title"] for d in store.documents()}
    sections = SectionCache(store)
    for m in rows:
        yield {
            "id": m["id"], "fund": m.get("fund"), "fund_name": names.get(m.get("fund") or "", m.get("fund")),
            "objective": m.get("objective"), "kind": m.get("kind"), "number": m.get("number"),
            "label": m.get("label") or m["text"], "text": m["text"], "point": m.get("point"),
            "article": m.get("article_ref"), "parent_id": m.get("parent_id"),
            "document": m["document_id"], "document_title": titles.get(m["document_id"], m["document_id"]),
            "section_id": m["section_id"], "start": int(m["start"]), "end": int(m["end"]),
            "url": public_url(sentence_link(sections, m["section_id"], int(m["start"]), int(m["end"]))),
        }


def list_measures(p: Params) -> Any:
    return paged(measure_rows(p), p, "measures")


# -- funds -------------------------------------------------------------------------------------
def list_funds(p: Params) -> Any:
    from flask import url_for

    from webapp.pages.funds import funds_page

    rows = funds_page().data["funds"]
    return {"funds": [{**r, "url": public_url(url_for("ui.fund", code=r["code"]))} for r in rows]}


def get_fund(p: Params) -> Any:
    from flask import url_for

    from webapp.pages.funds import fund_page
    from webapp.pages.model import Redirect

    code = p["code"].strip().upper()
    try:
        page = fund_page(code)
    except Exception as exc:  # the page's own "not found" (a NotFound with a Dutch message)
        if getattr(exc, "code", None) == 404:
            raise ApiError(404, f"Onbekend fonds: {p['code']!r}.") from None
        raise
    if isinstance(page, Redirect):  # cannot happen for an upper-cased code; keep the contract explicit
        raise ApiError(404, f"Onbekend fonds: {p['code']!r}.")
    data = page.data
    return {
        "code": data["code"], "name": data["name"], "summary": data["summary"],
        "allocations": [{k: v for k, v in a.items() if k != "label"} | {"url": public_url(a["url"])}
                        for a in data["allocations"]],
        "measure_count": data["measure_count"], "url": public_url(url_for("ui.fund", code=data["code"])),
    }


# -- commitments ---------------------------------------------------------------------------------
def commitment_rows(p: Params) -> Iterator[dict[str, Any]]:
    from webapp.pages.commitments import FILTER_KEYS, read_filters, select

    asked = {k: p.get(k) or "" for k in (*FILTER_KEYS, "sort")}
    f = read_filters(MultiDict(asked))
    for key in ("deadline_from", "deadline_to"):
        if asked[key] and not f[key]:
            raise ApiError(400, f"Parameter '{key}' is geen bestaande datum ({asked[key]!r}); gebruik JJJJ-MM-DD.")
    _every, shown = select(f)
    for e in shown:
        cue = e["cue"]
        yield {**{k: v for k, v in e.items() if k != "cue"}, "url": public_url(e["url"]),
               "cue": {"text": cue["text"], "label": cue["label"]},
               "evidence": [{**x, "url": public_url(x["url"])} for x in e["evidence"]]}


def list_commitments(p: Params) -> Any:
    return paged(commitment_rows(p), p, "commitments")


ROWS: dict[str, Callable[[Params], Iterable[dict[str, Any]]]] = {
    "listStatements": statement_rows,
    "listMeasures": measure_rows,
    "listCommitments": commitment_rows,
}
VIEWS: dict[str, Callable[[Params], Any]] = {
    "listStatements": list_statements,
    "listMeasures": list_measures,
    "listFunds": list_funds,
    "getFund": get_fund,
    "listCommitments": list_commitments,
}
