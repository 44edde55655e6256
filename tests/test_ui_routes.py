"""The Dutch search interface through Flask's test client, against the knowledge base built
from the shipped corpus (``built_settings``)."""
from __future__ import annotations

import html
import re
from collections import defaultdict
from typing import Any
from urllib.parse import parse_qs, quote, urlsplit

import pytest
from flask import Flask
from flask.testing import FlaskClient

from settings import Settings
from support import get_html
from kb.store import Store
from webapp import create_app
from webapp import render

HOSTILE = "<script>alert(1)</script>"


# -- fixtures ---------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def settings(built_settings: Settings) -> Settings:
    return built_settings


@pytest.fixture(scope="module")
def app(settings: Settings) -> Flask:
    return create_app(settings, testing=True)


@pytest.fixture(scope="module")
def client(app: Flask) -> FlaskClient:
    return app.test_client()


@pytest.fixture(scope="module")
def store(built_store):
    return built_store


get = get_html


def links(page: str, prefix: str) -> list[str]:
    return [html.unescape(h) for h in re.findall(r'href="(' + re.escape(prefix) + r'[^"]*)"', page)]


def result_links(page: str) -> list[str]:
    return [html.unescape(h) for h in re.findall(r'<h3 class="result-title"[^>]*><a href="([^"]+)"', page)]


def total_of(page: str) -> int:
    m = re.search(r'class="result-summary"[^>]*>\s*([\d.]+) resulta', page)
    return int(m.group(1).replace(".", "")) if m else 0


def block_of(store: Store, m: dict[str, Any]) -> int | None:
    """The block of a section a mention starts in."""
    blocks = store.section(m["section_id"])["blocks"]
    return next((i for i, b in enumerate(blocks) if b[0] <= m["start"] < b[1]), None)


def window_of(store: Store, m: dict[str, Any]) -> str | None:
    """The passage (window, kb.passages) a mention starts in: entity pages list one row per passage."""
    from kb.passages import passage_at

    window = passage_at(store.section(m["section_id"]), m["start"])
    return window.id if window else None


def text_of(fragment: str) -> str:
    return html.unescape(re.sub(r"<[^>]+>", "", fragment))


@pytest.fixture(scope="module")
def rich_section(store: Store) -> dict[str, Any]:
    """A section with footnotes and linked entity mentions."""
    for sec in store.sections():
        if sec["footnotes"] and any(m["entity_id"] for m in store.mentions(section_id=sec["id"])):
            return sec
    raise AssertionError("the shipped corpus has no section with footnotes and mentions")


@pytest.fixture(scope="module")
def spread_entity(store: Store) -> dict[str, Any]:
    """An entity mentioned in more than one document."""
    for ent in store.entities():
        docs = {m["document_id"] for m in store.mentions(entity_id=ent["id"])}
        if len(docs) > 1:
            return ent
    raise AssertionError("the shipped corpus has no entity mentioned in two documents")


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


def test_search_snippet_is_sanitised() -> None:
    assert str(render.safe_snippet("a <mark>b</mark> c")) == "a <mark>b</mark> c"
    dirty = str(render.safe_snippet('x <mark onclick="evil()">y</mark> <script>alert(1)</script><img src=x>'))
    assert "<script" not in dirty and "onclick" not in dirty and "<img" not in dirty
    assert "<mark>y</mark>" in dirty


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


# -- passages ----------------------------------------------------------------------------------------
def test_passage_mentions_footnotes_and_navigation(client: FlaskClient, store: Store,
                                                    rich_section: dict[str, Any]) -> None:
    sid = rich_section["id"]
    page = get(client, f"/passages/{sid}")
    doc = store.document(rich_section["document_id"])
    # every block is there with its anchor id
    for i in range(len(rich_section["blocks"])):
        assert f'id="p{i}"' in page
    # mentions are linked to their entity pages, with the text of the mention
    mentions = [m for m in store.mentions(section_id=sid) if store.entity(m["entity_id"] or "")]
    linked = re.findall(r'<a class="mention" href="/entiteiten/([^"]+)"[^>]*>(.*?)</a>', page)
    assert linked
    assert {eid for eid, _ in linked} <= {m["entity_id"] for m in mentions}
    surfaces = {m["surface"] for m in mentions}
    assert all(text_of(inner) in surfaces for _, inner in linked)
    # footnotes are listed and the reference links to them
    assert 'id="voetnoten-kop"' in page
    for label, text in rich_section["footnotes"]:
        assert f'id="voetnoot-{label}"' in page
        assert html.escape(text, quote=False)[:40] in page
    # breadcrumb, previous/next, permalink and citation
    assert 'aria-label="Kruimelpad"' in page and f'href="/documenten/{doc["id"]}"' in page
    prev, nxt = store.neighbours(sid)
    for nb in (prev, nxt):
        if nb:
            assert f'href="/passages/{nb["id"]}"' in page
    assert f'<link rel="canonical" href="/passages/{sid}">' in page  # no public address configured: relative
    citation = text_of(re.search(r'<textarea id="citaat" readonly[^>]*>(.*?)</textarea>', page, re.S).group(1))
    assert doc["title"] in citation and f"/passages/{sid}" in citation and "localhost" not in citation
    assert str(doc.get("year") or doc.get("period")) in citation
    assert rich_section["title"] in citation
    assert '<button type="button" class="button" data-copy="citaat" hidden>' in page


