"""Exports: every result list as CSV and NDJSON, from its page (``/zoeken.ndjson``) and from the API
(``/api/v1/search.csv``), with the page's filters, streamed; both read back to the same rows."""
from __future__ import annotations

import csv
import html
import io
import json
import re
from typing import Any
from urllib.parse import urlsplit

import pytest
from flask.testing import FlaskClient
from jsonschema import Draft202012Validator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

from settings import Settings
from support import REPORT_ID
from webapp import create_app
from webapp.ui.formats import csv_cell

API = "/api/v1"
#: (page export, API export of the same list): the lists issue 15 names.
PAGE_LISTS = ["/zoeken?q=migratie", "/entiteiten", "/entiteiten/ind", "/maatregelen?type=commitment",
              "/fondsen/AMF", "/documenten"]
API_LISTS = [("/search", {"q": "migratie"}, "results"), ("/entities", {}, "entities"),
             ("/entities/ind/mentions", {}, "mentions"), ("/statements", {"kind": "commitment"}, "statements"),
             ("/measures", {"fund": "AMF"}, "measures"), ("/allocations", {}, "allocations"),
             ("/documents", {}, "documents")]


@pytest.fixture(scope="module")
def client(built_settings: Settings) -> FlaskClient:
    return create_app(built_settings, testing=True).test_client()


@pytest.fixture(scope="module")
def spec(client: FlaskClient) -> dict[str, Any]:
    return client.get(f"{API}/openapi.json").get_json()


def _with(url: str, suffix: str) -> str:
    path, _, query = url.partition("?")
    return f"{path}.{suffix}" + (f"?{query}" if query else "")


def read_csv(resp) -> list[dict[str, str]]:
    assert resp.status_code == 200, resp.get_data(as_text=True)[:300]
    assert resp.headers["Content-Type"].startswith("text/csv; charset=utf-8")
    raw = resp.get_data()
    assert raw.startswith("\ufeff".encode())
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"), newline=""), delimiter=";"))
    assert all(None not in r for r in rows)
    return rows


def read_ndjson(resp) -> list[dict[str, Any]]:
    assert resp.status_code == 200, resp.get_data(as_text=True)[:300]
    assert resp.mimetype == "application/x-ndjson"
    assert re.fullmatch(r'attachment; filename="[a-z0-9._-]+\.ndjson"', resp.headers["Content-Disposition"], re.I)
    text = resp.get_data(as_text=True)
    assert text.endswith("\n") or text == ""
    return [json.loads(line) for line in text.splitlines()]  # every line one JSON object


# -- the pages' exports ------------------------------------------------------------------------------
@pytest.mark.parametrize("url", PAGE_LISTS)
def test_page_csv_and_ndjson_hold_the_same_rows(client: FlaskClient, url: str) -> None:
    rows = read_csv(client.get(_with(url, "csv")))
    objects = read_ndjson(client.get(_with(url, "ndjson")))
    assert rows and len(rows) == len(objects)
    headers = list(rows[0])
    for row, obj in zip(rows, objects):
        assert len(obj) == len(headers)
        # the CSV cell is the NDJSON value written the Dutch-Excel way: same rows, one convention each
        assert list(row.values()) == [csv_cell(v) for v in obj.values()]


@pytest.mark.parametrize("url", PAGE_LISTS)
def test_pages_link_their_exports(client: FlaskClient, url: str) -> None:
    page = client.get(url).get_data(as_text=True)
    for fmt, mime in (("csv", "text/csv"), ("ndjson", "application/x-ndjson")):
        link = re.search(rf'<link rel="alternate" type="{re.escape(mime)}" href="([^"]+)">', page)
        assert link and urlsplit(html.unescape(link.group(1))).path == urlsplit(_with(url, fmt)).path
        assert "pagina=" not in link.group(1)  # an export holds every row, not one page
        assert f'href="{link.group(1)}" download>{fmt.upper()}' in page


def test_page_export_keeps_the_filters(client: FlaskClient) -> None:
    everything = read_ndjson(client.get("/maatregelen.ndjson"))
    commitments = read_ndjson(client.get("/maatregelen.ndjson?type=commitment&pagina=3"))
    assert 0 < len(commitments) < len(everything)
    assert {o["kind_nl"] for o in commitments} == {"Toezegging of voornemen"}
    one_doc = read_ndjson(client.get(f"/zoeken.ndjson?q=migratie&document={REPORT_ID}"))
    assert one_doc and all(urlsplit(o["url"]).path.startswith(f"/passages/{REPORT_ID}:") for o in one_doc)


