"""The Dutch search interface: home, results, passages, documents and entities.

Server-rendered HTML (Jinja, autoescaped) that works fully without JavaScript; the only
script (``static/app.js``) adds the "/" shortcut and a copy button for citations.
"""
from __future__ import annotations

from flask import Blueprint

ui_bp = Blueprint("ui", __name__)

from webapp.ui import errors, helpers, measures, views  # noqa: E402,F401  (routes register on import)

__all__ = ["ui_bp"]
