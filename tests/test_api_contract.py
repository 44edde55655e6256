"""Contract tests of the JSON API against the shipped corpus.

Every response is validated against the OpenAPI document the app serves
(``/api/v1/openapi.json``, JSON Schema Draft 2020-12 with ``$ref`` resolution), for its status
code and content type.
"""
from __future__ import annotations

import gzip
import json
import logging
import re
from dataclasses import replace
from typing import Any
from urllib.parse import quote

import pytest
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


@pytest.fixture(scope="module")
def app(built_settings: Settings) -> Flask:
    # these tests send many POSTs from one address; the request limit has its own tests (test_api_limits.py)
    return make_app(replace(built_settings, limits=replace(built_settings.limits, post_burst=100_000)))


@pytest.fixture(scope="module")
def client(app: Flask) -> FlaskClient:
    return app.test_client()


@pytest.fixture(scope="module")
def spec(client: FlaskClient) -> dict[str, Any]:
    resp = client.get(f"{API}/openapi.json")
    assert resp.status_code == 200
    return resp.get_json()


@pytest.fixture(scope="module")
def validate(spec: dict[str, Any]):
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


@pytest.fixture(scope="module")
def hits(client: FlaskClient, validate) -> list[dict[str, Any]]:
    """Search results over several real queries (passage ids of every kind)."""
    out = []
    for q in ("IND", "terugkeer", "ECRIS-TCN", "asiel migratie", "politie"):
        out += validate(client.get(f"{API}/search", query_string={"q": q, "limit": 20}), "/search")["results"]
    assert out, "the shipped corpus should match these queries"
    return out


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


# -- search ----------------------------------------------------------------------------------------
def test_search_returns_the_cli_shape_plus_pagination(client: FlaskClient, validate) -> None:
    body = validate(client.get(f"{API}/search?q=IND&limit=5"), "/search")
    assert body["query"] == "IND" and body["limit"] == 5 and body["offset"] == 0
    assert 0 < len(body["results"]) <= 5 and body["total"] >= len(body["results"])
    assert set(body["facets"]) >= {"document", "type", "entity_type", "entity", "year"}
    assert (body["next"] is None) == (body["total"] <= 5)


def test_search_filters_restrict_results(client: FlaskClient, validate) -> None:
    base = validate(client.get(f"{API}/search?q=IND&limit=100"), "/search")
    doc = base["facets"]["document"][0]["value"]
    only = validate(client.get(f"{API}/search", query_string={"q": "IND", "limit": 100, "document": doc}), "/search")
    assert only["total"] == base["facets"]["document"][0]["count"]
    assert {r["document"] for r in only["results"]} == {doc}
    if base["facets"]["year"]:
        year = base["facets"]["year"][0]["value"]
        by_year = validate(client.get(f"{API}/search", query_string={"q": "IND", "limit": 100, "year": year}), "/search")
        assert by_year["results"] and all(r["year"] == year for r in by_year["results"])
    ent = base["facets"]["entity"][0]["value"]
    by_ent = validate(client.get(f"{API}/search", query_string={"entity": ent, "limit": 100}), "/search")
    assert by_ent["total"] > 0 and all(ent in {e["id"] for e in r["entities"]} for r in by_ent["results"])
    empty_filter = validate(client.get(f"{API}/search?q=IND&limit=100&document="), "/search")
    assert empty_filter["total"] == base["total"]  # an empty filter value means: no filter
    dated = validate(client.get(f"{API}/search?q=IND&limit=100&sort=date"), "/search")
    assert dated["total"] == base["total"]


