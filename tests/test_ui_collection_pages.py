"""The document, entity and measure pages of the Dutch interface: lists, tables of contents, mentions
grouped by document, external references, filters (Flask's test client on the shipped corpus,
``built_settings``)."""
from __future__ import annotations

import html
import re
from collections import defaultdict
from typing import Any
from urllib.parse import parse_qs, quote, urlsplit

from flask.testing import FlaskClient

from support import get_html as get, links, text_of, window_of
from kb.store import Store


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
