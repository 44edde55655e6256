"""HTTP behaviour of the JSON API: problem responses for unknown paths, methods and failures, ETags and
conditional GET, gzip, CORS, HEAD and OPTIONS."""
from __future__ import annotations

import gzip
import json
import logging
import re
from dataclasses import replace

import pytest
from flask.testing import FlaskClient

from settings import Settings
from api_support import API, contract_app, make_app, problem_of


@pytest.fixture(scope="module")
def client(built_settings: Settings) -> FlaskClient:
    return contract_app(built_settings).test_client()


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


def test_head_and_options(client: FlaskClient) -> None:
    get = client.get(f"{API}/entities/ind")
    head = client.head(f"{API}/entities/ind")
    assert head.status_code == 200 and head.get_data() == b"" and head.headers["ETag"] == get.headers["ETag"]
    options = client.options(f"{API}/search")
    assert options.status_code == 200 and set(options.headers["Allow"].split(", ")) == {"GET", "HEAD", "OPTIONS"}
    assert "Access-Control-Allow-Origin" not in options.headers
