"""What a passage page shows and how it is cited (issue 15: defects 1-3; issue 11: pages and originals;
issue 16 #10: the public address).  Flask's test client against the shipped and the mixed collection."""
from __future__ import annotations

import html
import re
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
from flask.testing import FlaskClient

from settings import Settings
from support import get_html
from webapp import create_app

PUBLIC = "https://beleidsbank.example.nl"


@pytest.fixture(scope="module")
def public_client(built_settings: Settings) -> FlaskClient:
    """The app with a configured public address."""
    from dataclasses import replace

    return create_app(replace(built_settings, public_url=PUBLIC), testing=True).test_client()


@pytest.fixture(scope="module")
def valued_section(built_store) -> dict[str, Any]:
    """A section with at least three blocks, a date, and a linked entity."""
    for sec in built_store.sections():
        labels = {m["label"] for m in built_store.mentions(section_id=sec["id"])}
        if len(sec["blocks"]) >= 3 and "DATE" in labels and labels - {"DATE", "MONEY", "PERCENT"}:
            return sec
    raise AssertionError("the shipped corpus has sections with dates and entities")


def _aside(page: str) -> str:
    return page.split('<aside class="passage-aside"', 1)[1]


def _citation(page: str) -> str:
    return html.unescape(re.search(r'<textarea id="citaat"[^>]*>(.*?)</textarea>', page, re.S).group(1))


# -- defect 1: values are marked, never linked -----------------------------------------------------
def test_dates_amounts_and_percentages_are_marked_without_a_link(shipped_client: FlaskClient, built_store,
                                                                  valued_section: dict[str, Any]) -> None:
    page = get_html(shipped_client, f"/passages/{valued_section['id']}")
    dates = [m for m in built_store.mentions(section_id=valued_section["id"]) if m["label"] == "DATE"]
    body = page.split('class="passage-body"', 1)[1].split("</article>", 1)[0]
    marked = re.findall(r'<data class="value value--datum" value="([^"]*)">([^<]*)</data>', body)
    assert {(m["value"] or "", html.escape(m["surface"], quote=False)) for m in dates} <= set(marked)
    assert re.search(r'<a class="mention[^"]*" href="/entiteiten/[a-z0-9-]+"', body)  # entities stay links
    for value_id in ("date", "money", "percent"):
        assert f'href="/entiteiten/{value_id}"' not in page
    # the API record says the same: a value has no entity id (the spec: null for dates, amounts, percentages)
    record = shipped_client.get(f"/api/v1/passages/{quote(valued_section['id'], safe=':')}").get_json()
    values = [e for e in record["entities"] if e["label"] in ("DATE", "MONEY", "PERCENT")]
    assert values and all(e["id"] is None and e["value"] for e in values)
    assert all(e["id"] for e in record["entities"] if e["label"] not in ("DATE", "MONEY", "PERCENT"))


def test_no_page_of_the_collection_links_a_value(shipped_client: FlaskClient, built_store) -> None:
    with_values = {m["section_id"] for m in built_store.mentions() if m["label"] in ("DATE", "MONEY", "PERCENT")}
    assert len(with_values) > 20
    for sid in sorted(with_values):
        page = get_html(shipped_client, f"/passages/{sid}")
        assert not re.search(r'href="/entiteiten/(date|money|percent)"', page), sid


# -- defect 2: no English labels in the sidebar ----------------------------------------------------
def test_sidebar_names_values_in_dutch(shipped_client: FlaskClient, valued_section: dict[str, Any]) -> None:
    aside = _aside(get_html(shipped_client, f"/passages/{valued_section['id']}"))
    text = re.sub(r"<[^>]+>", " ", aside)
    for english in ("date", "money", "percent"):
        assert not re.search(rf"\b{english}\b", text, re.IGNORECASE), english
    assert "Bedragen, percentages en data" in aside and "<dt>Data</dt>" in aside
    mentioned = aside.split('id="entiteiten-kop"', 1)[1].split("</section>", 1)[0]
    assert re.findall(r'<a href="/entiteiten/([^"]+)">', mentioned)  # only catalogue entities, linked


# -- defect 3: permalink, canonical link and citation at paragraph level ---------------------------
def test_permalink_canonical_and_citation_keep_the_paragraph(public_client: FlaskClient, built_store,
                                                             valued_section: dict[str, Any]) -> None:
    sid = valued_section["id"]
    page = get_html(public_client, f"/passages/{sid}?b=2#p2")
    here = f"{PUBLIC}/passages/{sid}?b=2"
    assert f'<link rel="canonical" href="{html.escape(here)}">' in page
    permalink = html.unescape(re.search(r'Permanente link:</span> <a href="([^"]+)"', page).group(1))
    assert permalink == here + "#p2"
    citation = _citation(page)
    doc = built_store.document(valued_section["document_id"])
    # the source document first: its ministry, date, title and where in it (section path, paragraph) ...
    assert citation.startswith(f"{doc['ministry']} ({doc['year']}). {doc['title']}.")
    assert " › ".join(valued_section["path"]) + ", alinea 3." in citation
    # ... then the Beleidsbank link to that paragraph, on the public address
    assert citation.endswith(f"via Beleidsbank: {here}#p2")
    # a statement or mention range marks its paragraph too
    block = valued_section["blocks"][1]
    marked = get_html(public_client, f"/passages/{sid}?s={block[0]}-{block[0] + 5}")
    assert '?b=1#p1' in _citation(marked)
    # without a paragraph: the section
    assert _citation(get_html(public_client, f"/passages/{sid}")).endswith(f"via Beleidsbank: {PUBLIC}/passages/{sid}")


