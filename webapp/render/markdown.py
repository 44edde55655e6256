"""Markdown to sanitised HTML, and the inline emphasis of a Markdown rendition mapped onto text blocks.

Raw HTML in a source is text, never markup: the ``html_block`` preprocessor and ``html`` inline
pattern are removed and nh3 keeps only the tags Markdown itself produces.
"""
from __future__ import annotations

import logging
import re
from html.parser import HTMLParser
from typing import Any, Sequence

import markdown as md_lib
import nh3
from markupsafe import Markup

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


def norm(text: str) -> str:
    return _WS.sub(" ", text).strip()


def _key(text: str) -> str:
    """Comparison key of a rendered leaf and a text block (footnote refs: "¹" == "[1]")."""
    return norm(FOOTNOTE_REF.sub(lambda m: m.group(1), text.translate(_FROM_SUPERSCRIPT)))


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

