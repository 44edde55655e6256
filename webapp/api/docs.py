"""The Dutch documentation page of the API (``/api``), rendered from the OpenAPI document.

:func:`api_docs_context` turns the spec into plain data (operations, parameters with their
constraints in words, example requests and responses, problem types); the ``docs_bp``
blueprint renders it in the site layout.  Nothing on the page is written twice: change
``openapi.yaml`` and the page follows.
"""
from __future__ import annotations

import json
from functools import cache
from typing import Any
from urllib.parse import urlencode

import markdown as md
import nh3
from flask import Blueprint, Response, current_app, redirect, render_template, url_for
from markupsafe import Markup

from webapp.api.problems import DEFAULT_DETAILS, PROBLEM_TYPES
from webapp.api.spec import HTTP_METHODS, resolve, spec

docs_bp = Blueprint("api_docs", __name__, template_folder="templates", static_folder="static",
                    static_url_path="/api/static")

DOCS_URL = "/api"
SPEC_URL = "/api/v1/openapi.json"

_TYPE_NL = {"integer": "geheel getal", "string": "tekst", "number": "getal", "boolean": "ja/nee",
            "object": "object", "array": "lijst"}
_STATUS_NL = {200: "OK", 304: "Niet gewijzigd", 400: "Ongeldige aanvraag", 404: "Niet gevonden",
              405: "Methode niet toegestaan", 413: "Te groot", 415: "Mediatype niet ondersteund",
              429: "Te veel aanvragen", 500: "Interne fout", 503: "Rekentijd op"}


def _html(text: str | None) -> Markup:
    """Markdown from the spec as sanitised HTML."""
    return Markup(nh3.clean(md.markdown(text or "", extensions=["tables"])))


def _constraints(schema: dict[str, Any]) -> str:
    schema = resolve(schema)
    parts = [_TYPE_NL.get(schema.get("type", "string"), str(schema.get("type")))]
    if "enum" in schema:
        parts.append("een van: " + ", ".join(map(str, schema["enum"])))
    if "minimum" in schema and "maximum" in schema:
        parts.append(f"{schema['minimum']}–{schema['maximum']}")
    elif "minimum" in schema:
        parts.append(f"minstens {schema['minimum']}")
    if "maxLength" in schema:
        parts.append(f"ten hoogste {schema['maxLength']} tekens")
    if schema.get("default") not in (None, ""):
        parts.append(f"standaard {schema['default']}")
    return "; ".join(parts)


def _example_url(path: str, params: list[dict[str, Any]]) -> str:
    """The request with the spec's example values of path parameters, required parameters and
    ``q`` filled in (the other examples show a value each, not one combined request)."""
    url = path
    query = {}
    for p in params:
        if "example" not in p:
            continue
        if p["in"] == "path":
            url = url.replace("{" + p["name"] + "}", str(p["example"]))
        elif p["in"] == "query" and (p.get("required") or p["name"] == "q"):
            query[p["name"]] = p["example"]
    base = spec()["servers"][0]["url"]
    return base + url + (("?" + urlencode(query)) if query else "")


def _json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, indent=2)


