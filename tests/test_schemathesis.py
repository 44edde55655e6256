"""Property-based tests of the live API from its own OpenAPI document (schemathesis 4.x).

Schemathesis loads ``/api/v1/openapi.json`` from the app built on the shipped corpus and sends
generated requests — valid ones and, for every parameter, invalid ones — to every operation,
checking that no response is a server error, that status codes, content types, headers and
bodies conform to the spec, that invalid input is rejected and valid input accepted, and that
undocumented methods get 405 with ``Allow``.  Examples are bounded so the run stays short.
"""
from __future__ import annotations

from dataclasses import replace

import pytest
import schemathesis
from hypothesis import HealthCheck, settings

from settings import Settings
from webapp import create_app

MAX_EXAMPLES = 30

# The schema is loaded from a running app when this module is imported, before fixtures exist;
# requests go through this WSGI proxy to the app of the session's built data directory.
_APP: list = [create_app(Settings(), testing=True)]  # serves /openapi.json without opening any data


def _live_app(environ, start_response):
    return _APP[0](environ, start_response)


schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", _live_app)


@pytest.fixture(scope="module", autouse=True)
def _built_app(built_settings: Settings):
    # schemathesis sends hundreds of POSTs from one address: the request limit (tested in
    # test_api_limits.py) is lifted here so valid requests are judged on their own
    _APP[0] = create_app(replace(built_settings, limits=replace(built_settings.limits, post_burst=1_000_000)),
                         testing=True)
    yield
    _APP[0] = create_app(Settings(), testing=True)


@schema.parametrize()
@settings(max_examples=MAX_EXAMPLES, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much, HealthCheck.data_too_large])
def test_api_conforms_to_its_openapi_document(case: schemathesis.Case) -> None:
    if case.operation.path in ("/tag", "/statements") and isinstance(case.body, dict) \
            and isinstance(case.body.get("text"), str):
        case.body["text"] = case.body["text"][:2000]  # small texts: the tagger is not under test here
    # schemathesis' WSGI transport asks for gzip like a browser but does not inflate the body;
    # compression is covered by the contract tests
    case.call_and_validate(headers={"Accept-Encoding": "identity"})
