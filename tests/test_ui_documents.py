"""A document's page, its reading view and a fund's chart (issue 15: defects 6, 7 and 8)."""
from __future__ import annotations

import html
import re
from dataclasses import replace

from flask.testing import FlaskClient

from settings import Limits, Settings
from support import PLAN_ID, REPORT_ID, get_html
from webapp import create_app


def text_of(fragment: str) -> str:
    """Text as read: inline tags vanish, block and list tags separate words."""
    spaced = re.sub(r"</?(?:p|li|dt|dd|div|h\d|ol|ul|dl|section|td|tr)\b[^>]*>", " ", fragment)
    return " ".join(html.unescape(re.sub(r"<[^>]+>", "", spaced)).split())


def toc_entries(page: str) -> list[str]:
    toc = page.split('id="inhoud-kop"', 1)[1].split("</nav>", 1)[0]
    return [text_of(a) for a in re.findall(r"<li id=\"toc-[^\"]+\"><a [^>]+>(.*?)</a>", toc, re.S)]


# -- defect 8: a table of contents whose entries can be told apart, and the whole text ------------
def test_toc_entries_that_repeat_carry_their_parent_heading(shipped_client: FlaskClient, built_store) -> None:
    entries = toc_entries(get_html(shipped_client, f"/documenten/{PLAN_ID}"))
    assert len(entries) == len(built_store.sections(PLAN_ID))
    repeated = [e for e in entries if e.startswith("Artikel 3(2)(a)")]
    assert len(repeated) == 5  # "Artikel 3(2)(a)" five times, each now with the heading it belongs to
    assert all(" — " in e for e in repeated) and len(set(repeated)) == len(repeated)
    for sec in built_store.sections(PLAN_ID):  # siblings under one heading: told apart by their opening words
        if sec["title"] == "Artikel 3(2)(a)":
            assert any(e.startswith("Artikel 3(2)(a) — " + " ".join(sec["text"].split()[:4])) for e in repeated)
    objectives = [e for e in entries if e.startswith("Door het Fonds gesteunde maatregelen")]
    assert len(objectives) == len(set(objectives))
    unique = [e for e in entries if e.startswith("Uitgangssituatie Terugkeer")]
    assert unique == ["Uitgangssituatie Terugkeer"]  # a unique title needs no context


def test_reading_view_shows_the_whole_text(shipped_client: FlaskClient, built_store) -> None:
    page = get_html(shipped_client, f"/documenten/{REPORT_ID}")
    assert f'href="/documenten/{REPORT_ID}/tekst"' in page
    sections = built_store.sections(REPORT_ID)
    data = shipped_client.get(f"/documenten/{REPORT_ID}/tekst.json").get_json()
    shown = []
    for n in range(1, data["last_page"] + 1):
        part = get_html(shipped_client, f"/documenten/{REPORT_ID}/tekst" + (f"?pagina={n}" if n > 1 else ""))
        shown.append(text_of(part.split('<div class="reading">', 1)[1].split("</div>\n<nav", 1)[0]))
    text = " ".join(shown)
    for sec in sections:  # every section's title and every paragraph is there, in order
        assert sec["title"] in text
        for b in sec["blocks"]:
            words = " ".join(sec["text"][b[0]:b[1]].split()[:8])
            assert text_of(html.escape(words)) in text, (sec["id"], words)
    assert text.index(sections[1]["title"]) < text.index(sections[-1]["title"])


def test_reading_view_pages_split_at_sections_with_unique_ids(built_settings: Settings, built_store) -> None:
    small = create_app(replace(built_settings, limits=replace(Limits(), reading_page_chars=4000)), testing=True)
    shipped_client = small.test_client()
    first = shipped_client.get(f"/documenten/{REPORT_ID}/tekst.json").get_json()
    assert first["last_page"] > 2
    ids = []
    for n in range(1, first["last_page"] + 1):
        page = get_html(shipped_client, f"/documenten/{REPORT_ID}/tekst?pagina={n}")
        anchors = re.findall(r' id="([^"]+)"', page)
        assert len(anchors) == len(set(anchors)), "duplicate ids on one page"
        ids += [s["id"] for s in shipped_client.get(f"/documenten/{REPORT_ID}/tekst.json?pagina={n}").get_json()["sections"]]
    assert ids == [s["id"] for s in built_store.sections(REPORT_ID)]
    assert shipped_client.get(f"/documenten/{REPORT_ID}/tekst?pagina={first['last_page'] + 1}").status_code == 404


def test_reading_view_of_a_pdf_links_its_pages(mixed_client: FlaskClient) -> None:
    page = get_html(mixed_client, "/documenten/jaarverslag/tekst")
    pages = [int(p) for p in re.findall(r'<a class="page-ref" href="/documenten/jaarverslag/origineel#page=(\d+)"', page)]
    assert pages and pages == sorted(pages) and max(pages) == 7


