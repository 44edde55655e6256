"""Every page of the Dutch search interface: language, landmarks, headings, security headers, unique ids,
static files, the home page and Dutch error pages (Flask's test client on the shipped corpus,
``built_settings``)."""
from __future__ import annotations

import re
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from flask.testing import FlaskClient

from settings import Settings
from support import get_html as get, links, text_of
from kb.store import Store
from webapp import create_app


# -- layout, headers, language ------------------------------------------------------------------------
PAGES = ["/", "/zoeken?q=migratie", "/documenten", "/entiteiten", "/maatregelen"]


@pytest.mark.parametrize("url", PAGES)
def test_pages_are_dutch_and_landmarked(client: FlaskClient, url: str) -> None:
    page = get(client, url)
    assert '<html lang="nl">' in page
    assert '<a class="skiplink" href="#inhoud">Naar de inhoud</a>' in page
    assert '<main id="inhoud"' in page
    assert 'aria-label="Hoofdmenu"' in page
    assert page.count("<h1") == 1
    assert "<footer" in page


@pytest.mark.parametrize("url", PAGES)
def test_security_headers_and_no_inline_code(client: FlaskClient, url: str) -> None:
    resp = client.get(url)
    csp = resp.headers["Content-Security-Policy"]
    assert "unsafe-inline" not in csp and "script-src 'self'" in csp
    assert resp.headers["X-Content-Type-Options"] == "nosniff"
    assert resp.headers["X-Frame-Options"] == "DENY"
    page = resp.get_data(as_text=True)
    # no inline script or style: every <script> has a src, no style elements or attributes, no handlers
    assert all('src="' in tag for tag in re.findall(r"<script\b[^>]*>", page))
    assert "<style" not in page and " style=" not in page
    assert not re.search(r"\son[a-z]+=", page)
    assert '<script src="/static/app.js" defer></script>' in page


def test_headings_in_order(client: FlaskClient, rich_section: dict[str, Any]) -> None:
    for url in ["/", "/zoeken?q=migratie", f"/passages/{rich_section['id']}", "/entiteiten"]:
        levels = [int(n) for n in re.findall(r"<h([1-6])\b", get(client, url))]
        assert levels[0] == 1
        assert all(b - a <= 1 for a, b in zip(levels, levels[1:])), (url, levels)


def test_static_files(client: FlaskClient) -> None:
    css = client.get("/static/style.css")
    assert css.status_code == 200 and ":focus-visible" in css.get_data(as_text=True)
    js = client.get("/static/app.js")
    assert js.status_code == 200 and "clipboard" in js.get_data(as_text=True)


def test_ids_unique_and_links_not_nested(client: FlaskClient, rich_section: dict[str, Any],
                                         spread_entity: dict[str, Any]) -> None:
    for url in ["/", "/zoeken?q=migratie", f"/passages/{rich_section['id']}?q=fonds&b=0",
                f"/documenten/{rich_section['document_id']}", f"/entiteiten/{spread_entity['id']}", "/entiteiten"]:
        page = get(client, url)
        ids = re.findall(r'\sid="([^"]+)"', page)
        assert len(ids) == len(set(ids)), (url, [i for i in ids if ids.count(i) > 1])
        depth = 0
        for tag in re.findall(r"<(/?)a\b", page):
            depth += -1 if tag else 1
            assert depth in (0, 1), url


# -- home --------------------------------------------------------------------------------------------
def test_home(client: FlaskClient, store: Store) -> None:
    page = get(client, "/")
    counts = store.collection_counts()  # what the lists show (tests/test_ui_lists.py checks they add up)
    assert re.search(r'<input type="search" id="q" name="q"[^>]*autofocus', page)
    assert '<label for="q"' in page
    summary = text_of(page.split('class="lead">', 1)[1].split("</p>", 1)[0])
    for n in (counts["documents"], counts["sections"], counts["entities"], counts["mentions"], counts["statements"]):
        assert f"{n:,}".replace(",", ".") in summary
    for doc in store.documents():
        assert f'href="/documenten/{doc["id"]}"' in page
    # example searches come from the data: the most mentioned entity is among them
    examples = links(page, "/zoeken?q=")
    assert len(examples) >= 3
    top = next(e for e in store.entities() if e["label"] in ("ORG", "SYSTEM", "FUND", "PROGRAMME", "LAW"))
    forms = {top["name"], *top["aliases"]}
    assert any(parse_qs(urlsplit(u).query)["q"][0] in forms for u in examples)


# -- errors -------------------------------------------------------------------------------------------
@pytest.mark.parametrize("url", ["/bestaat-niet", "/documenten/x", "/entiteiten/x", "/passages/x:y"])
def test_not_found_is_dutch(client: FlaskClient, url: str) -> None:
    page = get(client, url, 404)
    assert '<html lang="nl">' in page
    assert "niet gevonden" in page.lower() or "bestaat niet" in page


def test_server_error_is_dutch(settings: Settings) -> None:
    app = create_app(settings, testing=False)

    @app.get("/_test_boom")
    def boom():
        raise RuntimeError("kapot")

    resp = app.test_client().get("/_test_boom")
    assert resp.status_code == 500
    page = resp.get_data(as_text=True)
    assert '<html lang="nl">' in page and "Er ging iets mis" in page and "kapot" not in page
