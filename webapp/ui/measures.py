"""Policy statements, measures and budget allocations: ``/maatregelen``, ``/fondsen`` and ``/fondsen/<fonds>``.

Everything comes from the extraction layer (``kb.extract_store``: statements, measures and
allocations, each with the character range of its sentence in ``section.text``) and links to
that sentence marked in its passage: ``/passages/<section_id>?s=<start>-<end>#p<block>``.

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
* ``pagina`` — page of the statement list.
"""
from __future__ import annotations

import math
from typing import Any
from urllib.parse import urlencode

from flask import redirect, render_template, request, url_for

from webapp import render
from webapp.services import services
from webapp.ui import ui_bp
from webapp.ui.errors import not_found_nl
from webapp.ui.helpers import nl_percent, page_window

PAGE_SIZE = 20
MAX_PAGE = 500
#: Statement kinds shown (``other`` is not), with their Dutch names (singular, plural).
KINDS_NL = {
    "commitment": ("Toezegging of voornemen", "Toezeggingen en voornemens"),
    "result": ("Resultaat", "Resultaten"),
    "problem": ("Vertraging of probleem", "Vertragingen en problemen"),
}
CHART_WIDTH = 640
CHART_LABEL_CHARS = 78


# -- helpers -------------------------------------------------------------------------------------------
def _fund_config():
    try:
        from kb.measures import default_fund_config

        return default_fund_config()
    except Exception:  # pragma: no cover - the cue file is part of the product
        return None


def _fund_names() -> dict[str, str]:
    """Fund code -> its Dutch name (first written-out name in kb/cues/funds.yaml)."""
    cfg = _fund_config()
    if cfg is None:  # pragma: no cover
        return {}
    out = {}
    for code, forms in cfg.names.items():
        long = [f for f in forms if f != code and not f.isupper() and " " in f]
        out[code] = long[0] if long else code
    return out


def _passage_link(sections: dict[str, dict[str, Any] | None], store, section_id: str, start: int, end: int) -> str:
    """Link to a passage with the char range ``start-end`` marked (the section itself when empty)."""
    if section_id not in sections:
        sections[section_id] = store.section(section_id)
    sec = sections[section_id]
    if sec is None:
        return ""
    if end > start:
        blk = render.block_index(sec.get("blocks") or [], start)
        return url_for("ui.passage", passage_id=section_id, s=f"{start}-{end}") + (f"#p{blk}" if blk is not None else "")
    return url_for("ui.passage", passage_id=section_id)


def _section_path(sec: dict[str, Any] | None) -> list[str]:
    if not sec:
        return []
    return [p for p in (sec.get("path") or [sec.get("title") or ""]) if p]


def _section_funds(store, documents: list[dict[str, Any]]) -> dict[str, str]:
    """Section id -> the fund whose part of the document it is in (``walk_context``)."""
    from kb.measures import walk_context

    cfg = _fund_config()
    out: dict[str, str] = {}
    for doc in documents:
        for sec, fund, _objective, _scope, _alloc in walk_context(store.sections(doc["id"]), cfg):
            if fund:
                out[sec["id"]] = fund
    return out


def _entities_in_spans(store, rows: list[dict[str, Any]]) -> dict[str, set[str]]:
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
        "flipped_from": KINDS_NL.get(flipped, (flipped,))[0].lower() if flipped else "",
    }


def _fund_arg(codes: list[str]) -> str:
    raw = (request.args.get("fonds") or request.args.get("fund") or "").strip().upper()
    return raw if raw in codes else ""


def _page_arg() -> int:
    raw = request.args.get("pagina", "")
    return min(int(raw), MAX_PAGE) if raw.isdigit() and 0 < len(raw) < 5 and int(raw) > 0 else 1


def _measures_url(**params: Any) -> str:
    clean = [(k, str(v)) for k, v in params.items() if v not in (None, "") and not (k == "pagina" and v == 1)]
    base = url_for("ui.measures")
    return f"{base}?{urlencode(clean)}" if clean else base