def test_passage_rendering_matches_text(client: FlaskClient, rich_section: dict[str, Any]) -> None:
    """The rendered blocks hold exactly the section text (nothing lost, nothing added)."""
    page = get(client, f"/passages/{rich_section['id']}")
    body = page.split('<div class="passage-body">', 1)[1].split('<section class="footnotes"', 1)[0]
    body = re.sub(r'<span class="visually-hidden">voetnoot </span>', "", body)
    shown = " ".join(text_of(body).split())
    expected = " ".join(" ".join(rich_section["text"][b[0]:b[1]] for b in rich_section["blocks"]).split())
    assert shown == expected


def test_passage_from_result_marks_paragraph(client: FlaskClient) -> None:
    page = get(client, "/zoeken?q=terugkeer")
    url = result_links(page)[0]
    block = urlsplit(url).fragment
    passage = get(client, url)
    assert re.search(rf'id="{block}" class="[^"]*is-marked', passage)
    assert '<mark class="hit">' in passage
    marked = re.search(rf'id="{block}" class="[^"]*is-marked[^"]*">(.*?)</(p|li)>', passage, re.S).group(1)
    assert '<mark class="hit">' in marked


def test_passage_chunk_id_and_unknown(client: FlaskClient, rich_section: dict[str, Any]) -> None:
    from kb.passages import passage_of_block

    sid = rich_section["id"]
    # passage ids "{section}~p{first block}" redirect to the section page, marking the passage's blocks
    window = passage_of_block(rich_section, 1)
    marked = str(window.block_start) if window.block_start == window.block_end else \
        f"{window.block_start}-{window.block_end}"
    resp = client.get(f"/passages/{sid}~p1?q=fonds")
    assert resp.status_code == 302
    target = urlsplit(resp.headers["Location"])
    assert target.path == f"/passages/{sid}" and target.fragment == f"p{window.block_start}"
    assert parse_qs(target.query) == {"q": ["fonds"], "b": [marked]}
    page = get(client, f"/passages/{sid}?q=fonds&b=1")
    assert re.search(r'id="p1" class="[^"]*is-marked', page)
    assert f'<link rel="canonical" href="/passages/{sid}?b=1">' in page  # the paragraph it was opened at
    resp = client.get(f"/passages/{sid}~3")
    assert resp.status_code == 302 and urlsplit(resp.headers["Location"]).path == f"/passages/{sid}"
    get(client, "/passages/bestaat-niet:echt-niet", 404)
    get(client, "/passages/bestaat-niet~2", 404)


def test_passage_statement_range(client: FlaskClient, rich_section: dict[str, Any]) -> None:
    b = rich_section["blocks"][-1]
    start, end = b[0], min(b[1], b[0] + 60)
    page = get(client, f"/passages/{rich_section['id']}?s={start}-{end}")
    m = re.search(r'<mark class="statement" id="markering">(.*?)</mark>(?!</a>)', page, re.S)
    assert m
    marked = "".join(text_of(x) for x in re.findall(r'<mark class="statement"[^>]*>(.*?)</mark>', page, re.S))
    marked = re.sub(r"voetnoot ", "", marked)
    assert " ".join(marked.split()) == " ".join(rich_section["text"][start:end].split())
    assert re.search(rf'id="p{len(rich_section["blocks"]) - 1}" class="[^"]*is-marked', page)
    # out-of-range or malformed ranges are ignored
    for bad in ("5-2", "abc", "0-99999999", "-1-4"):
        get(client, f"/passages/{rich_section['id']}?s={bad}")


def test_passage_mention_marking(client: FlaskClient, store: Store, rich_section: dict[str, Any]) -> None:
    m = next(m for m in store.mentions(section_id=rich_section["id"]) if store.entity(m["entity_id"] or ""))
    page = get(client, f"/passages/{rich_section['id']}?m={m['start']}-{m['end']}")
    assert re.search(r'<a class="mention is-current" href="/entiteiten/' + re.escape(m["entity_id"]), page)


