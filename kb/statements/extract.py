"""Statement rows from sections (for the knowledge base) and from plain text (for the CLI/API).

Statement ids are stable: ``f"{section_id}/s{n}"`` with ``n`` the 1-based position of the sentence
in the section (all sentences are numbered, including those classified ``other``).  A commitment
row also carries its details under ``commitment`` (stored in ``statements.details``): actor, action,
object, topic, deadline (text, offsets into the section, ``date_from``/``date_to``), recurrence,
entity ids and the passage id (``kb.passages``: the window holding the sentence, as in search), see
:func:`kb.statements.details.commitment_details`.  Together with the row's own ``id``, ``section_id``,
``document_id``, ``negated``, ``conditional`` and ``cue`` that is one register entry.
"""
from __future__ import annotations

import json
from datetime import date
from typing import Any, Iterable

from kb.passages import Locator
from kb.sentences import block_spans, split_sentences
from kb.statements.classify import classify_sentence
from kb.statements.cues import KINDS, CueSet
from settings.budget import check as check_budget


def statements_for_section(section: Any, document_id: str | None = None, *, cues: CueSet | None = None,
                           context: Any = None) -> list[dict[str, Any]]:
    """Statement rows for every sentence of a section (``Section`` or store row dict)."""
    from kb.statements.details import commitment_details

    get = (lambda k: section[k]) if isinstance(section, dict) else (lambda k: getattr(section, k))
    sid = get("id")
    text = get("text")
    doc_id = document_id or get("document_id")
    rows = []
    n = 0
    windows: Locator | None = None  # the passage (kb.passages) of each commitment, as in search; made for the first
    for start, end, kind in block_spans(text, get("blocks")):
        for sp in split_sentences(text[start:end], base=start):
            n += 1
            c = classify_sentence(sp.text, block_kind=kind, cues=cues)
            row = {
                "id": f"{sid}/s{n}", "section_id": sid, "document_id": doc_id, "start": sp.start, "end": sp.end,
                "kind": c.kind, "cue": c.cue, "negated": int(c.negated), "conditional": int(c.conditional),
                "evidence": c.evidence, "text": sp.text,
            }
            if c.kind == "commitment":
                if windows is None:
                    windows = Locator(section)
                row["commitment"] = {**commitment_details(sp.text, c, context, base=sp.start),
                                     "passage_id": windows.id_at(sp.start, sid)}
            rows.append(row)
    return rows


def attach_mentions(rows: list[dict[str, Any]], mentions: Iterable[dict[str, Any]]) -> None:
    """Give each commitment the entities mentioned in its sentence, and its actor an organisation entity.

    ``mentions`` are store rows (``section_id``, ``start``, ``end``, ``entity_id``, ``label``) with offsets
    into the section text, like the statements' own offsets.
    """
    by_section: dict[str, list[dict[str, Any]]] = {}
    for m in mentions:
        if m.get("entity_id"):
            by_section.setdefault(m["section_id"], []).append(m)
    for r in rows:
        com = r.get("commitment")
        if not com:
            continue
        inside = [m for m in by_section.get(r["section_id"], []) if r["start"] <= m["start"] and m["end"] <= r["end"]]
        com["entities"] = sorted({m["entity_id"] for m in inside})
        actor = com.get("actor") or {}
        if actor.get("start") is not None and not actor.get("entity"):
            actor["entity"] = next((m["entity_id"] for m in inside if m.get("label") == "ORG"
                                    and m["start"] < actor["end"] and actor["start"] < m["end"]), None)


def extract_statements(doc: Any, *, cues: CueSet | None = None) -> list[dict[str, Any]]:
    """Statement rows of every section of a :class:`corpus.model.Document`."""
    from kb.statements.details import DocumentContext

    context = DocumentContext.of_document(doc)
    out: list[dict[str, Any]] = []
    for sec in doc.sections:
        out.extend(statements_for_section(sec, doc.id, cues=cues, context=context))
    return out


def statements_json(text: str, *, ref: date | None = None, entities: list[dict[str, Any]] | None = None,
                    cues: CueSet | None = None) -> dict[str, Any]:
    """The ``statements --json`` / ``POST /api/v1/statements`` payload for a plain text.

    ``entities`` are tagger mentions (``start``, ``end``, ``label``, ``kb_id``) with offsets into ``text``;
    a statement lists those inside its sentence.  ``ref`` is the date relative deadlines count from.
    """
    from kb.statements.details import DocumentContext, commitment_details

    context = DocumentContext.of_text(text, ref=ref)
    out = []
    for start, end, bkind in block_spans(text, None):
        for sp in split_sentences(text[start:end], base=start):
            check_budget("het herkennen van uitspraken")  # the request budget of the API (settings.budget)
            c = classify_sentence(sp.text, block_kind=bkind, cues=cues)
            inside = [e for e in entities or [] if sp.start <= e["start"] and e["end"] <= sp.end]
            item: dict[str, Any] = {
                "start": sp.start, "end": sp.end, "text": sp.text, "kind": c.kind,
                "negated": bool(c.negated), "conditional": bool(c.conditional),
                "cue": c.cue["text"] if c.cue else None,
                "cue_label": c.cue.get("label") if c.cue else None,
                "actor": None, "action": None, "object": None, "topic": None, "deadline": None, "recurrence": None,
                "entities": [{"start": e["start"], "end": e["end"], "text": text[e["start"]:e["end"]],
                              "label": e.get("label"), "kb_id": e.get("kb_id")} for e in inside],
            }
            if c.kind == "commitment":
                d = commitment_details(sp.text, c, context, base=sp.start,
                                       mentions=[{**e, "start": e["start"] - sp.start, "end": e["end"] - sp.start}
                                                 for e in inside])
                item.update({k: d[k] for k in ("actor", "action", "object", "topic", "deadline", "recurrence")})
            out.append(item)
    return {"statements": out}


def cue_json(row: dict[str, Any]) -> str:
    """What goes in the ``statements.cue`` column: the deciding cue plus negation/condition evidence."""
    payload = dict(row.get("cue") or {})
    ev = row.get("evidence") or {}
    for key in ("negation", "condition", "flipped_from", "cues"):
        if key in ev:
            payload[key] = ev[key]
    return json.dumps(payload, ensure_ascii=False, sort_keys=True) if payload else ""


def kinds_summary(rows: Iterable[dict[str, Any]]) -> dict[str, int]:
    out = {k: 0 for k in KINDS}
    for r in rows:
        out[r["kind"]] += 1
    return out