def test_links_for_others_use_the_public_address_never_the_host_header(public_client: FlaskClient,
                                                                       valued_section: dict[str, Any]) -> None:
    """Issue 16 #10: a forged Host header was echoed into permalinks and problem types."""
    forged = {"Host": "evil.example"}
    page = public_client.get(f"/passages/{valued_section['id']}", headers=forged).get_data(as_text=True)
    assert "evil.example" not in page and PUBLIC in page
    problem = public_client.get("/api/v1/passages/bestaat:niet", headers=forged).get_json()
    assert problem["type"] == f"{PUBLIC}/api#fout-niet-gevonden"
    rows = public_client.get("/documenten.csv", headers=forged).get_data(as_text=True)
    assert "evil.example" not in rows and f"{PUBLIC}/documenten/" in rows
    docs = public_client.get("/api", headers=forged).get_data(as_text=True)
    assert "evil.example" not in docs and f"curl '{PUBLIC}/api/v1/" in html.unescape(docs)


def test_without_a_public_address_links_stay_relative(shipped_client: FlaskClient, valued_section: dict[str, Any]) -> None:
    page = shipped_client.get(f"/passages/{valued_section['id']}?b=1", headers={"Host": "evil.example"}).get_data(as_text=True)
    assert "evil.example" not in page
    assert f'<link rel="canonical" href="/passages/{valued_section["id"]}?b=1">' in page
    assert shipped_client.get("/api/v1/passages/x:y").get_json()["type"] == "/api#fout-niet-gevonden"


def test_html_pages_say_how_long_they_may_be_cached(shipped_client: FlaskClient, valued_section: dict[str, Any]) -> None:
    for url in ("/", f"/passages/{valued_section['id']}", "/zoeken?q=IND", "/documenten.json", "/entiteiten.csv"):
        assert shipped_client.get(url).headers["Cache-Control"] == "public, max-age=60", url
    assert shipped_client.get("/bestaat-niet").headers["Cache-Control"] == "no-store"
    assert shipped_client.get("/passages/x:y").headers["Cache-Control"] == "no-store"


# -- issue 11: a passage from a PDF shows its page and links to the original there ----------------
def test_pdf_passage_shows_its_page_and_cites_number_and_page(mixed_client: FlaskClient, mixed_settings: Settings) -> None:
    from kb.store import Store

    with Store(mixed_settings.db_path, readonly=True) as store:
        doc = store.document("jaarverslag")
        sec = next(s for s in store.sections("jaarverslag") if len(s["blocks"]) > 1 and s["blocks"][1][4] > 1)
    page_no = sec["blocks"][1][4]
    page = get_html(mixed_client, f"/passages/{sec['id']}?b=1")
    original = f"/documenten/jaarverslag/origineel#page={page_no}"
    assert f'href="{original}"' in page  # "Bekijk p. N in het origineel" and the page marker in the text
    assert re.search(rf'<a class="page-ref" href="{re.escape(original)}">p\. {page_no}<', page)
    eyebrow = html.unescape(re.search(r'<p class="eyebrow">(.*?)</p>', page, re.S).group(1))
    assert f"Kamerstuk {doc['kamerstuk']}" in eyebrow and f"p. {page_no}" in eyebrow
    citation = _citation(page)
    assert citation.startswith(f"{doc['ministry']} (21 mei 2025). {doc['title']}. Kamerstuk 36 740, nr. 1.")
    assert f"p. {page_no}, alinea 2." in citation and f"/passages/{sec['id']}?b=1#p1" in citation
    # the record gives each block its page
    record = mixed_client.get(f"/api/v1/passages/{quote(sec['id'], safe=':')}").get_json()
    assert record["blocks"][1]["page"] == page_no and record["document"]["kamerstuk"] == "36 740, nr. 1"


def test_regulation_citation_names_its_bwb_id_and_official_text(mixed_client: FlaskClient) -> None:
    page = get_html(mixed_client, "/documenten/bwbr0016008")
    assert '<a href="https://wetten.overheid.nl/BWBR0016008" rel="noopener noreferrer">BWBR0016008' in page
    first = re.search(r'<li id="toc-([^"]+)"><a href="(/passages/[^"]+)"', page).group(2)
    citation = _citation(get_html(mixed_client, html.unescape(first)))
    assert "BWBR0016008." in citation and "Bron: https://wetten.overheid.nl/BWBR0016008." in citation


