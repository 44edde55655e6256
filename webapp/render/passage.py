"""A section body as HTML blocks (ids ``p<block index>``) with mention links, marks and highlights.

Dates, amounts and percentages the tagger recognised are *values*, not entities: they are marked
as ``<data value="…">`` (the normalised value, e.g. ``2021-05-01`` or ``EUR 1000000``), never
linked.  A block from a paged original (PDF) starts with its page ("p. 12", linked to the original
at that page) wherever the page changes.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable, Sequence

from markupsafe import Markup, escape

from webapp.render.markdown import FOOTNOTE_REF, emphasis_by_block, markdown_html, norm
from webapp.render.overlays import RANK_FORMAT, RANK_HIT, RANK_LINK, RANK_MARK, Overlay, overlay_html, query_hits


# -- passages -----------------------------------------------------------------------------------
#: Labels of values (not entities); their Dutch names for the title of the mark.
VALUE_LABELS_NL = {"DATE": "datum", "MONEY": "bedrag", "PERCENT": "percentage"}


@dataclass
class RenderedBlock:
    index: int
    kind: str
    level: int
    html: Markup
    marked: bool = False
    anchor: str = ""  # the block's id (``p<index>``, prefixed when several sections share a page)


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
        if not (m.get("entity_id") or is_value(m)) or m["end"] <= m["start"]:
            continue
        if chosen and m["start"] < chosen[-1]["end"]:
            continue
        chosen.append(m)
    out = []
    for m in chosen:
        if is_value(m):
            out.append(_value_overlay(m))
            continue
        is_current = current is not None and (m["start"], m["end"]) == current
        name = entity_names.get(m["entity_id"]) or m.get("surface") or m["entity_id"]
        title = f' title="{escape(name)}"' if norm(name).lower() != norm(m.get("surface", "")).lower() else ""
        href = m["href"] if "href" in m else entity_url(m["entity_id"])
        if not href:  # an entity without a page of its own and without an official text: marked only
            cls = "mention mention--unlinked is-current" if is_current else "mention mention--unlinked"
            out.append(Overlay(m["start"], m["end"], RANK_LINK, f'<span class="{cls}"{title}>', "</span>"))
            continue
        external = href.startswith(("http://", "https://"))
        cls = " ".join(c for c in ("mention", "mention--external" if external else "", "is-current" if is_current else "")
                       if c)
        rel = ' rel="noopener noreferrer"' if external else ""
        out.append(Overlay(m["start"], m["end"], RANK_LINK, f'<a class="{cls}" href="{escape(href)}"{rel}{title}>', "</a>"))
    return out


def is_value(mention: dict[str, Any]) -> bool:
    """A date, amount or percentage (no catalogue entity, so no page to link to)."""
    return mention.get("label") in VALUE_LABELS_NL


def _value_overlay(m: dict[str, Any]) -> Overlay:
    """``<data value="2021-05-01">1 mei 2021</data>``: the normalised value for machines, the text for people."""
    label = VALUE_LABELS_NL[m["label"]]
    return Overlay(m["start"], m["end"], RANK_LINK,
                   f'<data class="value value--{escape(label)}" value="{escape(m.get("value") or "")}">', "</data>")


def _page_ref(page: int, page_link: Callable[[int], str] | None) -> str:
    if page_link is None:
        return f'<span class="page-ref">p. {page}</span> '
    return (f'<a class="page-ref" href="{escape(page_link(page))}">p. {page}'
            f'<span class="visually-hidden"> in het origineel</span></a> ')


def render_passage(section: dict[str, Any], mentions: Sequence[dict[str, Any]], *,
                   entity_url: Callable[[str], str], entity_names: dict[str, str] | None = None,
                   query: str = "", marked_blocks: tuple[int, int] | None = None,
                   mark_range: tuple[int, int] | None = None, mark_kind: str = "statement",
                   page_link: Callable[[int], str] | None = None, id_prefix: str = "") -> PassageRender:
    """The section body as HTML blocks with ids ``p<block index>``.

    ``mentions`` carry ``entity_id`` (linked with ``entity_url``, or with their own ``href`` when they
    have one: None marks the mention without a link) or, for values, ``label`` and ``value`` (marked,
    not linked).  ``page_link(page)`` is the original at that page (blocks with
    a page number get a "p. N" reference where the page changes).  ``id_prefix`` goes before every
    id the body defines (blocks, footnote references) when several sections share one page.

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
    overlays += [o for o in footnote_overlays(text, section.get("footnotes") or [], id_prefix)
                 if not any(o.start < e and s < o.end for s, e in links)]
    emphasis = emphasis_by_block(text, blocks, section.get("markdown") or "")

    rendered: list[RenderedBlock] = []
    shown_page = None
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
        page = blk[4] if len(blk) > 4 and isinstance(blk[4], int) else None
        if page is not None and page != shown_page:
            content = Markup(_page_ref(page, page_link)) + content
            shown_page = page
        rendered.append(RenderedBlock(index, kind, level, content, marked, f"{id_prefix}p{index}"))

    seen: dict[str, None] = {}
    for m in sorted(mentions, key=lambda m: m["start"]):
        if m.get("entity_id") and not is_value(m):
            seen.setdefault(m["entity_id"], None)
    entities = [{"id": eid, "name": names.get(eid, eid)} for eid in seen]
    return PassageRender(body=_blocks_html(rendered), blocks=rendered, entities=entities)


def footnote_overlays(text: str, footnotes: Sequence[Sequence[Any]], id_prefix: str = "") -> list[Overlay]:
    """Footnote references "[1]" in the text become links to the footnote (first one gets the back-link id)."""
    labels = {str(f[0]) for f in footnotes if f}
    out: list[Overlay] = []
    seen: set[str] = set()
    for m in FOOTNOTE_REF.finditer(text):
        label = m.group(1)
        if label not in labels:
            continue
        ident = f' id="{escape(id_prefix)}voetnootref-{escape(label)}"' if label not in seen else ""
        seen.add(label)
        out.append(Overlay(m.start(), m.end(), RANK_LINK,
                           f'<sup class="fnref"><a href="#{escape(id_prefix)}voetnoot-{escape(label)}"{ident}>'
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
    return f' id="{escape(b.anchor or f"p{b.index}")}" class="{classes}"'


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

