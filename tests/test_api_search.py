"""Contract tests of ``GET /api/v1/search`` on the shipped corpus: shape, filters, ``next`` links and
parameter errors; every response is checked against the OpenAPI document."""
from __future__ import annotations

from urllib.parse import quote

import pytest
from flask.testing import FlaskClient

from settings import Settings
from api_support import API, contract_app, problem_of


@pytest.fixture(scope="module")
def client(built_settings: Settings) -> FlaskClient:
    return contract_app(built_settings).test_client()


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
    assert base["facets"]["year"], "the shipped documents have years"
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