def test_exports_are_streamed(client: FlaskClient) -> None:
    for url in ("/zoeken.csv?q=IND", "/zoeken.ndjson?q=IND", f"{API}/search.ndjson?q=IND", f"{API}/entities.csv"):
        resp = client.get(url)
        assert resp.is_streamed and not resp.is_sequence, url  # produced while sent, never held whole
        assert "ETag" not in resp.headers and "Content-Length" not in resp.headers
        assert resp.get_data()  # consumed (and closed) before the next request


# -- the API's exports -----------------------------------------------------------------------------
def _template(path: str) -> str:
    return path.replace("/entities/ind/", "/entities/{id}/")


def _all_items(client: FlaskClient, path: str, params: dict[str, Any], key: str) -> list[dict[str, Any]]:
    """Every item of an API list, walking its pages (``allocations`` is not paged)."""
    body = client.get(API + path, query_string={**params, "limit": 100} if key != "allocations" else params).get_json()
    items = list(body[key])
    while body.get("next"):
        body = client.get(body["next"]).get_json()
        items += body[key]
    return items


@pytest.mark.parametrize("path,params,key", API_LISTS)
def test_api_ndjson_is_the_json_list_line_by_line(client: FlaskClient, spec: dict[str, Any], path: str,
                                                  params: dict[str, Any], key: str) -> None:
    items = _all_items(client, path, params, key)
    lines = read_ndjson(client.get(f"{API}{path}.ndjson", query_string=params))
    drop = {"score"} if key == "results" else set()  # a search's scores are recomputed per batch
    assert [{k: v for k, v in o.items() if k not in drop} for o in lines] == \
        [{k: v for k, v in o.items() if k not in drop} for o in items]
    schema = spec["paths"][f"{_template(path)}.ndjson"]["get"]["x-items-schema"]
    registry = Registry().with_resource("urn:spec", Resource.from_contents(spec, default_specification=DRAFT202012))
    check = Draft202012Validator({"$ref": "urn:spec" + schema["$ref"]}, registry=registry)
    for line in lines:
        check.validate(line)
        assert line["url"].startswith("/")  # on the public address when one is configured (test_api_lists)


@pytest.mark.parametrize("path,params,key", API_LISTS)
def test_api_csv_parses_back_to_the_same_rows(client: FlaskClient, path: str, params: dict[str, Any], key: str) -> None:
    items = _all_items(client, path, params, key)
    rows = read_csv(client.get(f"{API}{path}.csv", query_string=params))
    assert len(rows) == len(items)
    for row, item in zip(rows, items):
        for column, cell in row.items():
            value: Any = item
            for part in column.split("."):
                value = value.get(part) if isinstance(value, dict) else None
            if isinstance(value, (str, int, bool)) or value is None:
                assert cell == csv_cell(value), (column, cell, value)
            elif isinstance(value, float):
                assert float(cell.replace(",", ".")) == pytest.approx(value, abs=0.01)
            elif isinstance(value, list) and all(isinstance(v, str) for v in value):
                assert cell == csv_cell(value)
            elif isinstance(value, list):  # a list of objects: their names (or ids)
                assert cell.count(" | ") == max(0, len(value) - 1) or not value


def test_api_export_of_an_unknown_entity_is_a_problem(client: FlaskClient) -> None:
    for fmt in ("csv", "ndjson"):
        resp = client.get(f"{API}/entities/geen-entiteit/mentions.{fmt}")
        assert resp.status_code == 404 and resp.mimetype == "application/problem+json"


def test_api_search_export_is_capped(built_settings: Settings) -> None:
    from dataclasses import replace

    small = replace(built_settings, limits=replace(built_settings.limits, max_export_rows=7))
    client = create_app(small, testing=True).test_client()
    assert client.get(f"{API}/search?q=migratie").get_json()["total"] > 7
    assert len(read_ndjson(client.get(f"{API}/search.ndjson?q=migratie"))) == 7
    assert len(read_csv(client.get(f"{API}/search.csv?q=migratie"))) == 7


def test_export_operations_are_in_the_openapi_document(spec: dict[str, Any]) -> None:
    for path, _params, _key in API_LISTS:
        for fmt, mime in (("csv", "text/csv"), ("ndjson", "application/x-ndjson")):
            op = spec["paths"][f"{_template(path)}.{fmt}"]["get"]
            assert mime in op["responses"]["200"]["content"]
            names = {p.get("name") or p["$ref"].rsplit("/", 1)[1] for p in op.get("parameters", [])}
            assert not names & {"limit", "offset", "Limit", "ListLimit", "Offset"}
