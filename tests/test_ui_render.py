"""webapp.render on its own: document text never reaches a page as raw HTML, overlays nest, tables, lists
and code blocks render as their HTML elements, and search snippets are sanitised."""
from __future__ import annotations

from webapp import render


def test_search_snippet_is_sanitised() -> None:
    assert str(render.safe_snippet("a <mark>b</mark> c")) == "a <mark>b</mark> c"
    dirty = str(render.safe_snippet('x <mark onclick="evil()">y</mark> <script>alert(1)</script><img src=x>'))
    assert "<script" not in dirty and "onclick" not in dirty and "<img" not in dirty
    assert "<mark>y</mark>" in dirty


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
