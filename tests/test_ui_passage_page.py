"""The passage page: mentions, footnotes, navigation, citation, marked paragraphs, statement ranges and
passage ids (Flask's test client on the shipped corpus, ``built_settings``)."""
from __future__ import annotations

import html
import re
from typing import Any
from urllib.parse import parse_qs, urlsplit

from flask.testing import FlaskClient

from support import get_html as get, result_links, text_of
from kb.store import Store


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
