"""The commitments of the knowledge base as register entries, with the evidence of their follow-up.

Evidence that a commitment was (possibly) fulfilled is a later passage, in another document, that
reports doing it.  It is gathered here and judged by :func:`kb.statements.status.commitment_status`:

1. the related-passage engine (:mod:`kb.related`) ranks the passages of other documents for the
   commitment's passage, with the commitment sentence as the quote (the top ``RELATED_LIMIT``);
2. a candidate's best-matching sentence must report something done (kind ``result``);
3. that sentence must share at least ``MIN_SHARED`` *rare* words with the commitment sentence —
   words in at most ``RARE_SHARE`` of the collection's sections — so that "capaciteit" or
   "implementatie" alone never make a commitment fulfilled (on the shipped collection, relation
   and kind alone marked 62 of 76 commitments, nearly all wrongly);
4. ``commitment_status`` then keeps the candidates that are not dated before the commitment.

Each piece of evidence keeps the shared words as written in its sentence and the engine's own
reason, so the register can show why it matched.

The entries (and their evidence) are computed once per knowledge base file and process: a
related-passage lookup per commitment is too costly to repeat per request.  The status itself
depends on today's date and is applied per request (``webapp.pages.commitments``).
"""
from __future__ import annotations

import threading
from collections import Counter
from typing import Any

from nltext import fold_key, is_stop, stem, word_strings
from webapp.pages.common import SectionCache
from webapp.pages.extracts import sentence_link

RELATED_LIMIT = 5
MIN_SHARED = 2
RARE_SHARE = 0.03  # a rare word occurs in at most 3% of the sections (and at least ...)
RARE_MIN_SECTIONS = 3  # ... or in up to 3 (the promise, the report and one more), however small the collection
MIN_WORD_CHARS = 4

_lock = threading.Lock()
_cache: dict[tuple[Any, ...], list[dict[str, Any]]] = {}


def _key(store) -> tuple[Any, ...]:
    try:
        st = store.path.stat()
        return (str(store.path), st.st_mtime_ns, st.st_size)
    except OSError:
        return (str(store.path),)


def register_entries(store) -> list[dict[str, Any]]:
    """Every commitment as a register entry (reading order), with its evidence candidates."""
    key = _key(store)
    with _lock:
        if key not in _cache:
            _cache.clear()
            _cache[key] = _build(store)
        return _cache[key]


# -- words ---------------------------------------------------------------------------------------
def _stems(text: str) -> dict[str, str]:
    """Content-word stem -> the word as written (first occurrence); the text core's words, folding,
    stop words and stemmer (``nltext``)."""
    out: dict[str, str] = {}
    for w in word_strings(text):
        key = fold_key(w)
        if len(key) >= MIN_WORD_CHARS and not is_stop(key) and not any(c.isdigit() for c in key):
            out.setdefault(stem(key), w)
    return out


def _section_frequencies(store) -> tuple[Counter[str], int]:
    df: Counter[str] = Counter()
    sections = store.sections()
    for sec in sections:
        df.update(_stems(f"{sec['title']} {sec['text']}").keys())
    return df, len(sections)


# -- entries -------------------------------------------------------------------------------------
def _build(store) -> list[dict[str, Any]]:
    from kb.extract_store import read_statements
    from kb.passage_ids import parse_passage_id
    from kb.statements import default_cues

    commitments = [s for s in read_statements(store) if s.get("kind") == "commitment" and s.get("commitment")]
    if not commitments:
        return []
    docs = {d["id"]: d for d in store.documents()}
    sections = SectionCache(store)
    df, n_sections = _section_frequencies(store)
    rare_limit = max(RARE_MIN_SECTIONS, RARE_SHARE * n_sections)
    cues = default_cues()
    names: dict[str, str | None] = {}

    def name(eid: str) -> str | None:
        if eid not in names:
            ent = store.entity(eid)
            names[eid] = ent["name"] if ent else None  # values ("date") are no catalogue entities
        return names[eid]

    out = []
    for s in commitments:
        com = s["commitment"]
        doc = docs.get(s["document_id"]) or {}
        cue = s.get("cue") or {}
        text = s.get("text") or ""
        cs, ce = cue.get("start"), cue.get("end")
        marked = isinstance(cs, int) and isinstance(ce, int) and 0 <= cs < ce <= len(text)
        _sid, block = parse_passage_id(com.get("passage_id") or s["section_id"])
        out.append({
            "id": s["id"], "text": text,
            "url": sentence_link(sections, s["section_id"], int(s["start"]), int(s["end"])),
            "document": s["document_id"], "document_title": doc.get("title") or s["document_id"],
            "document_date": doc.get("date") or (str(doc["year"]) if doc.get("year") else None),
            "section_id": s["section_id"], "passage_id": com.get("passage_id"),
            "start": int(s["start"]), "end": int(s["end"]),
            "actor": {k: (com.get("actor") or {}).get(k) for k in ("label", "role", "entity")} if com.get("actor") else None,
            "action": {k: com["action"].get(k) for k in ("lemma", "text")} if com.get("action") else None,
            "object": (com.get("object") or {}).get("text"),
            "topic": (com.get("topic") or {}).get("text"),
            "deadline": {k: com["deadline"].get(k) for k in ("text", "date_from", "date_to")} if com.get("deadline") else None,
            "recurrence": com.get("recurrence"),
            "entities": [{"id": eid, "name": name(eid)} for eid in com.get("entities") or [] if name(eid)],
            "cue": {"text": cue.get("text") or "", "label": cue.get("label") or cues.label(cue.get("id") or ""),
                    "before": text[:cs] if marked else text, "match": text[cs:ce] if marked else "",
                    "after": text[ce:] if marked else ""},
            "negated": bool(s.get("negated")), "conditional": bool(s.get("conditional")),
            "made": doc.get("date") or (f"{doc['year']}-01-01" if doc.get("year") else None),
            "candidates": _evidence(store, s, block, docs, sections, df, rare_limit),
        })
    return out


def _evidence(store, s: dict[str, Any], block: int | None, docs: dict[str, dict[str, Any]], sections: SectionCache,
              df: Counter[str], rare_limit: float) -> list[dict[str, Any]]:
    from kb.related import related_passages

    try:
        related = related_passages(store, s["section_id"], block_index=block, limit=RELATED_LIMIT, quote=s["text"])
    except KeyError:  # a section the related-passage index does not hold
        return []
    mine = {k: v for k, v in _stems(s["text"]).items() if df.get(k, 0) <= rare_limit}
    out = []
    for r in related:
        sentence = (r.get("evidence") or {}).get("sentence") or {}
        if sentence.get("kind") != "result":
            continue
        theirs = _stems(sentence.get("text") or "")
        shared = [theirs[k] for k in mine if k in theirs]
        if len(shared) < MIN_SHARED:
            continue
        doc = docs.get(r["document"]) or {}
        out.append({
            "kind": "result", "passage_id": r["id"],
            # a report counts unless it is dated before the commitment; a year alone counts to its end
            "date": doc.get("date") or (f"{doc['year']}-12-31" if doc.get("year") else None),
            "document": r["document"], "document_title": r.get("document_title") or r["document"],
            "title": r.get("title") or "", "sentence": sentence.get("text") or "", "words": shared,
            "reason": r.get("reason") or "",
            "url": sentence_link(sections, r["section_id"], int(sentence.get("start", 0)), int(sentence.get("end", 0))),
        })
    return out
