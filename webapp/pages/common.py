"""What several pages share: request arguments, links to passages and searches, section links.

Request arguments are read leniently (a page never fails on a bad parameter: unknown values are
dropped, numbers are clipped to the limits in ``settings.Limits``), and every link to a passage is
built here so the HTML, its JSON twin and the CSV exports point to the same place.
"""
from __future__ import annotations

import re
import unicodedata
from typing import Any, Iterable, Mapping
from urllib.parse import urlencode

from flask import url_for
from werkzeug.datastructures import MultiDict

from nltext import fold
from settings import Limits
from webapp.render import block_index
from webapp.links import public_url  # noqa: F401  (the pages' links leave through it)
from webapp.services import services

Args = MultiDict  # the query string of a request

#: Search filters as query-string parameters.  Every key may repeat (``entity=ind&entity=coa``);
#: filters of different keys always combine (AND).  ``van``/``tot`` bound the document date (one
#: value each); ``section`` is where "meer uit deze sectie" leads; ``year`` is kept for old links.
FILTER_KEYS = ("document", "type", "statement", "entity_type", "entity", "year", "van", "tot", "section")
SINGLE_FILTERS = ("van", "tot")
SORTS = {"relevance": "relevantie", "date": "datum"}
_RANGE = re.compile(r"^(\d{1,9})-(\d{1,9})$")

__all__ = ["fold", "limits", "FILTER_KEYS", "SORTS"]


def limits() -> Limits:
    """The limits of the running app (from the Settings it was created with)."""
    return services().settings.limits


# -- request arguments --------------------------------------------------------------------------
def int_arg(args: Args, name: str, default: int | None = None) -> int | None:
    raw = args.get(name, "")
    return int(raw) if raw.isdigit() and len(raw) < 10 else default


def page_arg(args: Args) -> int:
    """``pagina``: 1 up to ``Limits.max_page``."""
    return max(1, min(int_arg(args, "pagina", 1) or 1, limits().max_page))


def range_arg(args: Args, name: str, limit: int) -> tuple[int, int] | None:
    """``s=120-180``: a character range, clipped to ``limit``; None when absent or empty."""
    m = _RANGE.match(args.get(name, ""))
    if not m:
        return None
    start, end = min(int(m.group(1)), limit), min(int(m.group(2)), limit)
    return (start, end) if end > start else None


def block_range_arg(args: Args, name: str, count: int) -> tuple[int, int] | None:
    """``b=3`` or ``b=3-5``: block indexes to mark (clipped to the section)."""
    raw = args.get(name, "")
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


_DAY_NL = re.compile(r"^(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})$")
_DAY_ISO = re.compile(r"^(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?$")


def date_arg(args: Args, name: str, *, last: bool) -> str | None:
    """A date bound (``van``/``tot``) as an ISO day: "2020" is 1 January (or, with ``last``,
    31 December) 2020, "2020-05" the first (last) day of May, "17-05-2020" and "2020-05-17" that
    day.  None when absent or not a date."""
    import calendar
    import datetime as dt

    raw = (args.get(name) or "").strip()[:20]
    m = _DAY_NL.match(raw)
    parts = (m.group(3), m.group(2), m.group(1)) if m else (_DAY_ISO.match(raw).groups() if _DAY_ISO.match(raw) else None)
    if not parts:
        return None
    year = int(parts[0])
    month = int(parts[1]) if parts[1] else (12 if last else 1)
    if not 1 <= month <= 12 or not 1000 <= year <= 9999:
        return None
    month_end = calendar.monthrange(year, month)[1]
    day = int(parts[2]) if parts[2] else (month_end if last else 1)
    if not 1 <= day <= 31:
        return None
    return dt.date(year, month, min(day, month_end)).isoformat()  # "30 February" is its month's last day


def date_range_arg(args: Args) -> tuple[str | None, str | None]:
    """``van`` and ``tot`` as ISO days (swapped when given the wrong way round)."""
    lo, hi = date_arg(args, "van", last=False), date_arg(args, "tot", last=True)
    if lo and hi and lo > hi:
        lo, hi = date_arg(args, "tot", last=False), date_arg(args, "van", last=True)
    return lo, hi


