"""Lists that add up and end where they end (issue 15: defects 4, 5 and 9; issue 11: unread files,
metadata filters and the date range; issue 13: paging and filters that hold with thousands of values)."""
from __future__ import annotations

import csv
import html
import io
import re
from dataclasses import replace
from urllib.parse import urlsplit

import pytest
from flask.testing import FlaskClient

from settings import Limits, Settings
from support import get_html
from webapp import create_app


@pytest.fixture(scope="module")
def small_pages(mixed_settings: Settings) -> FlaskClient:
    """The mixed collection with short pages, so that every list has several."""
    limits = replace(Limits(), documents_page_size=4, entity_passages_page_size=3, page_size=3,
                     entities_page_size=20)
    return create_app(replace(mixed_settings, limits=limits), testing=True).test_client()


def text_of(fragment: str) -> str:
    return re.sub(r" ([.,;:])(?=\s|$)", r"\1", " ".join(html.unescape(re.sub(r"<[^>]+>", " ", fragment)).split()))


def csv_rows(shipped_client: FlaskClient, url: str) -> list[dict[str, str]]:
    resp = shipped_client.get(url)
    assert resp.status_code == 200
    return list(csv.DictReader(io.StringIO(resp.get_data(as_text=True).lstrip("\ufeff")), delimiter=";"))


# -- defect 4: pages past the end say so -----------------------------------------------------------
@pytest.mark.parametrize("url, last", [
    ("/zoeken?q=IND&pagina=99", "/zoeken?q=IND&pagina="),
    ("/documenten?pagina=7", "/documenten"),
    ("/entiteiten/ind?pagina=50", "/entiteiten/ind"),
])
def test_a_page_past_the_last_says_so_and_links_back(shipped_client: FlaskClient, url: str, last: str) -> None:
    resp = shipped_client.get(url)
    assert resp.status_code == 404  # not a "Resultaten 981–980 van 11" page that pretends to exist
    page = resp.get_data(as_text=True)
    notice = text_of(re.search(r'<div class="notice" role="note">(.*?)</div>', page, re.S).group(1))
    assert re.match(r"Pagina \d+ bestaat niet: .* Naar de laatste pagina\.", notice), notice
    back = html.unescape(re.search(r'<div class="notice" role="note">.*?<a href="([^"]+)">Naar de laatste', page,
                                   re.S).group(1))
    assert back.startswith(last) and shipped_client.get(back).status_code == 200
    assert "Resultaten 981" not in page  # not "Resultaten 981–980 van 11"
    twin = shipped_client.get(url.replace("?", ".json?", 1))
    assert twin.status_code == 404 and twin.get_json()["out_of_range"] is True


def test_the_last_search_page_is_full_and_the_next_is_out_of_range(shipped_client: FlaskClient) -> None:
    data = shipped_client.get("/zoeken.json?q=IND").get_json()
    last = data["last_page"]
    assert shipped_client.get(f"/zoeken?q=IND&pagina={last}").status_code == 200
    assert shipped_client.get(f"/zoeken?q=IND&pagina={last + 1}").status_code == 404


# -- defect 5: counts that add up, from the collection itself ---------------------------------------
def _home_counts(shipped_client: FlaskClient) -> dict[str, int]:
    lead = text_of(get_html(shipped_client, "/").split('class="lead">', 1)[1].split("</p>", 1)[0])
    numbers = {}
    for key, word in (("documents", "documenten?"), ("sections", "secties?"), ("entities", "genoemde entiteit(?:en)?"),
                      ("mentions", "vermeldingen?"), ("statements", "uitspra(?:ak|ken)")):
        m = re.search(rf"([\d.]+) {word}\b", lead)
        numbers[key] = int(m.group(1).replace(".", "")) if m else 0
    return numbers


