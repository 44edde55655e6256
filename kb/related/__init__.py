"""Plan <-> result links: passages of other documents that report on (or plan) the same measure.

The unit of retrieval is the knowledge base's passage (:mod:`kb.passages`): the same window of
blocks, under the same id, as a search hit.  For a passage (or a quote in it) we build a
weighted query and rank the passages of every *other* document:

* :mod:`kb.related.index` — every passage analysed once with the search index's Dutch chain
  (:mod:`nltext`), as numpy postings;
* :mod:`kb.related.query` — the passage a quote points at, and the weighted query (focus
  passage, quoted sentence, titles, section context, entity aliases, synonyms);
* :mod:`kb.related.rank` — BM25 (:mod:`nltext.bm25`) plus the best sentence, statement-type
  and shared-entity bonuses; no relation on common words alone;
* :mod:`kb.related.explain` — why each passage was returned, with words as written.
"""
from __future__ import annotations

from collections import Counter
from typing import Any

from nltext.fold import normalise, normalise_with_map  # noqa: F401 - quote matching, shared with callers
from settings.budget import check as check_budget

from .explain import item
from .index import SYNONYMS_PATH, W, Index, Passage, build_index, get_index, invalidate, load_synonyms  # noqa: F401
from .query import build_query, find_passage_by_quote  # noqa: F401
from .rank import preferred_kinds, rank

__all__ = [
    "related_passages", "related_json", "passage_dict", "find_passage_by_quote", "build_query", "get_index",
    "invalidate", "load_synonyms", "SYNONYMS_PATH", "normalise", "W",
]


def related_passages(store: Any, section_id: str, block_index: int | None = None, limit: int = 5, *,
                     quote: str | None = None) -> list[dict[str, Any]]:
    """Passages of other documents most related to a passage (the one holding block
    ``block_index``, or the whole section)."""
    idx = get_index(store)
    if section_id not in idx.sections:
        raise KeyError(section_id)
    check_budget("het zoeken naar verwante passages")  # the request budget (settings.budget); not
    q, info = build_query(idx, section_id, block_index, quote)  # inside get_index, which is built once
    check_budget("het zoeken naar verwante passages")
    doc_id = idx.sections[section_id]["document_id"]
    doc = store.document(doc_id) or {}
    prefer = preferred_kinds(info["kinds"], doc.get("kind"))
    return [item(idx, q, i, score, si, info, prefer)
            for score, i, si in rank(idx, q, info, doc_id, prefer=prefer, limit=limit)]


def passage_dict(store: Any, section_id: str, block_index: int | None) -> dict[str, Any]:
    """The passage a lookup starts from (the window holding ``block_index``, or the section)."""
    idx = get_index(store)
    sec = idx.sections[section_id]
    ps = idx.in_section(section_id, block_index)
    text = "\n\n".join(p.text for p in ps) if ps else sec["text"]
    kinds: Counter[str] = Counter()
    for p in ps:
        kinds.update(p.kinds)
    one = len(ps) == 1 and block_index is not None
    return {
        "id": ps[0].id if one else section_id, "section_id": section_id,
        "block_index": ps[0].block_start if one else None,
        "block_start": ps[0].block_start if one else None, "block_end": ps[0].block_end if one else None,
        "document": sec["document_id"], "document_title": idx.doc_titles.get(sec["document_id"]),
        "title": sec["title"], "path": sec["path"], "text": text, "statement_kinds": dict(kinds),
    }


def related_json(store: Any, quote: str, limit: int = 5) -> dict[str, Any] | None:
    """``{"passage": {...}, "related": [...]}`` for ``beleidsbank related --json "QUOTE"``; None when no
    passage holds the quote (the CLI and the API turn that into an error / HTTP 404)."""
    found = find_passage_by_quote(store, quote)
    if found is None:
        return None
    sid, bi = found
    return {"passage": passage_dict(store, sid, bi), "related": related_passages(store, sid, bi, limit, quote=quote)}
