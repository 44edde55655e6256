"""Every page has a ``.json`` twin and every list page a ``.csv`` twin, from the same page model;
the API reuses that model; the app takes its limits from the Settings it is given."""
from __future__ import annotations

import csv
import html
import io
import re
from dataclasses import replace
from typing import Any
from urllib.parse import quote, urlsplit

import pytest
from flask.testing import FlaskClient

from settings import Limits, Settings
from support import get_html
from webapp import create_app

JSON_PAGES = ["/index.json", "/zoeken.json?q=IND", "/documenten.json", "/entiteiten.json", "/entiteiten/ind.json",
              "/maatregelen.json", "/fondsen.json", "/fondsen/AMF.json"]
CSV_PAGES = ["/zoeken.csv?q=IND", "/documenten.csv", "/entiteiten.csv", "/entiteiten/ind.csv", "/maatregelen.csv",
             "/fondsen.csv", "/fondsen/AMF.csv"]


@pytest.fixture(scope="module")
def client(built_settings: Settings) -> FlaskClient:
    return create_app(built_settings, testing=True).test_client()


def get_json(client: FlaskClient, url: str) -> Any:
    resp = client.get(url)
    assert resp.status_code == 200, (url, resp.status_code)
    assert resp.mimetype == "application/json"
    return resp.get_json()


def get_csv(client: FlaskClient, url: str) -> list[dict[str, str]]:
    """The rows of a CSV twin, read the way the README tells users to (BOM, ';')."""
    resp = client.get(url)
    assert resp.status_code == 200, (url, resp.status_code)
    assert resp.headers["Content-Type"].startswith("text/csv; charset=utf-8")
    assert re.fullmatch(r'attachment; filename="[a-z0-9._-]+\.csv"', resp.headers["Content-Disposition"], re.I)
    raw = resp.get_data()
    assert raw.startswith("\ufeff".encode("utf-8"))  # Excel reads UTF-8 only with a byte-order mark
    text = raw.decode("utf-8-sig")
    assert "\r\n" in text
    return list(csv.DictReader(io.StringIO(text, newline=""), delimiter=";"))


def text_of(fragment: str) -> str:
    return " ".join(html.unescape(re.sub(r"<[^>]+>", "", fragment)).split())


@pytest.mark.parametrize("url", JSON_PAGES)
def test_every_page_has_a_json_twin_linked_from_its_html(client: FlaskClient, url: str) -> None:
    data = get_json(client, url)
    assert isinstance(data, dict) and data
    page_url = url.replace("/index.json", "/").replace(".json", "")
    page = get_html(client, page_url)
    twin = re.search(r'<link rel="alternate" type="application/json" href="([^"]+)">', page)
    assert twin and html.unescape(twin.group(1)).split("?")[0] == url.split("?")[0]


@pytest.mark.parametrize("url", CSV_PAGES)
def test_every_list_page_has_a_csv_twin_linked_from_its_html(client: FlaskClient, url: str) -> None:
    rows = get_csv(client, url)
    assert rows and all(None not in row for row in rows)  # no row longer than the header
    page = get_html(client, url.replace(".csv", ""))
    link = re.search(r'<p class="downloads">Download [^:]+: <a href="([^"]+)" download>CSV', page)
    assert link and html.unescape(link.group(1)).split("?")[0] == url.split("?")[0]


def test_search_twins_hold_what_the_page_shows(client: FlaskClient) -> None:
    page = get_html(client, "/zoeken?q=migratie&pagina=2")
    data = get_json(client, "/zoeken.json?q=migratie&pagina=2")
    titles = [text_of(t) for t in re.findall(r'<h3 class="result-title"[^>]*><a href="[^"]+">(.*?)</a>', page)]
    assert titles == [r["title"] for r in data["results"]] and len(titles) == 10
    assert data["page"] == 2 and data["first"] == 11 and data["previous"] and data["next"]
    rows = get_csv(client, "/zoeken.csv?q=migratie&pagina=2")
    assert len(rows) == data["total"]  # every result, not one page
    assert [r["titel"] for r in rows[10:20]] == titles
    assert [int(r["rang"]) for r in rows] == list(range(1, len(rows) + 1))
    # links for others are on the public address; none is configured here, so they are paths of this site
    assert all(urlsplit(r["url"]).path.startswith("/passages/") and r["url"].startswith("/") for r in rows)
    assert all("<mark>" not in r["fragment"] for r in rows)


