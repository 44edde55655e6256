"""Policy statements, measures and budget allocations: ``/maatregelen`` (and its JSON and CSV twins).

Filters are plain GET parameters (a form with ``<select>`` elements and a submit button, so it
works without JavaScript); unknown values are dropped, never echoed:

* ``document`` — a document id;
* ``type`` — ``commitment`` (toezegging/voornemen), ``result`` (resultaat) or ``problem``
  (vertraging/probleem); statements of kind ``other`` are never shown.  With a type chosen the
  page shows only statements of that type (no measures or allocations);
* ``fonds`` (alias ``fund``) — a fund code: statements in a section that belongs to the fund
  (the fund context of ``kb.measures.walk_context``) or whose sentence names the fund; measures
  and allocations of the fund;
* ``entity`` — an entity id: statements (and measures) whose sentence span contains a mention of
  the entity (``store.mentions`` offsets);
* ``pagina`` — page of the statement list (``Limits.measures_page_size`` per page).

The CSV twin lists every statement that matches the filters (all pages).
"""
from __future__ import annotations

import math
from typing import Any, Iterator
from urllib.parse import urlencode

from flask import url_for

from webapp.dutch import STATEMENT_KINDS_NL
from webapp.pages.common import Args, SectionCache, limits, page_arg, page_window, public_url
from webapp.pages.extracts import (
    allocation_rows, fund_config, fund_names, measure_groups, section_path, sentence_link,
)
from webapp.pages.model import Page, Table
from webapp.services import services

CSV_COLUMNS = (("kind_nl", "soort"), ("text", "uitspraak"), ("document", "document"), ("where", "vindplaats"),
               ("cue_text", "herkend aan"), ("negated", "ontkend"), ("conditional", "voorwaardelijk"),
               ("url", "url"))


def measures_url(**params: Any) -> str:
    clean = [(k, str(v)) for k, v in params.items() if v not in (None, "") and not (k == "pagina" and v == 1)]
    base = url_for("ui.measures")
    return f"{base}?{urlencode(clean)}" if clean else base


def _section_funds(store, documents: list[dict[str, Any]]) -> dict[str, str]:
    """Section id -> the fund whose part of the document it is in (``walk_context``)."""
    from kb.measures import walk_context

    out: dict[str, str] = {}
    for doc in documents:
        for sec, fund, _objective, _scope, _alloc in walk_context(store.sections(doc["id"]), fund_config()):
            if fund:
                out[sec["id"]] = fund
    return out


def entities_in_spans(store, rows: list[dict[str, Any]]) -> dict[str, set[str]]:
    """Row id -> ids of the entities with a mention inside the row's ``start``-``end`` span."""
    by_section: dict[str, list[tuple[int, int, str]]] = {}
    for sid in {r["section_id"] for r in rows}:
        by_section[sid] = [(m["start"], m["end"], m["entity_id"]) for m in store.mentions(section_id=sid)
                           if m.get("entity_id")]
    out: dict[str, set[str]] = {}
    for r in rows:
        s, e = int(r["start"]), int(r["end"])
        out[r["id"]] = {eid for ms, me, eid in by_section.get(r["section_id"], []) if s <= ms and me <= e and e > s}
    return out


def _cue_view(st: dict[str, Any]) -> dict[str, Any]:
    """The sentence split around its deciding cue, and the cue evidence in Dutch."""
    text = st.get("text") or ""
    cue = st.get("cue") or {}
    before, match, after = text, "", ""
    cs, ce = cue.get("start"), cue.get("end")
    if isinstance(cs, int) and isinstance(ce, int) and 0 <= cs < ce <= len(text):
        before, match, after = text[:cs], text[cs:ce], text[ce:]
    # users see the cue's Dutch label, never the internal cue id (kb/cues/statements.yaml)
    from kb.statements import default_cues

    cues = default_cues()
    label = cue.get("label") or cues.label(cue.get("id") or "")
    others = [x for x in dict.fromkeys(cues.label(c) for c in (cue.get("cues") or st.get("cues") or [])
                                       if c != cue.get("id")) if x and x != label]
    negation = cue.get("negation") or st.get("negation") or {}
    condition = cue.get("condition") or st.get("condition") or {}
    flipped = cue.get("flipped_from") or st.get("flipped_from") or ""
    return {
        "before": before, "cue": match, "after": after,
        "cue_label": label, "cue_text": cue.get("text") or match, "other_cues": others,
        "negated": bool(st.get("negated")), "negation": negation.get("text") or "",
        "conditional": bool(st.get("conditional")), "condition": condition.get("text") or "",
        "flipped_from": STATEMENT_KINDS_NL.get(flipped, (flipped,))[0].lower() if flipped else "",
    }


def _statement_item(s: dict[str, Any], titles: dict[str, str], sections: SectionCache) -> dict[str, Any]:
    url = sentence_link(sections, s["section_id"], int(s["start"]), int(s["end"]))
    sec = sections[s["section_id"]]
    return {
        "id": s["id"], "section_id": s["section_id"], "kind": s["kind"], "kind_nl": STATEMENT_KINDS_NL[s["kind"]][0],
        "text": s.get("text") or "", "start": int(s["start"]), "end": int(s["end"]),
        "url": url, "document": titles.get(s["document_id"], s["document_id"]),
        "document_id": s["document_id"], "path": section_path(sec),
        "section_title": (sec or {}).get("title") or s["section_id"],
        **_cue_view(s),
    }


