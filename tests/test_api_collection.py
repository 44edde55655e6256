"""Contract tests of the document, entity and allocation routes of the JSON API on the shipped corpus;
every response is checked against the OpenAPI document."""
from __future__ import annotations


import pytest
from flask.testing import FlaskClient

from settings import Settings
from api_support import API, contract_app, problem_of


@pytest.fixture(scope="module")
def client(built_settings: Settings) -> FlaskClient:
    return contract_app(built_settings).test_client()


# -- documents -------------------------------------------------------------------------------------
def test_documents_and_their_section_tree(client: FlaskClient, validate) -> None:
    docs = validate(client.get(f"{API}/documents"), "/documents")
    assert docs["total"] >= 2 and docs["next"] is None
    for d in docs["documents"]:
        body = validate(client.get(f"{API}/documents/{d['id']}"), "/documents/{id}")
        stack, count = list(body["sections"]), 0
        while stack:
            node = stack.pop()
            count += 1
            assert all(child["level"] > node["level"] for child in node["children"])
            stack += node["children"]
        assert count == body["section_count"] == d["section_count"]
    problem_of(client.get(f"{API}/documents/bestaat-niet"), 404, validate, "/documents/{id}")
    problem_of(client.get(f"{API}/documents?offset=-5"), 400, validate, "/documents")


# -- entities --------------------------------------------------------------------------------------
def test_entities_list_filter_and_detail(client: FlaskClient, validate) -> None:
    body = validate(client.get(f"{API}/entities?limit=100"), "/entities")
    assert body["total"] > 0
    top = body["entities"][0]
    assert top["mention_count"] == max(e["mention_count"] for e in body["entities"])
    typed = validate(client.get(f"{API}/entities?type={top['label']}&limit=100"), "/entities")
    assert typed["total"] > 0 and {e["label"] for e in typed["entities"]} == {top["label"]}
    form = min([top["name"], *top["aliases"]], key=len)
    for variant in (form.lower(), form.upper()):
        found = validate(client.get(f"{API}/entities", query_string={"q": variant, "limit": 100}), "/entities")
        assert top["id"] in {e["id"] for e in found["entities"]}
    none = validate(client.get(f"{API}/entities?q=zzqxzzqx"), "/entities")
    assert none["total"] == 0 and none["entities"] == [] and none["next"] is None
    detail = validate(client.get(f"{API}/entities/{top['id']}"), "/entities/{id}")
    assert detail["id"] == top["id"] and detail["mention_count"] == top["mention_count"]
    problem_of(client.get(f"{API}/entities/bestaat-niet"), 404, validate, "/entities/{id}")
    problem_of(client.get(f"{API}/entities?type=VOGEL"), 400, validate, "/entities")


def test_entity_mentions_with_context_and_pagination(client: FlaskClient, validate) -> None:
    top = client.get(f"{API}/entities").get_json()["entities"][0]
    first = validate(client.get(f"{API}/entities/{top['id']}/mentions?limit=2"), "/entities/{id}/mentions")
    assert first["total"] == top["mention_count"] and first["entity"]["id"] == top["id"]
    collected, url = [], f"{API}/entities/{top['id']}/mentions?limit=3"
    while url:
        page = validate(client.get(url), "/entities/{id}/mentions")
        collected += [(m["section_id"], m["start"]) for m in page["mentions"]]
        for m in page["mentions"]:
            assert m["context"]["match"] == m["text"]
            section = client.get(f"{API}/passages/{m['section_id']}").get_json()
            assert section["text"][m["start"]:m["end"]] == m["text"]
            passage = client.get(f"{API}/passages/{m['passage_id']}").get_json()
            offset = passage["chunk"]["start"] if passage["chunk"] else 0
            assert passage["text"][m["start"] - offset:m["end"] - offset] == m["text"]
        url = page["next"]
    assert len(collected) == len(set(collected)) == top["mention_count"]
    problem_of(client.get(f"{API}/entities/bestaat-niet/mentions"), 404, validate, "/entities/{id}/mentions")


# -- allocations -----------------------------------------------------------------------------------
def test_allocations(client: FlaskClient, validate) -> None:
    body = validate(client.get(f"{API}/allocations"), "/allocations")
    assert body["allocations"], "the shipped corpus has allocations"  # else the loop below checks nothing
    for a in body["allocations"]:
        assert 0 < a["share"] <= 100
