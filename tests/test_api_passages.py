"""Contract tests of the passage and related-passage routes of the JSON API on the shipped corpus; every
response is checked against the OpenAPI document."""
from __future__ import annotations

from typing import Any

import pytest
from flask.testing import FlaskClient

from settings import Settings
from api_support import API, contract_app, problem_of


@pytest.fixture(scope="module")
def client(built_settings: Settings) -> FlaskClient:
    return contract_app(built_settings).test_client()


@pytest.fixture(scope="module")
def hits(client: FlaskClient, validate) -> list[dict[str, Any]]:
    """Search results over several real queries (passage ids of every kind)."""
    out = []
    for q in ("IND", "terugkeer", "ECRIS-TCN", "asiel migratie", "politie"):
        out += validate(client.get(f"{API}/search", query_string={"q": q, "limit": 20}), "/search")["results"]
    assert out, "the shipped corpus should match these queries"
    return out


# -- passages --------------------------------------------------------------------------------------
def test_passages_of_search_hits(client: FlaskClient, validate, hits: list[dict[str, Any]]) -> None:
    seen_window = False
    for hit in hits[:40]:
        body = validate(client.get(f"{API}/passages/{hit['id']}"), "/passages/{id}")
        assert body["id"] == hit["id"] and body["section_id"] == hit["section_id"]
        assert body["document"]["id"] == hit["document"]
        assert body["title"] == hit["title"]
        for ent in body["entities"]:
            assert body["text"][ent["start"]:ent["end"]] == ent["text"]
        for block in body["blocks"]:
            assert 0 <= block["start"] <= block["end"] <= len(body["text"])
        section = validate(client.get(f"{API}/passages/{hit['section_id']}"), "/passages/{id}")
        if body["chunk"] is not None:
            seen_window = True
            chunk = body["chunk"]
            assert hit["id"] == f"{hit['section_id']}~p{chunk['block_start']}"
            assert section["text"][chunk["start"]:chunk["end"]] == body["text"]
            assert len(body["blocks"]) == chunk["block_end"] - chunk["block_start"] + 1
            assert body["text"] in hit["text"]  # the hit may show a long title before the text
        else:
            assert body["text"] == section["text"]
        for link in [*body["breadcrumb"], body["parent"], body["previous"], body["next"]]:
            if link:
                assert client.get(f"{API}/passages/{link['id']}").status_code == 200
        assert body["parent"] == (body["breadcrumb"][-1] if body["breadcrumb"] else None)
    assert seen_window, "some hits should be passages (~pN) inside longer sections"


def test_passage_blocks_and_unknown_ids(client: FlaskClient, validate, hits: list[dict[str, Any]]) -> None:
    hit = next(h for h in hits if "~p" in h["id"])
    window = client.get(f"{API}/passages/{hit['id']}").get_json()["chunk"]
    section = validate(client.get(f"{API}/passages/{hit['section_id']}"), "/passages/{id}")
    assert section["chunk"] is None and section["blocks"]
    if window["block_end"] > window["block_start"]:  # one id, one span: a block inside a window is no passage
        n = window["block_end"]  # of its own; an id naming it resolves to the window, under the window's id
        block = validate(client.get(f"{API}/passages/{hit['section_id']}~p{n}"), "/passages/{id}")
        assert block["id"] == hit["id"] and block["chunk"] == window
    sid = hit["section_id"]
    for unknown in (f"{sid}~p{len(section['blocks'])}", f"{sid}~p99999", "geen-document:geen-sectie", f"{sid}~x"):
        problem_of(client.get(f"{API}/passages/{unknown}"), 404, validate, "/passages/{id}")
    problem_of(client.get(f"{API}/passages/a%2Fb"), 404, None, "")  # no '/' in ids: not a route
    problem_of(client.get(f"{API}/passages/" + "x" * 301), 400, validate, "/passages/{id}")


# -- related ---------------------------------------------------------------------------------------
def test_related_by_passage_and_by_quote(client: FlaskClient, validate, hits: list[dict[str, Any]]) -> None:
    hit = next(h for h in hits if "~p" in h["id"])
    for pid in (hit["id"], hit["section_id"], hit["section_id"] + "~p0"):
        body = validate(client.get(f"{API}/passages/{pid}/related?limit=3"), "/passages/{id}/related")
        assert body["passage"]["id"] == pid and len(body["related"]) <= 3
        assert all(r["document"] != hit["document"] for r in body["related"])
    section = client.get(f"{API}/passages/{hit['section_id']}").get_json()
    b = section["blocks"][0]
    quote_text = " ".join(section["text"][b["start"]:b["end"]].split()[:8])
    body = validate(client.get(f"{API}/related", query_string={"quote": quote_text, "limit": 2}), "/related")
    assert quote_text in " ".join(body["passage"]["text"].split()) and len(body["related"]) <= 2
    assert client.get(f"{API}/passages/{body['passage']['id']}").status_code == 200


def test_related_errors(client: FlaskClient, validate) -> None:
    assert "quote" in problem_of(client.get(f"{API}/related"), 400, validate, "/related")["detail"]
    problem_of(client.get(f"{API}/related?quote="), 400, validate, "/related")
    problem_of(client.get(f"{API}/related", query_string={"quote": "zzqx onvindbaar citaat qqzx"}), 404, validate, "/related")
    problem_of(client.get(f"{API}/related?quote=IND&limit=0"), 400, validate, "/related")
    problem_of(client.get(f"{API}/passages/geen:passage/related"), 404, validate, "/passages/{id}/related")
