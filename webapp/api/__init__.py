"""The JSON API (``/api/v1``), described by ``openapi.yaml``, and its Dutch documentation page (``/api``).

``api_bp`` is registered with ``url_prefix="/api/v1"``; ``docs_bp`` (the page at ``/api``) at the
root.  Both are plain blueprints: nothing is opened until the first request.
"""
from __future__ import annotations

from flask import Blueprint
from flask.blueprints import BlueprintSetupState

from webapp.api import http, problems, views
from webapp.api.docs import api_docs_context, docs_bp

api_bp = Blueprint("api", __name__)


@api_bp.record_once
def _remember_prefix(state: BlueprintSetupState) -> None:
    # error handling and response headers apply to every path under this prefix
    state.app.extensions["beleidsbank.api"] = {"prefix": (state.url_prefix or "").rstrip("/")}


views.register(api_bp)
problems.install(api_bp)
http.install(api_bp)

__all__ = ["api_bp", "docs_bp", "api_docs_context"]