def test_render_never_passes_raw_html() -> None:
    text = 'Eerste <script>alert(1)</script> alinea met IND.\n\n<img src=x onerror=alert(2)> tweede'
    section = {
        "text": text,
        "blocks": [[0, 48, "paragraph", 0], [50, len(text), "list_item", 0]],
        "footnotes": [["1", "<b>vet</b>"]],
        "markdown": "Eerste <script>alert(1)</script> *alinea* met IND.\n\n- <img src=x onerror=alert(2)> tweede",
    }
    mentions = [{"entity_id": "ind", "start": 44, "end": 47, "surface": "IND"}]
    out = str(render.render_passage(section, mentions, entity_url=lambda e: f"/entiteiten/{e}",
                                    entity_names={"ind": 'Dienst "IND" <x>'}).body)
    assert "<script" not in out and "<img" not in out
    assert "&lt;script&gt;" in out and "&lt;img src=x onerror=alert(2)&gt;" in out
    assert '<a class="mention" href="/entiteiten/ind" title="Dienst &#34;IND&#34; &lt;x&gt;">IND</a>' in out
    assert "<em>alinea</em>" in out  # emphasis from the Markdown, aligned onto the text
    md = str(render.markdown_html('<script>alert(1)</script>\n\n<div onclick="x">a</div> [l](javascript:alert(1))'))
    assert "<script" not in md and "<div" not in md and "javascript:" not in md


def test_overlays_nest_properly() -> None:
    O = render.Overlay
    out = str(render.overlay_html("abcdefgh", [O(1, 5, 1, "<a>", "</a>"), O(3, 7, 2, "<em>", "</em>"),
                                               O(0, 8, 0, "<mark>", "</mark>")]))
    assert out == "<mark>a<a>bc<em>de</em></a><em>fg</em>h</mark>"


# -- documents ----------------------------------------------------------------------------------------
def test_documents_list(client: FlaskClient, store: Store) -> None:
    page = get(client, "/documenten")
    for doc in store.documents():
        assert f'href="/documenten/{doc["id"]}"' in page


def test_document_metadata_and_toc(client: FlaskClient, store: Store) -> None:
    for doc in store.documents():
        page = get(client, f"/documenten/{doc['id']}")
        assert html.escape(doc["title"]) in page
        for key in ("licence", "ministry", "encoding"):
            if doc.get(key):
                assert html.escape(str(doc[key])) in page
        toc = page.split('id="inhoud-kop"', 1)[1].split("</nav>", 1)[0]
        targets = links(toc, "/passages/")
        sections = store.sections(doc["id"])
        assert targets == [f"/passages/{s['id']}" for s in sections]
        # nested by level: a child section's list sits inside its parent's item
        if any(s["parent_id"] for s in sections):
            assert re.search(r"<li[^>]*><a [^>]+>[^<]*</a>\s*<ol>", toc)
        assert f'<input type="hidden" name="document" value="{doc["id"]}">' in page
    get(client, "/documenten/bestaat-niet", 404)


# -- entities -----------------------------------------------------------------------------------------
def test_entity_page_groups_mentions_by_document(client: FlaskClient, store: Store,
                                                 spread_entity: dict[str, Any]) -> None:
    eid = spread_entity["id"]
    page = get(client, f"/entiteiten/{eid}")
    assert html.escape(spread_entity["name"]) in page
    mentions = store.mentions(entity_id=eid)
    docs = list(dict.fromkeys(m["document_id"] for m in mentions))
    groups = re.findall(r'<section class="mention-group"[^>]*>\s*<h3[^>]*><a href="/documenten/([^"]+)"', page)
    assert groups == docs
    # every passage links to it with its first mention's range and block anchor (one row per passage)
    hrefs = links(page.split('id="vermeldingen-kop"', 1)[1], "/passages/")
    firsts = list({window_of(store, m): m for m in reversed(mentions)}.values())[::-1]
    assert len(hrefs) == len(firsts) and len(hrefs) >= len(docs)
    for m, href in zip(firsts, hrefs):
        parts = urlsplit(href)
        assert parts.path == f"/passages/{m['section_id']}"
        assert parse_qs(parts.query)["m"] == [f"{m['start']}-{m['end']}"]
        assert re.fullmatch(r"p\d+", parts.fragment)
    # the context sentence highlights the mention
    first = re.search(r'<span class="ctx">(.*?)</span>', page, re.S).group(1)
    assert text_of(re.search(r"<mark>(.*?)</mark>", first).group(1)) == mentions[0]["surface"]
    # co-occurring entities link to their pages
    for c in store.cooccurring(eid, limit=3):
        assert f'href="/entiteiten/{c["id"]}"' in page


