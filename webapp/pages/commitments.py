"""The commitments register ``/toezeggingen`` (and the API's ``/commitments``): every commitment with
who, what, by when, its entities, the cue it was recognised by, and what became of it.

Filters are plain GET parameters, the same on the page, its twins and the API:

* ``actor`` — who commits (the actor's name as shown, case-insensitive, or its entity id);
* ``entity`` — an entity id named in the sentence;
* ``document`` — a document id;
* ``status`` — ``open``, ``deadline_passed`` or ``possibly_fulfilled``;
* ``deadline_from`` / ``deadline_to`` — ``JJJJ-MM-DD``: commitments whose deadline range
  overlaps these dates (an open end, "vanaf 2021", counts as its first day; commitments without
  a deadline drop out);
* ``sort`` — ``deadline`` (default: earliest deadline first, then those without one) or
  ``document`` (reading order);
* ``pagina`` — page of the list (``Limits.measures_page_size`` per page).

The follow-up status comes from :func:`kb.statements.status.commitment_status` with evidence
from :mod:`webapp.pages.followup` (later passages found with the related-passage engine); it is
never "possibly fulfilled" without evidence, and the evidence is shown with the words it shares.
"""
from __future__ import annotations

import math
import re
from datetime import date
from typing import Any, Iterator
from urllib.parse import urlencode

from flask import url_for

from webapp.links import public_url
from webapp.pages.common import Args, fold, limits, page_arg, page_window
from webapp.pages.followup import register_entries
from webapp.pages.model import Page, Table
from webapp.services import services

#: Status codes in URLs and the API -> the status of ``kb.statements.status`` and its Dutch label.
STATUSES = {"open": ("open", "open"), "deadline_passed": ("deadline passed", "termijn verstreken"),
            "possibly_fulfilled": ("possibly fulfilled", "mogelijk nagekomen")}
SORTS = {"deadline": "termijn", "document": "documentvolgorde"}
FILTER_KEYS = ("actor", "entity", "document", "status", "deadline_from", "deadline_to")
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
CSV_COLUMNS = (("status_nl", "status"), ("actor_label", "wie"), ("action_text", "wat"), ("object_text", "waarop"),
               ("deadline_text", "termijn zoals geschreven"), ("deadline_from", "termijn vanaf"),
               ("deadline_to", "termijn uiterlijk"), ("text", "toezegging"), ("cue_text", "herkend aan"),
               ("document_title", "document"), ("entity_names", "entiteiten"), ("negated", "ontkend"),
               ("conditional", "voorwaardelijk"), ("evidence_text", "mogelijk nagekomen volgens"), ("url", "url"))


def _iso(value: str | None) -> str:
    value = (value or "").strip()
    if not _DATE.match(value):
        return ""
    try:
        return date.fromisoformat(value).isoformat()
    except ValueError:
        return ""


def read_filters(args: Args) -> dict[str, str]:
    """The register's filters from a query string; unknown values become empty (never echoed)."""
    status = (args.get("status") or "").strip()
    sort = (args.get("sort") or "").strip()
    return {
        "actor": " ".join((args.get("actor") or "").split())[:200],
        "entity": (args.get("entity") or "").strip()[:200],
        "document": (args.get("document") or "").strip()[:200],
        "status": status if status in STATUSES else "",
        "deadline_from": _iso(args.get("deadline_from")),
        "deadline_to": _iso(args.get("deadline_to")),
        "sort": sort if sort in SORTS else "deadline",
    }


def with_status(entry: dict[str, Any], today: date) -> dict[str, Any]:
    """An entry with its follow-up status for ``today`` (evidence is gathered once per build)."""
    from kb.statements.status import commitment_status

    found = commitment_status({"deadline": entry["deadline"], "passage_id": entry["passage_id"],
                               "date": entry["made"]}, today, entry["candidates"])
    code = next(c for c, (s, _nl) in STATUSES.items() if s == found["status"])
    kept = {id(e) for e in found["evidence"]}
    return {**{k: v for k, v in entry.items() if k not in ("candidates", "made")},
            "status": code, "status_nl": STATUSES[code][1],
            "evidence": [e for e in entry["candidates"] if id(e) in kept]}


def _matches(e: dict[str, Any], f: dict[str, str]) -> bool:
    actor = e["actor"] or {}
    if f["actor"] and fold(f["actor"]) != fold(actor.get("label") or "") and f["actor"] != actor.get("entity"):
        return False
    if f["entity"] and f["entity"] not in {x["id"] for x in e["entities"]}:
        return False
    if f["document"] and e["document"] != f["document"]:
        return False
    if f["status"] and e["status"] != f["status"]:
        return False
    if f["deadline_from"] or f["deadline_to"]:
        dl = e["deadline"]
        if not dl:
            return False
        start, end = dl.get("date_from") or dl.get("date_to"), dl.get("date_to") or dl.get("date_from")
        if f["deadline_from"] and (end or "9999") < f["deadline_from"]:
            return False
        if f["deadline_to"] and (start or "0000") > f["deadline_to"]:
            return False
    return True


