"""Tag a document's sections and keep the mentions and abbreviation definitions in the store.

Build order (see beleidsbank.pipeline):

    tagger = build_tagger(definitions=store.definitions())
    for doc in new_or_changed: store.replace_definitions(doc.id, discover_definitions(doc, tagger))
    tagger = build_tagger(definitions=store.definitions())      # corpus-wide aliases now known
    for doc in stale: annotate_document(store, doc, tagger)
    store.replace_entities(tagger.entity_rows())                # catalogue + discovered + derived

Mentions are offsets into ``section.text`` (section titles are not tagged: every title is also the
start of the breadcrumb of its own section, and the text is what search snippets point into).
"""
from __future__ import annotations

from typing import Any

from corpus.model import Document
from kb.store import Mention, Store
from kb.tagger import Tagger


def document_mentions(doc: Document, tagger: Tagger) -> list[Mention]:
    """The mentions the tagger finds in the document's sections now (no store needed: build workers
    call this and hand the rows to the one writer)."""
    sections = [s for s in doc.sections if s.text.strip()]
    mentions: list[Mention] = []
    for section, ents in zip(sections, tagger.tag_many((s.text for s in sections), record=True)):
        for e in ents:
            mentions.append(Mention(
                entity_id=e.kb_id or None, label=e.label, section_id=section.id, document_id=doc.id,
                start=e.start, end=e.end, surface=e.text, value=e.value, related=list(e.related),
                refs=dict(e.refs), article=e.article,
            ))
            if e.kb_id:
                tagger.note_provenance(e.kb_id, {"document_id": doc.id, "section_id": section.id})
    return mentions


def annotate_document(store: Store, doc: Document, tagger: Tagger) -> int:
    """Replace the document's mentions by those the tagger finds now; returns how many were written."""
    mentions = document_mentions(doc, tagger)
    store.delete_mentions(doc.id)
    store.add_mentions(mentions)
    return len(mentions)


def discover_definitions(doc: Document, tagger: Tagger) -> list[dict[str, Any]]:
    """Abbreviation definitions made in the document ("Dienst Terugkeer en Vertrek (DT&V)"), as rows for
    :meth:`Store.replace_definitions` (section_id, short, long, entity_id, label; plus document_id and
    offsets into the section text)."""
    rows: list[dict[str, Any]] = []
    seen: set[tuple[str, str, str]] = set()
    for section in doc.sections:
        if not section.text.strip():
            continue
        for d in tagger.find_definitions(section.text):
            key = (d["short"], d["long"], d["entity_id"])
            if key in seen:
                continue
            seen.add(key)
            rows.append({
                "document_id": doc.id, "section_id": section.id, "short": d["short"], "long": d["long"],
                "entity_id": d["entity_id"], "label": d["label"], "start": d["start"], "end": d["end"],
            })
    return rows