def test_search_csv_is_bounded_by_the_deepest_page(built_settings: Settings) -> None:
    small = replace(built_settings, limits=Limits(page_size=2, max_page=3))
    client = create_app(small, testing=True).test_client()
    data = get_json(client, "/zoeken.json?q=migratie")
    assert data["total"] > 6 and data["last_page"] == 3 and len(data["results"]) == 2
    assert len(get_csv(client, "/zoeken.csv?q=migratie")) == 6


def test_measures_twins_hold_every_filtered_statement(client: FlaskClient) -> None:
    data = get_json(client, "/maatregelen.json?type=result")
    assert data["total"] > len(data["items"]) and {i["kind"] for i in data["items"]} == {"result"}
    rows = get_csv(client, "/maatregelen.csv?type=result")
    assert len(rows) == data["total"]
    assert {r["soort"] for r in rows} == {"Resultaat"}
    assert [" ".join(r["uitspraak"].lstrip("'").split()) for r in rows[:len(data["items"])]] == \
        [" ".join(i["text"].split()) for i in data["items"]]
    assert {r["ontkend"] for r in rows} <= {"ja", "nee"}
    # hostile or unknown filter values are dropped from the page and from its twins
    page = get_html(client, "/maatregelen?type=result&document=%22%3E%3Cscript%3E")
    assert "script" not in "".join(re.findall(r'<link rel="alternate"[^>]*>', page))


def test_csv_follows_the_dutch_excel_convention(client: FlaskClient) -> None:
    rows = get_csv(client, "/fondsen/BMVI.csv")
    assert [r["aandeel (%)"] for r in rows] == ["67,5", "7,5", "10", "5", "5", "5"]
    from webapp.ui.formats import csv_cell

    assert csv_cell("=HYPERLINK(\"x\")") == "'=HYPERLINK(\"x\")" and csv_cell("-5 procent") == "'-5 procent"
    assert csv_cell(-5) == "-5" and csv_cell(["COA", "IND"]) == "COA | IND" and csv_cell(None) == ""
    assert csv_cell("regel\neen  twee") == "regel een twee"


def test_passage_twin_and_api_share_one_record(client: FlaskClient, built_store) -> None:
    sec = next(s for s in built_store.sections() if s["footnotes"] and s["parent_id"])
    page = get_json(client, f"/passages/{quote(sec['id'], safe=':')}.json")
    api = get_json(client, f"/api/v1/passages/{quote(sec['id'], safe=':')}")
    web_url = api.pop("url")  # the API adds the passage's address on the site
    assert page["passage"] == api
    assert urlsplit(web_url).path == f"/passages/{sec['id']}"
    assert [c["id"] for c in api["breadcrumb"]] and api["breadcrumb"][-1]["id"] == sec["parent_id"]
    html_page = get_html(client, f"/passages/{quote(sec['id'], safe=':')}")
    crumbs = re.search(r'<nav class="breadcrumb".*?</nav>', html_page, re.S).group()
    for c in api["breadcrumb"]:  # the page shows the same breadcrumb as the API (one cap, one assembly)
        assert f'href="/passages/{quote(c["id"], safe=":")}"' in crumbs or f'href="/passages/{c["id"]}"' in crumbs
    # a window id redirects to its section in the same format
    resp = client.get(f"/passages/{quote(sec['id'], safe=':')}~p0.json")
    assert resp.status_code == 302 and urlsplit(resp.headers["Location"]).path.endswith(".json")


