"""The blueprint of the search interface (its own module, so route modules and the package's
``__init__`` do not import each other)."""
from __future__ import annotations

from flask import Blueprint

ui_bp = Blueprint("ui", __name__)
