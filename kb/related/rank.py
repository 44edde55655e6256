"""Ranking candidate passages for a weighted query: BM25 (nltext.bm25) plus the best sentence.

* a candidate passage is scored on its own text plus its section title (BM25F: a title term
  counts ``W.title_weight`` times), plus ``W.sentence_weight`` times the score of its best
  sentence (one sentence saying it all beats words spread over a paragraph);
* statement types: from a plan passage (commitments) we prefer passages with *result* or
  *problem* statements, from a report passage (results) passages with *commitments*;
* shared tagged entities add a bonus weighted by their rarity;
* a candidate needs *specific* evidence: a shared entity, or a shared word that is not common
  in the collection (in at most ``W.common_share`` of the passages).  General words alone
  ("bescherming, uitwerking, uitvoering") are no reason to relate two passages.

Every query term is scored over its posting list at once, so a lookup costs a few array
operations per query term whatever the size of the collection.
"""
from __future__ import annotations

import math
import re
from collections import Counter
from typing import Any

import numpy as np

from nltext.bm25 import inverse_length_norm, saturate

from .index import W, Index


def preferred_kinds(focus_kinds: Counter[str], doc_kind: str | None) -> tuple[str, ...]:
    """Plans (commitments) look for results and problems; reports (results) look for commitments."""
    plan = focus_kinds.get("commitment", 0)
    report = focus_kinds.get("result", 0) + focus_kinds.get("problem", 0)
    if doc_kind and re.search(r"verslag|rapportage|evaluatie|voortgang", doc_kind, re.I):
        return ("commitment",)
    if doc_kind and re.search(r"nota|plan|programma|agenda|begroting", doc_kind, re.I):
        return ("result", "problem")
    if report > plan:
        return ("commitment",)
    return ("result", "problem")


def common_terms(idx: Index) -> frozenset[str]:
    """Terms in more than ``W.common_share`` of the passages (at least ``W.common_min_df``)."""
    limit = max(W.common_min_df, W.common_share * idx.n)
    return frozenset(t for t, df in idx.df.items() if df > limit)


def _bm25(matrix, q: dict[str, float], idx: Index, inv: np.ndarray) -> np.ndarray:
    score = np.zeros(matrix.n, np.float32)
    for t, w in q.items():
        post = matrix.postings.get(t)
        if post is None:
            continue
        ids, tf = post
        score[ids] += w * idx.idf(t) * saturate(tf * inv[ids], W.k1)
    return score


def score_passages(idx: Index, q: dict[str, float]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(passage score, best-sentence score, best sentence index or -1) for every passage."""
    inv = inverse_length_norm(idx.matrix.lengths, W.b, average=idx.avgdl)
    body = _bm25(idx.matrix, q, idx, inv)
    sm = idx.sentence_matrix
    s_inv = inverse_length_norm(sm.lengths, W.b, average=idx.avgdl)
    sent = _bm25(sm, q, idx, s_inv)
    best = np.zeros(idx.n, np.float32)
    best_idx = np.full(idx.n, -1, np.int64)
    pos = np.flatnonzero(sent > 0)
    if len(pos):
        # the highest-scoring sentence of each passage (the first one on a tie)
        order = pos[np.lexsort((pos, -sent[pos], idx.sentence_passage[pos]))]
        owners = idx.sentence_passage[order]
        first = np.ones(len(order), bool)
        first[1:] = owners[1:] != owners[:-1]
        best_idx[owners[first]] = order[first]
        best[owners[first]] = sent[order[first]]
    return body, best, best_idx


def rank(idx: Index, q: dict[str, float], info: dict[str, Any], exclude_document: str, *,
         prefer: tuple[str, ...], limit: int) -> list[tuple[float, int, int]]:
    """The best candidates as (score, passage index, best sentence index or -1), at most
    ``W.max_per_section`` per section, best first."""
    body, best, best_idx = score_passages(idx, q)
    total = body + W.sentence_weight * best
    cand = [i for i in np.flatnonzero(body > 0)
            if idx.passages[i].document_id != exclude_document and idx.passages[i].length > 0]
    common = common_terms(idx)
    specific = {t for t in q if t not in common}
    results = []
    for i in cand:
        p = idx.passages[i]
        shared = info["entities"].keys() & p.entities
        if not shared and not any(t in p.terms or t in p.title_terms for t in specific):
            continue  # related on common words alone
        bonus = 1.0
        si = int(best_idx[i])
        kind = idx.sentence_list[si].kind if si >= 0 else None
        if kind in prefer:
            bonus += W.kind_bonus
        elif any(p.kinds.get(k, 0) for k in prefer):
            bonus += W.kind_any_bonus
        ent_bonus = sum(W.entity_bonus * info["entities"][e] * math.log(1 + idx.n / (1 + idx.entity_df[e]))
                        for e in shared)
        results.append((float(total[i]) * bonus + ent_bonus, int(i), si))
    results.sort(key=lambda r: (-r[0], idx.passages[r[1]].document_id, idx.passages[r[1]].id))
    out, per_section = [], Counter()
    for r in results:
        sid = idx.passages[r[1]].section_id
        if per_section[sid] >= W.max_per_section:
            continue
        per_section[sid] += 1
        out.append(r)
        if len(out) >= limit:
            break
    return out


def contributions(idx: Index, q: dict[str, float], passage: int) -> dict[str, float]:
    """Each query term's share of a passage's BM25 score (for the reason)."""
    p = idx.passages[passage]
    inv = float(inverse_length_norm(np.asarray([p.length]), W.b, average=idx.avgdl)[0])
    out = {}
    for t, w in q.items():
        tf = p.terms.get(t, 0.0) + W.title_weight * p.title_terms.get(t, 0.0)
        if tf > 0:
            x = tf * inv
            out[t] = w * idx.idf(t) * x * (W.k1 + 1) / (x + W.k1)
    return out
