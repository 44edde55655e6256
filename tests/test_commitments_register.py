"""The register page ``/toezeggingen`` and the follow-up rule, on the shipped collection and on a small
collection written for the rule: a plan, a later report that does what the plan promised, a report
that only shares common words, and an earlier report."""
from __future__ import annotations

import csv
import html
import io
import json
import re
from typing import Any
from urllib.parse import urlsplit

import feedparser
import pytest
from flask.testing import FlaskClient

from settings import Settings
from support import build_kb
from webapp import create_app

PLAN = """# Plan digitale opsporing

## Aanpak kinderpornografie

Ik zal in 2021 de HashCheckService voor kinderpornografisch materiaal uitbreiden naar alle hostingbedrijven.

## Aanpak wachttijden

Ik zal de wachttijden bij de rechtbanken in 2021 verkorten met extra capaciteit.
"""
REPORT = """# Jaarverslag digitale opsporing

## Resultaten kinderpornografie

De HashCheckService voor kinderpornografisch materiaal is uitgebreid en wordt nu door alle hostingbedrijven gebruikt.

## Resultaten capaciteit

Er is extra capaciteit ingezet voor de uitvoering van het beleid.
"""
EARLIER = """# Oud verslag

## Terugblik

De HashCheckService voor kinderpornografisch materiaal is in 2018 opgezet voor enkele hostingbedrijven.
"""
FILLER = """# Overige zaken {n}

## Uitvoering {n}

De uitvoering van het beleid vraagt capaciteit en aandacht van de organisatie in jaar {n}.
"""


def meta(year: int, title: str) -> str:
    return f"title: {title}\nkind: kamerbrief\nyear: {year}\n"


@pytest.fixture(scope="module")
def small(tmp_path_factory: pytest.TempPathFactory) -> FlaskClient:
    corpus = tmp_path_factory.mktemp("toezeggingen") / "corpus"
    corpus.mkdir()
    for name, text, year in (("plan", PLAN, 2020), ("verslag", REPORT, 2021), ("oud-verslag", EARLIER, 2018)):
        (corpus / f"{name}.md").write_text(text, encoding="utf-8")
        (corpus / f"{name}.meta.yaml").write_text(meta(year, text.splitlines()[0][2:]), encoding="utf-8")
    for n in range(8):  # enough sections that "capaciteit" and "uitvoering" are common words
        (corpus / f"overig-{n}.md").write_text(FILLER.format(n=n), encoding="utf-8")
    settings = build_kb(corpus, corpus.parent / "data")
    return create_app(settings, testing=True).test_client()


@pytest.fixture(scope="module")
def shipped(built_settings: Settings) -> FlaskClient:
    return create_app(built_settings, testing=True).test_client()


def page_items(client: FlaskClient, url: str) -> list[dict[str, Any]]:
    resp = client.get(url.replace("/toezeggingen", "/toezeggingen.json", 1))
    assert resp.status_code == 200
    return resp.get_json()["items"]


# -- the follow-up rule ----------------------------------------------------------------------------
def test_a_later_report_doing_the_promised_thing_is_evidence(small: FlaskClient) -> None:
    items = page_items(small, "/toezeggingen?sort=document")
    hash_check = next(c for c in items if "HashCheckService" in c["text"])
    waiting = next(c for c in items if "wachttijden" in c["text"])
    assert hash_check["status"] == "possibly_fulfilled", hash_check
    (evidence,) = hash_check["evidence"]
    assert evidence["document"] == "verslag"  # the later report, not the earlier one
    assert {"hashcheckservice", "kinderpornografisch"} <= {w.lower() for w in evidence["words"]}
    assert "uitgebreid" in evidence["sentence"]
    # "extra capaciteit ingezet" shares only common words with the promise: no evidence, and the
    # deadline (2021) has passed
    assert waiting["evidence"] == [] and waiting["status"] == "deadline_passed"


