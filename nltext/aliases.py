"""Names and their aliases: one matching key, and longest-match detection in short texts.

Case rules follow :mod:`nltext.acronyms`: a form that is an acronym (``is_acronym``) or listed
as case-sensitive matches only with its exact capitals ("IND" but not "ind"); every other form
matches case-, accent-, dash- and hyphen-spacing-insensitively ("Immigratie - en
Naturalisatiedienst" == "immigratie- en naturalisatiedienst").

* :func:`form_key` — the key of a surface form in either mode (the tagger's entity index and
  the catalogue's alias check);
* :class:`AliasMatcher` — non-overlapping longest matches of known forms in a text (search
  queries, titles), on tokens of letters and digits.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Iterable

from .acronyms import is_acronym
from .fold import DASHES, alias_key, fold

CASE_SENSITIVE, CASE_INSENSITIVE = "cs", "ci"
#: Forms with more tokens than this are not matched (no real name is that long).
MAX_ALIAS_TOKENS = 12

_DASH_SPACING = re.compile(r"\s*[" + re.escape(DASHES) + r"]\s*")
_SPACES = re.compile(r"\s+")
_TOKEN_RE = re.compile(r"[^\W_]+(?:[&+][^\W_]*)*")


def form_mode(form: str, case_sensitive: Iterable[str] = ()) -> str:
    """``"cs"`` for a form matched as written (acronyms, listed forms), else ``"ci"``."""
    return CASE_SENSITIVE if is_acronym(form) or form in case_sensitive else CASE_INSENSITIVE


def form_key(form: str, mode: str) -> str:
    """Matching key of a surface form: exact (up to spacing and dashes) or folded."""
    if mode == CASE_SENSITIVE:
        return "CS:" + _DASH_SPACING.sub("-", _SPACES.sub(" ", form.strip()))
    return alias_key(form)


@dataclass
class Match:
    entity_id: str
    start: int  # token index
    end: int  # token index, exclusive
    char_start: int
    char_end: int
    surface: str


def tokenize(text: str) -> list[tuple[str, str, int, int]]:
    """(original, folded, start, end) word tokens."""
    return [(m.group(), fold(m.group()), m.start(), m.end()) for m in _TOKEN_RE.finditer(text)]


class AliasMatcher:
    """Longest-match detection of entity names and aliases (dicts with id, name, aliases,
    case_sensitive).  Cost: at most ``max_len`` dictionary lookups per token."""

    def __init__(self, entities: Iterable[dict[str, Any]]) -> None:
        self.entities: dict[str, dict[str, Any]] = {}
        self._forms: dict[tuple[str, ...], list[tuple[str, tuple[str, ...] | None]]] = {}
        self.max_len = 1
        for ent in entities:
            self.entities[ent["id"]] = ent
            cs_forms = set(ent.get("case_sensitive") or [])
            forms = [ent["name"], *(ent.get("aliases") or [])]
            for form in dict.fromkeys(f for f in forms if f and f.strip()):
                toks = tokenize(form)
                if not toks or len(toks) > MAX_ALIAS_TOKENS:
                    continue
                key = tuple(t[1] for t in toks)
                exact = tuple(t[0] for t in toks) if form_mode(form, cs_forms) == CASE_SENSITIVE else None
                self._forms.setdefault(key, []).append((ent["id"], exact))
                self.max_len = max(self.max_len, len(key))

    def __len__(self) -> int:
        return len(self.entities)

    def find(self, text: str) -> list[Match]:
        """Non-overlapping longest matches, left to right."""
        toks = tokenize(text)
        out: list[Match] = []
        i = 0
        n = len(toks)
        while i < n:
            hit = None
            for L in range(min(self.max_len, n - i), 0, -1):
                key = tuple(t[1] for t in toks[i:i + L])
                cands = self._forms.get(key)
                if not cands:
                    continue
                orig = tuple(t[0] for t in toks[i:i + L])
                for eid, exact in cands:
                    if exact is None or exact == orig:
                        hit = (eid, L)
                        break
                if hit:
                    break
            if hit:
                eid, L = hit
                cs, ce = toks[i][2], toks[i + L - 1][3]
                out.append(Match(eid, i, i + L, cs, ce, text[cs:ce]))
                i += L
            else:
                i += 1
        return out

    def resolve(self, value: str) -> str | None:
        """An entity id for an id, name or alias (filters such as ``entiteit:IND``)."""
        v = value.strip()
        if v in self.entities:
            return v
        low = v.lower()
        if low in self.entities:
            return low
        matches = self.find(v)
        if len(matches) == 1 and matches[0].end - matches[0].start == len(tokenize(v)):
            return matches[0].entity_id
        # lenient: case-insensitive match on an acronym when nothing else fits
        key = tuple(t[1] for t in tokenize(v))
        cands = self._forms.get(key)
        if cands:
            return cands[0][0]
        return None
