"""API completeness (issue 15): items carry their web address, lists have ``prev``/``next`` in the
body and in a ``Link`` header, and every page's data has an endpoint (statements, measures, funds)."""
from __future__ import annotations

import re
from dataclasses import replace
from typing import Any
from urllib.parse import urlsplit

import pytest
from flask.testing import FlaskClient

from settings import Settings
from support import PLAN_ID
from webapp import create_app

API = "/api/v1"
PUBLIC = "https://beleidsbank.example.nl"


@pytest.fixture(scope="module")
def client(built_settings: Settings) -> FlaskClient:
    return create_app(replace(built_settings, public_url=PUBLIC), testing=True).test_client()


def get(client: FlaskClient, url: str, **params: Any) -> Any:
    resp = client.get(url, query_string=params) if params else client.get(url)
    assert resp.status_code == 200, resp.get_data(as_text=True)[:300]
    return resp


def _local(url: str) -> str:
    """A site URL from the API on the configured public address, as a path for the test client."""
    parts = urlsplit(url)
    assert f"{parts.scheme}://{parts.netloc}" == PUBLIC, url
    return parts.path + (f"?{parts.query}" if parts.query else "")


# -- web addresses -----------------------------------------------------------------------------------
@pytest.mark.parametrize("path,key", [("/search?q=IND", "results"), ("/documents", "documents"),
                                      ("/entities", "entities"), ("/entities/ind/mentions", "mentions"),
                                      ("/statements?kind=result", "statements"), ("/measures?fund=AMF", "measures"),
                                      ("/allocations", "allocations"), ("/funds", "funds")])
def test_every_item_links_to_its_page_on_the_site(client: FlaskClient, path: str, key: str) -> None:
    items = get(client, API + path).get_json()[key]
    assert items
    for item in items[:12]:
        page = client.get(_local(item["url"]))
        assert page.status_code == 200 and page.mimetype == "text/html", item["url"]


def test_search_hit_url_marks_its_window_and_keeps_the_query(client: FlaskClient) -> None:
    for hit in get(client, f"{API}/search?q=terugkeer&limit=20").get_json()["results"]:
        parts = urlsplit(hit["url"])
        assert hit["url"].startswith(PUBLIC + "/")
        assert parts.path == f"/passages/{hit['section_id']}" and "q=terugkeer" in parts.query
        if hit["block_start"] is not None:
            assert f"b={hit['block_start']}" in parts.query and parts.fragment == f"p{hit['block_start']}"


def test_passage_and_related_carry_urls(client: FlaskClient) -> None:
    hit = get(client, f"{API}/search?q=ECRIS&limit=1").get_json()["results"][0]
    passage = get(client, f"{API}/passages/{hit['id']}").get_json()
    assert urlsplit(passage["url"]).path == f"/passages/{passage['section_id']}"
    related = get(client, f"{API}/passages/{hit['id']}/related").get_json()["related"]
    assert related and all(client.get(_local(r["url"])).status_code == 200 for r in related)


# -- prev / next -------------------------------------------------------------------------------------
def _links(resp) -> dict[str, str]:
    return {rel: url for url, rel in re.findall(r'<([^>]+)>; rel="(\w+)"', resp.headers.get("Link", ""))}


@pytest.mark.parametrize("path,key", [("/search?q=migratie", "results"), ("/entities", "entities"),
                                      ("/statements", "statements"), ("/measures", "measures")])
def test_prev_and_next_walk_the_list_both_ways(client: FlaskClient, path: str, key: str) -> None:
    sep = "&" if "?" in path else "?"
    resp = get(client, f"{API}{path}{sep}limit=7")
    body = resp.get_json()
    assert body["prev"] is None and body["next"] and _links(resp) == {"next": body["next"]}
    forward, url = [], f"{API}{path}{sep}limit=7"
    pages = []
    while url:
        resp = get(client, url)
        body = resp.get_json()
        assert _links(resp) == {k: v for k, v in (("next", body["next"]), ("prev", body["prev"])) if v}
        pages.append(body)
        forward += [i.get("id") for i in body[key]]
        url = body["next"]
    assert len(forward) == body["total"] == len(set(forward))
    backward, url = [], pages[-1]["prev"]
    while url:
        body = get(client, url).get_json()
        backward = [i.get("id") for i in body[key]] + backward
        url = body["prev"]
    assert backward == forward[:len(backward)] and len(backward) == len(forward) - len(pages[-1][key])


