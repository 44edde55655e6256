"""Dutch error pages (404, 500) for the HTML interface.

Registered app-wide so unknown URLs get the Dutch page too; requests under ``/api`` are left
to the API's own error handling (the plain HTTP error is passed through unchanged).
"""
from __future__ import annotations

import logging

from flask import render_template, request
from werkzeug.exceptions import HTTPException, InternalServerError, NotFound

from webapp.ui import ui_bp

log = logging.getLogger(__name__)


def _is_api() -> bool:
    return request.path == "/api" or request.path.startswith("/api/")


@ui_bp.app_errorhandler(404)
def not_found(error: HTTPException):
    if _is_api():
        return error
    message = error.description if isinstance(error, NotFound) and getattr(error, "_nl", False) else None
    return render_template("error.html", status=404, title="Pagina niet gevonden", message=message), 404


@ui_bp.app_errorhandler(500)
def server_error(error: Exception):
    if _is_api():
        return error if isinstance(error, HTTPException) else InternalServerError()
    return render_template("error.html", status=500, title="Er ging iets mis"), 500


def not_found_nl(message: str) -> NotFound:
    """A 404 whose Dutch message is shown on the error page."""
    exc = NotFound(message)
    exc._nl = True  # type: ignore[attr-defined]
    return exc