@pytest.mark.parametrize("collection", ["shipped_client", "mixed_client"])
def test_home_page_counts_are_what_the_lists_show(collection: str, request: pytest.FixtureRequest) -> None:
    shipped_client = request.getfixturevalue(collection)
    home = _home_counts(shipped_client)
    entities = shipped_client.get("/entiteiten.json").get_json()
    listed = [e for _label, items in entities["groups"] for e in items]
    assert home["entities"] == entities["total"] == len(listed) > 0
    assert home["mentions"] == sum(e["mention_count"] for e in listed)
    assert home["documents"] == shipped_client.get("/documenten.json").get_json()["total"]
    assert home["statements"] == shipped_client.get("/maatregelen.json").get_json()["total"]
    assert home["sections"] == sum(d["section_count"] for d in shipped_client.get("/api/v1/documents?limit=100").get_json()[
        "documents"])


def test_counts_follow_the_collection_not_the_catalogue(shipped_client: FlaskClient, mixed_client: FlaskClient) -> None:
    """"353 entiteiten" on the shipped corpus and on a user's own: the catalogue, not what is mentioned."""
    shipped, own = _home_counts(shipped_client), _home_counts(mixed_client)
    assert shipped["entities"] != own["entities"]
    catalogue = shipped_client.get("/entiteiten.json?alle=1").get_json()["total"]
    assert shipped["entities"] < catalogue


# -- defect 9: an entity page lists each passage once, with its number of mentions -----------------
def test_entity_page_has_one_row_per_passage(shipped_client: FlaskClient, built_store) -> None:
    by_passage: dict[str, int] = {}
    entity = None
    for ent in built_store.entities():
        rows = shipped_client.get(f"/entiteiten/{ent['id']}.json").get_json()
        items = [m for g in rows["groups"] for m in g["items"]]
        if len({m["passage_id"] for m in items}) < len([m for i in items for m in i["mentions"]]):
            entity, by_passage = ent, {m["passage_id"]: m["count"] for m in items}
            break
    assert entity, "an entity named twice in one passage (the EES page listed one passage 4 times)"
    data = shipped_client.get(f"/entiteiten/{entity['id']}.json").get_json()
    items = [m for g in data["groups"] for m in g["items"]]
    assert len(items) == len(by_passage) == data["passage_total"]  # each passage once
    assert sum(m["count"] for m in items) == data["mention_total"] == entity["mention_count"]
    assert all(m["count"] == len(m["mentions"]) for m in items)
    page = get_html(shipped_client, f"/entiteiten/{entity['id']}")
    assert re.search(r'<span class="count mention-count">\d+× genoemd', page)
    hrefs = re.findall(r'<a class="mention-context" href="([^"]+)"', page)
    assert len(hrefs) == len(set(hrefs)) == len(items)
    rows = csv_rows(shipped_client, f"/entiteiten/{entity['id']}.csv")
    assert len(rows) == len(items) and sum(int(r["vermeldingen"]) for r in rows) == entity["mention_count"]


def test_entity_pages_are_paged(small_pages: FlaskClient) -> None:
    ent = max(small_pages.get("/entiteiten.json").get_json()["groups"][0][1], key=lambda e: e["section_count"])
    first = small_pages.get(f"/entiteiten/{ent['id']}.json").get_json()
    assert first["last_page"] > 1
    seen = []
    for n in range(1, first["last_page"] + 1):
        data = small_pages.get(f"/entiteiten/{ent['id']}.json?pagina={n}").get_json()
        seen += [m["passage_id"] for g in data["groups"] for m in g["items"]]
    assert len(seen) == len(set(seen)) == first["passage_total"]
    assert 'rel="next"' in get_html(small_pages, f"/entiteiten/{ent['id']}")


def test_entities_list_is_paged(small_pages: FlaskClient) -> None:
    first = small_pages.get("/entiteiten.json").get_json()
    assert first["last_page"] > 1 and first["total"] > 20
    ids = []
    for n in range(1, first["last_page"] + 1):
        data = small_pages.get(f"/entiteiten.json?pagina={n}").get_json()
        ids += [e["id"] for _label, items in data["groups"] for e in items]
        assert sum(data["kind_totals"].values()) == first["total"]
    assert len(ids) == len(set(ids)) == first["total"]
    assert small_pages.get(f"/entiteiten?pagina={first['last_page'] + 1}").status_code == 404