def _entity_options(store, statements: list[dict[str, Any]], in_span: dict[str, set[str]],
                    chosen: str) -> list[tuple[str, str, int]]:
    """Entities mentioned in any shown-kind statement (plus the chosen one): (id, name, statements)."""
    counts: dict[str, int] = {}
    for s in statements:
        for eid in in_span.get(s["id"], ()):
            counts[eid] = counts.get(eid, 0) + 1
    options = []
    for eid in set(counts) | ({chosen} if chosen else set()):
        ent = store.entity(eid)
        if ent:
            options.append((eid, ent["name"], counts.get(eid, 0)))
    return sorted(options, key=lambda t: t[1].lower())


def measures_page(args: Args) -> Page:
    """Commitments, results and problems (``kb.statements``), measures and allocations, filterable."""
    from kb.extract_store import read_allocations, read_measures, read_statements

    store = services().store
    size = limits().measures_page_size
    names = fund_names()
    docs = store.documents()
    titles = {d["id"]: d["title"] for d in docs}
    every_measure = read_measures(store)
    every_alloc = read_allocations(store)
    codes = [c for c in dict.fromkeys([*(m.get("fund") or "" for m in every_measure),
                                       *(a.get("fund") or "" for a in every_alloc), *names]) if c]

    document = args.get("document", "").strip()
    document = document if document in titles else ""
    kind = args.get("type", "").strip().lower()
    kind = kind if kind in STATEMENT_KINDS_NL else ""
    fund = (args.get("fonds") or args.get("fund") or "").strip().upper()
    fund = fund if fund in codes else ""
    entity_id = args.get("entity", "").strip()[:200]
    entity = store.entity(entity_id) if entity_id else None
    entity_id = entity["id"] if entity else ""

    # statements: everything but "other", then the filters except type (for the counts per type)
    statements = [s for s in read_statements(store) if s.get("kind") in STATEMENT_KINDS_NL]
    in_span = entities_in_spans(store, statements)
    section_fund = _section_funds(store, docs) if fund else {}

    def names_fund(s: dict[str, Any]) -> bool:
        if section_fund.get(s["section_id"]) == fund:
            return True
        return any(f == fund for _a, _b, f in fund_config().funds_in(s.get("text") or ""))

    base = [s for s in statements
            if (not document or s["document_id"] == document)
            and (not entity_id or entity_id in in_span.get(s["id"], ()))
            and (not fund or names_fund(s))]
    kind_counts = {k: sum(1 for s in base if s["kind"] == k) for k in STATEMENT_KINDS_NL}
    shown = [s for s in base if not kind or s["kind"] == kind]
    last_page = max(1, math.ceil(len(shown) / size))
    page = min(page_arg(args), last_page)
    sections = SectionCache(store)
    items = [_statement_item(s, titles, sections) for s in shown[(page - 1) * size: page * size]]

    # measures and allocations (not when a statement type is chosen)
    measure_rows: list[dict[str, Any]] = []
    allocs: list[dict[str, Any]] = []
    if not kind:
        measure_rows = [m for m in every_measure
                        if (not fund or m.get("fund") == fund) and (not document or m["document_id"] == document)]
        if entity_id:
            spans = entities_in_spans(store, measure_rows)
            measure_rows = [m for m in measure_rows if entity_id in spans.get(m["id"], ())]
        allocs = allocation_rows(
            [a for a in every_alloc if (not fund or a.get("fund") == fund) and (not document or a["document_id"] == document)
             and not entity_id], names, sections)

    alloc_funds = {a.get("fund") for a in every_alloc}
    filters = {"document": document, "type": kind, "fonds": fund, "entity": entity_id}

    def page_url(n: int) -> str:
        return measures_url(**filters, pagina=n)

    def rows() -> Iterator[dict[str, Any]]:
        for s in shown:
            item = _statement_item(s, titles, sections)
            yield {**item, "where": " › ".join(item["path"]), "url": public_url(item["url"]) if item["url"] else ""}

    data = {
        "filters": filters,
        "items": items,
        "total": len(shown),
        "kind_counts": kind_counts,
        "kind_links": [{"kind": k, "label": STATEMENT_KINDS_NL[k][1], "count": kind_counts[k],
                        "url": measures_url(**{**filters, "type": k}), "selected": k == kind} for k in STATEMENT_KINDS_NL],
        "all_kinds_url": measures_url(**{**filters, "type": ""}),
        "page": page, "last_page": last_page, "pages": page_window(page, last_page),
        "previous": page_url(page - 1) if page > 1 else None,
        "next": page_url(page + 1) if page < last_page else None,
        "first_index": (page - 1) * size + 1,
        "groups": measure_groups(measure_rows, names, titles, sections),
        "allocations": allocs,
        "measure_count": len(measure_rows),
        "documents": len({m["document_id"] for m in measure_rows} | {s["document_id"] for s in base}),
        "document": document, "document_title": titles.get(document, ""),
        "kind": kind, "kind_nl": STATEMENT_KINDS_NL[kind][1].lower() if kind else "",
        "fund": fund, "fund_name": names.get(fund, fund),
        "entity": {"id": entity["id"], "name": entity["name"], "label": entity["label"]} if entity else None,
        "filtered": bool(document or kind or fund or entity_id),
        "document_options": [(d["id"], d["title"]) for d in docs],
        "kind_options": [(k, STATEMENT_KINDS_NL[k][1]) for k in STATEMENT_KINDS_NL],
        "fund_options": [(c, names.get(c, c), sum(1 for m in every_measure if m.get("fund") == c)) for c in codes],
        "entity_options": _entity_options(store, statements, in_span, entity_id),
        "fund_pages": [c for c in codes if c in alloc_funds],
    }
    return Page("measures.html", data, extras={"page_url": page_url}, params={**filters, "pagina": page},
                table=lambda: Table("uitspraken", CSV_COLUMNS, rows()))
