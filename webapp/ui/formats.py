"""A page in the format asked for: HTML (Jinja), its ``.json`` twin, and for list pages ``.csv``,
``.ndjson`` and (searches, statements) ``.atom`` twins.

Every page route is registered twice (:func:`page_route`): ``/zoeken`` renders HTML and
``/zoeken.json`` / ``.csv`` / ``.ndjson`` the same :class:`~webapp.pages.model.Page` as data.  The
HTML links to its twins (``<link rel="alternate">`` and, on list pages, download links).

One export scheme for the whole product: append ``.csv`` or ``.ndjson`` to the URL of a list —
a page (``/zoeken.csv?q=IND``) or an API list (``/api/v1/search.ndjson?q=IND``) — with the same
query parameters, and get every row that matches the filters (not one page), streamed.

NDJSON
------
One JSON object per line (``application/x-ndjson``, UTF-8, ``\n`` line ends): the same rows as the
CSV, keyed by the CSV's column keys, with JSON values (numbers stay numbers, lists stay lists,
``null`` for an empty cell).

CSV for Excel, Dutch convention
-------------------------------
The CSV is written for Excel with Dutch regional settings, the spreadsheet most users of the
Beleidsbank open it in: fields separated by ``;`` (the Dutch list separator; a comma is the
decimal sign), decimal numbers with a decimal comma (``67,5``), UTF-8 with a byte-order mark
(without one Excel reads UTF-8 as Windows-1252 and mangles "Financiële"), ``\\r\\n`` line ends,
one header row with Dutch column names, list values joined by `` | ``, ``ja``/``nee`` for yes/no.
A text cell that starts with ``=``, ``+``, ``-`` or ``@`` gets a leading ``'`` so that Excel
shows it instead of running it as a formula.  Python reads it back with
``csv.reader(open(path, encoding="utf-8-sig"), delimiter=";")``.  The CSV is streamed:
the rows are produced while the response is sent.
"""
from __future__ import annotations

import csv
import io
import json
import re
from typing import Any, Callable, Iterator

from flask import Response, current_app, redirect, render_template, request, stream_with_context, url_for
from werkzeug.exceptions import NotFound

from webapp.dutch import nl_decimal
from webapp.pages.model import Page, Redirect, Table
from webapp.ui.blueprint import ui_bp

CSV_DELIMITER = ";"
CSV_BOM = "\ufeff"
LIST_JOINER = " | "
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


NDJSON_MIMETYPE = "application/x-ndjson"
#: Endpoints whose page also has an Atom twin (the route's view answers ``fmt == "atom"`` itself).
FEED_ENDPOINTS: set[str] = set()
#: Query parameters a twin does not carry over: exports and feeds hold every row, not one page.
PAGING_PARAMS = ("pagina",)


def page_route(rule: str, endpoint: str, *, csv: bool = False, feed: bool = False,
               twin: str | None = None) -> Callable:
    """Register ``view(fmt, **args)`` for ``rule`` (HTML) and its twins ``rule.json`` (and, for a list,
    ``.csv`` and ``.ndjson``; with ``feed``, ``.atom``)."""
    formats = ["json", *(["csv", "ndjson"] if csv else []), *(["atom"] if feed else [])]
    twin_rule = (twin or rule) + f".<any({', '.join(formats)}):fmt>"
    if feed:
        FEED_ENDPOINTS.add(f"{ui_bp.name}.{endpoint}")

    def register(view: Callable) -> Callable:
        ui_bp.add_url_rule(rule, endpoint, view, defaults={"fmt": "html"}, methods=["GET"])
        ui_bp.add_url_rule(twin_rule, endpoint, view, methods=["GET"])
        return view

    return register


def respond(page: Page | Redirect, fmt: str) -> Response | tuple[str, int]:
    if isinstance(page, Redirect):
        values = {**page.values, **({"fmt": fmt} if fmt != "html" else {})}
        fragment = page.fragment if fmt == "html" else ""
        return redirect(url_for(page.endpoint, **values) + fragment, code=page.code)
    if fmt == "json":
        resp = current_app.json.response(page.data)
        resp.status_code = page.status
        return resp
    if fmt in ("csv", "ndjson"):
        if page.table is None:
            raise NotFound()
        return csv_response(page.table()) if fmt == "csv" else ndjson_response(page.table())
    if fmt != "html":
        raise NotFound()
    listed = page.table is not None
    twins = {"json": twin_url("json", page.params),
             "csv": twin_url("csv", page.params, paged=False) if listed else None,
             "ndjson": twin_url("ndjson", page.params, paged=False) if listed else None,
             "atom": twin_url("atom", page.params, paged=False) if request.endpoint in FEED_ENDPOINTS else None}
    return render_template(page.template, **page.data, **page.extras, twins=twins), page.status


def twin_url(fmt: str, params: dict[str, Any] | None = None, *, paged: bool = True) -> str:
    """This page's URL in another format: same path, and the query the page understood (without the
    page number for exports and feeds, which hold every row)."""
    values = {k: v for k, v in (request.view_args or {}).items() if k != "fmt"}
    query = request.args.to_dict(flat=False) if params is None else params
    args = {k: v for k, v in query.items()
            if k not in values and k != "fmt" and v not in (None, "", []) and (paged or k not in PAGING_PARAMS)}
    return url_for(request.endpoint, **values, **args, fmt=fmt)


def csv_cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "ja" if value else "nee"
    if isinstance(value, float):
        return nl_decimal(value)
    if isinstance(value, int):
        return str(value)
    if isinstance(value, (list, tuple)):
        value = LIST_JOINER.join(str(v) for v in value)
    text = " ".join(str(value).split())
    return "'" + text if text.startswith(_FORMULA_START) else text


def csv_lines(table: Table) -> Iterator[str]:
    buf = io.StringIO()
    writer = csv.writer(buf, delimiter=CSV_DELIMITER, lineterminator="\r\n")

    def line(cells: list[str]) -> str:
        buf.seek(0)
        buf.truncate()
        writer.writerow(cells)
        return buf.getvalue()

    yield CSV_BOM + line([header for _key, header in table.columns])
    for row in table.rows:
        yield line([csv_cell(row.get(key)) for key, _header in table.columns])


def ndjson_value(value: Any) -> Any:
    """A row value as JSON: tuples become lists, anything unusual its text; ``""`` stays ``""``."""
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    if isinstance(value, (list, tuple)):
        return [ndjson_value(v) for v in value]
    if isinstance(value, dict):
        return {str(k): ndjson_value(v) for k, v in value.items()}
    return str(value)


def ndjson_lines(table: Table) -> Iterator[str]:
    keys = [key for key, _header in table.columns]
    for row in table.rows:
        yield json.dumps({key: ndjson_value(row.get(key)) for key in keys}, ensure_ascii=False) + "\n"


def _file_name(table: Table) -> str:
    return re.sub(r"[^A-Za-z0-9._-]+", "-", table.name).strip("-") or "export"


def csv_response(table: Table) -> Response:
    return stream_response(csv_lines(table), "text/csv; charset=utf-8; header=present", f"{_file_name(table)}.csv")


def ndjson_response(table: Table) -> Response:
    return stream_response(ndjson_lines(table), f"{NDJSON_MIMETYPE}; charset=utf-8", f"{_file_name(table)}.ndjson")


def stream_response(lines: Iterator[str], content_type: str, filename: str) -> Response:
    """A download streamed while its lines are produced (nothing is held in memory)."""
    resp = Response(stream_with_context(lines), mimetype=content_type.split(";")[0])
    resp.headers["Content-Type"] = content_type
    resp.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    return resp