@cache
def api_docs_context() -> dict[str, Any]:
    """Everything the documentation page shows, derived from the OpenAPI document.

    ``{"title", "version", "description" (HTML), "spec_url", "groups": [{"name", "description",
    "operations": [{"id", "method", "path", "url", "summary", "description" (HTML), "parameters":
    [{"name", "in", "required", "constraints", "description"}], "request_example",
    "curl", "responses": [{"status", "title", "description"}], "example_response"}]}],
    "problems": [{"anchor", "status", "title", "detail"}]}``
    """
    doc = spec()
    base = doc["servers"][0]["url"]
    groups = {t["name"]: {"name": t["name"], "description": t.get("description", ""), "operations": []}
              for t in doc.get("tags", [])}
    for path, item in doc["paths"].items():
        for method, op in item.items():
            if method not in HTTP_METHODS:
                continue
            params = [resolve(p) for p in [*item.get("parameters", []), *op.get("parameters", [])]]
            request_example = None
            if "requestBody" in op:
                content = op["requestBody"]["content"]["application/json"]
                request_example = content.get("example")
            responses = []
            example_response = None
            for status, raw in op["responses"].items():
                r = resolve(raw)
                responses.append({"status": int(status), "title": _STATUS_NL.get(int(status), ""),
                                  "description": _html(r.get("description"))})
                content = r.get("content", {})
                if status == "200" and "application/json" in content:
                    example_response = content["application/json"].get("example")
            url = _example_url(path, params)
            curl = "curl"
            if method == "post" and request_example is not None:
                curl += (" -X POST -H 'Content-Type: application/json' "
                         f"-d '{json.dumps(request_example, ensure_ascii=False)}'")
            groups.setdefault(op.get("tags", ["overig"])[0], {"name": "overig", "description": "", "operations": []})
            groups[op.get("tags", ["overig"])[0]]["operations"].append({
                "id": op["operationId"],
                "method": method.upper(),
                "path": base + path,
                "url": url,
                "summary": op.get("summary", ""),
                "description": _html(op.get("description")),
                "parameters": [{
                    "name": p["name"], "in": p["in"], "required": bool(p.get("required")),
                    "constraints": _constraints(p["schema"]), "description": _html(p.get("description")),
                } for p in params],
                "request_example": _json(request_example) if request_example is not None else None,
                "curl": curl,  # the example request is `{curl} '{host}{url}'`
                "responses": responses,
                "example_response": _json(example_response) if example_response is not None else None,
            })
    problems = []
    seen = set()
    for status, (fragment, title) in sorted(PROBLEM_TYPES.items()):
        if fragment in seen:
            continue
        seen.add(fragment)
        problems.append({"anchor": f"fout-{fragment}", "status": status, "title": title,
                         "detail": DEFAULT_DETAILS.get(status, "")})
    return {
        "title": doc["info"]["title"],
        "version": doc["info"]["version"],
        "summary": doc["info"].get("summary", ""),
        "description": _html(doc["info"].get("description")),
        "spec_url": SPEC_URL,
        "base_url": base,
        "groups": [g for g in groups.values() if g["operations"]],
        "problems": problems,
    }


def live_try_urls(api: dict[str, Any]) -> dict[str, str]:
    """The "Probeer" link of each GET operation, with the spec's example ids swapped for ids of the
    collection being served (the examples name the shipped documents; on one's own collection they
    would be dead links).  An operation whose example cannot be made to fit gets no link."""
    from urllib.parse import parse_qsl, urlsplit

    from webapp.services import services

    store = services().store
    docs = store.documents()
    sections = [s for s in store.sections(docs[0]["id"]) if s["text"].strip()] if docs else []
    out: dict[str, str] = {}
    for group in api["groups"]:
        for op in group["operations"]:
            if op["method"] != "GET":
                continue
            parts = urlsplit(op["url"])
            path, query = parts.path, dict(parse_qsl(parts.query))
            segments = path.split("/")
            if len(segments) > 4 and segments[3] in ("documents", "passages"):
                known = store.document(segments[4]) if segments[3] == "documents" else store.section(
                    segments[4].split("~")[0])
                if known is None:
                    if not sections:
                        continue
                    segments[4] = sections[0]["document_id"] if segments[3] == "documents" else sections[0]["id"]
            if segments[-1] == "related" and len(segments) == 4 and "quote" in query:
                if not sections:
                    continue
                query["quote"] = " ".join(sections[0]["text"].split()[:8])
            out[op["id"]] = "/".join(segments) + (("?" + urlencode(query)) if query else "")
    return out


@docs_bp.get(DOCS_URL)
def index() -> str:
    # curl examples need a full address: the configured public one (never the request's Host)
    public_base = current_app.config["SETTINGS"].public_url.rstrip("/") or "http://127.0.0.1:5000"
    api = api_docs_context()
    return render_template("api_docs/index.html", api=api, public_base=public_base, try_urls=live_try_urls(api))


@docs_bp.get(DOCS_URL + "/")
def index_slash() -> Response:
    return redirect(url_for(".index"), 308)
