"""A passage: ``/passages/<id>`` (the section page, with marks) and the API's ``/api/v1/passages/<id>``.

:func:`passage_record` assembles a passage once — text, blocks, footnotes, entity mentions,
breadcrumb and neighbours — for the API's ``Passage`` shape, and the page embeds that same
record (for the whole section) in its data next to what only the page shows: marks, the
mentioned entities with counts, the citation and related passages.

A passage id is a section id, or ``"{section_id}~p{first block}"`` for a window of the section
(:mod:`kb.passages`: the same span under the same id in search, related passages and
allocations).  The page is per section: a window id redirects to its section with the window's
blocks marked.
"""
from __future__ import annotations

import logging
from collections import Counter
from typing import Any

from flask import url_for

from kb.catalogue import PATTERN_LABELS as VALUE_LABELS
from kb.laws.urls import law_url
from kb.passage_ids import parse_passage_id
from kb.passages import resolve
from webapp.dutch import nl_date, year_or_period
from webapp.pages.common import (
    Args, ancestors, block_range_arg, passage_url, public_url, query_arg, range_arg, section_link,
)
from webapp.pages.docinfo import (
    WETTEN_BASE, block_pages, bwb_id, date_label, document_summary, page_link, pages_label,
)
from webapp.pages.model import Page, Redirect, not_found
from webapp.render import FOOTNOTE_REF, block_index, render_passage
from webapp.services import services

log = logging.getLogger(__name__)
RELATED_LIMIT = 5
QUOTE_CHARS = 240


def document_ref(doc: dict[str, Any] | None, doc_id: str) -> dict[str, Any]:
    doc = doc or {}
    return {"id": doc_id, "title": doc.get("title", doc_id), "kind": doc.get("kind"), "year": doc.get("year"),
            "date": doc.get("date"), "kamerstuk": doc.get("kamerstuk")}


def part_span(section: dict[str, Any], pid: str) -> tuple[str, int, int, int, int] | None:
    """(canonical id, first block, last block, start, end) of the window ``pid`` names in
    ``section`` (:func:`kb.passages.resolve`), or None."""
    span = resolve(section, pid)
    if span is None:
        return None
    return span.id, span.block_start, span.block_end, span.char_start, span.char_end


def passage_record(store, pid: str) -> dict[str, Any] | None:
    """The passage ``pid`` (a section, or a window of it): the API's ``Passage``; None when unknown."""
    section_id, first = parse_passage_id(pid)
    sec = store.section(section_id)
    span = part_span(sec, pid) if sec is not None and first is not None else None
    if sec is None or (first is not None and span is None):
        return None
    text, start, end = sec["text"], 0, len(sec["text"])
    blocks = [{"start": b[0], "end": b[1], "kind": b[2], "level": b[3], "page": b[4] if len(b) > 4 else None}
              for b in sec["blocks"]]
    chunk = None
    if span is not None:
        pid, b0, b1, start, end = span  # an older single-block id answers with its window's id
        chunk = {"block_start": b0, "block_end": b1, "start": start, "end": end}
        text = text[start:end]
        blocks = [{**b, "start": b["start"] - start, "end": b["end"] - start} for b in blocks[b0:b1 + 1]]
    names: dict[str, str | None] = {}
    entities = []
    for m in store.mentions(section_id=section_id):
        if m["start"] < start or m["end"] > end:
            continue
        eid = None if m["label"] in VALUE_LABELS else m["entity_id"]  # a date, amount or percentage: no entity
        if eid and eid not in names:
            row = store.entity(eid)
            names[eid] = row["name"] if row else None
        entities.append({
            "id": eid, "label": m["label"], "name": names.get(eid) if eid else None,
            "start": m["start"] - start, "end": m["end"] - start, "text": m["surface"], "value": m["value"],
            "refs": m.get("refs") or {}, "article": m.get("article"),
        })
    breadcrumb = [section_link(a) for a in ancestors(store, sec)]
    previous, following = store.neighbours(section_id)
    return {
        "id": pid,
        "section_id": section_id,
        "chunk": chunk,
        "document": document_ref(store.document(sec["document_id"]), sec["document_id"]),
        "title": sec["title"],
        "level": sec["level"],
        "path": sec["path"],
        "breadcrumb": breadcrumb,
        "parent": breadcrumb[-1] if breadcrumb else None,
        "previous": section_link(previous),
        "next": section_link(following),
        "text": text,
        "markdown": sec["markdown"],
        "blocks": blocks,
        "footnotes": [{"label": f[0], "text": f[1]} for f in sec["footnotes"]],
        "entities": entities,
    }


