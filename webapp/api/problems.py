"""Errors as ``application/problem+json`` (RFC 9457), with a Dutch ``detail``.

Every error under the API prefix becomes a problem document: parameter errors (400), unknown
ids and unknown API paths (404), unsupported methods (405, with ``Allow``), too large bodies
(413, also Flask's own ``RequestEntityTooLarge``), wrong media types (415), too many requests
(429, with ``Retry-After``), a request that used up its time budget (503, with ``Retry-After``,
``webapp.budgets``), and — logged — truly unexpected exceptions (500).  Routing errors (unknown path, wrong method) are raised
before any blueprint is chosen, so they are answered from an app-wide ``before_request`` hook
that only acts on paths under the API prefix.
"""
from __future__ import annotations

import logging
from typing import Any

from flask import Blueprint, Response, current_app, request
from werkzeug.exceptions import HTTPException, MethodNotAllowed, NotFound, default_exceptions
from werkzeug.urls import iri_to_uri

from settings.budget import BudgetExceeded
from webapp.api.spec import ParameterError
from webapp.budgets import budget_detail, retry_after

log = logging.getLogger(__name__)

PROBLEM_MIMETYPE = "application/problem+json"

#: status -> (fragment of the problem type on the docs page, Dutch title)
PROBLEM_TYPES: dict[int, tuple[str, str]] = {
    400: ("ongeldige-aanvraag", "Ongeldige aanvraag"),
    404: ("niet-gevonden", "Niet gevonden"),
    405: ("methode-niet-toegestaan", "Methode niet toegestaan"),
    406: ("niet-aanvaardbaar", "Niet aanvaardbaar"),
    413: ("te-groot", "Aanvraag te groot"),
    414: ("te-groot", "Aanvraag te groot"),
    415: ("mediatype-niet-ondersteund", "Mediatype niet ondersteund"),
    429: ("te-veel-aanvragen", "Te veel aanvragen"),
    500: ("interne-fout", "Interne fout"),
    503: ("budget-op", "Rekentijd op"),
}

#: Dutch details for HTTP errors raised without one of our own.
DEFAULT_DETAILS: dict[int, str] = {
    400: "De aanvraag is ongeldig.",
    404: "Dit pad bestaat niet in de API; zie /api voor de documentatie en /api/v1/openapi.json voor de beschrijving.",
    405: "Deze methode is niet toegestaan op dit pad; de header Allow noemt de toegestane methoden.",
    413: "De aanvraag is groter dan de server aanneemt (ten hoogste 1 MiB tekst).",
    415: "Stuur de aanvraag als application/json.",
    429: "Te veel aanvragen achter elkaar; de header Retry-After zegt na hoeveel seconden het weer kan.",
    500: "Er ging onverwacht iets mis aan de kant van de server; de fout is gelogd.",
}


class ApiError(Exception):
    """An expected error with an HTTP status and a Dutch detail message."""

    def __init__(self, status: int, detail: str, *, errors: list[dict[str, str]] | None = None,
                 headers: dict[str, str] | None = None) -> None:
        super().__init__(detail)
        self.status = status
        self.detail = detail
        self.errors = errors
        self.headers = headers


def problem(status: int, detail: str | None = None, *, errors: list[dict[str, str]] | None = None,
            headers: dict[str, str] | None = None) -> Response:
    """A ``application/problem+json`` response (``Cache-Control: no-store``)."""
    fragment, title = PROBLEM_TYPES.get(status, ("fout", "Fout"))
    body: dict[str, Any] = {
        # on the configured public address (never the request's Host); relative without one
        "type": f"{current_app.config['SETTINGS'].public_url.rstrip('/')}/api#fout-{fragment}",
        "title": title,
        "status": status,
        "detail": detail or DEFAULT_DETAILS.get(status, title + "."),
        "instance": iri_to_uri(request.full_path.rstrip("?")),
    }
    if errors:
        body["errors"] = errors
    resp = current_app.json.response(body)
    resp.status_code = status
    resp.mimetype = PROBLEM_MIMETYPE
    resp.headers["Cache-Control"] = "no-store"
    for key, value in (headers or {}).items():
        resp.headers[key] = value
    return resp


def is_api_request() -> bool:
    prefix = current_app.extensions.get("beleidsbank.api", {}).get("prefix")
    return bool(prefix) and (request.path == prefix or request.path.startswith(prefix + "/"))


def install(bp: Blueprint) -> None:
    """Register the error handling of the API blueprint."""

    @bp.errorhandler(ApiError)
    def _api_error(exc: ApiError) -> Response:
        return problem(exc.status, exc.detail, errors=exc.errors, headers=exc.headers)

    @bp.errorhandler(BudgetExceeded)
    def _budget(exc: BudgetExceeded) -> Response:
        return problem(503, budget_detail(exc), headers={"Retry-After": retry_after(exc)})

    @bp.errorhandler(ParameterError)
    def _parameter_error(exc: ParameterError) -> Response:
        detail = "; ".join(e["detail"] for e in exc.errors) + "."
        return problem(400, detail[0].upper() + detail[1:], errors=exc.errors)

    def _http_error(exc: HTTPException) -> Response | HTTPException:
        if exc.code is None or exc.code < 400:
            return exc
        return problem(exc.code, _detail(exc), headers=_allow(exc))

    # by status code, not only by class: Flask prefers an app-wide handler for a code (the UI
    # registers 404 and 500) over a blueprint's class-based one
    bp.register_error_handler(HTTPException, _http_error)
    for code in default_exceptions:
        if code >= 400:
            bp.register_error_handler(code, _http_error)

    @bp.errorhandler(Exception)
    def _unexpected(exc: Exception) -> Response:
        log.exception("unexpected error in %s %s", request.method, request.path)
        return problem(500)

    @bp.before_app_request
    def _routing_errors() -> Response | None:
        """Unknown paths and wrong methods under the API prefix (and other API versions next to
        it, ``/api/...``), which no blueprint sees."""
        exc = request.routing_exception
        if isinstance(exc, (NotFound, MethodNotAllowed)) and (is_api_request() or _under_api_root()):
            return problem(exc.code or 404, DEFAULT_DETAILS.get(exc.code or 404), headers=_allow(exc))
        return None


def _under_api_root() -> bool:
    prefix = current_app.extensions.get("beleidsbank.api", {}).get("prefix") or ""
    root = prefix.rsplit("/", 1)[0]  # "/api/v1" -> "/api"
    return bool(root) and request.path.startswith(root + "/")


def _allow(exc: HTTPException) -> dict[str, str]:
    if isinstance(exc, MethodNotAllowed) and exc.valid_methods:
        return {"Allow": ", ".join(sorted(exc.valid_methods))}
    return {}


def _detail(exc: HTTPException) -> str:
    """Our Dutch text for the status; werkzeug's English description is not used."""
    return DEFAULT_DETAILS.get(exc.code or 500, PROBLEM_TYPES.get(exc.code or 500, ("", "Fout"))[1] + ".")
