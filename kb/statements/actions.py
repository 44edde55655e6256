"""What a commitment promises: the action verb (informeren, sturen, evalueren ...) and its object.

The verbs and their forms are data in ``kb/cues/actions.yaml``.  Without a parser (the spaCy
Dutch pipeline is optional) the object is read from the word order of the two usual shapes:

* the action with its preposition: "informeren over X", "ingaan op X", "onderzoeken of X" -> X;
* the noun phrase in front of a verb-final infinitive or participle: "toe het wetsvoorstel te
  evalueren", "De beleidsreactie wordt ... gezonden" -> the noun phrase, without the Kamer as
  recipient, time expressions and adverbs.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from kb.statements.cues import CUES_DIR, read_yaml

_DETERMINER = re.compile(r"\b(?:de|het|een|deze|dit|die|mijn|zijn|haar|hun|onze|ons|uw|alle|nieuwe|[A-Z][\w-]+)\b")
_RECIPIENT = re.compile(r"\b(?:aan|naar|met)?\s*(?:uw|de|beide|deze|die)\s+(?:eerste\s+|tweede\s+)?kamers?\b|\b(?:u|haar|hem|hen)\b"
                        r"|\bin afschrift\b|\bschriftelijk\b", re.IGNORECASE)
_FILLER = re.compile(r"\b(?:om|te|ook|nog|wel|dan|daarom|dus|graag|zeker|verder|nader|tevens|eerst|apart|jaarlijks|"
                     r"regelmatig|zullen|zal|kunnen|worden|gaan|laten|daarbij|hierover|daarover|hier|daar|zo spoedig mogelijk|"
                     r"zo snel mogelijk|op korte termijn|binnenkort|toe|dat|uitgebreid|expliciet|dit|dat)\b", re.IGNORECASE)
_CLAUSE_END = re.compile(r"[,;:()\u2013\u2014]|\s-\s|\.\s|\.$|\ben\s+(?:te|de|het|zal|zullen|ik|wij|we)\b|\bdie\b|\bwaarin\b|\bzodat\b"
                         r"|\bomdat\b|\bzodra\b|\bwanneer\b|\bnadat\b")


@dataclass(frozen=True)
class _Form:
    lemma: str
    kind: str
    about: tuple[str, ...]
    form: str  # "inf" | "pres" | "part"


@lru_cache(maxsize=1)
def _forms() -> tuple[re.Pattern[str], dict[str, _Form]]:
    table: dict[str, _Form] = {}
    for a in read_yaml(CUES_DIR / "actions.yaml")["actions"]:
        for key in ("inf", "part", "pres"):
            for f in a.get(key) or []:
                table.setdefault(re.sub(r"\s+", " ", f.lower()), _Form(a["lemma"], a["kind"], tuple(a.get("about") or ()), key))
    alt = "|".join(r"\s+".join(re.escape(w) for w in f.split()) for f in sorted(table, key=len, reverse=True))
    return re.compile(rf"(?<![\w-])(?:{alt})(?![\w-])", re.IGNORECASE), table


def find_action(sentence: str, after: int = 0) -> dict[str, Any] | None:
    """The first action verb at or after ``after``: a "te"-infinitive or participle wins over a present form."""
    rx, table = _forms()
    found = []
    for m in rx.finditer(sentence, after):
        f = table[re.sub(r"\s+", " ", m.group().lower())]
        found.append((m, f))
    if not found:
        return None
    # a verb-final infinitive/participle carries the promise; a present form only when nothing else is there
    strong = [(m, f) for m, f in found if f.form in ("inf", "part")]
    m, f = (strong or found)[0]
    return {"lemma": f.lemma, "kind": f.kind, "text": m.group(), "start": m.start(), "end": m.end(), "about": list(f.about)}


def _trim(sentence: str, a: int, b: int, skip: list[tuple[int, int]]) -> tuple[int, int] | None:
    """Shrink [a, b) to a noun phrase: no recipient, time expression or filler words at either edge."""
    chunk = sentence[a:b]
    for s, e in skip:  # blank out time expressions inside
        if a <= s < b:
            chunk = chunk[: s - a] + " " * (min(e, b) - s) + chunk[min(e, b) - a:]
    chunk = _RECIPIENT.sub(lambda m: " " * len(m.group()), chunk)
    chunk = _FILLER.sub(lambda m: " " * len(m.group()), chunk)
    m = _DETERMINER.search(chunk)
    if not m:
        words = [w for w in re.finditer(r"\S+", chunk)]
        if not words:
            return None
        start = words[0].start()
    else:
        start = m.start()
    end = len(chunk.rstrip(" ,"))
    if end <= start:
        return None
    # cut at a wide gap (a blanked-out recipient or filler between two phrases keeps the first one)
    gap = re.search(r"\S(\s{4,})\S", chunk[start:end])
    if gap:
        end = start + gap.start(1)
    text = sentence[a + start:a + end].strip(" ,")
    return (a + start, a + start + len(text)) if len(text) >= 3 else None


def find_object(sentence: str, action: dict[str, Any] | None, cue_end: int,
                skip: list[tuple[int, int]] | None = None) -> dict[str, Any] | None:
    """The object of the action: its prepositional phrase, else the noun phrase before it."""
    if action is None:
        return None
    skip = skip or []
    rest = sentence[action["end"]:]
    abouts = action.get("about") or []
    if abouts:
        m = re.match(rf"\s+(?:(?:\w+\s+){{0,3}}?)((?:{'|'.join(re.escape(p) for p in abouts)})\b)", rest, re.IGNORECASE)
        if m:
            s = action["end"] + m.start(1)
            end_m = _CLAUSE_END.search(sentence, action["end"] + m.end(1))
            e = end_m.start() if end_m else len(sentence)
            text = sentence[s:e].rstrip(" .")
            if len(text) > 3:
                return {"text": text, "start": s, "end": s + len(text)}
    # noun phrase between the cue and the verb (verb-final clause)
    a = cue_end
    if a >= action["start"]:
        # passive or V2 shape: the subject at the start of the sentence ("De beleidsreactie wordt ...")
        a = 0
        aux = re.search(r"\b(?:wordt|worden|zal|zullen)\b", sentence[: action["start"]])
        b = aux.start() if aux else action["start"]
    else:
        b = action["start"]
        starts = [m.end() for m in _CLAUSE_END.finditer(sentence, a, b)]
        if starts:
            a = starts[-1]
    span = _trim(sentence, a, b, skip)
    if span is None:
        return None
    return {"text": sentence[span[0]:span[1]], "start": span[0], "end": span[1]}