def related_views(store, section_id: str, block: int | None) -> list[dict[str, Any]] | None:
    """The "Gerelateerd" panel: passages elsewhere about the same measure (``kb.related``).

    None when the section has no passages of its own; a failure is logged and never breaks the page.
    """
    from kb.related import related_passages

    try:
        items = related_passages(store, section_id, block_index=block, limit=RELATED_LIMIT) or []
    except KeyError:  # a section the related-passage index does not hold (no text)
        return None
    except Exception:  # pragma: no cover - defensive: the panel is optional
        log.exception("related_passages failed for %s", section_id)
        return None
    out = []
    for item in items:
        rid = str(item.get("section_id") or item.get("id") or "")
        sec = store.section(rid) or (store.section(rid.split("~")[0]) if rid else None)
        if sec is None:
            continue
        doc = store.document(sec["document_id"])
        params: dict[str, Any] = {}
        nblocks = len(sec.get("blocks") or [])
        b0 = item.get("block_start", item.get("block_index"))
        b1 = item.get("block_end", b0)
        first = None
        if isinstance(b0, int) and isinstance(b1, int) and 0 <= b0 <= b1 < nblocks:
            params["b"] = str(b0) if b0 == b1 else f"{b0}-{b1}"  # the passage's blocks
            first = b0
        sentence = (item.get("evidence") or {}).get("sentence") or {}
        quote = str(sentence.get("text") or "").strip()
        if isinstance(sentence.get("start"), int) and isinstance(sentence.get("end"), int) \
                and sentence["end"] > sentence["start"]:
            params["s"] = f"{sentence['start']}-{sentence['end']}"
            first = block_index(sec.get("blocks") or [], sentence["start"])  # scroll to the sentence
            if "b" not in params:
                params["b"] = first
        url = url_for("ui.passage", passage_id=sec["id"], **params)
        if first is not None:
            url += f"#p{first}"
        if len(quote) > QUOTE_CHARS:
            quote = quote[:QUOTE_CHARS].rsplit(" ", 1)[0] + " …"
        out.append({"id": item.get("id") or rid, "url": url, "title": sec["title"],
                    "document_title": doc["title"] if doc else sec["document_id"],
                    "when": year_or_period(doc), "reason": str(item.get("reason") or ""), "quote": quote})
    return out


def citation(doc: dict[str, Any] | None, section: dict[str, Any], url: str, *, block: int | None = None,
             pages: str = "") -> str:
    """A reference to the *source document* (author, date, title, parliamentary number, page, where in
    it, its own address) followed by the Beleidsbank link to the paragraph."""
    doc = doc or {}
    author = doc.get("ministry") or ""
    when = date_label(doc)
    title = doc.get("title") or section["document_id"]
    parts = [f"{author} ({when}). {title}." if author else f"{title} ({when})."]
    if doc.get("kamerstuk"):
        parts.append(f"Kamerstuk {doc['kamerstuk']}.")
    bwb = bwb_id(doc.get("source_path"))
    if bwb:
        parts.append(f"{bwb}.")
    where = [p for p in section.get("path") or [section["title"]] if p]
    located = ", ".join(x for x in (" › ".join(where), pages, f"alinea {block + 1}" if block is not None else "") if x)
    if located:
        parts.append(f"{located}.")
    source = (doc.get("source") or "").strip()
    if source.lower().startswith(("http://", "https://")):
        parts.append(f"Bron: {source}.")
    elif bwb:
        parts.append(f"Bron: {WETTEN_BASE}{bwb}.")
    parts.append(f"Geraadpleegd op {nl_date()} via Beleidsbank: {url}")
    return " ".join(parts)


VALUE_GROUPS_NL = {"MONEY": "Bedragen", "PERCENT": "Percentages", "DATE": "Data"}


