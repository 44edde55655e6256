"""Contract tests of ``POST /api/v1/tag``: entities with offsets, request errors and the size limit;
every response is checked against the OpenAPI document."""
from __future__ import annotations

import json

import pytest
from flask.testing import FlaskClient

from settings import Settings
from api_support import API, contract_app, problem_of


@pytest.fixture(scope="module")
def client(built_settings: Settings) -> FlaskClient:
    return contract_app(built_settings).test_client()


# -- tagging ---------------------------------------------------------------------------------------
def test_tag_returns_entities_with_offsets(client: FlaskClient, validate) -> None:
    text = "De IND en het COA werken samen met de Dienst Terugkeer en Vertrek aan het terugkeerbeleid."
    body = validate(client.post(f"{API}/tag", json={"text": text}), "/tag", "post")
    assert body["entities"]
    for ent in body["entities"]:
        assert text[ent["start"]:ent["end"]] == ent["text"]
    assert "ind" in {e["kb_id"] for e in body["entities"]}
    empty = validate(client.post(f"{API}/tag", json={"text": ""}), "/tag", "post")
    assert empty["entities"] == []


def test_tag_request_errors(client: FlaskClient, validate) -> None:
    problem_of(client.post(f"{API}/tag", data="De IND", content_type="text/plain"), 415, validate, "/tag", "post")
    problem_of(client.post(f"{API}/tag", data='{"text": "x"}'), 415, validate, "/tag", "post")
    for data in ('{"text": ', "[1, 2]", '{"tekst": "x"}', '{"text": 5}', '{"text": null}', "", '"text"', "\xff"):
        problem_of(client.post(f"{API}/tag", data=data, content_type="application/json"), 400, validate, "/tag", "post")
    problem_of(client.post(f"{API}/tag", data='{"text": "\\ud800"}', content_type="application/json"), 400, validate, "/tag", "post")


def test_tag_size_limit(client: FlaskClient, validate, built_settings: Settings) -> None:
    limit = built_settings.max_request_bytes
    body = problem_of(client.post(f"{API}/tag", json={"text": "a" * (limit + 1)}), 413, validate, "/tag", "post")
    assert str(limit) in body["detail"]
    multibyte = "é" * (limit // 2 + 1)  # fewer characters than the limit, more bytes
    problem_of(client.post(f"{API}/tag", json={"text": multibyte}), 413, validate, "/tag", "post")
    # past Flask's MAX_CONTENT_LENGTH the request is refused before it is read
    huge = json.dumps({"text": "a" * (limit * 2)})
    problem_of(client.post(f"{API}/tag", data=huge, content_type="application/json"), 413, validate, "/tag", "post")


def test_tag_accepts_exactly_one_mebibyte(client: FlaskClient, validate, built_settings: Settings, monkeypatch) -> None:
    """The size boundary of the API itself (the tagger is stubbed: tagging 1 MiB takes long)."""
    import kb.tagger

    seen = []
    monkeypatch.setattr(kb.tagger, "tag_json", lambda text, tagger: seen.append(len(text)) or {"entities": []})
    limit = built_settings.max_request_bytes
    for text in ("a" * limit, "é" * (limit // 2), "€" * (limit // 3)):
        assert len(text.encode()) <= limit
        validate(client.post(f"{API}/tag", json={"text": text}), "/tag", "post")
    assert seen == [limit, limit // 2, limit // 3]
    problem_of(client.post(f"{API}/tag", json={"text": "€" * (limit // 3 + 1)}), 413, validate, "/tag", "post")