def _measure_groups(rows: list[dict[str, Any]], names: dict[str, str], titles: dict[str, str],
                    sections: dict[str, dict[str, Any] | None], store) -> list[dict[str, Any]]:
    """Measures grouped by fund, then objective; list items nest under their numbered heading."""
    groups: list[dict[str, Any]] = []
    by_key: dict[tuple[str, str], dict[str, Any]] = {}
    by_id: dict[str, dict[str, Any]] = {}
    for m in rows:
        code = m.get("fund") or ""
        fgroup = next((g for g in groups if g["code"] == code), None)
        if fgroup is None:
            fgroup = {"code": code, "name": names.get(code, code) if code else "Zonder fonds", "objectives": [],
                      "count": 0}
            groups.append(fgroup)
        fgroup["count"] += 1
        key = (code, m.get("objective") or "")
        if key not in by_key:
            by_key[key] = {"name": m.get("objective") or "Overig", "items": []}
            fgroup["objectives"].append(by_key[key])
        item = {
            "label": m.get("label") or m.get("text") or "",
            "number": m.get("number"),
            "article": m.get("article_ref") or "",
            "document": titles.get(m["document_id"], m["document_id"]),
            "url": _passage_link(sections, store, m["section_id"], int(m["start"]), int(m["end"])),
            "children": [],
        }
        parent = by_id.get(m.get("parent_id") or "")
        (parent["children"] if parent else by_key[key]["items"]).append(item)
        by_id[m["id"]] = item
    return groups


def _allocation_rows(allocations: list[dict[str, Any]], names: dict[str, str],
                     sections: dict[str, dict[str, Any] | None], store) -> list[dict[str, Any]]:
    out = []
    for a in allocations:
        out.append({
            "fund": a.get("fund") or "",
            "fund_name": names.get(a.get("fund") or "", a.get("fund") or ""),
            "share": a.get("share"),
            "measure": a.get("measure") or "",
            "purpose": a.get("purpose") or a.get("measure") or "",
            "objective": a.get("objective") or "",
            "recipients": a.get("recipients") or [],
            "text": a.get("text") or "",
            "url": _passage_link(sections, store, a["section_id"], int(a["start"]), int(a["end"])),
        })
    return out