def test_entity_external_refs_and_relations(client: FlaskClient, store: Store) -> None:
    with_celex = next((e for e in store.entities() if e["refs"].get("celex")), None)
    assert with_celex, "the catalogue has entities with a CELEX reference"
    page = get(client, f"/entiteiten/{with_celex['id']}")
    assert f'href="https://eur-lex.europa.eu/legal-content/NL/TXT/?uri=CELEX:{with_celex["refs"]["celex"]}"' in page
    with_bwb = next((e for e in store.entities() if e["refs"].get("bwb")), None)
    assert with_bwb, "the catalogue has entities with a BWB reference"
    assert f'href="https://wetten.overheid.nl/{with_bwb["refs"]["bwb"]}"' in get(client, f"/entiteiten/{with_bwb['id']}")
    with_rel = next((e for e in store.entities() if e["relations"]), None)
    assert with_rel, "the catalogue has entities with relations"
    page = get(client, f"/entiteiten/{with_rel['id']}")
    target = with_rel["relations"][0]["target"]
    assert f'href="/entiteiten/{target}"' in page
    # and the target shows the inverse relation
    assert f'href="/entiteiten/{with_rel["id"]}"' in get(client, f"/entiteiten/{target}")


def test_entities_browse_and_filter(client: FlaskClient, store: Store) -> None:
    page = get(client, "/entiteiten")
    mentioned = [e for e in store.entities() if e["mention_count"]]
    by_label = defaultdict(int)
    for e in mentioned:
        by_label[e["label"]] += 1
    for label, n in by_label.items():
        assert f'id="soort-{label.lower()}"' in page
    assert '<label for="entiteit-filter">' in page and '<label for="entiteit-type">' in page
    top = mentioned[0]
    filtered = get(client, "/entiteiten?q=" + quote(top["name"][:6]) + f"&type={top['label']}")
    assert f'href="/entiteiten/{top["id"]}"' in filtered
    assert filtered.count('<section class="entity-group"') == 1
    everything = get(client, "/entiteiten?alle=1")
    assert everything.count("<li>") >= page.count("<li>")
    get(client, "/entiteiten/bestaat-niet", 404)


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


def test_render_tables_lists_and_code() -> None:
    text = "Fonds | Aandeel\nAMF | 20%\n\nEen\n\nTwee\n\nDiep\n\nx = <1>"
    blocks = [[0, 25, "table", 0], [27, 30, "list_item", 0], [32, 36, "list_item", 0], [38, 42, "list_item", 1],
              [44, 51, "code", 0]]
    section = {"text": text, "blocks": blocks, "footnotes": [], "markdown": ""}
    mentions = [{"entity_id": "amf", "start": 16, "end": 19, "surface": "AMF"}]
    out = str(render.render_passage(section, mentions, entity_url=lambda e: f"/entiteiten/{e}").body)
    assert '<thead><tr><th scope="col">Fonds</th><th scope="col">Aandeel</th></tr></thead>' in out
    assert '<td><a class="mention" href="/entiteiten/amf">AMF</a></td><td>20%</td>' in out
    assert ('<ul><li id="p1" class="blk">Een</li><li id="p2" class="blk">Twee<ul><li id="p3" class="blk">Diep</li>'
            '</ul></li></ul>') in out
    assert '<pre id="p4" class="blk blk-code"><code>x = &lt;1&gt;</code></pre>' in out


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


# -- measures -----------------------------------------------------------------------------------------
def test_measures_link_to_marked_passages(client: FlaskClient, store: Store) -> None:
    from kb.extract_store import read_allocations, read_measures

    measures = read_measures(store)
    assert measures, "no measures extracted from the shipped corpus"
    page = get(client, "/maatregelen")
    assert f"{len(measures)} maatregel" in text_of(page)
    ranged = [m for m in measures if m["end"] > m["start"]]
    m = ranged[0]
    href = next(u for u in links(page, "/passages/") if f"s={m['start']}-{m['end']}" in u)
    parts = urlsplit(href)
    assert parts.path == f"/passages/{m['section_id']}" and re.fullmatch(r"p\d+", parts.fragment)
    passage = get(client, href)
    marked = "".join(text_of(x) for x in re.findall(r'<mark class="statement"[^>]*>(.*?)</mark>', passage, re.S))
    section = store.section(m["section_id"])
    assert " ".join(marked.replace("voetnoot ", "").split()) == " ".join(section["text"][m["start"]:m["end"]].split())
    # a fund filter narrows the list
    fund = m["fund"]
    only = get(client, f"/maatregelen?fonds={fund}")
    assert f'<option value="{fund}" selected>' in only
    assert len(links(only, "/passages/")) < len(links(page, "/passages/")) or len({x["fund"] for x in measures}) == 1
    # allocations as a table with column headers
    assert read_allocations(store)
    assert '<th scope="col">Aandeel</th>' in page and "%</td>" in page
