"""``/maatregelen`` (statements, measures, allocations) and the fund pages ``/fondsen``, ``/fondsen/<fonds>``,
through Flask's test client against the knowledge base built from the shipped corpus."""
from __future__ import annotations

import html
import re
from typing import Any
from urllib.parse import parse_qs, quote, urlsplit

import pytest
from flask.testing import FlaskClient
from markupsafe import escape

from settings import Settings
from kb.extract_store import read_allocations, read_measures, read_statements
from support import get_html
from kb.store import Store
from webapp import create_app

HOSTILE = '"><script>alert(1)</script>'


@pytest.fixture(scope="module")
def client(built_settings: Settings) -> FlaskClient:
    return create_app(built_settings, testing=True).test_client()


@pytest.fixture(scope="module")
def store(built_store):
    return built_store


get = get_html


def text_of(fragment: str) -> str:
    return " ".join(html.unescape(re.sub(r"<[^>]+>", "", fragment)).split())


def items(page: str) -> list[str]:
    return re.findall(r'<li class="statement-item statement-item--\w+">.*?</li>\s*(?=<li class="statement-item|</ol>)',
                      page, re.S)


def item_kinds(page: str) -> list[str]:
    return re.findall(r'<li class="statement-item statement-item--(\w+)">', page)


def marked_text(page: str) -> str:
    marked = "".join(re.sub(r"<[^>]+>", "", x) for x in re.findall(r'<mark class="statement"[^>]*>(.*?)</mark>', page, re.S))
    return " ".join(html.unescape(marked).replace("voetnoot ", "").split())


def main_of(page: str) -> str:
    return page[page.index('<main'):page.index('</main>')]


# -- /maatregelen: statements ------------------------------------------------------------------------
def test_counts_per_type_and_other_hidden(client: FlaskClient, store: Store) -> None:
    rows = read_statements(store)
    page = get(client, "/maatregelen")
    counts = {k: sum(1 for r in rows if r["kind"] == k) for k in ("commitment", "result", "problem")}
    assert all(counts.values()), counts
    for kind, label in (("commitment", "Toezeggingen en voornemens"), ("result", "Resultaten"),
                        ("problem", "Vertragingen en problemen")):
        assert re.search(rf'href="/maatregelen\?type={kind}"[^>]*>{label} <span class="count">\({counts[kind]}\)', page)
    assert f"Alle soorten ({sum(counts.values())})" in page
    assert "other" not in item_kinds(page) and len(item_kinds(page)) == 20  # one page
    # the form works without JavaScript: GET, labelled selects and a submit button
    form = re.search(r'<form class="filter-form"[^>]*method="get".*?</form>', page, re.S).group()
    for name in ("document", "type", "fonds", "entity"):
        sid = re.search(rf'<select id="([^"]+)" name="{name}"', form).group(1)
        assert f'<label for="{sid}">' in form
    assert '<button type="submit"' in form


@pytest.mark.parametrize("kind", ["result", "commitment", "problem"])
def test_type_filter_shows_only_that_type(client: FlaskClient, store: Store, kind: str) -> None:
    page = get(client, f"/maatregelen?type={kind}")
    kinds = item_kinds(page)
    assert kinds and set(kinds) == {kind}
    assert '<option value="%s" selected>' % kind in page
    expected = sum(1 for r in read_statements(store) if r["kind"] == kind)
    assert '<h2 id="uitspraken-kop">' in page and f"({expected})</span></h2>" in page
    assert 'id="maatregelen-kop"' not in page  # measures are not statements of a type


def test_pagination_covers_all_results(client: FlaskClient, store: Store) -> None:
    expected = [r for r in read_statements(store) if r["kind"] == "result"]
    seen: list[str] = []
    page_no = 1
    while True:
        page = get(client, f"/maatregelen?type=result&pagina={page_no}")
        seen += [text_of(m) for m in re.findall(r'<blockquote class="statement-text">(.*?)</blockquote>', page, re.S)]
        if 'rel="next"' not in page:
            break
        assert f'href="/maatregelen?type=result&amp;pagina={page_no + 1}" rel="next"' in page
        page_no += 1
    assert page_no > 1
    assert seen == [" ".join(r["text"].split()) for r in expected]
    get(client, "/maatregelen?type=result&pagina=99999")  # clipped to the last page
    get(client, "/maatregelen?pagina=abc")


def test_statement_shows_cue_flags_and_place(client: FlaskClient, store: Store) -> None:
    rows = [r for r in read_statements(store) if r["kind"] != "other"]
    neg = next(r for r in rows if r["negated"])
    cond = next(r for r in rows if r["conditional"])
    for r in (neg, cond):
        page = get(client, f"/maatregelen?document={r['document_id']}&type={r['kind']}&pagina=1")
        p, found = 1, None
        while found is None:
            found = next((i for i in items(page) if f"?s={r['start']}-{r['end']}" in i
                          and quote(r["section_id"], safe=":/") in i), None)
            if found is None:
                assert 'rel="next"' in page, r["id"]
                p += 1
                page = get(client, f"/maatregelen?document={r['document_id']}&type={r['kind']}&pagina={p}")
        assert f'<mark class="cue">{html.escape(r["cue"]["text"], quote=True)}</mark>' in found
        assert f"Herkend aan <q>{html.escape(r['cue']['text'], quote=True)}</q>" in found
        # the cue's Dutch label, never its internal id (issue 12: "regel commitment.beogen" was shown)
        assert str(escape(r["cue"]["label"])) in found and r["cue"]["id"] not in found
        if r is neg:
            assert "Ontkenning" in found
        else:
            assert "Voorwaardelijk" in found
        doc = store.document(r["document_id"])
        assert html.escape(doc["title"], quote=True) in found


