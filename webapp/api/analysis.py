"""Text analysis of posted text: ``POST /tag`` (entities) and ``POST /statements`` (commitments,
results and problems, with who / what / by when).

Both answer exactly what their command-line twin prints (``beleidsbank tag --json``,
``beleidsbank statements --json``): the same functions, the same tagger (built once per app,
with the knowledge base's abbreviation definitions).  Both read a JSON body of at most
``Limits.max_request_bytes`` of text, fall under the request limit (``webapp.api.ratelimit``),
and run under the text budget (``webapp.budgets``): one analysis at a time per process, the
budget starting when it is this request's turn.
"""
from __future__ import annotations

import json
import threading
from datetime import date
from typing import Any

from flask import current_app, request

from webapp import budgets
from webapp.api.problems import ApiError
from webapp.api.spec import body_error, operations
from webapp.services import services

Params = dict[str, Any]
_tagger_lock = threading.Lock()


def _tagger() -> dict[str, Any]:
    """The tagger of this app, built on first use: the corpus' own abbreviation definitions and the
    register of regulations, as ``beleidsbank tag`` and ``beleidsbank statements`` build it."""
    state = current_app.extensions.setdefault("beleidsbank.api.tagger", {})
    if "tagger" not in state:
        with _tagger_lock:
            if "tagger" not in state:
                from kb.laws.store import register_source
                from kb.tagger import build_tagger

                store = services().store
                state["tagger"] = build_tagger(definitions=store.definitions(), model=services().settings.spacy_model,
                                               register=register_source(store.conn, services().settings.data_dir))
                state["lock"] = threading.Lock()
    return state


def _text_body(op_id: str, example: str) -> dict[str, Any]:
    """The JSON body of a text-analysis request, checked against the spec and the size limit."""
    if request.mimetype != "application/json":
        shown = request.mimetype or "geen Content-Type"
        raise ApiError(415, f"Stuur de tekst als application/json ({example}), niet als {shown}.")
    raw = request.get_data(cache=False)  # raises RequestEntityTooLarge (413) past MAX_CONTENT_LENGTH
    try:
        body = json.loads(raw)
    except (ValueError, RecursionError) as exc:
        raise ApiError(400, f"De aanvraag is geen geldige JSON ({exc}).") from None
    problem = body_error(operations()[op_id], body)
    if problem:
        raise ApiError(400, f"Ongeldige aanvraag: {problem}; verwacht {example}.")
    try:
        size = len(body["text"].encode("utf-8"))
    except UnicodeEncodeError:
        raise ApiError(400, "De tekst bevat ongeldige Unicode (een losse surrogaat).") from None
    limit = services().settings.max_request_bytes
    if size > limit:
        raise ApiError(413, f"De tekst is {size} bytes (UTF-8); ten hoogste {limit} bytes (1 MiB) is toegestaan.")
    return body


def tag_text(p: Params) -> Any:
    from kb.tagger import tag_json

    text = _text_body("tagText", '{"text": "..."}')["text"]
    state = _tagger()
    with state["lock"], budgets.request_budget("text"):
        return tag_json(text, state["tagger"])


def analyse_statements(p: Params) -> Any:
    """What ``beleidsbank statements --json [--date D]`` prints for the text: statements first, and
    when one is a commitment, again with the tagger's entities (which it lists and resolves actors to)."""
    from kb.statements import statements_json
    from kb.tagger import tag_json

    body = _text_body("analyseStatements", '{"text": "...", "date": "JJJJ-MM-DD"}')
    ref = None
    if body.get("date"):
        try:
            ref = date.fromisoformat(body["date"])
        except ValueError:
            raise ApiError(400, f"Ongeldige aanvraag: body['date'] is geen bestaande datum ({body['date']!r}).") from None
    text = body["text"]
    state = _tagger()
    with state["lock"], budgets.request_budget("text"):
        payload = statements_json(text, ref=ref)
        if any(s["kind"] == "commitment" for s in payload["statements"]):
            entities = tag_json(text, state["tagger"])["entities"]
            payload = statements_json(text, ref=ref, entities=entities)
    return payload