def test_entity_twins_and_api_mentions_share_contexts(client: FlaskClient) -> None:
    data = get_json(client, "/entiteiten/ind.json")
    ui = [m for g in data["groups"] for m in g["items"]]  # one row per passage, its first mention's context
    api = get_json(client, "/api/v1/entities/ind/mentions?limit=100")["mentions"]  # one row per mention
    assert sum(u["count"] for u in ui) == len(api) == data["mention_total"] > len(ui)
    firsts = {(a["section_id"], a["passage_id"]): a for a in reversed(api)}
    for u in ui:
        a = firsts[(u["section_id"], u["passage_id"])]
        assert (u["section_id"], u["start"], u["passage_id"]) == (a["section_id"], a["start"], a["passage_id"])
        ctx = u["context"]
        assert a["context"]["before"] == ("…" if ctx["cut_before"] else "") + ctx["before"]
        assert a["context"]["after"] == ctx["after"] + ("…" if ctx["cut_after"] else "")
    rows = get_csv(client, "/entiteiten/ind.csv")
    assert len(rows) == len(ui) and {r["vermelding"] for r in rows} <= {m["text"] for m in api}
    assert sum(int(r["vermeldingen"]) for r in rows) == data["mention_total"]


def test_entity_filter_is_the_same_in_page_and_api(client: FlaskClient) -> None:
    for needle in ("dienst", "Financiele", "ind"):
        page = get_json(client, f"/entiteiten.json?q={needle}&alle=1")
        ids = {e["id"] for _label, items in page["groups"] for e in items}
        api = get_json(client, f"/api/v1/entities?q={needle}&limit=100")
        assert ids == {e["id"] for e in api["entities"]} and ids, needle


def test_document_twin_and_api_share_the_section_tree(client: FlaskClient, built_store) -> None:
    doc = built_store.documents()[0]
    page = get_json(client, f"/documenten/{doc['id']}.json")
    api = get_json(client, f"/api/v1/documents/{doc['id']}")
    assert page["toc"] == api["sections"] and page["section_count"] == doc["section_count"]
    assert {k: page["document"][k] for k in ("id", "title", "year")} == {k: api[k] for k in ("id", "title", "year")}


@pytest.mark.parametrize("url", ["/documenten/bestaat-niet.json", "/entiteiten/bestaat-niet.csv",
                                 "/passages/bestaat:niet.json", "/fondsen/XYZ.json", "/documenten/x.csv"])
def test_twins_of_missing_pages_are_problem_json(client: FlaskClient, url: str) -> None:
    resp = client.get(url)
    assert resp.status_code == 404 and resp.mimetype == "application/problem+json"
    assert resp.get_json()["status"] == 404


def test_fund_redirect_keeps_the_format(client: FlaskClient) -> None:
    resp = client.get("/fondsen/amf.csv")
    assert resp.status_code == 301 and resp.headers["Location"].endswith("/fondsen/AMF.csv")


def test_the_app_takes_its_limits_from_its_settings(built_settings: Settings) -> None:
    limits = Limits(page_size=3, measures_page_size=4, max_query_chars=20, mention_context_chars=10)
    client = create_app(replace(built_settings, limits=limits), testing=True).test_client()
    page = get_html(client, "/zoeken?q=migratie")
    assert len(re.findall(r'<h3 class="result-title"', page)) == 3
    assert 'maxlength="20"' in page
    long_query = "migratie " + "x" * 40
    assert len(get_json(client, f"/zoeken.json?q={long_query}")["q"]) == 20
    assert len(get_json(client, "/maatregelen.json")["items"]) == 4
    mention = get_json(client, "/entiteiten/ind.json")["groups"][0]["items"][0]["context"]
    assert len(mention["before"]) <= 10 + 1 and len(mention["after"]) <= 10 + 1