def test_page_shows_status_evidence_and_why(small: FlaskClient) -> None:
    page = small.get("/toezeggingen?status=possibly_fulfilled").get_data(as_text=True)
    assert "Mogelijk nagekomen" in page and "Gedeelde woorden:" in page
    item = re.search(r'<li class="statement-item commitment-item">.*?</li>\s*</ol>', page, re.S).group()
    assert "HashCheckService" in item and "Jaarverslag digitale opsporing" in item
    links = [html.unescape(h) for h in re.findall(r'href="(/passages/[^"]+)"', item)]
    assert len(links) == 2 and all("s=" in h for h in links)  # the promise and the evidence, each marked
    for link in links:
        assert small.get(link).status_code == 200


# -- the page on the shipped collection ------------------------------------------------------------
def test_register_page_lists_every_commitment_with_its_facts(shipped: FlaskClient) -> None:
    api = shipped.get("/api/v1/commitments?limit=1").get_json()["total"]
    page = shipped.get("/toezeggingen").get_data(as_text=True)
    assert f'Alle toezeggingen <span class="count">({api})</span>' in page
    items = re.findall(r'<li class="statement-item commitment-item">(.*?)</li>\s*(?=<li class="statement-item|</ol>)',
                       page, re.S)
    assert len(items) == 20  # one page
    for item in items:
        for fact in ("Wie", "Wat", "Wanneer", "Herkend aan"):
            assert f"<dt>{fact}</dt>" in item
        assert '<mark class="cue">' in item and "?s=" in item
        assert not re.search(r"\b(commitment|result|problem)\.[a-z-]+", item)  # no internal rule names
    assert 'aria-current="page"' in page and ">Toezeggingen</a>" in page


def test_register_filters_form_and_paging(shipped: FlaskClient) -> None:
    page = shipped.get("/toezeggingen?status=open&sort=document&pagina=2").get_data(as_text=True)
    for name in ("actor", "entity", "document", "status", "deadline_from", "deadline_to", "sort"):
        assert re.search(rf'<(select|input)[^>]* name="{name}"', page), name
        label_for = re.search(rf'<(?:select|input)[^>]*id="([^"]+)"[^>]* name="{name}"', page).group(1)
        assert f'<label for="{label_for}">' in page
    assert '<option value="open" selected>' in page and '<option value="document" selected>' in page
    data = shipped.get("/toezeggingen.json?status=open&sort=document&pagina=2").get_json()
    assert data["page"] == 2 and data["previous"] and all(c["status"] == "open" for c in data["items"])
    hostile = shipped.get('/toezeggingen?status="><script>&deadline_from=<b>').get_data(as_text=True)
    assert "<script>" not in hostile and "<b>" not in hostile


def test_register_exports_and_feed_hold_the_filtered_list(shipped: FlaskClient) -> None:
    url = "/toezeggingen?status=open&document=contourennota-migratie-veiligheidsfondsen-2021-2027"
    total = shipped.get(url.replace("/toezeggingen", "/toezeggingen.json")).get_json()["total"]
    raw = shipped.get(url.replace("/toezeggingen", "/toezeggingen.csv")).get_data()
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"), newline=""), delimiter=";"))
    assert len(rows) == total > 20 and {r["status"] for r in rows} == {"open"}
    lines = shipped.get(url.replace("/toezeggingen", "/toezeggingen.ndjson")).get_data(as_text=True).splitlines()
    assert [json.loads(x)["text"] for x in lines] == [r["toezegging"].lstrip("'") for r in rows]
    feed = feedparser.parse(shipped.get(url.replace("/toezeggingen", "/toezeggingen.atom")).get_data())
    assert not feed.bozo and len(feed.entries) == min(total, 50)
    assert all(urlsplit(e.link).path.startswith("/passages/") and "s=" in e.link for e in feed.entries)
    page = shipped.get(url).get_data(as_text=True)
    for mime in ("text/csv", "application/x-ndjson", "application/atom+xml"):
        assert f'<link rel="alternate" type="{mime}"' in page
