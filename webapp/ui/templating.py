"""Template filters and globals: Dutch number and date formats, labels, the search URL builder."""
from __future__ import annotations

from flask.blueprints import BlueprintSetupState

from webapp.dutch import kind_nl, label_nl, nl_number, nl_percent, nl_seconds, plural
from webapp.pages.common import search_url
from webapp.ui.blueprint import ui_bp

FILTER_NAMES_NL = {
    "document": "Document",
    "type": "Soort document",
    "statement": "Soort uitspraak",
    "entity_type": "Soort entiteit",
    "entity": "Entiteit",
    "year": "Jaar",
    "van": "Vanaf",
    "tot": "Tot en met",
    "section": "Sectie",
}


@ui_bp.record_once
def _template_helpers(state: BlueprintSetupState) -> None:
    """Filters and globals for every template, including imported macros (which get no context)."""
    env = state.app.jinja_env
    env.filters.update(nl_number=nl_number, nl_percent=nl_percent, label_nl=label_nl, kind_nl=kind_nl)
    env.globals.update(
        search_url=search_url,
        plural=plural,
        nl_seconds=nl_seconds,
        label_nl=label_nl,
        kind_nl=kind_nl,
        FILTER_NAMES_NL=FILTER_NAMES_NL,
        max_query_chars=state.app.config["SETTINGS"].limits.max_query_chars,
    )
