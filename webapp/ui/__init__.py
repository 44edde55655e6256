"""The Dutch search interface: home, results, passages, documents, entities, measures and funds.

Server-rendered HTML (Jinja, autoescaped) that works fully without JavaScript; the only
script (``static/app.js``) adds the "/" shortcut and a copy button for citations.  Each page's
data comes from its module in ``webapp.pages``; ``routes`` renders it as HTML or as its
``.json``/``.csv`` twin (``formats``).
"""
from __future__ import annotations

from webapp.ui import errors, routes, templating  # noqa: F401  (handlers and routes register on import)
from webapp.ui.blueprint import ui_bp

__all__ = ["ui_bp"]
