"""Statement kinds per passage: what the index records, and the query words that name them.

The knowledge base classifies sentences as commitments, results and problems
(``statements``) and lists fund measures (``measures``), each with its section and character
span.  The index records, per passage, how many statements of each kind start inside it
(``arrays.npz``: ``stmt_doc``, ``stmt_idx``, ``stmt_count``; names in ``meta.json``), so a
query word that names a kind ("toezeggingen", see ``statement_words.yaml``) can find and rank
passages by kind, and ``uitspraak:`` can filter on it.
"""
from __future__ import annotations

import threading
from collections import Counter
from pathlib import Path
from typing import Any, Iterable

import yaml

#: kinds the index records, in index order ("other" statements are not recorded)
KINDS = ("commitment", "result", "problem", "measure")
WORDS_PATH = Path(__file__).with_name("statement_words.yaml")
_LOCK = threading.Lock()
_WORDS: dict[str, list[str]] | None = None


def kind_words(path: Path | None = None) -> dict[str, list[str]]:
    """kind -> the query words that name it (the reviewed data file, validated)."""
    global _WORDS
    if path is None and _WORDS is not None:
        return _WORDS
    p = path or WORDS_PATH
    data = yaml.safe_load(p.read_text(encoding="utf-8"))
    kinds = data.get("kinds") if isinstance(data, dict) else None
    if not isinstance(kinds, dict):
        raise ValueError(f"{p}: 'kinds' must map a statement kind to a list of words")
    out: dict[str, list[str]] = {}
    for kind, words in kinds.items():
        if kind not in KINDS:
            raise ValueError(f"{p}: unknown statement kind {kind!r} (known: {', '.join(KINDS)})")
        if not isinstance(words, list) or not all(isinstance(w, str) and w.strip() for w in words):
            raise ValueError(f"{p}: the words of {kind!r} must be a list of non-empty strings")
        out[kind] = [w.strip() for w in words]
    if path is None:
        with _LOCK:
            _WORDS = out
    return out


class KindTerms:
    """Index terms (as the analyzer makes them) of the kind words: term -> kind."""

    def __init__(self, analyzer, words: dict[str, list[str]] | None = None) -> None:
        from indexer.analysis import PRIMARY, WHOLE

        self.by_term: dict[str, str] = {}
        for kind, ws in (words or kind_words()).items():
            for w in ws:
                for t in analyzer.tokens(w, with_parts=False):
                    if t.kind in (PRIMARY, WHOLE):
                        self.by_term.setdefault(t.text, kind)

    def kind_of(self, terms: Iterable[str]) -> str | None:
        return next((self.by_term[t] for t in terms if t in self.by_term), None)


_TERMS: dict[int, KindTerms] = {}


def kind_terms(analyzer) -> KindTerms:
    """The kind terms for ``analyzer`` (built once per analyzer)."""
    hit = _TERMS.get(id(analyzer))
    if hit is None:
        hit = _TERMS[id(analyzer)] = KindTerms(analyzer)
    return hit


def resolve_kind(value: str, analyzer) -> str | None:
    """A kind named by its code ("commitment") or one of its words ("toezeggingen")."""
    v = value.strip().lower()
    if v in KINDS:
        return v
    return kind_terms(analyzer).kind_of(t.text for t in analyzer.tokens(v, with_parts=False))


# -- build side --------------------------------------------------------------------------------
def section_spans(conn, document_id: str) -> dict[str, list[tuple[int, str]]]:
    """section id -> (start, kind) of the document's recorded statements and measures."""
    out: dict[str, list[tuple[int, str]]] = {}
    rows: list[Any] = list(conn.execute(
        "SELECT section_id, start, kind FROM statements WHERE document_id = ? AND kind IN (?, ?, ?)",
        (document_id, *KINDS[:3])))
    rows += [(r[0], r[1], "measure") for r in conn.execute(
        "SELECT section_id, start FROM measures WHERE document_id = ?", (document_id,))]
    for section_id, start, kind in rows:
        out.setdefault(section_id, []).append((int(start), kind))
    return out


def passage_kinds(spans: list[tuple[int, str]], char_start: int, char_end: int) -> Counter:
    """Kinds of the statements that start inside the passage ``[char_start, char_end)``."""
    return Counter(kind for start, kind in spans if char_start <= start < max(char_end, char_start + 1))


FINGERPRINT_QUERIES = (
    "SELECT section_id, start, kind FROM statements WHERE kind != 'other' ORDER BY section_id, start, kind",
    "SELECT section_id, start FROM measures ORDER BY section_id, start",
)
