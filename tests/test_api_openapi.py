"""The OpenAPI document the API serves (``/api/v1/openapi.json``) and its HTML documentation page: the
document matches the routes, its examples match its schemas."""
from __future__ import annotations

import re
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from jsonschema import Draft202012Validator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

from settings import Settings
from webapp.api.spec import resolve_in
from api_support import API, SPEC_URI, contract_app


@pytest.fixture(scope="module")
def app(built_settings: Settings) -> Flask:
    return contract_app(built_settings)


@pytest.fixture(scope="module")
def client(app: Flask) -> FlaskClient:
    return app.test_client()


# -- the document itself ---------------------------------------------------------------------------
def test_openapi_document_is_3_1_and_matches_routes(app: Flask, spec: dict[str, Any]) -> None:
    assert spec["openapi"].startswith("3.1")
    assert spec["servers"] == [{"url": API}]
    documented = {(API + re.sub(r"\{(\w+)\}", r"<\1>", p), m.upper())
                  for p, item in spec["paths"].items() for m in item if m in ("get", "post", "put", "delete", "patch")}
    routed = {(re.sub(r"<(?:\w+:)?(\w+)>", r"<\1>", r.rule), m)
              for r in app.url_map.iter_rules() if r.endpoint.startswith("api.")
              for m in r.methods - {"HEAD", "OPTIONS"}}
    assert routed == documented


def test_openapi_examples_match_their_schemas(spec: dict[str, Any]) -> None:
    registry = Registry().with_resource(SPEC_URI, Resource.from_contents(spec, default_specification=DRAFT202012))
    checked = 0
    for path, item in spec["paths"].items():
        for method, op in item.items():
            for i, param in enumerate(op.get("parameters", [])):
                p = resolve_in(spec, param)
                if "example" in p:
                    v = Draft202012Validator(p["schema"] if "$ref" not in p["schema"] else {"$ref": SPEC_URI + p["schema"]["$ref"]},
                                             registry=registry)
                    assert v.is_valid(p["example"]), (path, p["name"])
                    checked += 1
            body = op.get("requestBody", {}).get("content", {}).get("application/json")
            if body and "example" in body:
                ref = f"{SPEC_URI}#/paths/{path.replace('/', '~1')}/{method}/requestBody/content/application~1json/schema"
                Draft202012Validator({"$ref": ref}, registry=registry).validate(body["example"])
                checked += 1
            for status, raw in op["responses"].items():
                content = resolve_in(spec, raw).get("content", {}).get("application/json", {})
                if "example" in content:
                    ref = f"{SPEC_URI}#/paths/{path.replace('/', '~1')}/{method}/responses/{status}/content/application~1json/schema"
                    Draft202012Validator({"$ref": ref}, registry=registry).validate(content["example"])
                    checked += 1
    assert checked >= 5


def test_entity_label_enum_matches_catalogue(spec: dict[str, Any]) -> None:
    from kb.catalogue import ENTITY_LABELS

    assert spec["components"]["schemas"]["EntityLabel"]["enum"] == list(ENTITY_LABELS)


# -- documentation page ----------------------------------------------------------------------------
def test_docs_page_lists_every_operation(client: FlaskClient, spec: dict[str, Any]) -> None:
    resp = client.get("/api")
    assert resp.status_code == 200 and resp.mimetype == "text/html"
    html = resp.get_data(as_text=True)
    assert 'lang="nl"' in html and f"{API}/openapi.json" in html
    for path, item in spec["paths"].items():
        for method, op in item.items():
            assert f'id="{op["operationId"]}"' in html and f"{API}{path}" in html
            for p in op.get("parameters", []):
                assert f"<code>{resolve_in(spec, p)['name']}</code>" in html
    assert 'id="fout-ongeldige-aanvraag"' in html and "<script>" not in html and "style=" not in html
    assert client.get("/api/").status_code == 308 and client.get("/api/").headers["Location"].endswith("/api")
    css = client.get("/api/static/api-docs.css")
    assert css.status_code == 200 and css.mimetype == "text/css"
    from webapp.api import api_docs_context

    ctx = api_docs_context()
    assert sum(len(g["operations"]) for g in ctx["groups"]) == sum(
        1 for item in spec["paths"].values() for m in item if m in ("get", "post"))