def _deadline_key(e: dict[str, Any]) -> tuple[int, str]:
    dl = e["deadline"] or {}
    due = dl.get("date_to") or dl.get("date_from")
    return (0, due) if due else (1, "")


def select(f: dict[str, str], today: date | None = None) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """(every entry with its status, the entries matching the filters in the chosen order)."""
    today = today or date.today()
    every = [with_status(e, today) for e in register_entries(services().store)]
    shown = [e for e in every if _matches(e, f)]
    if f["sort"] == "deadline":
        shown.sort(key=_deadline_key)  # stable: document order within a date and among the undated
    return every, shown


def commitments_url(**params: Any) -> str:
    clean = [(k, str(v)) for k, v in params.items()
             if v not in (None, "") and not (k == "pagina" and v == 1) and not (k == "sort" and v == "deadline")]
    base = url_for("ui.commitments")
    return f"{base}?{urlencode(clean)}" if clean else base


def _options(every: list[dict[str, Any]]) -> dict[str, list[tuple[str, str, int]]]:
    """Filter choices with counts: actors, entities and documents that occur in the register."""
    actors: dict[str, list[Any]] = {}
    entities: dict[str, list[Any]] = {}
    documents: dict[str, list[Any]] = {}
    for e in every:
        label = (e["actor"] or {}).get("label")
        if label:
            actors.setdefault(fold(label), [label, 0])[1] += 1
        for x in e["entities"]:
            entities.setdefault(x["id"], [x["name"], 0])[1] += 1
        documents.setdefault(e["document"], [e["document_title"], 0])[1] += 1
    return {
        "actors": sorted(((v[0], v[0], v[1]) for v in actors.values()), key=lambda t: -t[2]),
        "entities": sorted(((k, v[0], v[1]) for k, v in entities.items()), key=lambda t: t[1].lower()),
        "documents": [(k, v[0], v[1]) for k, v in documents.items()],
    }


def csv_row(e: dict[str, Any]) -> dict[str, Any]:
    dl = e["deadline"] or {}
    return {
        **e, "actor_label": (e["actor"] or {}).get("label"), "action_text": (e["action"] or {}).get("text"),
        "object_text": e["object"], "deadline_text": dl.get("text"), "deadline_from": dl.get("date_from"),
        "deadline_to": dl.get("date_to"), "cue_text": e["cue"]["text"], "entity_names": [x["name"] for x in e["entities"]],
        "evidence_text": [f"{x['document_title']}: {x['sentence']}" for x in e["evidence"]],
        "url": public_url(e["url"]),
    }


def commitments_page(args: Args) -> Page:
    f = read_filters(args)
    every, shown = select(f)
    size = limits().measures_page_size
    last_page = max(1, math.ceil(len(shown) / size))
    page = min(page_arg(args), last_page)
    filters = {k: f[k] for k in FILTER_KEYS}

    def page_url(n: int) -> str:
        return commitments_url(**filters, sort=f["sort"], pagina=n)

    def rows() -> Iterator[dict[str, Any]]:
        for e in shown:
            yield csv_row(e)

    status_counts = {code: sum(1 for e in every if e["status"] == code) for code in STATUSES}
    entity_names = {x["id"]: x["name"] for e in every for x in e["entities"]}
    data = {
        "filters": filters, "sort": f["sort"],
        "items": shown[(page - 1) * size: page * size],
        "total": len(shown), "register_total": len(every),
        "status_counts": status_counts,
        "status_links": [{"status": code, "label": STATUSES[code][1], "count": status_counts[code],
                          "url": commitments_url(**{**filters, "status": code}, sort=f["sort"]),
                          "selected": code == f["status"]} for code in STATUSES],
        "page": page, "last_page": last_page, "pages": page_window(page, last_page),
        "first_index": (page - 1) * size + 1,
        "previous": page_url(page - 1) if page > 1 else None,
        "next": page_url(page + 1) if page < last_page else None,
        "filtered": any(filters.values()),
        "entity_name": entity_names.get(f["entity"], ""),
        "document_title": next((e["document_title"] for e in every if e["document"] == f["document"]), ""),
        "options": _options(every),
        "status_options": [(code, nl) for code, (_s, nl) in STATUSES.items()],
        "sort_options": list(SORTS.items()),
        "today": date.today().isoformat(),
    }
    params = {**filters, "sort": f["sort"] if f["sort"] != "deadline" else None, "pagina": page}
    return Page("commitments.html", data, extras={"page_url": page_url}, params=params,
                table=lambda: Table("toezeggingen", CSV_COLUMNS, rows()))