def test_statement_links_mark_the_sentence(client: FlaskClient, store: Store) -> None:
    for kind in ("commitment", "result", "problem"):
        page = get(client, f"/maatregelen?type={kind}")
        links = [html.unescape(h) for h in re.findall(r'<p class="context-link"><a href="([^"]+)"', page)]
        quotes = [text_of(q) for q in re.findall(r'<blockquote class="statement-text">(.*?)</blockquote>', page, re.S)]
        assert links and len(links) == len(quotes)
        for href, quote_text in list(zip(links, quotes))[:4]:
            parts = urlsplit(href)
            start, end = map(int, parse_qs(parts.query)["s"][0].split("-"))
            sid = parts.path.removeprefix("/passages/")
            assert re.fullmatch(r"p\d+", parts.fragment)
            st = next(r for r in read_statements(store, section_id=sid) if r["start"] == start and r["end"] == end)
            assert " ".join(st["text"].split()) == quote_text
            passage = get(client, href)
            assert marked_text(passage) == " ".join(store.section(sid)["text"][start:end].split())
            assert marked_text(passage).replace("[", "").replace("]", "")[:40] == \
                " ".join(st["text"].split()).replace("[", "").replace("]", "")[:40]
            assert re.search(rf'id="{parts.fragment}" class="[^"]*is-marked', passage)


def test_document_filter(client: FlaskClient, store: Store) -> None:
    doc = store.documents()[1]
    page = get(client, f"/maatregelen?document={doc['id']}")
    expected = sum(1 for r in read_statements(store, document_id=doc["id"]) if r["kind"] != "other")
    assert f'<option value="{doc["id"]}" selected>' in page
    assert f"({expected})</span></h2>" in page
    hrefs = re.findall(r'<p class="context-link"><a href="/passages/([^"?]+)', page)
    assert hrefs
    for href in hrefs:
        assert href.startswith(doc["id"] + ":") or href.startswith(quote(doc["id"]))


def test_entity_filter_uses_mention_offsets(client: FlaskClient, store: Store) -> None:
    rows = [r for r in read_statements(store) if r["kind"] != "other"]

    def has(r: dict[str, Any], eid: str) -> bool:
        return any(m["entity_id"] == eid and r["start"] <= m["start"] and m["end"] <= r["end"]
                   for m in store.mentions(section_id=r["section_id"]))

    eid = "ind"
    expected = [r for r in rows if has(r, eid)]
    assert expected
    page = get(client, f"/maatregelen?entity={eid}")
    assert f'<option value="{eid}" selected>' in page
    assert f"({len(expected)})</span></h2>" in page
    quotes = [text_of(q) for q in re.findall(r'<blockquote class="statement-text">(.*?)</blockquote>', page, re.S)]
    assert quotes == [" ".join(r["text"].split()) for r in expected][:20]


def test_fund_filter(client: FlaskClient, store: Store) -> None:
    every = read_measures(store)
    bmvi = [m for m in every if m["fund"] == "BMVI"]
    assert bmvi and len(bmvi) < len(every)
    page = get(client, "/maatregelen?fonds=BMVI")
    assert '<option value="BMVI" selected>' in page
    assert f"{len(bmvi)} maatregel" in text_of(page)
    assert re.findall(r'<h3 id="fonds-(\w+)"', page) == ["bmvi"]
    assert "Budgetverdeling van BMVI" in page and 'href="/fondsen/BMVI"' in page
    # allocations of BMVI only
    shares = re.findall(r'<tr class="alloc-row">\s*<td><a href="/fondsen/(\w+)"', page)
    assert shares and set(shares) == {"BMVI"}
    # statements narrowed too
    all_total = int(re.search(r'Alle soorten \((\d+)\)', get(client, "/maatregelen")).group(1))
    bmvi_total = int(re.search(r'Alle soorten \((\d+)\)', page).group(1))
    assert 0 < bmvi_total < all_total
    assert get(client, "/maatregelen?fund=bmvi").count('<h3 id="fonds-') == 1  # alias, any case


def test_measures_grouped_with_article_refs(client: FlaskClient, store: Store) -> None:
    page = get(client, "/maatregelen")
    with_ref = next(m for m in read_measures(store) if m.get("article_ref") and m["end"] > m["start"])
    assert html.escape(with_ref["article_ref"], quote=True) in page
    href = f'/passages/{quote(with_ref["section_id"], safe=":")}?s={with_ref["start"]}-{with_ref["end"]}'
    assert href in page or href.replace(":", "%3A") in page


