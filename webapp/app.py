"""Application factory: one explicit ``create_app(settings)``, blueprints per area."""
from __future__ import annotations

from flask import Flask

from settings import Settings, load_settings
from webapp.security import install_security_headers
from webapp.services import Services, release_generation


def create_app(settings: Settings | None = None, *, testing: bool = False) -> Flask:
    """Build the app for a data directory; nothing is opened until the first request."""
    settings = settings or load_settings()
    app = Flask(__name__)
    app.config.update(
        SETTINGS=settings,
        TESTING=testing,
        MAX_CONTENT_LENGTH=settings.max_request_bytes + 64 * 1024,  # JSON envelope around a 1 MB text
        JSON_AS_ASCII=False,
    )
    app.json.ensure_ascii = False
    app.json.sort_keys = False
    app.extensions["beleidsbank"] = Services(settings)
    app.teardown_appcontext(release_generation)
    install_security_headers(app)

    from webapp.api import api_bp, docs_bp
    from webapp.ui import ui_bp

    app.register_blueprint(ui_bp)
    app.register_blueprint(api_bp, url_prefix="/api/v1")
    app.register_blueprint(docs_bp)
    return app