# -- /maatregelen -----------------------------------------------------------------------------------------
@ui_bp.get("/maatregelen")
def measures():
    """Commitments, results and problems (``kb.statements``), measures and allocations, filterable."""
    try:
        from kb.extract_store import read_allocations, read_measures, read_statements
    except ImportError:  # HOOK: the extraction layer is not installed; show the placeholder
        return render_template("measures.html", available=False)
    store = services().store
    names = _fund_names()
    docs = store.documents()
    titles = {d["id"]: d["title"] for d in docs}
    every_measure = read_measures(store)
    every_alloc = read_allocations(store)
    codes = list(dict.fromkeys([*(m.get("fund") or "" for m in every_measure),
                                *(a.get("fund") or "" for a in every_alloc), *names]))
    codes = [c for c in codes if c]

    document = request.args.get("document", "").strip()
    document = document if document in titles else ""
    kind = request.args.get("type", "").strip().lower()
    kind = kind if kind in KINDS_NL else ""
    fund = _fund_arg(codes)
    entity_id = request.args.get("entity", "").strip()[:200]
    entity = store.entity(entity_id) if entity_id else None
    entity_id = entity["id"] if entity else ""
    page = _page_arg()

    # statements: everything but "other", then the filters except type (for the counts per type)
    statements = [s for s in read_statements(store) if s.get("kind") in KINDS_NL]
    in_span = _entities_in_spans(store, statements)
    section_fund = _section_funds(store, docs) if fund else {}
    cfg = _fund_config() if fund else None

    def names_fund(s: dict[str, Any]) -> bool:
        if section_fund.get(s["section_id"]) == fund:
            return True
        return cfg is not None and any(f == fund for _a, _b, f in cfg.funds_in(s.get("text") or ""))

    base = [s for s in statements
            if (not document or s["document_id"] == document)
            and (not entity_id or entity_id in in_span.get(s["id"], ()))
            and (not fund or names_fund(s))]
    kind_counts = {k: sum(1 for s in base if s["kind"] == k) for k in KINDS_NL}
    shown = [s for s in base if not kind or s["kind"] == kind]
    last_page = max(1, math.ceil(len(shown) / PAGE_SIZE))
    page = min(page, last_page)
    sections: dict[str, dict[str, Any] | None] = {}
    items = []
    for s in shown[(page - 1) * PAGE_SIZE: page * PAGE_SIZE]:
        url = _passage_link(sections, store, s["section_id"], int(s["start"]), int(s["end"]))
        sec = sections.get(s["section_id"])
        items.append({
            "id": s["id"], "kind": s["kind"], "kind_nl": KINDS_NL[s["kind"]][0], "text": s.get("text") or "",
            "url": url, "document": titles.get(s["document_id"], s["document_id"]),
            "document_id": s["document_id"], "path": _section_path(sec),
            "section_title": (sec or {}).get("title") or s["section_id"],
            **_cue_view(s),
        })

    # measures and allocations (not when a statement type is chosen)
    measure_rows: list[dict[str, Any]] = []
    alloc_rows: list[dict[str, Any]] = []
    if not kind:
        measure_rows = [m for m in every_measure
                        if (not fund or m.get("fund") == fund) and (not document or m["document_id"] == document)]
        if entity_id:
            spans = _entities_in_spans(store, measure_rows)
            measure_rows = [m for m in measure_rows if entity_id in spans.get(m["id"], ())]
        alloc_rows = _allocation_rows(
            [a for a in every_alloc if (not fund or a.get("fund") == fund) and (not document or a["document_id"] == document)
             and not entity_id], names, sections, store)

    # select options: entities mentioned in any shown-kind statement (plus the chosen one)
    entity_counts: dict[str, int] = {}
    for s in statements:
        for eid in in_span.get(s["id"], ()):
            entity_counts[eid] = entity_counts.get(eid, 0) + 1
    entity_options = []
    for eid in set(entity_counts) | ({entity_id} if entity_id else set()):
        ent = store.entity(eid)
        if ent:
            entity_options.append((eid, ent["name"], entity_counts.get(eid, 0)))
    entity_options.sort(key=lambda t: t[1].lower())
    alloc_funds = {a.get("fund") for a in every_alloc}
    filters = {"document": document, "type": kind, "fonds": fund, "entity": entity_id}

    def page_url(n: int) -> str:
        return _measures_url(**filters, pagina=n)

    return render_template(
        "measures.html",
        available=True,
        items=items,
        total=len(shown),
        kind_counts=kind_counts,
        kind_links=[{"kind": k, "label": KINDS_NL[k][1], "count": kind_counts[k],
                     "url": _measures_url(**{**filters, "type": k}), "selected": k == kind} for k in KINDS_NL],
        all_kinds_url=_measures_url(**{**filters, "type": ""}),
        page=page, last_page=last_page, pages=page_window(page, last_page), page_url=page_url,
        first_index=(page - 1) * PAGE_SIZE + 1,
        groups=_measure_groups(measure_rows, names, titles, sections, store),
        allocations=alloc_rows,
        measure_count=len(measure_rows),
        documents=len({m["document_id"] for m in measure_rows} | {s["document_id"] for s in base}),
        document=document, document_title=titles.get(document, ""),
        kind=kind, kind_nl=KINDS_NL[kind][1].lower() if kind else "",
        fund=fund, fund_name=names.get(fund, fund),
        entity=entity,
        filtered=bool(document or kind or fund or entity_id),
        document_options=[(d["id"], d["title"]) for d in docs],
        kind_options=[(k, KINDS_NL[k][1]) for k in KINDS_NL],
        fund_options=[(c, names.get(c, c), sum(1 for m in every_measure if m.get("fund") == c)) for c in codes],
        entity_options=entity_options,
        fund_pages=[c for c in codes if c in alloc_funds],
    )


# -- /fondsen -----------------------------------------------------------------------------------------------
def _fund_entity(store, code: str) -> dict[str, Any] | None:
    ent = store.entity(code.lower())
    if ent and ent.get("label") == "FUND":
        return ent
    return None


