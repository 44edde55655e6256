"""Safe HTML for document text: passages, snippets and mention contexts.

How a passage is rendered (the approach, and why)
-------------------------------------------------

A section comes from the store as plain ``text`` with ``blocks`` (paragraphs, list items,
quotes, heading lines; character offsets into ``text``), ``footnotes`` and a ``markdown``
rendition.  Every annotation (entity mentions, statements, search hits) is a character
offset into ``text``.  So ``text`` is the source of truth for what is shown:

1. each block is rendered from ``text[start:end]``: the text is HTML-escaped piece by piece,
   and *overlays* — mention links, statement/mention marks, query-term highlights and inline
   emphasis — are inserted as tags at their offsets.  Overlapping overlays are split so the
   result is always well-nested (outer overlays are never split by inner ones: a mention
   link stays one link even when an ``<em>`` crosses it);
2. the Markdown rendition is converted with the ``markdown`` package with raw HTML switched
   off (the ``html_block`` preprocessor and ``html`` inline pattern are removed, so ``<b>``
   in a source is shown as text) and the output is sanitised with nh3 allowing only the tags
   Markdown produces.  From that HTML only *inline formatting* (``em``, ``strong``, ``code``,
   ``sup``, ``sub``) is taken: each rendered paragraph/list item is aligned character by
   character (ignoring whitespace differences) with a block of ``text``; when they align, its
   emphasis becomes overlays on that block, when they do not, the block is shown without
   emphasis.  Nothing of the Markdown HTML is inserted verbatim, so offsets always stay right;
3. a section without blocks falls back to the sanitised Markdown HTML.

Every function here returns :class:`markupsafe.Markup` built only from escaped text and
tags this module writes itself (or nh3 output); templates never mark document text safe.
"""
from __future__ import annotations

import html
import logging
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import Any, Callable, Iterable, Sequence

import markdown as md_lib
import nh3
from markupsafe import Markup, escape

log = logging.getLogger(__name__)

#: Tags the ``markdown`` package can produce with the extensions used here.
MARKDOWN_TAGS = {
    "p", "br", "hr", "em", "strong", "code", "pre", "blockquote", "ul", "ol", "li",
    "h1", "h2", "h3", "h4", "h5", "h6", "a", "sup", "sub", "table", "thead", "tbody", "tr", "th", "td",
    "div", "dl", "dt", "dd", "abbr",
}
MARKDOWN_ATTRIBUTES = {"a": {"href", "title"}, "abbr": {"title"}, "th": {"align"}, "td": {"align"},
                       "ol": {"start"}, "li": {"id"}, "sup": {"id"}, "div": {"class"}}
#: Inline formatting carried from the Markdown rendition onto plain-text blocks.
INLINE_TAGS = ("em", "strong", "code", "sup", "sub")

# Overlay ranks: lower = outer.  Outer overlays are never split by inner ones.
RANK_MARK = 0  # statement / selected range
RANK_LINK = 1  # entity mention
RANK_FORMAT = 2  # emphasis from the Markdown
RANK_HIT = 3  # query-term highlight


# -- Markdown ---------------------------------------------------------------------------------
def _markdown() -> md_lib.Markdown:
    md = md_lib.Markdown(extensions=["tables", "sane_lists", "footnotes"], output_format="html")
    # Raw HTML in a source is text, never markup.
    md.preprocessors.deregister("html_block")
    md.inlinePatterns.deregister("html")
    return md


def markdown_html(source: str) -> Markup:
    """Markdown -> sanitised HTML (raw HTML escaped, then only Markdown's own tags kept)."""
    if not source:
        return Markup("")
    rendered = _markdown().convert(source)
    clean = nh3.clean(
        rendered,
        tags=MARKDOWN_TAGS,
        attributes=MARKDOWN_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer",
    )
    return Markup(clean)


