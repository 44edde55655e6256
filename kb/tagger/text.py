"""Small text helpers of the tagger components: the text core's keys and word lists, head nouns.

Folding, slugs, the acronym rule and the stop words come from :mod:`nltext` (one home for every
layer); the reviewed tagger word lists live in ``kb/patterns/*.yaml``.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Iterable

import yaml

from nltext import acronym_like, fold_key, is_stop  # noqa: F401 - the tagger's spelling of these
from nltext.fold import DASHES
from nltext.fold import slug as _slug
from nltext.lexicon import DETERMINERS, NAME_CONNECTORS  # noqa: F401

PATTERNS_DIR = Path(__file__).resolve().parent.parent / "patterns"

HYPHEN_TOKENS = frozenset(DASHES)

#: Heads that make a role rather than a name when one modifier precedes them ("Gedelegeerde Instantie",
#: "Management Autoriteit", "Nederlandse Universiteit"); a national adjective still makes a name
#: ("Europese Commissie", "Nationale Politie").
WEAK_HEADS = frozenset({"instantie", "autoriteit", "organisatie", "team", "commissie", "centrum", "kader",
                        "instrument", "plan", "aanpak", "project", "code", "register", "raad", "college", "dienst",
                        "bureau", "systeem", "service", "portaal", "database", "fonds", "programma", "agenda",
                        "strategie", "universiteit", "directie", "inspectie", "agentschap"})
NATIONAL_ADJECTIVES = frozenset({"nationaal", "nationale", "europees", "europese", "centraal", "centrale",
                                 "landelijk", "landelijke", "internationaal", "internationale", "koninklijke",
                                 "openbaar", "algemene", "hoge", "tweede", "eerste"})


#: A year or a period of years ("2015", "2014-2020"), which belongs to the name of an act or programme before it.
YEARISH = re.compile(r"^(?:19|20)\d{2}(?:[-\u2010-\u2015](?:19|20)\d{2})?$")


#: Case-insensitive matching key of one token: lower case, no accents, one kind of dash/apostrophe.
norm_token = fold_key


def slug(text: str, max_len: int = 80) -> str:
    """Slug for derived entity ids (:func:`nltext.fold.slug`; "x" for a name without letters or digits)."""
    return _slug(text, max_len) or "x"


def derived_id(label: str, name: str) -> str:
    """Stable id of an entity found by rule or definition rather than listed in the catalogue."""
    return f"{label.lower()}-{slug(name)}"


def is_all_caps(text: str) -> bool:
    letters = [c for c in text if c.isalpha()]
    return len(letters) >= 2 and all(c.isupper() for c in letters)


def is_capitalised(word: str) -> bool:
    return bool(word) and word[0].isupper() and any(c.islower() for c in word)


@lru_cache(maxsize=None)
def load_yaml(name: str) -> dict:
    path = PATTERNS_DIR / name
    return yaml.safe_load(path.read_text(encoding="utf-8")) or {}


def legal_codes() -> dict[str, str]:
    """Codes of regulations and the name each stands for ("Sr": "Wetboek van Strafrecht"), kb/patterns/legal.yaml."""
    return {str(k): str(v) for k, v in (load_yaml("legal.yaml").get("codes") or {}).items()}


def pattern_files() -> list[Path]:
    return sorted(p for p in PATTERNS_DIR.glob("*") if p.suffix in (".yaml", ".yml", ".jsonl", ".json"))


# -- head nouns -----------------------------------------------------------------------------------------

_MEMO_LIMIT = 200_000


@dataclass
class HeadLexicon:
    singular: dict[str, str] = field(default_factory=dict)  # head -> label
    plural: dict[str, str] = field(default_factory=dict)  # plural head -> label
    not_heads: frozenset[str] = frozenset()
    suffix_only: frozenset[str] = frozenset()
    _by_len: list[tuple[str, str]] = field(default_factory=list)
    _plural_by_len: list[tuple[str, str]] = field(default_factory=list)
    #: answers of word_class: the scan over every head is the tagger's costliest loop, and the
    #: capitalised words of a collection repeat ("Minister", "Kamer", "Wet" ...)
    _memo: dict[tuple[str, bool], str | None] = field(default_factory=dict, repr=False, compare=False)

    def __post_init__(self) -> None:
        self._by_len = sorted(self.singular.items(), key=lambda kv: -len(kv[0]))
        self._plural_by_len = sorted(self.plural.items(), key=lambda kv: -len(kv[0]))

    def word_class(self, word: str, *, plural: bool = False) -> str | None:
        """Label of a word whose end is a head noun ("Naturalisatiedienst" -> ORG); None otherwise."""
        key = (word, plural)
        memo = self._memo
        if key in memo:
            return memo[key]
        if len(memo) >= _MEMO_LIMIT:  # bounded whatever the collection's vocabulary
            memo.clear()
        label = memo[key] = self._word_class(word, plural)
        return label

    def _word_class(self, word: str, plural: bool) -> str | None:
        w = norm_token(word).strip("'\"‘’“”")
        if not w or w in self.not_heads:
            return None
        table = self._plural_by_len if plural else self._by_len
        for head, label in table:
            if w == head:
                if head in self.suffix_only or plural and self._singular_of(head) in self.suffix_only:
                    continue
                return label
            if w.endswith(head) and len(w) - len(head) >= 3:
                # "-" joins compounds too ("CT-strategie"); a bare suffix needs a real prefix
                return label
        return None

    def _singular_of(self, plural_head: str) -> str:
        for sing in self.singular:
            if plural_head.startswith(sing[:-2]) and plural_head in _plural_forms(sing):
                return sing
        return plural_head

    def is_plural_head(self, word: str) -> bool:
        return self.word_class(word, plural=True) is not None and self.word_class(word) is None

    def phrase_class(self, words: list[str]) -> str | None:
        """Label of a name from its head: the last word first, then the first ("Fonds voor ...")."""
        content = [w for w in words if w not in HYPHEN_TOKENS and w.lower() not in NAME_CONNECTORS]
        if not content:
            return None
        order = [content[-1]] + ([content[0]] if len(content) > 1 else []) + content[-2:0:-1]
        for word in order:  # last word, first word, then the middle from the right
            label = self.word_class(word)
            if label is not None:
                return label
        return None


def _plural_forms(head: str) -> set[str]:
    forms = {head + "en", head + "s", head + "'s"}
    m = re.match(r"^(.*?)(aa|ee|oo|uu)([^aeiou])$", head)
    if m:
        forms.add(m.group(1) + m.group(2)[0] + m.group(3) + "en")
    if re.search(r"[aeiou][^aeiou]$", head) and not re.search(r"[aeiou]{2}[^aeiou]$", head):
        forms.add(head + head[-1] + "en")
    if head.endswith("ie"):
        forms.add(head + "s")
    return forms


@lru_cache(maxsize=1)
def heads() -> HeadLexicon:
    data = load_yaml("heads.yaml")
    singular: dict[str, str] = {}
    plural: dict[str, str] = {}
    explicit = {k: v for k, v in (data.get("plurals") or {}).items()}
    for label in ("ORG", "LAW", "SYSTEM", "FUND", "PROGRAMME"):
        for head in data.get(label) or []:
            h = norm_token(head)
            singular[h] = label
            forms = _plural_forms(h)
            if h in explicit:
                forms = {norm_token(explicit[h])}
            for f in forms:
                plural.setdefault(f, label)
    return HeadLexicon(
        singular=singular,
        plural=plural,
        not_heads=frozenset(norm_token(w) for w in data.get("not_heads") or []),
        suffix_only=frozenset(norm_token(w) for w in data.get("suffix_only") or []),
    )


def inflections(word: str) -> list[str]:
    """Dutch plural / diminutive forms of the last word of a name (genitive 's is split off by the
    tokenizer and needs no variant).  Over-generation is harmless: a form that never occurs never matches."""
    w = word
    out: list[str] = []
    low = w.lower()
    if not re.search(r"[a-zà-ÿ]$", low):
        return out
    out += [w + "s", w + "en"]
    m = re.match(r"^(.*?)(aa|ee|oo|uu)([^aeiou])$", w)
    if m:
        out.append(m.group(1) + m.group(2)[0] + m.group(3) + "en")
    if re.search(r"[^aeiou][aeiou][bdfgklmnprst]$", low):
        out.append(w + w[-1] + "en")
    if low.endswith(("a", "o", "u", "i", "y")):
        out += [w + "'s"]
    if low.endswith("ie"):
        out.append(w + "ën")
    out += [w + "je", w + "tje"]
    return out


def unique(items: Iterable[str]) -> list[str]:
    seen: dict[str, None] = {}
    for it in items:
        seen.setdefault(it, None)
    return list(seen)