def values_of(entities: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The amounts, percentages and dates of a passage, per kind (Dutch name), each once in reading order."""
    groups: dict[str, dict[str, Any]] = {}
    for e in sorted(entities, key=lambda e: e["start"]):
        if e["label"] in VALUE_LABELS:
            group = groups.setdefault(e["label"], {"label": e["label"], "name": VALUE_GROUPS_NL.get(e["label"], e["label"]),
                                                   "items": []})
            if all(item["text"] != e["text"] for item in group["items"]):
                group["items"].append({"text": e["text"], "value": e.get("value")})
    return [groups[label] for label in VALUE_GROUPS_NL if label in groups]


def section_view(store, doc: dict[str, Any], section: dict[str, Any], prefix: str) -> dict[str, Any]:
    """A section as the reading view shows it: title, level, pages, footnotes and its rendered text
    (``body``; every id in it starts with ``prefix``, as several sections share the page)."""
    record = passage_record(store, section["id"]) or {"entities": []}
    first, last = block_pages(section)
    return {
        "id": section["id"], "title": section["title"], "level": section["level"], "anchor": prefix.rstrip("-"),
        "url": url_for("ui.passage", passage_id=section["id"]), "pages": pages_label(first, last),
        "footnotes": [{"label": str(f[0]), "text": str(f[1]), "id": f"{prefix}voetnoot-{f[0]}"}
                      for f in section.get("footnotes") or []],
        "body": _render(section, record, page_link=page_link(doc), id_prefix=prefix).body,
    }


def mention_href(entity: dict[str, Any]) -> str | None:
    """Where a mention in a passage links to: its entity's page; a cited regulation without a page of its
    own, the official text (at the article cited); anything else nowhere (never a dead link)."""
    if entity["id"] and entity["name"]:
        return url_for("ui.entity", entity_id=entity["id"])
    return law_url(entity.get("refs"), entity.get("article"))


def cited_laws(entities: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The regulations a passage cites with an official identifier, once per article, with their link."""
    out: dict[tuple[str, str], dict[str, Any]] = {}
    for e in sorted(entities, key=lambda e: e["start"]):
        url = law_url(e.get("refs"), e.get("article"))
        if e["label"] != "LAW" or not url:
            continue
        key = (url, e.get("article") or "")
        if key not in out:
            out[key] = {"name": e["name"] or e["text"], "article": e.get("article") or "", "url": url,
                        "source": "EUR-Lex" if (e.get("refs") or {}).get("celex") else "wetten.overheid.nl"}
    return list(out.values())


def _render(section: dict[str, Any], record: dict[str, Any], **options: Any):
    mentions = [{"entity_id": e["id"], "label": e["label"], "value": e.get("value"), "surface": e["text"],
                 "start": e["start"], "end": e["end"], "href": mention_href(e)} for e in record["entities"]]
    names = {e["id"]: e["name"] for e in record["entities"] if e["id"] and e["name"]}
    return render_passage(section, mentions, entity_url=lambda eid: url_for("ui.entity", entity_id=eid),
                          entity_names=names, **options)


def _window_redirect(store, passage_id: str, args: Args) -> Redirect | None:
    """A window id ("{section}~p{first}", or the older "{section}~{n}") -> its section page."""
    if "~" not in passage_id:
        return None
    sid, first = parse_passage_id(passage_id)
    if first is None:
        sid = passage_id.rsplit("~", 1)[0]
    section = store.section(sid)
    if section is None:
        return None
    values = args.to_dict(flat=False)
    fragment = ""
    span = resolve(section, passage_id) if first is not None else None
    if span is not None:  # mark the window's blocks
        b0, b1 = span.block_start, span.block_end
        values.setdefault("b", [str(b0) if b0 == b1 else f"{b0}-{b1}"])
        fragment = f"#{span.anchor}"
    return Redirect("ui.passage", {"passage_id": sid, **values}, fragment)


def passage_page(passage_id: str, args: Args) -> Page | Redirect:
    store = services().store
    section = store.section(passage_id)
    if section is None:
        moved = _window_redirect(store, passage_id, args)
        if moved is not None:
            return moved
        raise not_found("Deze passage bestaat niet (meer). Misschien is het document opnieuw ingelezen.")
    record = passage_record(store, section["id"])
    assert record is not None  # the section exists
    text = section.get("text") or ""
    q = query_arg(args)
    marked_blocks = block_range_arg(args, "b", len(section.get("blocks") or []))
    block = marked_blocks[0] if marked_blocks else None
    statement, mention = range_arg(args, "s", len(text)), range_arg(args, "m", len(text))
    mark_range, mark_kind = (statement, "statement") if statement else (mention, "mention") if mention else (None, "")
    doc = store.document(section["document_id"])
    rendered = _render(section, record, query=q, marked_blocks=marked_blocks, mark_range=mark_range,
                       mark_kind=mark_kind, page_link=page_link(doc))
    if mark_range is not None and block is None:
        block = block_index(section.get("blocks") or [], mark_range[0])
        marked_blocks = (block, block) if block is not None else None
    referenced = {m.group(1) for m in FOOTNOTE_REF.finditer(text)}
    # the permalink, the canonical link and the citation keep the paragraph the page was opened at
    here = passage_url(section["id"], blocks=marked_blocks)
    permalink = public_url(here)
    first_page, last_page = block_pages(section, *(marked_blocks or (None, None)))
    pages = pages_label(first_page, last_page)
    link_page = page_link(doc)
    counts = Counter(e["id"] for e in record["entities"] if e["id"])
    labels = {e["id"]: e["label"] for e in record["entities"] if e["id"] and e["name"]}  # catalogue entities
    mentioned = [{"id": e["id"], "name": e["name"], "label": labels.get(e["id"], ""), "count": counts.get(e["id"], 0)}
                 for e in rendered.entities if e["id"] in labels]
    data = {
        "passage": record,
        "document": document_summary(doc) if doc else None,
        "when": year_or_period(doc),
        "q": q,
        "marked_block": block,
        "mark_range": list(mark_range) if mark_range else None,
        "mark_kind": mark_kind,
        "pages": pages,
        "original_page_url": link_page(first_page) if link_page and first_page else None,
        "footnotes": [{"label": str(f["label"]), "text": str(f["text"]), "referenced": str(f["label"]) in referenced}
                      for f in record["footnotes"]],
        "mentioned": mentioned,
        "values": values_of(record["entities"]),
        "laws": cited_laws(record["entities"]),
        "permalink": permalink,
        "canonical": permalink.split("#", 1)[0],
        "citation": citation(doc, section, permalink, block=block, pages=pages),
        "related": related_views(store, section["id"], block),
    }
    return Page("passage.html", data, extras={"body": rendered.body})