class _LeafCollector(HTMLParser):
    """Collect the text and inline-formatting spans of every leaf block (p, li, h*, td, ...)."""

    LEAVES = {"p", "li", "h1", "h2", "h3", "h4", "h5", "h6", "td", "th", "dt", "dd", "pre"}
    CONTAINERS = {"ul", "ol", "table", "blockquote", "div", "dl"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.leaves: list[tuple[str, list[tuple[int, int, str]]]] = []
        self._stack: list[tuple[list[str], list[tuple[int, int, str]], dict[str, list[int]]]] = []

    def _flush(self) -> None:
        if self._stack:
            parts, spans, _open = self._stack.pop()
            self.leaves.append(("".join(parts), spans))

    def handle_starttag(self, tag: str, attrs: list) -> None:
        if tag in self.LEAVES:
            self._stack.append(([], [], {}))
        elif tag in self.CONTAINERS and self._stack and tag in ("ul", "ol"):
            # a nested list ends the text of its parent item
            parts, spans, _ = self._stack[-1]
            self.leaves.append(("".join(parts), spans))
            self._stack[-1] = ([], [], {})
        elif tag in INLINE_TAGS and self._stack:
            parts, _spans, open_ = self._stack[-1]
            open_.setdefault(tag, []).append(sum(len(p) for p in parts))
        elif tag == "br" and self._stack:
            self._stack[-1][0].append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in self.LEAVES:
            self._flush()
        elif tag in INLINE_TAGS and self._stack:
            parts, spans, open_ = self._stack[-1]
            if open_.get(tag):
                start = open_[tag].pop()
                end = sum(len(p) for p in parts)
                if end > start:
                    spans.append((start, end, tag))

    def handle_data(self, data: str) -> None:
        if self._stack:
            self._stack[-1][0].append(data)


def inline_leaves(source_markdown: str) -> list[tuple[str, list[tuple[int, int, str]]]]:
    """(text, [(start, end, tag)]) of each leaf block of the rendered Markdown, in order."""
    if not source_markdown:
        return []
    parser = _LeafCollector()
    parser.feed(str(markdown_html(source_markdown)))
    parser.close()
    return [(t, s) for t, s in parser.leaves if t.strip()]


_WS = re.compile(r"\s+")
_SUPERSCRIPT_DIGITS = "⁰¹²³⁴⁵⁶⁷⁸⁹"
_FROM_SUPERSCRIPT = str.maketrans(_SUPERSCRIPT_DIGITS, "0123456789")
#: Footnote reference as it appears in section text ("fondsen[1]"); the Markdown shows "fondsen¹".
FOOTNOTE_REF = re.compile(r"\[([0-9]{1,3}|[a-z])\]")


def _norm(text: str) -> str:
    return _WS.sub(" ", text).strip()


def _key(text: str) -> str:
    """Comparison key of a rendered leaf and a text block (footnote refs: "¹" == "[1]")."""
    return _norm(FOOTNOTE_REF.sub(lambda m: m.group(1), text.translate(_FROM_SUPERSCRIPT)))


def _align(leaf: str, block: str) -> list[int] | None:
    """Map each index of ``leaf`` to an index of ``block`` (whitespace runs match each other)."""
    out = [0] * (len(leaf) + 1)
    i = j = 0
    while i < len(leaf) and leaf[i].isspace():
        out[i] = 0
        i += 1
    while j < len(block) and block[j].isspace():
        j += 1
    while i < len(leaf):
        if leaf[i].isspace():
            if j < len(block) and not block[j].isspace() and j > 0:
                return None
            while i < len(leaf) and leaf[i].isspace():
                out[i] = j
                i += 1
            while j < len(block) and block[j].isspace():
                j += 1
            continue
        if leaf[i] in _SUPERSCRIPT_DIGITS:  # "¹" in the Markdown is "[1]" in the text
            k = i
            while k < len(leaf) and leaf[k] in _SUPERSCRIPT_DIGITS:
                k += 1
            ref = "[" + leaf[i:k].translate(_FROM_SUPERSCRIPT) + "]"
            if block.startswith(ref, j):
                for n in range(i, k):
                    out[n] = j
                i, j = k, j + len(ref)
                continue
        if j >= len(block) or leaf[i] != block[j]:
            return None
        out[i] = j
        i += 1
        j += 1
    out[len(leaf)] = j
    if block[j:].strip():
        return None
    return out


def emphasis_by_block(text: str, blocks: Sequence[Sequence[Any]], source_markdown: str) -> dict[int, list[tuple[int, int, str]]]:
    """Inline formatting from the Markdown, as absolute offsets into ``text``, per block index."""
    try:
        leaves = inline_leaves(source_markdown)
    except Exception:  # pragma: no cover - a Markdown oddity must never break a page
        log.exception("Markdown rendition could not be parsed")
        return {}
    out: dict[int, list[tuple[int, int, str]]] = {}
    cursor = 0
    for index, blk in enumerate(blocks):
        start, end = int(blk[0]), int(blk[1])
        btext = text[start:end]
        key = _key(btext)
        if not key:
            continue
        for k in range(cursor, min(len(leaves), cursor + 25)):
            leaf_text, spans = leaves[k]
            if _key(leaf_text) != key:
                continue
            cursor = k + 1
            if spans:
                mapping = _align(leaf_text, btext)
                if mapping is not None:
                    out[index] = [(start + mapping[s], start + mapping[e], tag) for s, e, tag in spans
                                  if mapping[e] > mapping[s]]
            break
    return out


# -- overlays -----------------------------------------------------------------------------------
@dataclass
class Overlay:
    start: int
    end: int
    rank: int
    open: str  # markup written by this module
    close: str


def overlay_html(text: str, overlays: Iterable[Overlay], offset: int = 0) -> Markup:
    """Escape ``text`` and insert the overlays (absolute offsets; ``offset`` = where text starts)."""
    n = len(text)
    spans = []
    for o in overlays:
        s, e = max(o.start - offset, 0), min(o.end - offset, n)
        if e > s:
            spans.append((s, e, o))
    if not spans:
        return Markup(escape(text))
    bounds = sorted({0, n, *(s for s, _, _ in spans), *(e for _, e, _ in spans)})
    out: list[str] = []
    stack: list[tuple[int, int, Overlay]] = []
    order = sorted(spans, key=lambda t: (t[2].rank, t[0], -t[1]))
    for a, b in zip(bounds, bounds[1:]):
        active = [t for t in order if t[0] <= a and t[1] >= b]
        keep = 0
        while keep < len(stack) and keep < len(active) and stack[keep] is active[keep]:
            keep += 1
        while len(stack) > keep:
            out.append(stack.pop()[2].close)
        for t in active[keep:]:
            out.append(t[2].open)
            stack.append(t)
        out.append(str(escape(text[a:b])))
    while stack:
        out.append(stack.pop()[2].close)
    return Markup("".join(out))


# -- query-term highlighting -------------------------------------------------------------------
_QUERY_WORD = re.compile(r"[^\W_][\w\u00ad'’&/+-]*", re.UNICODE)
_OPERATORS = {"and", "or", "not", "en", "of", "niet"}


def _analyzer():
    try:
        from indexer.analysis import DutchAnalyzer

        return DutchAnalyzer(parts="none")
    except Exception:  # pragma: no cover - indexer not importable
        return None


_ANALYZER = None


def query_hits(text: str, query: str) -> list[tuple[int, int]]:
    """Character spans in ``text`` of the words the query matches (same Dutch analysis as the index)."""
    global _ANALYZER
    query = (query or "").strip()
    if not query or not text:
        return []
    query = re.sub(r"\b\w+:", " ", query)  # field prefixes
    if _ANALYZER is None:
        _ANALYZER = _analyzer() or False
    analyzer = _ANALYZER
    if analyzer:
        terms = {t.text for t in analyzer.tokens(query) if t.text.lower() not in _OPERATORS}
        if not terms:
            return []
        spans = {(t.start, t.end) for t in analyzer.tokens(text) if t.text in terms}
        return sorted(spans)
    words = [w.lower() for w in _QUERY_WORD.findall(query) if len(w) > 2 and w.lower() not in _OPERATORS]
    spans = []
    for w in words:
        for m in re.finditer(r"(?<!\w)" + re.escape(w) + r"\w*", text, re.IGNORECASE):
            spans.append((m.start(), m.end()))
    return sorted(set(spans))


# -- passages -----------------------------------------------------------------------------------
@dataclass
class RenderedBlock:
    index: int
    kind: str
    level: int
    html: Markup
    marked: bool = False


@dataclass
class PassageRender:
    body: Markup
    blocks: list[RenderedBlock] = field(default_factory=list)
    entities: list[dict[str, Any]] = field(default_factory=list)  # distinct linked entities, in order


def _mention_overlays(mentions: Sequence[dict[str, Any]], entity_url: Callable[[str], str],
                      entity_names: dict[str, str], current: tuple[int, int] | None) -> list[Overlay]:
    """Links for mentions with an entity (no overlaps: earlier, then longer, wins)."""
    chosen: list[dict[str, Any]] = []
    for m in sorted(mentions, key=lambda m: (m["start"], -(m["end"] - m["start"]))):
        if not m.get("entity_id") or m["end"] <= m["start"]:
            continue
        if chosen and m["start"] < chosen[-1]["end"]:
            continue
        chosen.append(m)
    out = []
    for m in chosen:
        is_current = current is not None and (m["start"], m["end"]) == current
        cls = "mention is-current" if is_current else "mention"
        name = entity_names.get(m["entity_id"]) or m.get("surface") or m["entity_id"]
        title = f' title="{escape(name)}"' if _norm(name).lower() != _norm(m.get("surface", "")).lower() else ""
        out.append(Overlay(m["start"], m["end"], RANK_LINK,
                           f'<a class="{cls}" href="{escape(entity_url(m["entity_id"]))}"{title}>', "</a>"))
    return out


def render_passage(section: dict[str, Any], mentions: Sequence[dict[str, Any]], *,
                   entity_url: Callable[[str], str], entity_names: dict[str, str] | None = None,
                   query: str = "", marked_blocks: tuple[int, int] | None = None,
                   mark_range: tuple[int, int] | None = None, mark_kind: str = "statement") -> PassageRender:
    """The section body as HTML blocks with ids ``p<block index>``.

    ``mark_range`` (char offsets into the section text) is wrapped in ``<mark class="mark_kind">``
    (for ``mark_kind == "mention"`` the mention link gets ``is-current`` instead); the block(s) it
    falls in and the blocks ``marked_blocks`` (first, last; inclusive) get the ``is-marked`` class.
    """
    text: str = section.get("text") or ""
    blocks = section.get("blocks") or []
    names = entity_names or {}
    if not blocks:
        return PassageRender(body=markdown_html(section.get("markdown") or "") if section.get("markdown")
                             else Markup(f"<p>{escape(text)}</p>") if text.strip() else Markup(""))

    overlays: list[Overlay] = []
    current = mark_range if mark_kind == "mention" else None
    overlays += _mention_overlays(mentions, entity_url, names, current)
    if mark_range and mark_kind != "mention":
        s, e = mark_range
        overlays.append(Overlay(s, e, RANK_MARK, f'<mark class="{escape(mark_kind)}" id="markering">', "</mark>"))
    for s, e in query_hits(text, query):
        overlays.append(Overlay(s, e, RANK_HIT, '<mark class="hit">', "</mark>"))
    links = [(o.start, o.end) for o in overlays if o.rank == RANK_LINK]
    overlays += [o for o in footnote_overlays(text, section.get("footnotes") or [])
                 if not any(o.start < e and s < o.end for s, e in links)]
    emphasis = emphasis_by_block(text, blocks, section.get("markdown") or "")

    rendered: list[RenderedBlock] = []
    for index, blk in enumerate(blocks):
        start, end = int(blk[0]), int(blk[1])
        kind = blk[2] if len(blk) > 2 and blk[2] else "paragraph"
        level = int(blk[3]) if len(blk) > 3 and blk[3] else 0
        block_overlays = [o for o in overlays if o.start < end and o.end > start]
        block_overlays += [Overlay(s, e, RANK_FORMAT, f"<{tag}>", f"</{tag}>") for s, e, tag in emphasis.get(index, [])]
        marked = (marked_blocks is not None and marked_blocks[0] <= index <= marked_blocks[1]) or (mark_range is not None and mark_range[0] < end and mark_range[1] > start)
        if kind == "table":
            content = _table_html(text, start, end, block_overlays)
        else:
            content = overlay_html(text[start:end].strip("\n"), block_overlays, offset=start + _lead(text[start:end]))
        rendered.append(RenderedBlock(index, kind, level, content, marked))

    seen: dict[str, None] = {}
    for m in sorted(mentions, key=lambda m: m["start"]):
        if m.get("entity_id"):
            seen.setdefault(m["entity_id"], None)
    entities = [{"id": eid, "name": names.get(eid, eid)} for eid in seen]
    return PassageRender(body=_blocks_html(rendered), blocks=rendered, entities=entities)


def footnote_overlays(text: str, footnotes: Sequence[Sequence[Any]]) -> list[Overlay]:
    """Footnote references "[1]" in the text become links to the footnote (first one gets the back-link id)."""
    labels = {str(f[0]) for f in footnotes if f}
    out: list[Overlay] = []
    seen: set[str] = set()
    for m in FOOTNOTE_REF.finditer(text):
        label = m.group(1)
        if label not in labels:
            continue
        ident = f' id="voetnootref-{escape(label)}"' if label not in seen else ""
        seen.add(label)
        out.append(Overlay(m.start(), m.end(), RANK_LINK,
                           f'<sup class="fnref"><a href="#voetnoot-{escape(label)}"{ident}>'
                           f'<span class="visually-hidden">voetnoot </span>', "</a></sup>"))
    return out


def _table_html(text: str, start: int, end: int, overlays: list[Overlay]) -> Markup:
    """A table block (rows on lines, cells joined by " | "; the first row is the header)."""
    rows: list[list[tuple[int, int]]] = []
    pos = start
    for line in text[start:end].split("\n"):
        cells, cpos = [], pos
        for cell in line.split(" | "):
            cells.append((cpos, cpos + len(cell)))
            cpos += len(cell) + 3
        rows.append(cells)
        pos += len(line) + 1

    def row_html(cells: list[tuple[int, int]], tag: str) -> str:
        scope = ' scope="col"' if tag == "th" else ""
        return "<tr>" + "".join(
            f"<{tag}{scope}>{overlay_html(text[a:b].strip(), overlays, offset=a + _lead_ws(text[a:b]))}</{tag}>"
            for a, b in cells) + "</tr>"

    head = f"<thead>{row_html(rows[0], 'th')}</thead>" if rows else ""
    body = "".join(row_html(r, "td") for r in rows[1:])
    return Markup(f"<table>{head}<tbody>{body}</tbody></table>")


def _lead_ws(segment: str) -> int:
    return len(segment) - len(segment.lstrip())


def _lead(segment: str) -> int:
    return len(segment) - len(segment.lstrip("\n"))


def _block_attrs(b: RenderedBlock, extra: str = "") -> str:
    classes = " ".join(c for c in ("blk", extra, "is-marked" if b.marked else "") if c)
    return f' id="p{b.index}" class="{classes}"'


def _blocks_html(blocks: list[RenderedBlock]) -> Markup:
    """Blocks -> HTML; consecutive list items become (nested) lists."""
    out: list[str] = []
    tables = 0
    i = 0
    while i < len(blocks):
        b = blocks[i]
        if b.kind == "list_item":
            j = i
            while j < len(blocks) and blocks[j].kind == "list_item":
                j += 1
            out.append(_list_html(blocks[i:j]))
            i = j
            continue
        if b.kind == "heading_text":
            out.append(f"<p{_block_attrs(b, 'blk-heading')}><strong>{b.html}</strong></p>")
        elif b.kind == "table":
            tables += 1
            out.append(f'<div{_block_attrs(b, "blk-table")} role="region" aria-label="Tabel {tables}" tabindex="0">'
                       f'{b.html}</div>')
        elif b.kind == "code":
            out.append(f"<pre{_block_attrs(b, 'blk-code')}><code>{b.html}</code></pre>")
        elif b.kind == "quote":
            out.append(f"<blockquote{_block_attrs(b, 'blk-quote')}><p>{b.html}</p></blockquote>")
        else:
            out.append(f"<p{_block_attrs(b)}>{b.html}</p>")
        i += 1
    return Markup("\n".join(out))


def _list_html(items: list[RenderedBlock]) -> str:
    """Nested <ul> from list items with levels (a deeper item nests in the previous item)."""
    base = min(it.level for it in items)
    out: list[str] = ["<ul>"]
    depth = 0  # current nesting below base
    open_li = False
    for it in items:
        lvl = max(it.level - base, 0)
        lvl = min(lvl, depth + 1)  # never skip a level
        if lvl > depth:
            out.append("<ul>")  # inside the still-open <li>
            depth = lvl
            open_li = False
        else:
            if open_li:
                out.append("</li>")
            while depth > lvl:
                out.append("</ul></li>")
                depth -= 1
        out.append(f"<li{_block_attrs(it)}>{it.html}")
        open_li = True
    if open_li:
        out.append("</li>")
    while depth > 0:
        out.append("</ul></li>")
        depth -= 1
    out.append("</ul>")
    return "".join(out)


# -- snippets and contexts -------------------------------------------------------------------------
def safe_snippet(snippet: str | None) -> Markup:
    """A search snippet: escaped text with ``<mark>`` only (anything else is removed or escaped)."""
    if not snippet:
        return Markup("")
    clean = nh3.clean(snippet, tags={"mark"}, attributes={}, strip_comments=True)
    if clean != snippet and _norm(html.unescape(clean)) != _norm(html.unescape(snippet)):
        log.warning("search snippet contained markup other than <mark>; sanitised")
    return Markup(clean)


_SENTENCE_END = re.compile(r"(?<=[.!?;:])\s+(?=[A-Z0-9À-Ý‘“'\"(])|\n+")


def context(text: str, start: int, end: int, *, width: int = 140) -> tuple[str, str, str, bool, bool]:
    """The sentence around ``text[start:end]``, cut to ``width`` characters on each side.

    Returns (before, mention, after, cut_before, cut_after); the caller escapes.
    """
    start, end = max(0, min(start, len(text))), max(0, min(end, len(text)))
    s = 0
    for m in _SENTENCE_END.finditer(text, 0, start):
        s = m.end()
    e = len(text)
    m = _SENTENCE_END.search(text, end)
    if m:
        e = m.start()
    cut_before = cut_after = False
    if start - s > width:
        s = start - width
        sp = text.find(" ", s, start)
        s = sp + 1 if sp != -1 else s
        cut_before = True
    if e - end > width:
        e = end + width
        sp = text.rfind(" ", end, e)
        e = sp if sp > end else e
        cut_after = True
    before = _norm(text[s:start]) + (" " if text[s:start][-1:].isspace() else "")
    after = (" " if text[end:e][:1].isspace() else "") + _norm(text[end:e])
    return before, text[start:end], after, cut_before, cut_after


def block_index(blocks: Sequence[Sequence[Any]], offset: int) -> int | None:
    """Index of the block containing ``offset`` (or the nearest one before it)."""
    found = None
    for i, blk in enumerate(blocks):
        if int(blk[0]) <= offset:
            found = i
        if int(blk[0]) <= offset < int(blk[1]):
            return i
    return found
