"""The search page of the Dutch interface: results, facet filters, paging, sorting, suggestions and
escaping of hostile queries (Flask's test client on the shipped corpus, ``built_settings``)."""
from __future__ import annotations

import html
import re
from typing import Any
from urllib.parse import parse_qs, quote, urlsplit

import pytest
from flask import Flask
from flask.testing import FlaskClient

from support import HOSTILE, get_html as get, links, result_links, total_of
from kb.store import Store


# -- search ------------------------------------------------------------------------------------------
def test_search_results(client: FlaskClient, store: Store) -> None:
    page = get(client, "/zoeken?q=terugkeer")
    assert total_of(page) > 0
    assert re.search(r'<input type="search" id="q" name="q" value="terugkeer"', page)
    assert re.search(r"\(\d+,\d{3} seconden?\)", page)
    assert "<mark>" in page  # highlighted snippets
    urls = result_links(page)
    assert urls and all(u.startswith("/passages/") for u in urls)
    # opening a result keeps the query and points at the matching paragraph
    first = urlsplit(urls[0])
    assert parse_qs(first.query)["q"] == ["terugkeer"]
    assert re.fullmatch(r"p\d+", first.fragment)
    assert parse_qs(first.query)["b"][0].split("-")[0] == first.fragment[1:]  # b=3 or b=3-5 (chunk)
    # entity chips link to entity pages that exist
    chips = links(page, "/entiteiten/")
    assert chips
    assert client.get(chips[0]).status_code == 200
    # breadcrumb with the document title
    assert 'class="result-path"' in page
    assert any(doc["title"] in html.unescape(page) for doc in store.documents())


@pytest.mark.parametrize("url", [
    "/zoeken?q=" + quote(HOSTILE),
    "/zoeken?q=" + quote(HOSTILE) + "&document=" + quote(HOSTILE) + "&entity=" + quote(HOSTILE),
    "/entiteiten?q=" + quote(HOSTILE),
])
def test_hostile_query_is_escaped(client: FlaskClient, url: str) -> None:
    page = get(client, url)
    assert HOSTILE not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_hostile_query_on_passage_is_escaped(client: FlaskClient, rich_section: dict[str, Any]) -> None:
    page = get(client, f"/passages/{rich_section['id']}?q=" + quote(HOSTILE + '" onmouseover="x'))
    assert HOSTILE not in page and 'onmouseover="x' not in page


def test_facet_filters_narrow_and_combine(client: FlaskClient) -> None:
    base = get(client, "/zoeken?q=migratie")
    total = total_of(base)
    assert total > 1
    assert 'id="filters"' in base and "<h3" in base
    doc_links = [u for u in links(base, "/zoeken?") if "document=" in u]
    assert doc_links, "a document facet"
    by_doc = get(client, doc_links[-1])
    doc_id = parse_qs(urlsplit(doc_links[-1]).query)["document"][0]
    narrowed = total_of(by_doc)
    assert 0 < narrowed < total
    # every result is now from that document
    assert all(u.startswith(f"/passages/{doc_id}:") or doc_id in u for u in result_links(by_doc))
    # the filter shows as a removable chip that leads back to the unfiltered search
    chip = re.search(r'<a class="chip chip--removable" href="([^"]+)"', by_doc)
    assert chip
    assert total_of(get(client, html.unescape(chip.group(1)))) == total
    # a second facet of another group combines with the first
    type_links = [u for u in links(by_doc, "/zoeken?") if "entity_type=" in u and "document=" in u]
    assert type_links
    both = get(client, type_links[-1])
    assert 0 < total_of(both) <= narrowed
    assert both.count('class="chip chip--removable"') == 2
    assert "Alle filters wissen" in both


def test_filter_only_search(client: FlaskClient, spread_entity: dict[str, Any]) -> None:
    page = get(client, f"/zoeken?entity={spread_entity['id']}")
    assert total_of(page) > 0
    assert html.escape(spread_entity["name"]) in page


def test_pagination(client: FlaskClient) -> None:
    page1 = get(client, "/zoeken?q=migratie")
    assert total_of(page1) > 10
    assert '<nav class="pagination" aria-label="Paginering">' in page1
    assert re.search(r'<a href="[^"]*" aria-current="page"><span class="visually-hidden">Pagina </span>1</a>', page1)
    page2 = get(client, "/zoeken?q=migratie&pagina=2")
    assert re.search(r'aria-current="page"><span class="visually-hidden">Pagina </span>2</a>', page2)
    assert 'rel="prev"' in page2
    assert '<ol class="result-list" start="11">' in page2
    assert result_links(page1) and result_links(page2)
    assert set(result_links(page1)).isdisjoint(result_links(page2))  # a result is on one page only
    # nonsense page numbers do not break the page
    get(client, "/zoeken?q=migratie&pagina=-3")
    get(client, "/zoeken?q=migratie&pagina=abc")
    get(client, "/zoeken?q=migratie&pagina=99999999999")


def test_sort_by_date(client: FlaskClient) -> None:
    page = get(client, "/zoeken?q=migratie&sort=date")
    assert re.search(r'aria-current="true" class="is-current">datum</a>', page)
    assert total_of(page) == total_of(get(client, "/zoeken?q=migratie"))
    get(client, "/zoeken?q=migratie&sort=bogus")


def test_no_results_and_suggestion(client: FlaskClient, app: Flask) -> None:
    page = get(client, "/zoeken?q=xqzvwkjh")
    assert "Geen passages gevonden" in page
    assert "Controleer de spelling" in page
    assert links(page, "/zoeken?q=")  # example searches offered
    with app.app_context():
        from webapp.services import services

        misspelled = "migartie"
        suggestion = services().searcher.search(misspelled)["suggestion"]
    page = get(client, f"/zoeken?q={misspelled}")
    assert suggestion, "the shipped corpus offers a suggestion for a misspelled word"
    assert "Bedoelde u" in page
    assert f'href="/zoeken?q={quote(suggestion)}"' in page


def test_empty_search_shows_form(client: FlaskClient) -> None:
    page = get(client, "/zoeken")
    assert 'id="q"' in page and "result-list" not in page
