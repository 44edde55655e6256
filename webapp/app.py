"""Application factory."""
from __future__ import annotations

from flask import Flask, render_template_string

from beleidsbank.config import Settings, load_settings
from kb.store import Store

_PAGE = """<!doctype html>
<html lang="nl"><head><meta charset="utf-8"><title>Beleidsbank</title></head>
<body><main><h1>Beleidsbank</h1>
{% for doc in docs %}<h2>{{ doc.title }}</h2><ul>
{% for s in sections[doc.id] %}<li>{{ s.title }}</li>{% endfor %}</ul>{% endfor %}
</main></body></html>"""


def create_app(settings: Settings | None = None) -> Flask:
    settings = settings or load_settings()
    app = Flask(__name__)
    app.config["SETTINGS"] = settings

    @app.get("/")
    def home():
        with Store(settings.db_path, readonly=True) as store:
            docs = store.documents()
            sections = {d["id"]: store.sections(d["id"]) for d in docs}
        return render_template_string(_PAGE, docs=docs, sections=sections)

    return app
