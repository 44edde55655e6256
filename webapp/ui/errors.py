"""Dutch error pages (404, 500, and 503 for a search that used up its time budget) for the HTML
interface and its ``.json``/``.csv`` twins.

Registered app-wide so unknown URLs get the Dutch page too; requests under ``/api`` are left
to the API's own error handling (the plain HTTP error is passed through unchanged).  A twin
(``/zoeken.json``, ``/documenten/x.csv``) gets its error as ``application/problem+json``.
"""
from __future__ import annotations

import logging

from flask import current_app, render_template, request
from werkzeug.exceptions import HTTPException, InternalServerError

from settings.budget import BudgetExceeded
from webapp.budgets import budget_detail, retry_after
from webapp.ui.blueprint import ui_bp

log = logging.getLogger(__name__)
TWIN_SUFFIXES = (".json", ".csv", ".ndjson", ".atom")


def _is_api() -> bool:
    return request.path == "/api" or request.path.startswith("/api/")


def _is_twin() -> bool:
    return request.path.endswith(TWIN_SUFFIXES)


def _problem(status: int, title: str, detail: str | None):
    body = {"type": "about:blank", "title": title, "status": status, **({"detail": detail} if detail else {})}
    resp = current_app.json.response(body)
    resp.status_code = status
    resp.mimetype = "application/problem+json"
    return resp


@ui_bp.app_errorhandler(404)
def not_found(error: HTTPException):
    if _is_api():
        return error
    message = error.description if getattr(error, "dutch", False) else None
    if _is_twin():
        return _problem(404, "Niet gevonden", message)
    return render_template("error.html", status=404, title="Pagina niet gevonden", message=message), 404


@ui_bp.app_errorhandler(500)
def server_error(error: Exception):
    if _is_api():
        return error if isinstance(error, HTTPException) else InternalServerError()
    if _is_twin():
        return _problem(500, "Er ging iets mis", None)
    return render_template("error.html", status=500, title="Er ging iets mis"), 500


@ui_bp.app_errorhandler(BudgetExceeded)
def budget_spent(error: BudgetExceeded):
    """A search (or feed) that used up its time budget: 503 with the reason, and when to try again."""
    detail = budget_detail(error)
    if _is_twin() or _is_api():
        resp = _problem(503, "Rekentijd op", detail)
    else:
        resp = current_app.make_response(
            (render_template("error.html", status=503, title="Deze zoekopdracht kost te veel rekentijd",
                             message=detail), 503))
    resp.headers["Retry-After"] = retry_after(error)
    return resp