@pytest.mark.parametrize("param", ["document", "type", "fonds", "fund", "entity", "pagina"])
def test_hostile_filter_values_are_escaped(client: FlaskClient, param: str) -> None:
    page = get(client, f"/maatregelen?{param}={quote(HOSTILE)}")
    assert "<script>alert" not in page
    assert "alert(1)" not in main_of(page)
    assert '"><script' not in page
    page = get(client, f"/maatregelen?type=result&entity={quote(HOSTILE)}&document={quote(HOSTILE)}")
    assert "<script>alert" not in page and set(item_kinds(page)) == {"result"}


# -- /fondsen -----------------------------------------------------------------------------------------
def test_fund_page_bmvi(client: FlaskClient, store: Store) -> None:
    resp = client.get("/fondsen/BMVI")
    assert resp.status_code == 200
    assert "style-src 'self'" in resp.headers["Content-Security-Policy"]
    page = resp.get_data(as_text=True)
    main = main_of(page)
    assert "style=" not in main and "<script" not in main
    rows = re.findall(r'<tr class="alloc-row">\s*<td class="num">([^<]+)</td>', main)
    assert rows == ["67,5%", "7,5%", "10%", "5%", "5%", "5%"]
    assert "Totaal 100%" in main and "precies op tot 100%" in main
    # inline SVG chart: one bar per allocation, percentages as text, title/desc
    svg = re.search(r"<svg\b.*?</svg>", main, re.S).group()
    assert 'role="img"' in svg and 'aria-labelledby="grafiek-titel grafiek-omschrijving"' in svg
    assert '<title id="grafiek-titel">' in svg and '<desc id="grafiek-omschrijving">' in svg
    assert len(re.findall(r"<rect\b", svg)) == 6
    assert re.findall(r'font-weight="700"[^>]*>([^<]+)</text>', svg) == rows
    widths = [float(w) for w in re.findall(r'<rect [^>]*width="([\d.]+)"', svg)]
    assert widths[0] == pytest.approx(widths[2] * 6.75, rel=0.02)
    assert "style=" not in svg
    # table with caption and column headers
    assert "<caption>Indicatieve verdeling van de BMVI-middelen</caption>" in main
    assert '<th scope="col">Aandeel</th>' in main
    # every allocation links to its sentence, marked in the passage
    allocs = read_allocations(store, fund="BMVI")
    for a in allocs:
        href = next(html.unescape(h) for h in re.findall(r'href="(/passages/[^"]+)"', main)
                    if f"?s={a['start']}-{a['end']}" in html.unescape(h) and a["section_id"].split(":")[1] in h)
        passage = get(client, href)
        assert marked_text(passage) == " ".join(a["text"].split())
    # the fund's measures
    assert f"Maatregelen <span class=\"count\">({len(read_measures(store, fund='BMVI'))})</span>" in main
    assert 'href="/maatregelen?fonds=BMVI"' in main


def test_fund_page_amf_recipients(client: FlaskClient) -> None:
    main = main_of(get(client, "/fondsen/AMF"))
    assert "Totaal 100%" in main
    m = re.search(r'<td class="num">38%</td>.*?</tr>\s*<tr class="recipient-row">(.*?)</tr>\s*<tr class="recipient-row">(.*?)</tr>',
                  main, re.S)
    assert m
    assert "20%" in m.group(1) and "waarvan COA" in m.group(1)
    assert "18%" in m.group(2) and "waarvan IND" in m.group(2)
    assert len(re.findall(r"<rect\b", main)) == 6  # recipients are no bars of their own


def test_fund_index_and_unknown_fund(client: FlaskClient) -> None:
    page = get(client, "/fondsen")
    assert 'href="/fondsen/BMVI"' in page and 'href="/fondsen/AMF"' in page
    assert "<caption>" in page and '<th scope="col">Fonds</th>' in page
    resp = client.get("/fondsen/bmvi")
    assert resp.status_code == 301 and resp.headers["Location"].endswith("/fondsen/BMVI")
    nf = get(client, "/fondsen/XYZ", 404)
    assert 'lang="nl"' in nf and "Dit fonds staat niet in de Beleidsbank" in nf
    nf = get(client, "/fondsen/" + quote(HOSTILE, safe=""), 404)
    assert "<script>alert" not in nf
    # ISF has measures but no allocations: a page without chart
    isf = main_of(get(client, "/fondsen/ISF"))
    assert "<svg" not in isf and "geen verdeling van de middelen" in isf


@pytest.mark.parametrize("url", ["/maatregelen", "/maatregelen?type=result", "/fondsen", "/fondsen/BMVI"])
def test_headings_in_order_and_unique_ids(client: FlaskClient, url: str) -> None:
    page = get(client, url)
    levels = [int(h) for h in re.findall(r"<h([1-6])\b", main_of(page))]
    assert levels[0] == 1 and levels.count(1) == 1
    assert all(b - a <= 1 for a, b in zip(levels, levels[1:])), levels
    ids = re.findall(r'\sid="([^"]+)"', page)
    assert len(ids) == len(set(ids))
    assert "<script>" not in page and " style=" not in page