# -- defect 6: no stray separator, no signature heading ---------------------------------------------
def test_document_without_metadata_has_no_stray_separator(mixed_client: FlaskClient) -> None:
    home = get_html(mixed_client, "/")
    metas = {m.group(1): text_of(m.group(2)) for m in re.finditer(
        r'<a href="/documenten/([^"]+)">.*?<p class="meta">(.*?)</p>', home, re.S)}
    assert re.fullmatch(r"\d+ secties?", metas["fondsplan"])
    assert metas["brief-woningbouw"].startswith("14 maart 2024 · ")
    assert not any(meta.startswith("·") or "· ·" in meta for meta in metas.values())
    page = get_html(mixed_client, "/documenten/fondsplan")
    listed = text_of(page.split('<dl class="meta-list">', 1)[1].split("</dl>", 1)[0])
    assert "Soort" not in listed and "Jaar" not in listed and "Licentie Niet vermeld" in listed


def test_signature_lines_are_text_not_headings(mixed_client: FlaskClient, mixed_settings: Settings) -> None:
    page = get_html(mixed_client, "/documenten/brief-woningbouw")
    assert not any("Minister" in e or "Jonge" in e for e in toc_entries(page))
    from kb.store import Store

    with Store(mixed_settings.db_path, readonly=True) as store:
        last = store.sections("brief-woningbouw")[-1]
    body = get_html(mixed_client, f"/passages/{last['id']}").split('class="passage-body"', 1)[1].split("</article>", 1)[0]
    paragraphs = [text_of(p) for p in re.findall(r'<p id="p\d+" class="blk">(.*?)</p>', body, re.S)]
    assert paragraphs[-2:] == ["De Minister van Volkshuisvesting en Ruimtelijke Ordening,", "H.M. de Jonge"]


def test_document_page_shows_date_number_ministry_and_original(mixed_client: FlaskClient) -> None:
    page = get_html(mixed_client, "/documenten/jaarverslag")
    listed = text_of(page.split('<dl class="meta-list">', 1)[1].split("</dl>", 1)[0])
    for fact in ("Soort Jaarverslag", "Datum 21 mei 2025", "Kamerstuk 36 740, nr. 1", "Ministerie Ministerie van "
                 "Financiën", "7 pagina's"):
        assert fact in listed, fact
    assert '<a href="/documenten/jaarverslag/origineel">origineel openen' in page
    assert '<a href="/documenten/jaarverslag-word/origineel">origineel downloaden' in get_html(
        mixed_client, "/documenten/jaarverslag-word")


# -- defect 7: a fund's bars are told apart, with the amounts the text gives ----------------------
def _bars(page: str) -> list[tuple[str, str]]:
    svg = page.split('<figure class="bar-chart">', 1)[1].split("</svg>", 1)[0]
    texts = [html.unescape(t) for t in re.findall(r"<text [^>]*>([^<]*)</text>", svg)]
    return list(zip(texts[0::2], texts[1::2]))


def test_fund_bars_have_distinct_labels(shipped_client: FlaskClient) -> None:
    bars = _bars(get_html(shipped_client, "/fondsen/AMF"))
    labels = [label for label, _share in bars]
    assert len(labels) == len(set(labels)) >= 6  # "Asiel en opvang" twice and "Terugkeer" twice before
    asylum = [label for label in labels if label.startswith("Asiel en opvang")]
    assert len(asylum) == 2 and any("middenveld" in label for label in asylum)
    data = shipped_client.get("/fondsen/AMF.json").get_json()
    assert len({a["label"] for a in data["allocations"]}) == len(data["allocations"])


def test_fund_bars_and_table_give_the_amounts_in_the_text(mixed_client: FlaskClient) -> None:
    page = get_html(mixed_client, "/fondsen/AMF")
    bars = dict(_bars(page))
    assert any(label.startswith("Asiel en opvang") and label.endswith("(€ 12 miljoen)") and share == "38%"
               for label, share in bars.items())
    assert any(label.endswith("(€ 3 miljoen)") and share == "10%" for label, share in bars.items())
    assert len(bars) == len(set(bars))
    table = page.split('<table class="data-table allocation-table">', 1)[1].split("</table>", 1)[0]
    cells = [text_of(c) for c in re.findall(r'<td class="num">(.*?)</td>', table, re.S)]
    assert "€ 12 miljoen" in cells and "€ 3 miljoen" in cells
    rows = mixed_client.get("/fondsen/AMF.csv").get_data(as_text=True)
    assert "€ 12 miljoen" in rows