@pytest.mark.parametrize("endpoint,params", [
    ("/search", {"q": "migratie"}),
    ("/search", {"q": "IND", "sort": "date"}),
    ("/documents", {}),
    ("/entities", {}),
])
def test_next_links_walk_all_results_without_overlap(client: FlaskClient, validate, endpoint: str, params: dict) -> None:
    key = {"/search": "results", "/documents": "documents", "/entities": "entities"}[endpoint]
    everything = validate(client.get(API + endpoint, query_string={**params, "limit": 100}), endpoint)
    limit = max(1, min(7, everything["total"] // 3 or 1))
    url = API + endpoint + "?" + "&".join(f"{k}={quote(str(v))}" for k, v in {**params, "limit": limit}.items())
    seen: list[str] = []
    pages = 0
    while url:
        page = validate(client.get(url), endpoint)
        assert page["limit"] == limit and page["offset"] == len(seen) and page["total"] == everything["total"]
        assert len(page[key]) == min(limit, page["total"] - page["offset"])
        seen += [item["id"] for item in page[key]]
        url = page["next"]
        pages += 1
        assert pages < 500
    assert len(seen) == len(set(seen)) == everything["total"]
    if everything["total"] <= 100:
        assert seen == [item["id"] for item in everything[key]]


@pytest.mark.parametrize("query,param", [
    ("limit=0", "limit"), ("limit=101", "limit"), ("limit=abc", "limit"), ("limit=1.5", "limit"), ("limit=", "limit"), ("entity=", None),
    ("offset=-1", "offset"), ("offset=10001", "offset"), ("sort=score", "sort"), ("year=twintig", "year"),
    ("entity_type=org", "entity_type"), ("limit=5&limit=6", "limit"), ("q=" + "x" * 501, "q"),
    ("limit=99999999999999999999999", "limit"),
])
def test_search_rejects_invalid_parameters(client: FlaskClient, validate, query: str, param: str | None) -> None:
    resp = client.get(f"{API}/search?q=IND&{query}" if not query.startswith("q=") else f"{API}/search?{query}")
    if param is None:  # an empty optional text parameter counts as absent
        validate(resp, "/search")
        assert resp.status_code == 200
        return
    body = problem_of(resp, 400, validate, "/search")
    assert [e["name"] for e in body["errors"]] == [param]
    assert param in body["detail"]


def test_search_never_fails_on_odd_queries(client: FlaskClient, validate) -> None:
    for q in ['"', "(((", "AND OR NOT", "*", "~2", "\x00\x01", "ü" * 200, "🙂", ":", "de het een", "IND~", '"IND']:
        resp = client.get(f"{API}/search", query_string={"q": q})
        assert resp.status_code == 200, (q, resp.get_data(as_text=True)[:300])
        validate(resp, "/search")


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


# -- allocations -----------------------------------------------------------------------------------
def test_allocations(client: FlaskClient, validate) -> None:
    body = validate(client.get(f"{API}/allocations"), "/allocations")
    for a in body["allocations"]:
        assert 0 < a["share"] <= 100


# -- HTTP behaviour --------------------------------------------------------------------------------
def test_unknown_paths_and_methods(client: FlaskClient) -> None:
    for url in (f"{API}/bestaat-niet", f"{API}/", API, f"{API}/search/", f"{API}/entities/ind/onbekend", "/api/v2/search"):
        body = problem_of(client.get(url), 404, None, "")
        assert body["instance"] == url
    resp = client.put(f"{API}/search")
    problem_of(resp, 405, None, "")
    assert set(resp.headers["Allow"].split(", ")) == {"GET", "HEAD", "OPTIONS"}
    resp = client.get(f"{API}/tag")
    problem_of(resp, 405, None, "")
    assert set(resp.headers["Allow"].split(", ")) == {"POST", "OPTIONS"}
    resp = client.delete(f"{API}/passages/a:b~p1")
    problem_of(resp, 405, None, "")
    # the HTML interface keeps its own error pages
    assert client.get("/bestaat-niet-api").mimetype == "text/html"


def test_unexpected_errors_are_problems_and_logged(client: FlaskClient, monkeypatch, caplog) -> None:
    import kb.allocations

    def boom(store):
        raise RuntimeError("kapot")

    monkeypatch.setattr(kb.allocations, "allocations_json", boom)
    with caplog.at_level(logging.ERROR, logger="webapp.api.problems"):
        resp = client.get(f"{API}/allocations")
    body = problem_of(resp, 500, None, "")
    assert "kapot" not in body["detail"]
    assert any(r.exc_info and "kapot" in str(r.exc_info[1]) for r in caplog.records)


def test_etag_and_conditional_get(client: FlaskClient, validate) -> None:
    first = client.get(f"{API}/documents")
    etag = first.headers["ETag"]
    assert re.fullmatch(r'"[0-9a-f]{32}"', etag) and first.headers["Cache-Control"] == "public, max-age=60"
    assert client.get(f"{API}/documents").headers["ETag"] == etag
    assert client.get(f"{API}/documents?limit=1").headers["ETag"] != etag
    not_modified = client.get(f"{API}/documents", headers={"If-None-Match": etag})
    assert not_modified.status_code == 304 and not_modified.get_data() == b""
    assert not_modified.headers["ETag"] == etag and not_modified.headers["Cache-Control"] == "public, max-age=60"
    validate(not_modified, "/documents")
    assert client.get(f"{API}/documents", headers={"If-None-Match": '"ander"'}).status_code == 200
    assert client.get(f"{API}/documents", headers={"If-None-Match": f'"ander", {etag}'}).status_code == 304
    assert "ETag" not in client.get(f"{API}/documents/bestaat-niet").headers


def test_search_etag_is_weak_and_ignores_timing(client: FlaskClient, validate) -> None:
    first = client.get(f"{API}/search?q=IND")
    etag = first.headers["ETag"]
    assert re.fullmatch(r'W/"[0-9a-f]{32}"', etag)
    again = client.get(f"{API}/search?q=IND")
    assert again.headers["ETag"] == etag  # took_ms differs, the results do not
    assert client.get(f"{API}/search?q=COA").headers["ETag"] != etag
    not_modified = client.get(f"{API}/search?q=IND", headers={"If-None-Match": etag})
    assert not_modified.status_code == 304 and not_modified.get_data() == b""
    validate(not_modified, "/search")


def test_gzip_for_large_bodies_only(client: FlaskClient) -> None:
    plain = client.get(f"{API}/search?q=IND")
    assert "Content-Encoding" not in plain.headers and len(plain.get_data()) > 1024
    zipped = client.get(f"{API}/search?q=IND", headers={"Accept-Encoding": "gzip, deflate"})
    assert zipped.headers["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in zipped.headers["Vary"]
    unzipped = json.loads(gzip.decompress(zipped.get_data()))
    assert {**unzipped, "took_ms": 0} == {**plain.get_json(), "took_ms": 0}
    assert int(zipped.headers["Content-Length"]) == len(zipped.get_data()) < len(plain.get_data())
    ents = client.get(f"{API}/entities")
    ents_zipped = client.get(f"{API}/entities", headers={"Accept-Encoding": "gzip"})
    assert len(ents.get_data()) > 1024 and gzip.decompress(ents_zipped.get_data()) == ents.get_data()
    assert ents_zipped.headers["ETag"] != ents.headers["ETag"]  # another representation, another strong tag
    assert client.get(f"{API}/entities", headers={"Accept-Encoding": "gzip",
                                                  "If-None-Match": ents_zipped.headers["ETag"]}).status_code == 304
    refused = client.get(f"{API}/search?q=IND", headers={"Accept-Encoding": "gzip;q=0, identity"})
    assert "Content-Encoding" not in refused.headers
    small = client.get(f"{API}/entities?q=zzqxzzqx", headers={"Accept-Encoding": "gzip"})
    assert small.status_code == 200 and len(small.get_data()) < 1024 and "Content-Encoding" not in small.headers
    tagged = client.post(f"{API}/tag", json={"text": "De IND en het COA. " * 100}, headers={"Accept-Encoding": "gzip"})
    assert tagged.headers["Content-Encoding"] == "gzip" and "ETag" not in tagged.headers
    assert json.loads(gzip.decompress(tagged.get_data()))["entities"]


def test_cors_is_off_by_default(client: FlaskClient) -> None:
    resp = client.get(f"{API}/documents", headers={"Origin": "https://example.org"})
    assert resp.status_code == 200 and "Access-Control-Allow-Origin" not in resp.headers
    pre = client.options(f"{API}/search", headers={"Origin": "https://example.org", "Access-Control-Request-Method": "GET"})
    assert "Access-Control-Allow-Origin" not in pre.headers


def test_cors_when_configured(built_settings: Settings) -> None:
    client = make_app(replace(built_settings, cors_origins=("https://example.org",))).test_client()
    resp = client.get(f"{API}/documents", headers={"Origin": "https://example.org"})
    assert resp.headers["Access-Control-Allow-Origin"] == "https://example.org"
    assert "Origin" in resp.headers["Vary"] and "ETag" in resp.headers["Access-Control-Expose-Headers"]
    other = client.get(f"{API}/documents", headers={"Origin": "https://evil.example"})
    assert other.status_code == 200 and "Access-Control-Allow-Origin" not in other.headers
    pre = client.options(f"{API}/tag", headers={"Origin": "https://example.org", "Access-Control-Request-Method": "POST",
                                                 "Access-Control-Request-Headers": "content-type"})
    assert pre.status_code == 204
    assert pre.headers["Access-Control-Allow-Origin"] == "https://example.org"
    assert "POST" in pre.headers["Access-Control-Allow-Methods"]
    assert "content-type" in pre.headers["Access-Control-Allow-Headers"].lower()
    error = client.get(f"{API}/documents/bestaat-niet", headers={"Origin": "https://example.org"})
    assert error.status_code == 404 and error.headers["Access-Control-Allow-Origin"] == "https://example.org"
    anyone = make_app(replace(built_settings, cors_origins=("*",))).test_client()
    assert anyone.get(f"{API}/documents", headers={"Origin": "https://x.test"}).headers["Access-Control-Allow-Origin"] == "https://x.test"


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


def test_head_and_options(client: FlaskClient) -> None:
    get = client.get(f"{API}/entities/ind")
    head = client.head(f"{API}/entities/ind")
    assert head.status_code == 200 and head.get_data() == b"" and head.headers["ETag"] == get.headers["ETag"]
    options = client.options(f"{API}/search")
    assert options.status_code == 200 and set(options.headers["Allow"].split(", ")) == {"GET", "HEAD", "OPTIONS"}
    assert "Access-Control-Allow-Origin" not in options.headers
