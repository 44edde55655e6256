"""The query of a related-passage lookup: which passage a quote points at, and its weighted terms.

The query is the focus passage (the window holding the quote, the quoted sentence counting
extra), the section's title and breadcrumb, and the rest of the section with a small weight;
then the aliases of the entities tagged in the focus passage (``mentions`` table) and the
members of every synonym group the query touches (``kb/cues/synonyms.yaml``).  A term a long
paragraph repeats counts sublinearly, and no term weighs more than ``W.q_cap``.
"""
from __future__ import annotations

import math
from collections import Counter
from typing import Any

from nltext.fold import normalise, normalise_with_map

from .index import W, Index, Passage, get_index


def find_passage_by_quote(store: Any, quote: str) -> tuple[str, int | None] | None:
    """(section_id, first block of the passage) holding ``quote``, or None.

    Case-, accent-, whitespace-, soft-hyphen-, quote- and dash-insensitive; when that finds
    nothing, punctuation and markup are ignored too.  A quote found in a section title gives
    block None (the whole section).
    """
    idx = get_index(store)
    if not normalise(quote):
        return None
    for loose in (False, True):
        needle = normalise(quote, loose=loose)
        if not needle:
            continue
        for sid, n, nmap, lo, lmap in idx.norm_sections:
            hay, hmap = (lo, lmap) if loose else (n, nmap)
            pos = hay.find(needle)
            if pos < 0:
                continue
            offset = hmap[pos]
            for p in idx.in_section(sid):
                if p.start <= offset < p.end:
                    return sid, p.block_start
            return sid, None
        for sid, sec in idx.sections.items():
            if needle in normalise(sec["title"], loose=loose):
                return sid, None
    return None


def quoted_sentences(focus: list[Passage], quote: str) -> list[tuple[int, int, Counter[str]]]:
    """Sentences (start, end, terms) of the focus passage that the quote overlaps ([] if not found)."""
    for p in focus:
        for loose in (False, True):
            needle = normalise(quote, loose=loose)
            hay, hmap = normalise_with_map(p.text, loose=loose)
            pos = hay.find(needle) if needle else -1
            if pos < 0:
                continue
            qs, qe = p.start + hmap[pos], p.start + hmap[pos + len(needle) - 1] + 1
            found = [(s.start, s.end, s.terms) for s in p.sentences if s.start < qe and s.end > qs]
            if found:
                return found
    return []


def _add(q: dict[str, float], terms: Counter[str], w: float) -> None:
    """Add terms with weight ``w``; a term repeated in the text counts sublinearly (1 + ln tf),
    so a word a long paragraph repeats does not outweigh the rare words that name the measure."""
    for t, c in terms.items():
        q[t] = q.get(t, 0.0) + w * (1.0 + math.log(c) if c > 1 else c)


def build_query(idx: Index, section_id: str, block_index: int | None, quote: str | None = None) -> tuple[dict[str, float], dict[str, Any]]:
    """Weighted query terms for a passage, and what went into it (for the reasons)."""
    sec = idx.sections[section_id]
    focus = idx.in_section(section_id, block_index)
    focus_ids = {p.id for p in focus}
    q: dict[str, float] = {}
    quoted = quoted_sentences(focus, quote) if quote and block_index is not None else []
    if quoted:
        # The quoted sentence(s) are what the user points at; the rest of a long passage is
        # context and must not outvote them (a 150-word paragraph otherwise drowns its quote).
        qterms: Counter[str] = Counter()
        for _st, _en, sterms in quoted:
            qterms.update(sterms)
        _add(q, qterms, W.q_focus + W.q_quote)
        for p in focus:
            rest = p.terms - qterms
            total = sum(rest.values())
            if total:
                _add(q, rest, W.q_focus * min(1.0, W.focus_rest / total))
    else:
        for p in focus:
            _add(q, p.terms, W.q_focus)
        if quote:
            _add(q, idx.terms(quote), W.q_quote)
    titles = [t for t in sec["path"][1:]] or [sec["title"]]
    for depth, t in enumerate(reversed(titles)):
        _add(q, idx.terms(t), W.q_title * (0.6 ** depth))
    if block_index is not None:
        rest_terms: Counter[str] = Counter()
        for p in idx.in_section(section_id):
            if p.id not in focus_ids:
                rest_terms.update(p.terms)
        total = sum(rest_terms.values())
        if total:
            _add(q, rest_terms, W.q_context * min(1.0, 60.0 / total))
    # entities named in the quoted sentence count fully, others in the passage half
    entities: dict[str, float] = {}
    for p in focus:
        for a, b, e in p.entity_spans:
            inside = not quoted or any(a < en and b > st for st, en, _t in quoted)
            entities[e] = max(entities.get(e, 0.0), 1.0 if inside else W.entity_outside_quote)
    alias_terms: dict[str, float] = {}
    for e, ew in entities.items():
        for a in idx.entity_aliases.get(e, []):
            for t in idx.terms(a):
                alias_terms[t] = max(alias_terms.get(t, 0.0), ew)
    for t, ew in alias_terms.items():
        q[t] = q.get(t, 0.0) + W.q_alias * ew
    fired = _synonyms(idx, q, " ".join([p.text for p in focus] + titles + ([quote] if quote else [])))
    for t in list(q):
        q[t] = min(q[t], W.q_cap)
    focus_kinds: Counter[str] = Counter()
    for p in focus:
        focus_kinds.update(p.kinds)
    return q, {"entities": entities, "synonyms": fired, "kinds": focus_kinds}


def _synonyms(idx: Index, q: dict[str, float], text: str) -> list[dict[str, Any]]:
    """Add the members of every synonym group one of whose members the text holds."""
    seq = idx.terms.sequence(text)
    seq_set = set(seq) | idx.terms.word_terms(text)
    joined = " " + " ".join(seq) + " "
    fired = []
    for members, raw in idx.synonyms:
        hit = None
        for m, r in zip(members, raw):
            if not m:
                continue
            if (len(m) == 1 and m[0] in seq_set) or (len(m) > 1 and f" {' '.join(m)} " in joined):
                hit = r
                break
        if hit is None:
            continue
        base = max((q.get(t, 0.0) for m in members for t in m if len(m) == 1), default=1.0) or 1.0
        w = W.q_synonym * min(1.0, base)
        for m in members:
            for t in m:
                if q.get(t, 0.0) < w:
                    q[t] = q.get(t, 0.0) + w / len(m)
        fired.append({"matched": hit, "group": raw})
    return fired
