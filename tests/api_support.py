"""Plain helpers of the JSON API contract tests (test_api_*.py): the app they run against, the check of a
response against the OpenAPI document the app serves (JSON Schema Draft 2020-12 with ``$ref``
resolution), and the check of a problem response (application/problem+json).  Fixtures live in the test modules."""
from __future__ import annotations

import json
from dataclasses import replace
from typing import Any, Callable

from flask import Flask
from flask.testing import FlaskClient
from jsonschema import Draft202012Validator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012
from werkzeug.test import TestResponse

from settings import Settings
from webapp import create_app
from webapp.api.spec import resolve_in

API = "/api/v1"
SPEC_URI = "urn:test:openapi"


def make_app(settings: Settings) -> Flask:
    app = create_app(settings, testing=True)
    if "api_docs" not in app.blueprints:  # until the factory registers the docs page itself
        from webapp.api import docs_bp

        app.register_blueprint(docs_bp)
    return app


def contract_app(settings: Settings) -> Flask:
    """The app of the contract tests: they send many POSTs from one address; the request limit has its
    own tests (test_api_limits.py)."""
    return make_app(replace(settings, limits=replace(settings.limits, post_burst=100_000)))


def response_validator(spec: dict[str, Any]) -> Callable[..., Any]:
    """validate(resp, "/search", "get") -> parsed JSON body, checked against the spec's schema."""
    registry = Registry().with_resource(SPEC_URI, Resource.from_contents(spec, default_specification=DRAFT202012))

    def check(resp: TestResponse, path: str, method: str = "get") -> Any:
        responses = spec["paths"][path][method]["responses"]
        status = str(resp.status_code)
        assert status in responses, f"{method.upper()} {path}: undocumented status {status}: {resp.get_data(as_text=True)[:300]}"
        raw = responses[status]
        base = f"{SPEC_URI}{raw['$ref']}" if "$ref" in raw else f"{SPEC_URI}#/paths/{path.replace('/', '~1')}/{method}/responses/{status}"
        response = resolve_in(spec, raw)
        if resp.status_code == 304:
            assert resp.get_data() == b""
            return None
        ctype = resp.mimetype
        assert ctype in response.get("content", {}), f"{path} {status}: undocumented content type {ctype}"
        for name, header in response.get("headers", {}).items():
            if resolve_in(spec, header).get("required"):
                assert name in resp.headers, f"{path} {status}: missing header {name}"
        body = json.loads(resp.get_data())
        schema = {"$ref": f"{base}/content/{ctype.replace('/', '~1')}/schema"}
        errors = sorted(Draft202012Validator(schema, registry=registry).iter_errors(body), key=str)
        assert not errors, f"{method.upper()} {path} {status}: " + "; ".join(
            f"{list(e.absolute_path)}: {e.message}" for e in errors[:5])
        return body

    return check


def problem_of(resp: TestResponse, status: int, validate, path: str, method: str = "get") -> dict[str, Any]:
    assert resp.status_code == status, resp.get_data(as_text=True)[:500]
    assert resp.mimetype == "application/problem+json"
    assert resp.headers["Cache-Control"] == "no-store"
    body = validate(resp, path, method) if path else resp.get_json(force=True)
    assert set(body) >= {"type", "title", "status", "detail", "instance"}
    assert body["status"] == status and body["detail"] and body["type"].endswith("/api#" + body["type"].split("#")[1])
    return body


def openapi_spec(client: FlaskClient) -> dict[str, Any]:
    """The OpenAPI document the app serves."""
    resp = client.get(f"{API}/openapi.json")
    assert resp.status_code == 200
    return resp.get_json()