# -- issue 11 and 13: the documents list ------------------------------------------------------------
def test_documents_list_names_every_unread_file_with_its_reason(mixed_client: FlaskClient) -> None:
    page = get_html(mixed_client, "/documenten")
    unread = text_of(page.split('id="niet-gelezen-kop"', 1)[1].split("</section>", 1)[0])
    assert "niet gelezen: scan.pdf — geen tekstlaag" in unread
    assert "niet gelezen: gegevens.xyz — onbekend bestandstype .xyz" in unread
    api = mixed_client.get("/api/v1/documents").get_json()
    assert {u["source_path"]: u["reason"][:14] for u in api["unread"]} == {
        "gegevens.xyz": "onbekend besta", "scan.pdf": "geen tekstlaag"}


def test_documents_list_is_paged(small_pages: FlaskClient) -> None:
    first = small_pages.get("/documenten.json").get_json()
    assert first["total"] == first["collection_total"] > 8 and first["last_page"] == -(-first["total"] // 4)
    ids = []
    for n in range(1, first["last_page"] + 1):
        ids += [d["id"] for d in small_pages.get(f"/documenten.json?pagina={n}").get_json()["documents"]]
    assert len(ids) == len(set(ids)) == first["total"]
    assert len(csv_rows(small_pages, "/documenten.csv")) == first["total"]  # the CSV holds every page


@pytest.mark.parametrize("query, expected", [
    ("map=wet", {"bwbr0016008"}),
    ("map=AMvB", {"bwbr0002891"}),
    ("soort=kamerbrief", {"kamerbrief-woningbouw"}),
    ("soort=AMvB", {"bwbr0002891"}),  # a regulation's kind is its folder's (issue 13)
    ("soort=wet", {"bwbr0016008"}),
    ("ministerie=Ministerie+van+Volkshuisvesting+en+Ruimtelijke+Ordening", {"kamerbrief-woningbouw", "brief-woningbouw"}),
    ("van=2025-03-01&tot=2025-03-31", {"kamerbrief-woningbouw"}),
    ("van=2025-05", {"jaarverslag", "jaarverslag-word", "kst-36741-3"}),
    # the regulations carry the date (or year) their heading gives them: "Wet van 4 december 2003, ..."
    ("tot=14-03-2024", {"brief-woningbouw", "bwbr0002011", "bwbr0002891", "bwbr0014224", "bwbr0016008", "bwbr0022980",
                        "bwbr0032320"}),
    ("q=BWBR0002011", {"bwbr0002011"}),
    ("q=36+740", {"jaarverslag", "jaarverslag-word"}),
])
def test_documents_filter_by_kind_folder_ministry_date_and_words(mixed_client: FlaskClient, query: str,
                                                                  expected: set[str]) -> None:
    data = mixed_client.get(f"/documenten.json?{query}").get_json()
    assert {d["id"] for d in data["documents"]} == expected
    page = get_html(mixed_client, f"/documenten?{query}")
    assert 'href="/documenten"' in page and "Filters wissen" in page


@pytest.mark.parametrize("query, expected", [
    ("folder=wet", {"bwbr0016008"}),
    ("kind=kamerbrief", {"kamerbrief-woningbouw"}),
    ("from=2025-03-01&to=2025-03-31", {"kamerbrief-woningbouw"}),
    ("q=36+740&ministry=Ministerie+van+Financi%C3%ABn", {"jaarverslag", "jaarverslag-word"}),
])
def test_documents_api_filters_like_the_list(mixed_client: FlaskClient, query: str, expected: set[str]) -> None:
    assert {d["id"] for d in mixed_client.get(f"/api/v1/documents?{query}").get_json()["documents"]} == expected


def test_documents_show_date_number_kind_ministry_and_bwb_without_stray_separators(mixed_client: FlaskClient) -> None:
    page = get_html(mixed_client, "/documenten")
    metas = {m.group(1): text_of(m.group(2)) for m in re.finditer(
        r'<a href="/documenten/([^"]+)">.*?<p class="meta">(.*?)</p>', page, re.S)}
    assert metas["jaarverslag"] == ("Jaarverslag · 21 mei 2025 · Kamerstuk 36 740, nr. 1 · Ministerie van Financiën"
                                    f" · {metas['jaarverslag'].rsplit('· ', 1)[1]}")
    assert metas["bwbr0016008"].startswith("Wet · 4 december 2003 · BWBR0016008 · ")  # kind from its folder
    # defect 6: a document without metadata starts with what it has, not with a separator
    assert re.fullmatch(r"\d+ secties?", metas["fondsplan"]), metas["fondsplan"]
    assert not any(meta.startswith("·") or "· ·" in meta or meta.endswith("·") for meta in metas.values())


def test_kind_and_folder_options_count_under_the_other_filters(mixed_client: FlaskClient) -> None:
    data = mixed_client.get("/documenten.json?soort=wet").get_json()
    folders = {o["value"]: o["count"] for o in data["options"]["map"]}
    assert folders == {"wet": 1}
    kinds = {o["value"]: o for o in data["options"]["soort"]}
    assert kinds["wet"]["selected"] and kinds["kamerbrief"]["count"] == 1  # other kinds stay choosable
    assert kinds["AMvB"]["count"] == 1 and kinds["AMvB"]["label"] == "Algemene maatregel van bestuur"


# -- the search page: date range, grouping, facets that hold with many values ----------------------
def test_search_date_range_replaces_the_year_facet(mixed_client: FlaskClient) -> None:
    every = mixed_client.get("/zoeken.json?q=woningbouw").get_json()
    docs = {r["document"] for r in every["results"]}
    assert docs == {"brief-woningbouw", "kamerbrief-woningbouw"}
    later = mixed_client.get("/zoeken.json?q=woningbouw&van=2025").get_json()
    assert {r["document"] for r in later["results"]} == {"kamerbrief-woningbouw"}
    earlier = mixed_client.get("/zoeken.json?q=woningbouw&tot=2024-12").get_json()
    assert {r["document"] for r in earlier["results"]} == {"brief-woningbouw"}
    assert later["total"] + earlier["total"] == every["total"]
    page = get_html(mixed_client, "/zoeken?q=woningbouw&van=2025")
    assert 'id="facet-year"' not in page and 'name="van" value="2025-01-01"' in page
    chip = re.search(r'<a class="chip chip--removable" href="([^"]+)"><span class="chip-type">Vanaf:</span> 1 januari 2025',
                     page)
    assert chip and "van=" not in html.unescape(chip.group(1))


def test_search_per_document_view_groups_the_page(shipped_client: FlaskClient) -> None:
    data = shipped_client.get("/zoeken.json?q=terugkeer&weergave=document").get_json()
    groups = data["document_groups"]
    assert len(groups) == len({r["document"] for r in data["results"]}) > 1
    assert [r["id"] for g in groups for r in g["results"]] == [
        r["id"] for doc in dict.fromkeys(r["document"] for r in data["results"])
        for r in data["results"] if r["document"] == doc]
    for g in groups:
        narrowed = shipped_client.get(g["url"].replace("/zoeken?", "/zoeken.json?")).get_json()
        assert {r["document"] for r in narrowed["results"]} == {g["id"]} and narrowed["passages"] == g["count"]
    page = get_html(shipped_client, "/zoeken?q=terugkeer&weergave=document")
    assert page.count('<section class="result-document"') == len(groups)
    assert re.search(r'aria-current="true" class="is-current">per document</a>', page)


def test_facet_filter_box_adds_any_value_without_javascript(shipped_client: FlaskClient) -> None:
    page = get_html(shipped_client, "/zoeken?q=migratie")
    form = re.search(r'<form class="facet-box" action="/zoeken" method="get"[^>]*>(.*?)</form>',
                     page.split('id="facet-entity"', 1)[1], re.S).group(1)
    hidden = dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)">', form))
    assert hidden == {"q": "migratie"} and 'name="entity"' in form
    narrowed = shipped_client.get("/zoeken.json?q=migratie&entity=IND").get_json()  # what submitting "IND" asks
    assert 0 < narrowed["total"] < shipped_client.get("/zoeken.json?q=migratie").get_json()["total"]
    by_id = shipped_client.get("/zoeken.json?q=migratie&entity=ind").get_json()
    assert [r["id"] for r in narrowed["results"]] == [r["id"] for r in by_id["results"]]
    chip = get_html(shipped_client, "/zoeken?q=migratie&entity=IND")
    assert re.search(r'<span class="chip-type">Entiteit:</span> Immigratie- en Naturalisatiedienst', chip)