def test_originals_are_served_safely(mixed_client: FlaskClient, mixed_settings: Settings) -> None:
    pdf = mixed_client.get("/documenten/jaarverslag/origineel")
    assert pdf.status_code == 200 and pdf.headers["Content-Type"] == "application/pdf"
    assert pdf.headers["Content-Disposition"].startswith("inline") and "jaarverslag.pdf" in pdf.headers[
        "Content-Disposition"]
    assert pdf.data == (Path(mixed_settings.corpus_dir) / "jaarverslag.pdf").read_bytes()
    assert pdf.headers["X-Content-Type-Options"] == "nosniff"
    docx = mixed_client.get("/documenten/jaarverslag-word/origineel")
    assert docx.headers["Content-Type"] == "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    assert docx.headers["Content-Disposition"].startswith("attachment")
    page = mixed_client.get("/documenten/kamerbrief-woningbouw/origineel")  # an HTML original is never run here
    assert page.headers["Content-Disposition"].startswith("attachment")
    assert "sandbox" in page.headers["Content-Security-Policy"] and "charset" not in page.headers["Content-Type"]
    assert mixed_client.get("/documenten/bestaat-niet/origineel").status_code == 404


# -- law identifiers: passages and entity pages link to the official text ------------------------------
def test_cited_regulations_link_to_the_official_text_at_the_article(mixed_client: FlaskClient) -> None:
    page = get_html(mixed_client, "/passages/notitie-bestuursrecht:beroep")
    panel = page.split('id="regelingen-kop"', 1)[1].split("</section>", 1)[0]
    links = [(html.unescape(href), re.sub(r"<[^>]+>", "", text)) for href, text in
             re.findall(r'<a href="([^"]+)" rel="noopener noreferrer">(.*?)</a>', panel)]
    assert ("https://wetten.overheid.nl/jci1.3:c:BWBR0005537&artikel=8:1", "Algemene wet bestuursrecht, artikel 8:1") in links
    assert ("https://wetten.overheid.nl/jci1.3:c:BWBR0001840&artikel=72", "Grondwet, artikel 72") in links
    body = page.split('class="passage-body"', 1)[1].split("</article>", 1)[0]
    assert 'href="/entiteiten/awb"' in body  # the catalogue entity keeps its page


def test_regulations_cited_by_bwb_id_have_pages_that_link_the_official_text(mixed_client: FlaskClient,
                                                                           mixed_settings: Settings) -> None:
    from kb.store import Store

    with Store(mixed_settings.db_path, readonly=True) as store:
        cited = [m for m in store.mentions() if m["label"] == "LAW" and m["refs"].get("bwb")]
    assert len(cited) > 10, "the regulations cite each other by BWB id"
    for m in cited[:5]:
        page = get_html(mixed_client, f"/passages/{m['section_id']}")
        assert f'href="/entiteiten/{m["entity_id"]}"' in page
        entity = get_html(mixed_client, f"/entiteiten/{m['entity_id']}")
        assert f'href="https://wetten.overheid.nl/{m["refs"]["bwb"]}"' in entity


def test_a_mention_without_a_page_is_never_a_dead_link(mixed_client: FlaskClient) -> None:
    from webapp.pages.passage import mention_href

    base = {"label": "LAW", "start": 0, "end": 4, "text": "Wet", "value": None}
    with mixed_client.application.test_request_context():
        assert mention_href({**base, "id": "awb", "name": "Algemene wet bestuursrecht"}) == "/entiteiten/awb"
        assert mention_href({**base, "id": "law-x", "name": None, "refs": {"bwb": "BWBR0005537"}, "article": "8:1"}) \
            == "https://wetten.overheid.nl/jci1.3:c:BWBR0005537&artikel=8:1"
        assert mention_href({**base, "id": "law-y", "name": None, "refs": {}}) is None


def test_render_marks_a_mention_without_a_link_and_links_an_external_one() -> None:
    from webapp.render import render_passage

    section = {"text": "De Wet X en de Awb gelden.", "blocks": [[0, 26, "paragraph", 0, None]], "markdown": ""}
    mentions = [{"entity_id": "law-x", "surface": "Wet X", "start": 3, "end": 8, "href": None},
                {"entity_id": "awb", "surface": "Awb", "start": 15, "end": 18,
                 "href": "https://wetten.overheid.nl/BWBR0005537"}]
    body = str(render_passage(section, mentions, entity_url=lambda eid: f"/entiteiten/{eid}").body)
    assert '<span class="mention mention--unlinked">Wet X</span>' in body
    assert ('<a class="mention mention--external" href="https://wetten.overheid.nl/BWBR0005537" '
            'rel="noopener noreferrer">Awb</a>') in body
    assert "/entiteiten/law-x" not in body
