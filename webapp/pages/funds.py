"""The funds ``/fondsen`` and one fund ``/fondsen/<code>``: its allocations as a bar chart and table, its measures."""
from __future__ import annotations

from collections import Counter
from typing import Any, Iterator


from webapp.dutch import nl_percent
from webapp.pages.common import SectionCache, public_url
from webapp.pages.extracts import allocation_rows, fund_names, measure_groups
from webapp.pages.measures import measures_url
from webapp.pages.model import Page, Redirect, Table, not_found
from webapp.services import services

CHART_WIDTH = 640
CHART_LABEL_CHARS = 78
LIST_CSV_COLUMNS = (("code", "fonds"), ("name", "naam"), ("allocations", "allocaties"),
                    ("total", "totaal toegewezen (%)"), ("measures", "maatregelen"))
ALLOCATION_CSV_COLUMNS = (("fund", "fonds"), ("share", "aandeel (%)"), ("amounts", "bedrag"), ("measure", "maatregel"),
                          ("objective", "doelstelling"), ("purpose", "bestemd voor"), ("recipients", "ontvangers"),
                          ("text", "bronzin"), ("url", "url"))


def funds_page() -> Page:
    from kb.allocations import allocation_summary
    from kb.extract_store import read_allocations, read_measures

    store = services().store
    names = fund_names()
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
    return Page("fund.html", {"index": True, "funds": rows}, table=lambda: Table("fondsen", LIST_CSV_COLUMNS, rows))


def chart(code: str, name: str, rows: list[dict[str, Any]], unallocated: float) -> dict[str, Any]:
    """Geometry of the horizontal bar chart (inline SVG, presentation attributes only)."""
    label_h, bar_h, gap, pad = 20, 22, 14, 8
    bar_max = CHART_WIDTH - 90  # room for the percentage after a full bar
    bars = []
    y = pad
    entries = [(r.get("label_amounts") or r["label"], float(r["share"]), False) for r in rows]
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


def _bar_labels(rows: list[dict[str, Any]]) -> None:
    """Each allocation's label, distinct within the fund: a measure that appears twice (the same
    objective for two purposes, or under two objectives) is told apart by what tells them apart in
    the text — its purpose and recipients, else its objective; a label that still repeats is numbered."""
    for r in rows:
        r["label"] = r["measure"] or r["purpose"] or r["objective"] or "Onbekende bestemming"
    for details in (_purpose, _objective):
        seen = Counter(r["label"] for r in rows)
        for r in rows:
            if seen[r["label"]] > 1:
                extra = details(r)
                if extra and extra not in r["label"]:
                    r["label"] = f"{r['label']}: {extra}"
    seen = Counter(r["label"] for r in rows)
    numbered: Counter[str] = Counter()
    for r in rows:
        if seen[r["label"]] > 1:
            numbered[r["label"]] += 1
            r["label"] = f"{r['label']} ({numbered[r['label']]})"
    for r in rows:
        if r["amounts"]:
            r["label_amounts"] = f"{r['label']} ({', '.join(r['amounts'])})"


def _purpose(r: dict[str, Any]) -> str:
    recipients = ", ".join(x["name"] for x in r.get("recipients") or [] if x.get("name"))
    purpose = r["purpose"] if r["purpose"] and r["purpose"] != r["measure"] else ""
    return " ".join(p for p in (purpose, f"({recipients})" if recipients else "") if p)


def _objective(r: dict[str, Any]) -> str:
    return r["objective"] if r["objective"] and r["objective"] != r["measure"] else ""


def fund_page(code: str) -> Page | Redirect:
    from kb.allocations import allocation_summary
    from kb.extract_store import read_allocations, read_measures

    store = services().store
    names = fund_names()
    allocs_all = read_allocations(store)
    measures_all = read_measures(store)
    known = set(names) | {a["fund"] for a in allocs_all} | {m.get("fund") for m in measures_all if m.get("fund")}
    canonical = code.strip().upper()
    if canonical not in known:
        raise not_found("Dit fonds staat niet in de Beleidsbank. Kies een fonds uit het overzicht van de fondsen.")
    if canonical != code:
        return Redirect("ui.fund", {"code": canonical}, code=301)
    name = names.get(code, code)
    allocs = [a for a in allocs_all if a["fund"] == code]
    summary = allocation_summary(allocs).get(code)
    sections = SectionCache(store)
    rows = allocation_rows(allocs, names, sections)
    _bar_labels(rows)
    measure_rows = [m for m in measures_all if m.get("fund") == code]
    titles = {d["id"]: d["title"] for d in store.documents()}
    groups = measure_groups(measure_rows, names, titles, sections)
    entity = store.entity(code.lower())

    def csv_rows() -> Iterator[dict[str, Any]]:
        for r in rows:
            yield {**r, "recipients": [f"{x['name']} ({nl_percent(x['share'])})" if x.get("share") is not None
                                       else x["name"] for x in r["recipients"]],
                   "url": public_url(r["url"]) if r["url"] else ""}

    return Page("fund.html", {
        "index": False,
        "code": code,
        "name": name,
        "entity": entity if entity and entity.get("label") == "FUND" else None,
        "allocations": rows,
        "summary": summary,
        "chart": chart(code, name, rows, summary["unallocated"]) if summary else None,
        "objectives": groups[0]["objectives"] if groups else [],
        "measure_count": len(measure_rows),
        "statements_url": measures_url(fonds=code),
    }, table=lambda: Table(f"allocaties-{code}", ALLOCATION_CSV_COLUMNS, csv_rows()))
