"""Atom feeds: a saved search (and a statement filter) without an account, new passages first per build.

Read back with ``feedparser`` (as a feed reader does; ``bozo`` is its "not well-formed" flag).
The ordering tests build a small corpus three times — a document, then a second one, then the
first one extended — and check that the knowledge base records the build that first held each
passage and that the feed puts the newest ones first.
"""
from __future__ import annotations

import html
import re
import shutil
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import feedparser
import pytest
from flask.testing import FlaskClient

from kb.store import Store
from settings import Settings
from support import build_kb
from webapp import create_app

DOC_A = """# Nota opvang

## Achtergrond

De IND behandelt aanvragen in de opvang van het COA. Ik zal uw Kamer voor de zomer van 2025 informeren over de IND.

## Planning

De IND werkt aan kortere doorlooptijden.
"""
DOC_B = """# Brief doorlooptijden

## Voortgang

De IND heeft de achterstanden weggewerkt, meldt de staatssecretaris. De formule a < b & c > d blijft tekst.
"""
DOC_A_EXTRA = """
## Vervolg

Ik stuur uw Kamer in het najaar een brief over de IND en de opvang.
"""


def parse(client: FlaskClient, url: str) -> Any:
    resp = client.get(url)
    assert resp.status_code == 200, resp.get_data(as_text=True)[:300]
    assert resp.headers["Content-Type"] == "application/atom+xml; charset=utf-8"
    feed = feedparser.parse(resp.get_data())
    assert not feed.bozo, feed.get("bozo_exception")  # well-formed XML
    assert feed.version == "atom10"
    return feed


def _section_of(entry_link: str) -> str:
    return urlsplit(entry_link).path.removeprefix("/passages/").split("~")[0]


@pytest.fixture(scope="module")
def shipped(built_settings: Settings) -> FlaskClient:
    return create_app(built_settings, testing=True).test_client()


def test_search_feed_holds_the_search_results(shipped: FlaskClient) -> None:
    feed = parse(shipped, "/zoeken.atom?q=IND")
    hits = shipped.get("/api/v1/search?q=IND&limit=100").get_json()
    assert len(feed.entries) == hits["total"] > 0
    assert {_section_of(e.link) for e in feed.entries} == {h["section_id"] for h in hits["results"]}
    assert "IND" in feed.feed.title and feed.feed.updated
    assert urlsplit(feed.feed.link).path == "/zoeken"
    self_link = next(link.href for link in feed.feed.links if link.rel == "self")
    assert urlsplit(self_link).path == "/zoeken.atom"
    for e in feed.entries:
        assert e.id and e.updated and e.summary and e.title
        assert shipped.get(urlsplit(e.link).path + "?" + urlsplit(e.link).query).status_code == 200
    assert len({e.id for e in feed.entries}) == len(feed.entries)


def test_feed_follows_the_filters_and_is_bounded(built_settings: Settings, shipped: FlaskClient) -> None:
    from dataclasses import replace

    from support import REPORT_ID

    only = parse(shipped, f"/zoeken.atom?q=IND&document={REPORT_ID}")
    assert only.entries and all(_section_of(e.link).startswith(REPORT_ID + ":") for e in only.entries)
    small = create_app(replace(built_settings, limits=replace(built_settings.limits, feed_entries=3)),
                       testing=True).test_client()
    assert len(parse(small, "/zoeken.atom?q=migratie").entries) == 3
    empty = parse(shipped, "/zoeken.atom?q=zzqxwvonvindbaar")
    assert empty.entries == [] and empty.feed.title  # a saved search waits for its first passage


def test_statement_feed_for_a_commitments_filter(shipped: FlaskClient) -> None:
    feed = parse(shipped, "/maatregelen.atom?type=commitment&fonds=AMF")
    listed = shipped.get("/maatregelen.json?type=commitment&fonds=AMF").get_json()
    assert 0 < len(feed.entries) == min(listed["total"], 50)
    assert all(e.title.startswith("Toezegging") for e in feed.entries)
    assert all("s=" in urlsplit(e.link).query for e in feed.entries)  # linked to the marked sentence
    assert "toezeggingen" in feed.feed.title.lower()


def test_results_pages_link_their_feed(shipped: FlaskClient) -> None:
    for url, feed_path in (("/zoeken?q=IND&pagina=2", "/zoeken.atom"), ("/maatregelen?type=commitment", "/maatregelen.atom"),
                           ("/zoeken?q=zzqxwvonvindbaar", "/zoeken.atom")):
        page = shipped.get(url).get_data(as_text=True)
        head = re.search(r'<link rel="alternate" type="application/atom\+xml"[^>]* href="([^"]+)">', page)
        assert head and urlsplit(html.unescape(head.group(1))).path == feed_path, url
        assert "pagina" not in head.group(1)
        assert re.search(rf'<a href="{re.escape(head.group(1))}" type="application/atom\+xml">Atom-feed', page), url
    assert "atom" not in shipped.get("/documenten").get_data(as_text=True).lower()