@ui_bp.get("/fondsen")
def funds():
    from kb.allocations import allocation_summary
    from kb.extract_store import read_allocations, read_measures

    store = services().store
    names = _fund_names()
    allocs = read_allocations(store)
    summary = allocation_summary(allocs)
    measure_counts: dict[str, int] = {}
    for m in read_measures(store):
        if m.get("fund"):
            measure_counts[m["fund"]] = measure_counts.get(m["fund"], 0) + 1
    codes = list(dict.fromkeys([*(a["fund"] for a in allocs), *measure_counts]))
    rows = [{"code": c, "name": names.get(c, c), "allocations": summary.get(c, {}).get("count", 0),
             "total": summary.get(c, {}).get("total"), "complete": summary.get(c, {}).get("complete", False),
             "measures": measure_counts.get(c, 0)} for c in codes]
    rows.sort(key=lambda r: (-r["allocations"], r["code"]))
    return render_template("fund.html", index=True, funds=rows)


def _chart(code: str, name: str, rows: list[dict[str, Any]], unallocated: float) -> dict[str, Any]:
    """Geometry of the horizontal bar chart (inline SVG, presentation attributes only)."""
    label_h, bar_h, gap, pad = 20, 22, 14, 8
    bar_max = CHART_WIDTH - 90  # room for the percentage after a full bar
    bars = []
    y = pad
    entries = [(r["label"], float(r["share"]), False) for r in rows]
    if unallocated > 0.01:
        entries.append(("Niet toegewezen", unallocated, True))
    for label, share, rest in entries:
        short = label if len(label) <= CHART_LABEL_CHARS else label[:CHART_LABEL_CHARS].rsplit(" ", 1)[0] + " …"
        width = max(2.0, round(bar_max * min(share, 100.0) / 100.0, 1))
        bars.append({"label": short, "share": nl_percent(share), "rest": rest, "label_y": y + 15,
                     "bar_y": y + label_h, "bar_h": bar_h, "width": width, "text_x": width + 8,
                     "text_y": y + label_h + 16})
        y += label_h + bar_h + gap
    desc = "; ".join(f"{b['label']}: {b['share']}" for b in bars)
    return {"width": CHART_WIDTH, "height": y + pad - gap, "bars": bars,
            "title": f"Verdeling van de {code}-middelen ({name}) per maatregel", "desc": desc}


@ui_bp.get("/fondsen/<code>")
def fund(code: str):
    from kb.allocations import allocation_summary
    from kb.extract_store import read_allocations, read_measures

    store = services().store
    names = _fund_names()
    allocs_all = read_allocations(store)
    measures_all = read_measures(store)
    known = set(names) | {a["fund"] for a in allocs_all} | {m.get("fund") for m in measures_all if m.get("fund")}
    canonical = code.strip().upper()
    if canonical not in known:
        raise not_found_nl("Dit fonds staat niet in de Beleidsbank. Kies een fonds uit het overzicht van de fondsen.")
    if canonical != code:
        return redirect(url_for("ui.fund", code=canonical), code=301)
    name = names.get(code, code)
    allocs = [a for a in allocs_all if a["fund"] == code]
    summary = allocation_summary(allocs).get(code)
    sections: dict[str, dict[str, Any] | None] = {}
    rows = _allocation_rows(allocs, names, sections, store)
    for r in rows:
        r["label"] = r["measure"] or r["purpose"] or r["objective"] or "Onbekende bestemming"
    seen: dict[str, int] = {}
    for r in rows:
        seen[r["label"]] = seen.get(r["label"], 0) + 1
    for r in rows:  # the same measure under two objectives: tell the bars apart
        if seen[r["label"]] > 1 and r["objective"] and r["objective"] != r["label"]:
            r["label"] = f"{r['objective']}: {r['label']}"
    measure_rows = [m for m in measures_all if m.get("fund") == code]
    titles = {d["id"]: d["title"] for d in store.documents()}
    groups = _measure_groups(measure_rows, names, titles, sections, store)
    return render_template(
        "fund.html",
        code=code,
        name=name,
        entity=_fund_entity(store, code),
        allocations=rows,
        summary=summary,
        chart=_chart(code, name, rows, summary["unallocated"]) if summary else None,
        objectives=groups[0]["objectives"] if groups else [],
        measure_count=len(measure_rows),
        statements_url=_measures_url(fonds=code),
    )
