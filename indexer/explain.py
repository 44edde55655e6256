"""How a query was read, as structured data (no wording).

The searcher records what it searched for and everything it changed or ignored while reading
the query; the result carries it as ``result["explain"]``.  Turning it into a sentence for
people ("Zo is uw zoekvraag gelezen") is the web layer's job (``webapp/search_wording.py``), so
the indexer holds no Dutch prose and another front end (or another language) can word it anew.

``explain`` is a dict::

    {"status": "searched" | "empty" | "stop_words_only" | "no_terms",
     "words": ["achterstanden", ...],            # query words searched for, as typed
     "readings": [{"code": "entity", "id": "ind", "name": "..."}, ...],
     "synonyms": ["cybercrime", ...],             # group members also searched for
     "filters": [{"field": "year", "value": "2020"}, ...],
     "notes": [{"code": "truncated_terms", "limit": 64}, ...],   # changed or ignored input
     "all_words_first": true}                    # passages with all words rank first

Reading codes: ``question_words`` (words), ``entity`` (id, name), ``regulation`` (bwb, name: a regulation named in
the query, whose own text is searched too), ``phrase`` (text), ``prefix``
(text), ``fuzzy`` (text, used), ``excluded`` (text), ``any_of`` (labels), ``statement_kind``
(word, kind).  Note codes: ``unclosed_quote``, ``unmatched_paren``, ``unclosed_paren``,
``dangling_operator`` (operator, missing: both|before|after|term), ``lone_operator`` (operator),
``empty_filter`` (field), ``short_prefix`` (text), ``lone_symbol`` (symbol), ``not_understood``
(error), ``control_chars_removed``, ``truncated_chars`` (limit), ``truncated_terms`` (limit),
``unknown_filter`` (name), ``unknown_value`` (field, value), ``respelled`` (word, searched),
``compound_heads`` (word, searched), ``prefix_capped`` (text, limit), ``offset_out_of_range``
(offset, total).
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

STATUSES = ("searched", "empty", "stop_words_only", "no_terms")


def _unique(items: list[Any]) -> list[Any]:
    """Items in first-seen order without repeats (dicts compared by content)."""
    seen: set[str] = set()
    out = []
    for it in items:
        key = json.dumps(it, sort_keys=True, ensure_ascii=False, default=str)
        if key not in seen:
            seen.add(key)
            out.append(it)
    return out


@dataclass
class Explanation:
    """Collected while one query is read and evaluated."""

    words: list[str] = field(default_factory=list)
    readings: list[dict[str, Any]] = field(default_factory=list)
    synonyms: list[str] = field(default_factory=list)
    filters: list[dict[str, Any]] = field(default_factory=list)
    notes: list[dict[str, Any]] = field(default_factory=list)

    def note(self, code: str, **data: Any) -> None:
        """Something in the query was changed or ignored."""
        self.notes.append({"code": code, **data})

    def reading(self, code: str, **data: Any) -> None:
        """A part of the query was read as something other than plain words."""
        self.readings.append({"code": code, **data})

    def filter(self, fld: str, value: Any, **data: Any) -> None:
        self.filters.append({"field": fld, "value": value, **data})

    def snapshot(self) -> tuple[int, int, int]:
        return len(self.words), len(self.readings), len(self.synonyms)

    def restore(self, snap: tuple[int, int, int]) -> None:
        """Forget the words and readings recorded since ``snap`` (an excluded term is no search word)."""
        del self.words[snap[0]:]
        del self.readings[snap[1]:]
        del self.synonyms[snap[2]:]

    def to_dict(self, status: str, *, all_words_first: bool) -> dict[str, Any]:
        assert status in STATUSES, status
        return {
            "status": status,
            "words": _unique([w for w in self.words if w]),
            "readings": _unique(self.readings),
            "synonyms": _unique(self.synonyms),
            "filters": _unique(self.filters),
            "notes": _unique(self.notes),
            "all_words_first": all_words_first,
        }