def test_feed_links_use_the_public_address(built_settings: Settings) -> None:
    from dataclasses import replace

    app = create_app(replace(built_settings, public_url="https://beleidsbank.example.nl"), testing=True)
    client = app.test_client()
    resp = client.get("/zoeken.atom?q=IND", headers={"Host": "kwaadwillend.example"})
    feed = feedparser.parse(resp.get_data())
    links = [feed.feed.id, feed.feed.link] + [x for e in feed.entries for x in (e.id, e.link)]
    assert links and all(x.startswith("https://beleidsbank.example.nl/") for x in links)
    assert b"kwaadwillend" not in resp.get_data()


# -- new passages first, per build -------------------------------------------------------------------
@pytest.fixture(scope="module")
def rebuilt(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """One corpus built three times: A; A and B; A (extended) and B."""
    root = tmp_path_factory.mktemp("feeds")
    corpus, data = root / "corpus", root / "data"
    corpus.mkdir()
    (corpus / "nota-opvang.md").write_text(DOC_A, encoding="utf-8")
    settings = build_kb(corpus, data)
    stages = {"a": _snapshot(settings, root / "na-a")}
    (corpus / "brief-doorlooptijden.md").write_text(DOC_B, encoding="utf-8")
    build_kb(corpus, data)
    stages["b"] = _snapshot(settings, root / "na-b")
    (corpus / "nota-opvang.md").write_text(DOC_A + DOC_A_EXTRA, encoding="utf-8")
    build_kb(corpus, data)
    stages["c"] = settings
    return stages


def _snapshot(settings: Settings, dest: Path) -> Settings:
    """A copy of the data directory as it is after this build (knowledge base and index)."""
    shutil.copytree(settings.data_dir, dest)
    from dataclasses import replace

    return replace(settings, data_dir=dest)


def _first_seen(settings: Settings) -> dict[str, int]:
    with Store(settings.db_path, readonly=True) as store:
        ids = [s["id"] for s in store.sections()]
        return {sid: v["build"] for sid, v in store.first_seen(ids).items()}


def test_knowledge_base_records_the_build_that_first_held_a_passage(rebuilt: dict[str, Any]) -> None:
    a, b, c = (_first_seen(rebuilt[k]) for k in "abc")
    assert a and len(set(a.values())) == 1
    first = next(iter(a.values()))
    assert all(b[sid] == first for sid in a)  # an unchanged document keeps its builds
    new_b = {sid: n for sid, n in b.items() if sid not in a}
    assert new_b and all(sid.startswith("brief-doorlooptijden:") and n > first for sid, n in new_b.items())
    # the extended document: its old passages keep their first build, the added one is newest
    assert all(c[sid] == first for sid in a if sid in c)
    added = {sid: n for sid, n in c.items() if sid not in b}
    assert added and all(sid.startswith("nota-opvang:") for sid in added)
    assert min(added.values()) > max(b.values())


def test_feed_puts_passages_of_the_latest_build_first(rebuilt: dict[str, Any]) -> None:
    before = parse(create_app(rebuilt["a"], testing=True).test_client(), "/zoeken.atom?q=IND")
    after = parse(create_app(rebuilt["b"], testing=True).test_client(), "/zoeken.atom?q=IND")
    later = parse(create_app(rebuilt["c"], testing=True).test_client(), "/zoeken.atom?q=IND")
    assert {_section_of(e.link).split(":")[0] for e in before.entries} == {"nota-opvang"}
    assert _section_of(after.entries[0].link).startswith("brief-doorlooptijden:")
    assert after.entries[0].updated_parsed > after.entries[-1].updated_parsed
    assert after.feed.updated_parsed >= after.entries[0].updated_parsed
    # the passage a later build added to the first document now leads
    assert _section_of(later.entries[0].link) == "nota-opvang:vervolg"
    old_ids = {e.id for e in after.entries}
    assert {e.id for e in later.entries} >= old_ids  # ids stay the same from build to build
    raw = create_app(rebuilt["c"], testing=True).test_client().get("/zoeken.atom?q=IND").get_data(as_text=True)
    assert "a &lt; b &amp; c &gt; d" in raw  # document text is escaped, never markup
