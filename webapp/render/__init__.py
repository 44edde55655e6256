"""Safe HTML for document text: passages, snippets and mention contexts.

Modules: ``markdown`` (sanitised Markdown and its inline emphasis), ``overlays`` (escaped text with
tags inserted at offsets; query-term highlights), ``passage`` (a section body as HTML blocks) and
``text`` (search snippets, mention contexts, block lookup).

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

from __future__ import annotations

from webapp.render.markdown import FOOTNOTE_REF, emphasis_by_block, inline_leaves, markdown_html
from webapp.render.overlays import Overlay, overlay_html, query_hits
from webapp.render.passage import PassageRender, RenderedBlock, footnote_overlays, render_passage
from webapp.render.text import block_index, context, safe_snippet

__all__ = [
    "FOOTNOTE_REF", "Overlay", "PassageRender", "RenderedBlock", "block_index", "context", "emphasis_by_block",
    "footnote_overlays", "inline_leaves", "markdown_html", "overlay_html", "query_hits", "render_passage",
    "safe_snippet",
]
