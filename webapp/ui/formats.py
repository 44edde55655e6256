"""A page in the format asked for: HTML (Jinja), its ``.json`` twin, and for list pages a ``.csv`` twin.

Every page route is registered twice (:func:`page_route`): ``/zoeken`` renders HTML and
``/zoeken.json`` / ``/zoeken.csv`` the same :class:`~webapp.pages.model.Page` as data.  The
HTML links to its twins (``<link rel="alternate">`` and, on list pages, a download link).

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


def page_route(rule: str, endpoint: str, *, csv: bool = False, twin: str | None = None) -> Callable:
    """Register ``view(fmt, **args)`` for ``rule`` (HTML) and its twin ``rule.json`` (and ``.csv``)."""
    formats = "json, csv" if csv else "json"
    twin_rule = (twin or rule) + f".<any({formats}):fmt>"

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
    if fmt == "csv":
        if page.table is None:
            raise NotFound()
        return csv_response(page.table())
    twins = {"json": twin_url("json", page.params),
             "csv": twin_url("csv", page.params) if page.table is not None else None}
    return render_template(page.template, **page.data, **page.extras, twins=twins), page.status


def twin_url(fmt: str, params: dict[str, Any] | None = None) -> str:
    """This page's URL in another format: same path, and the query the page understood."""
    values = {k: v for k, v in (request.view_args or {}).items() if k != "fmt"}
    query = request.args.to_dict(flat=False) if params is None else params
    args = {k: v for k, v in query.items() if k not in values and k != "fmt" and v not in (None, "", [])}
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


def csv_response(table: Table) -> Response:
    name = re.sub(r"[^A-Za-z0-9._-]+", "-", table.name).strip("-") or "export"
    resp = Response(stream_with_context(csv_lines(table)), mimetype="text/csv")
    resp.headers["Content-Type"] = "text/csv; charset=utf-8; header=present"
    resp.headers["Content-Disposition"] = f'attachment; filename="{name}.csv"'
    return resp