def test_a_page_past_the_end_is_empty_with_correct_links(client: FlaskClient) -> None:
    total = get(client, f"{API}/search?q=IND").get_json()["total"]
    resp = get(client, f"{API}/search?q=IND&limit=4&offset=500")
    body = resp.get_json()
    assert body["results"] == [] and body["next"] is None and body["total"] == total
    last = get(client, body["prev"]).get_json()
    assert last["results"] and last["next"] is None and last["offset"] == ((total - 1) // 4) * 4
    assert _links(resp) == {"prev": body["prev"]}


# -- endpoints for what the pages show ---------------------------------------------------------------
def test_statements_are_what_the_measures_page_lists(client: FlaskClient) -> None:
    for query in ("type=commitment", "type=result&fonds=AMF", f"type=problem&document={PLAN_ID}", "entity=ind"):
        page = get(client, f"/maatregelen.json?{query}").get_json()
        api_query = query.replace("type=", "kind=").replace("fonds=", "fund=")
        body = get(client, f"{API}/statements?{api_query}&limit=100").get_json()
        assert body["total"] == page["total"], query
        assert [s["id"] for s in body["statements"][:len(page["items"])]] == [i["id"] for i in page["items"]]
        for s in body["statements"]:
            assert s["kind_nl"] and not re.search(r"\b[a-z_]+\.[a-z_]+\b", s["cue"])  # words, never a rule id
            assert s["text"] and s["end"] > s["start"]
    assert get(client, f"{API}/statements?document=bestaat-niet").get_json()["total"] == 0
    assert get(client, f"{API}/statements?entity=bestaat-niet").get_json()["total"] == 0
    assert client.get(f"{API}/statements?kind=other").status_code == 400


def test_measures_follow_the_fund_page(client: FlaskClient) -> None:
    page = get(client, "/maatregelen.json?fonds=AMF").get_json()
    body = get(client, f"{API}/measures?fund=amf&limit=100").get_json()
    assert body["total"] == page["measure_count"] > 0
    assert {m["fund"] for m in body["measures"]} == {"AMF"}
    everything = get(client, f"{API}/measures?limit=100").get_json()
    assert everything["total"] > body["total"]
    with_ind = get(client, f"{API}/measures?entity=ind&limit=100").get_json()
    assert 0 < with_ind["total"] < everything["total"]
    assert get(client, f"{API}/measures?fund=GEENFONDS").get_json()["total"] == 0


def test_funds_are_what_the_fund_pages_show(client: FlaskClient) -> None:
    listed = get(client, f"{API}/funds").get_json()["funds"]
    assert listed == [{**r, "url": f"{PUBLIC}/fondsen/{r['code']}"} for r in get(client, "/fondsen.json").get_json()["funds"]]
    amf = get(client, f"{API}/funds/amf").get_json()
    page = get(client, "/fondsen/AMF.json").get_json()
    assert amf["code"] == "AMF" and amf["summary"] == page["summary"]
    assert [a["share"] for a in amf["allocations"]] == [a["share"] for a in page["allocations"]]
    assert amf["measure_count"] == page["measure_count"]
    missing = client.get(f"{API}/funds/GEENFONDS")
    assert missing.status_code == 404 and missing.mimetype == "application/problem+json"


def test_cors_exposes_the_paging_and_limit_headers(built_settings: Settings) -> None:
    client = create_app(replace(built_settings, cors_origins=("https://example.org",)), testing=True).test_client()
    resp = client.get(f"{API}/entities?limit=2", headers={"Origin": "https://example.org"})
    exposed = {h.strip() for h in resp.headers["Access-Control-Expose-Headers"].split(",")}
    assert {"Link", "Retry-After", "ETag"} <= exposed and "rel=\"next\"" in resp.headers["Link"]


def test_item_urls_never_come_from_the_host_header(built_settings: Settings) -> None:
    bare = create_app(built_settings, testing=True).test_client()  # no public address configured
    hit = bare.get(f"{API}/search?q=IND&limit=1", headers={"Host": "kwaadwillend.example"}).get_json()["results"][0]
    assert hit["url"].startswith("/passages/")  # relative, never the forged host
    hit = get(client=create_app(replace(built_settings, public_url=PUBLIC), testing=True).test_client(),
              url=f"{API}/search?q=IND&limit=1").get_json()["results"][0]
    assert hit["url"].startswith(f"{PUBLIC}/passages/")
