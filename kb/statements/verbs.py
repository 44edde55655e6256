"""Is there a real action after a modal promise?  Verb heuristics without a parser.

"Ik zal de NVWA opdragen de controles te verscherpen" is a commitment although "opdragen" is in no
action list; "Ik zal u zeggen waarom" is not.  So a modal promise ("zal", "gaan") counts when its
clause holds a verb that is not one of the few non-committal ones (speech in the debate, travel,
states, opinions), rather than only when the verb is a listed action.  Without the spaCy Dutch
pipeline (optional here) a verb is told from a noun by its form and its left neighbour: an -en word
after a determiner, numeral or preposition is a noun ("de gemeenten"), elsewhere it is taken for an
infinitive ("het toezicht verder intensiveren").  The word lists are data in ``kb/cues/verbs.yaml``.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from kb.statements.actions import find_action
from kb.statements.cues import CUES_DIR, read_yaml
from nltext.lexicon import DETERMINERS

_WORD = re.compile(r"[^\W\d_]+(?:['’-][^\W\d_]+)*")


@dataclass(frozen=True)
class _Lexicon:
    non_committal: re.Pattern[str]
    clause_end: re.Pattern[str]
    not_verbs: frozenset[str]
    auxiliaries: frozenset[str]
    noun_markers: frozenset[str]
    strong_past: frozenset[str]
    fronted_non_committal: frozenset[str]


@lru_cache(maxsize=1)
def lexicon() -> _Lexicon:
    data = read_yaml(CUES_DIR / "verbs.yaml")
    groups = data["non_committal"]
    patterns = [p for g in groups.values() for p in g]
    low = lambda key: frozenset(str(w).lower() for w in data.get(key) or [])  # noqa: E731
    return _Lexicon(
        non_committal=re.compile("|".join(f"(?:{p})" for p in patterns), re.IGNORECASE),
        clause_end=re.compile(data["clause_end"], re.IGNORECASE),
        not_verbs=low("not_verbs"), auxiliaries=low("auxiliaries"), noun_markers=low("noun_markers") | DETERMINERS,
        strong_past=low("strong_past"), fronted_non_committal=low("fronted_non_committal"),
    )


def clause_end(text: str, after: int) -> int:
    """Where the clause that runs on at ``after`` ends (a comma or a subordinating conjunction)."""
    m = lexicon().clause_end.search(text, after)
    return m.start() if m else len(text)


def non_committal(span: str) -> re.Match[str] | None:
    """The non-committal verb ("zeggen", "afreizen", "eerlijk zijn") in a modal's clause, if any."""
    return lexicon().non_committal.search(span)


def infinitives(text: str, start: int = 0, end: int | None = None) -> list[re.Match[str]]:
    """Words of ``text[start:end]`` that read as infinitives: -en words that are no noun, auxiliary or particle."""
    lx = lexicon()
    words = list(_WORD.finditer(text, start, len(text) if end is None else end))
    low = [w.group().lower() for w in words]
    out = []
    for i, w in enumerate(low):
        prev, before = (low[i - 1] if i else ""), (low[i - 2] if i > 1 else "")
        if len(w) < 4 or not (w.endswith("en") or w in ("gaan", "staan", "slaan")):
            continue
        if w in lx.not_verbs or w in lx.auxiliaries or prev in lx.noun_markers:
            continue
        if prev.endswith("e") and before in lx.noun_markers:
            continue  # an inflected adjective before a noun: "de komende jaren", "de Europese onderhandelingen"
        out.append(words[i])
    return out


def main_verb(text: str, after: int) -> dict[str, object] | None:
    """The action of a modal promise whose verb is in no action list: the clause's infinitive
    ("Ik zal de NVWA opdragen de controles te verscherpen" -> opdragen: the first bare infinitive, a te-infinitive
    belongs to its object), as an action dict like ``find_action`` gives."""
    found = infinitives(text, after, clause_end(text, after))
    if not found:
        return None
    bare = [m for m in found if not re.search(r"\bte\s+$", text[max(0, m.start() - 4):m.start()], re.IGNORECASE)]
    m = (bare or found)[0]
    return {"lemma": m.group().lower(), "kind": "act", "text": m.group(), "start": m.start(), "end": m.end(),
            "about": [], "form": "inf"}


def promises_action(text: str, start: int, after: int) -> bool:
    """Does the modal promise matched at [start, after) carry a committal verb?

    Its clause (from the agent to the first clause boundary after the modal) must not hold a
    non-committal verb; then a listed action verb anywhere later, or any infinitive in the clause, will do.
    """
    span = text[start:clause_end(text, after)]
    if non_committal(span):
        return False
    if find_action(text, start) is not None:
        return True
    return bool(infinitives(text, after, clause_end(text, after)))


def is_past_form(word: str) -> bool:
    """A finite verb in the past tense (or a perfect auxiliary): "informeerde", "meldden", "ging", "heb"."""
    w = word.lower()
    lx = lexicon()
    # weak past: -de/-te (singular); in the plural only the unambiguous endings ("meldden", "informeerden"),
    # since "melden", "zenden" and "starten" are present forms
    return w in lx.strong_past or w.endswith(("de", "te", "dden", "eerden"))


def fronted_promise_verb(word: str) -> bool:
    """May ``word``, inverted after a fronted time ("Na de zomer <stuur> ik"), carry a promise?"""
    w = word.lower()
    lx = lexicon()
    return w not in lx.fronted_non_committal and not is_past_form(w)