def test_search_results_show_document_date_and_page(mixed_client: FlaskClient) -> None:
    data = mixed_client.get("/zoeken.json?q=begroting&document=jaarverslag").get_json()
    assert data["results"] and all(r["date"] == "2025-05-21" and r["kamerstuk"] == "36 740, nr. 1"
                                   for r in data["results"])
    assert all(re.fullmatch(r"p\. \d+(-\d+)?", r["pages"]) for r in data["results"])
    assert urlsplit(data["results"][0]["url"]).path.startswith("/passages/jaarverslag:")


def test_api_documents_list_rejects_a_bad_date(mixed_client: FlaskClient) -> None:
    resp = mixed_client.get("/api/v1/documents?from=2025-13")
    assert resp.status_code == 400 and resp.mimetype == "application/problem+json"



def test_search_sorts_by_document_date_not_only_year(mixed_client: FlaskClient) -> None:
    """The annual report of 2024 is dated 21 May 2025: after a letter of 14 March 2025, newest first."""
    data = mixed_client.get("/zoeken.json?q=minister&sort=date").get_json()
    dated = [r["date"] for r in data["results"] if r["date"]]
    assert dated == sorted(dated, reverse=True) and len(set(dated)) >= 4
    order = list(dict.fromkeys(r["document"] for r in data["results"]))
    assert order.index("jaarverslag") < order.index("kamerbrief-woningbouw") < order.index("brief-woningbouw")
    undated = [i for i, r in enumerate(data["results"]) if not r["date"] and not r["year"]]
    assert not undated or min(undated) > max(i for i, r in enumerate(data["results"]) if r["date"])


