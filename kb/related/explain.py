"""Why a passage was returned: the shared words as the passage writes them, synonyms, entities,
and the statement type of its best sentence — as a Dutch ``reason`` and as structured ``evidence``.

Shared words are shown as written ("asielprocedure", "(inter)nationale"), never as the stems
the index matches on ("asielprocedur").
"""
from __future__ import annotations

from typing import Any

from .index import Index, Passage
from .rank import contributions

KIND_NL = {"result": "resultaat", "problem": "probleem", "commitment": "voornemen"}
#: Shared words named in a reason.
MAX_TERMS = 6


def shared_words(p: Passage, terms: list[str]) -> list[str]:
    """The passage's own words for the given terms, in order, each word once."""
    out: dict[str, None] = {}
    for t in terms:
        word = p.written.get(t)
        if word and word.lower() not in {w.lower() for w in out}:
            out[word] = None
    return list(out)


def item(idx: Index, q: dict[str, float], i: int, score: float, sentence_index: int, info: dict[str, Any],
         prefer: tuple[str, ...]) -> dict[str, Any]:
    """The JSON record of one related passage, with its reason."""
    p = idx.passages[i]
    contrib = contributions(idx, q, i)
    top = [t for t, _s in sorted(contrib.items(), key=lambda kv: (-kv[1], kv[0]))]
    words = shared_words(p, top)[:MAX_TERMS]
    used_syn = []
    for f in info["synonyms"]:
        others = [m for m in f["group"] if m != f["matched"] and idx.terms.word_terms(m) & contrib.keys()]
        if others:
            used_syn.append((f["matched"] + " ~ " + ", ".join(others))[:80])
    shared = info["entities"].keys() & p.entities
    sec_text = idx.sections[p.section_id]["text"]
    sentence = None
    parts = [f"gedeelde woorden: {', '.join(words)}"] if words else []
    if used_syn:
        parts.append("synoniemen: " + "; ".join(used_syn))
    if shared:
        names = sorted(idx.entity_aliases.get(e, [e])[0] for e in shared)
        parts.append("gedeelde entiteiten: " + ", ".join(names))
    if sentence_index >= 0:
        s = idx.sentence_list[sentence_index]
        sentence = {"start": s.start, "end": s.end, "kind": s.kind, "text": sec_text[s.start:s.end]}
        label = KIND_NL.get(s.kind)
        if label:
            parts.append(f"best passende zin is een {label}" + (" (gezochte soort)" if s.kind in prefer else ""))
    return {
        "id": p.id, "section_id": p.section_id, "block_index": p.block_start, "block_start": p.block_start,
        "block_end": p.block_end, "document": p.document_id, "document_title": idx.doc_titles.get(p.document_id),
        "title": p.title, "path": p.path, "start": p.start, "end": p.end, "text": p.text, "score": round(score, 4),
        "reason": "; ".join(parts),
        "evidence": {"terms": words, "synonyms": used_syn, "entities": sorted(shared), "sentence": sentence},
    }
