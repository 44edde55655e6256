"""Formatting and URL helpers for the templates (Dutch number and date formats, filter URLs)."""
from __future__ import annotations

import datetime as dt
from typing import Any, Iterable
from urllib.parse import urlencode

from flask import request, url_for

from kb.catalogue import LABEL_NAMES_NL
from kb.laws.urls import law_url
from webapp.ui import ui_bp

#: Search filters as query-string parameters.  Every key may repeat (``entity=ind&entity=coa``);
#: filters of different keys always combine (AND).
FILTER_KEYS = ("document", "type", "entity_type", "entity", "year")
FILTER_NAMES_NL = {
    "document": "Document",
    "type": "Soort document",
    "entity_type": "Soort entiteit",
    "entity": "Entiteit",
    "year": "Jaar",
}
SORTS = {"relevance": "relevantie", "date": "datum"}
MONTHS_NL = ("januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus", "september",
             "oktober", "november", "december")
RELATION_NAMES_NL = {
    "part_of": ("onderdeel van", "omvat"),
    "succeeds": ("opvolger van", "voorganger van"),
    "related": ("verwant aan", "verwant aan"),
    "implements": ("voert uit", "uitgevoerd door"),
    "regulates": ("regelt", "geregeld door"),
    "operated_by": ("beheerd door", "beheert"),
}
KIND_NAMES_NL = {
    "jaarverslag": "Jaarverslag",
    "contourennota": "Contourennota",
    "nota": "Nota",
    "brief": "Kamerbrief",
    "kamerbrief": "Kamerbrief",
    "wet": "Wet",
    "regeling": "Regeling",
    "rapport": "Rapport",
    "document": "Document",
}


def label_nl(label: str | None) -> str:
    if not label:
        return ""
    return LABEL_NAMES_NL.get(label, label.capitalize())


def kind_nl(kind: str | None) -> str:
    if not kind:
        return ""
    return KIND_NAMES_NL.get(kind.lower(), kind[:1].upper() + kind[1:])


def nl_number(value: Any) -> str:
    try:
        return f"{int(value):,}".replace(",", ".")
    except (TypeError, ValueError):
        return str(value)


def nl_seconds(ms: Any) -> str:
    """Search time in Dutch: "0,012 seconden"."""
    try:
        seconds = float(ms) / 1000.0
    except (TypeError, ValueError):
        return ""
    text = f"{seconds:.3f}".replace(".", ",")
    return f"{text} seconde" if text == "1,000" else f"{text} seconden"


def nl_percent(value: Any) -> str:
    """38.0 -> "38%", 67.5 -> "67,5%"."""
    try:
        number = float(value)
    except (TypeError, ValueError):
        return ""
    text = f"{number:.2f}".rstrip("0").rstrip(".").replace(".", ",")
    return f"{text}%"


def nl_date(value: dt.date | None = None) -> str:
    value = value or dt.date.today()
    return f"{value.day} {MONTHS_NL[value.month - 1]} {value.year}"


def plural(n: int, one: str, many: str) -> str:
    return f"{nl_number(n)} {one if n == 1 else many}"


def active_filters(args=None) -> dict[str, list[str]]:
    """The filter parameters of the request: key -> distinct non-empty values, in order."""
    args = request.args if args is None else args
    out: dict[str, list[str]] = {}
    for key in FILTER_KEYS:
        values = [v.strip() for v in args.getlist(key) if v and v.strip()]
        values = list(dict.fromkeys(v[:200] for v in values))[:10]
        if values:
            out[key] = values
    return out


def search_url(q: str | None = None, filters: dict[str, list[str]] | None = None, *, sort: str | None = None,
               page: int | None = None, add: tuple[str, str] | None = None,
               remove: tuple[str, str | None] | None = None) -> str:
    """A /zoeken URL: the given query and filters, with one value added or removed."""
    params: list[tuple[str, str]] = []
    if q:
        params.append(("q", q))
    merged: dict[str, list[str]] = {k: list(v) for k, v in (filters or {}).items()}
    if add:
        key, value = add
        if value not in merged.setdefault(key, []):
            merged[key].append(value)
    if remove:
        key, value = remove
        if value is None:
            merged.pop(key, None)
        else:
            merged[key] = [v for v in merged.get(key, []) if v != value]
    for key in FILTER_KEYS:
        for value in merged.get(key, []):
            params.append((key, str(value)))
    if sort and sort != "relevance":
        params.append(("sort", sort))
    if page and page > 1:
        params.append(("pagina", str(page)))
    base = url_for("ui.search")
    return f"{base}?{urlencode(params)}" if params else base


def page_window(current: int, last: int, radius: int = 2) -> list[int | None]:
    """Page numbers to show: first, last and a window around the current page (None = gap)."""
    pages: list[int | None] = []
    show = {1, last, *range(current - radius, current + radius + 1)}
    prev = 0
    for p in range(1, last + 1):
        if p in show:
            if prev and p - prev > 1:
                pages.append(None)
            pages.append(p)
            prev = p
    return pages


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


def toc_tree(sections: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    """Flat sections (reading order, parent_id) -> nested nodes {section, children}."""
    nodes: dict[str, dict[str, Any]] = {}
    roots: list[dict[str, Any]] = []
    for sec in sections:
        node = {"section": sec, "children": []}
        nodes[sec["id"]] = node
        parent = nodes.get(sec.get("parent_id") or "")
        (parent["children"] if parent else roots).append(node)
    return roots


@ui_bp.app_template_filter("nl_number")
def _nl_number(value: Any) -> str:
    return nl_number(value)


@ui_bp.app_template_filter("nl_percent")
def _nl_percent(value: Any) -> str:
    return nl_percent(value)


@ui_bp.app_template_filter("label_nl")
def _label_nl(value: str | None) -> str:
    return label_nl(value)


@ui_bp.app_template_filter("kind_nl")
def _kind_nl(value: str | None) -> str:
    return kind_nl(value)


@ui_bp.record_once
def _template_globals(state) -> None:
    """Helpers available in every template, including imported macros (which get no context)."""
    state.app.jinja_env.globals.update(
        search_url=search_url,
        plural=plural,
        nl_seconds=nl_seconds,
        label_nl=label_nl,
        kind_nl=kind_nl,
        FILTER_NAMES_NL=FILTER_NAMES_NL,
    )