def test_more_from_this_section_lists_the_rest_of_the_section(shipped_client: FlaskClient) -> None:
    data = shipped_client.get("/zoeken.json?q=cybercrime+aanpak").get_json()
    assert data["passages"] > data["total"]  # one hit per section; the other windows behind the link
    hit = next(r for r in data["results"] if r["more_in_section"])
    more = shipped_client.get(hit["more_url"].replace("/zoeken?", "/zoeken.json?")).get_json()
    assert {r["section_id"] for r in more["results"]} == {hit["section_id"]}
    assert len(more["results"]) == hit["more_in_section"] + 1 and hit["id"] in {r["id"] for r in more["results"]}
    page = get_html(shipped_client, "/zoeken?q=cybercrime+aanpak")
    assert re.search(r'<p class="more-in-section"><a href="[^"]+">Meer uit deze sectie', page)
    chip = get_html(shipped_client, hit["more_url"])
    assert re.search(r'<span class="chip-type">Sectie:</span> ' + re.escape(html.escape(hit["title"])), chip)


def test_api_search_past_the_end_is_an_empty_page_that_says_so(shipped_client: FlaskClient) -> None:
    body = shipped_client.get("/api/v1/search?q=IND&offset=990").get_json()
    assert body["results"] == [] and body["page"]["out_of_range"] is True and body["next"] is None
    assert 0 < body["total"] <= body["page"]["last_offset"] + body["limit"]
    last = shipped_client.get(f"/api/v1/search?q=IND&offset={body['page']['last_offset']}").get_json()
    assert last["results"] and not last["page"]["out_of_range"]


def test_a_regulation_lists_its_citing_passages_per_article(mixed_client: FlaskClient) -> None:
    data = mixed_client.get("/entiteiten/awb.json").get_json()
    articles = {a["article"]: a for a in data["articles"]}
    assert list(articles) == ["6:7", "7:1", "8:1"]  # in article order
    assert [p["section_title"] for p in articles["7:1"]["passages"]] == ["Bezwaar", "Beroep"]
    assert articles["8:1"]["url"] == "https://wetten.overheid.nl/jci1.3:c:BWBR0005537&artikel=8:1"
    page = get_html(mixed_client, "/entiteiten/awb")
    section = page.split('id="artikelen-kop"', 1)[1].split("</section>", 1)[0]
    assert section.count("<h3") == 3 and "Artikel 7:1" in section
    assert 'id="artikelen-kop"' not in get_html(mixed_client, "/entiteiten/ind")  # only regulations