def query_arg(args: Args, name: str = "q") -> str:
    """The query: control characters dropped, whitespace collapsed, cut to ``Limits.max_query_chars``."""
    q = args.get(name) or ""
    q = "".join(c for c in q if unicodedata.category(c) != "Cc" or c in "\t")
    return " ".join(q.split())[:limits().max_query_chars]


def active_filters(args: Args) -> dict[str, list[str]]:
    """The search filters of the request: key -> distinct non-empty values, in order."""
    out: dict[str, list[str]] = {}
    lo, hi = date_range_arg(args)
    for key in FILTER_KEYS:
        if key in SINGLE_FILTERS:
            day = lo if key == "van" else hi
            if day:
                out[key] = [day]
            continue
        values = [v.strip() for v in args.getlist(key) if v and v.strip()]
        values = list(dict.fromkeys(v[:200] for v in values))[:10]
        if values:
            out[key] = values
    return out


# -- links ----------------------------------------------------------------------------------------
def search_url(q: str | None = None, filters: Mapping[str, list[str]] | None = None, *, sort: str | None = None,
               page: int | None = None, add: tuple[str, str] | None = None,
               remove: tuple[str, str | None] | None = None, view: str | None = None) -> str:
    """A /zoeken URL: the given query and filters, with one value added or removed."""
    params: list[tuple[str, str]] = []
    if q:
        params.append(("q", q))
    merged: dict[str, list[str]] = {k: list(v) for k, v in (filters or {}).items()}
    if add:
        key, value = add
        if key in SINGLE_FILTERS:
            merged[key] = []
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
    if view and view != "lijst":
        params.append(("weergave", view))
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


def passage_url(section_id: str, *, blocks: tuple[int, int] | None = None, q: str = "",
                **params: Any) -> str:
    """The passage page of a section, with blocks ``b=first-last`` marked and the first one in view."""
    values: dict[str, Any] = {"q": q} if q else {}
    if blocks is not None:
        values["b"] = str(blocks[0]) if blocks[0] == blocks[1] else f"{blocks[0]}-{blocks[1]}"
    values.update(params)
    fragment = f"#p{blocks[0]}" if blocks is not None else ""
    return url_for("ui.passage", passage_id=section_id, **values) + fragment


def marked_passage_url(section: dict[str, Any], start: int, end: int, *, param: str = "s") -> str:
    """Link to a passage with the character range ``start-end`` marked (``s``: a sentence, ``m``: a mention)."""
    if end <= start:
        return url_for("ui.passage", passage_id=section["id"])
    blk = block_index(section.get("blocks") or [], start)
    return url_for("ui.passage", passage_id=section["id"], **{param: f"{start}-{end}"}) + (
        f"#p{blk}" if blk is not None else "")


def section_link(section: dict[str, Any] | None) -> dict[str, str] | None:
    return {"id": section["id"], "title": section["title"]} if section else None


def ancestors(store, section: dict[str, Any]) -> list[dict[str, Any]]:
    """The sections above ``section``, outermost first (a broken parent chain simply ends it)."""
    out: list[dict[str, Any]] = []
    seen = {section["id"]}
    parent_id = section.get("parent_id")
    while parent_id and parent_id not in seen:
        parent = store.section(parent_id)
        if parent is None:
            break
        seen.add(parent_id)
        out.insert(0, parent)
        parent_id = parent.get("parent_id")
    return out


def entity_names(store, ids: Iterable[str | None]) -> dict[str, str]:
    """Entity id -> name, for the ids that are in the catalogue."""
    out = {}
    for eid in dict.fromkeys(ids):
        if eid:
            ent = store.entity(eid)
            if ent:
                out[eid] = ent["name"]
    return out


class SectionCache(dict):
    """Sections by id, each read from the store once per page."""

    def __init__(self, store) -> None:
        super().__init__()
        self.store = store

    def __missing__(self, section_id: str) -> dict[str, Any] | None:
        self[section_id] = sec = self.store.section(section_id)
        return sec
