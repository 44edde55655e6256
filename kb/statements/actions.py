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

_RECIPIENT = re.compile(r"\b(?:(?:aan|naar|met)\s+)?(?:uw|de|beide|deze|die)\s+(?:eerste\s+|tweede\s+)?kamers?\b"
                        r"|\b(?:(?:aan|naar|met)\s+)?(?:u|haar|hem|hen)\b|\bin afschrift\b|\bschriftelijk\b"
                        r"|\bnaar aanleiding van\b[^,]*,?", re.IGNORECASE)
#: words that are no part of an object: adverbs, auxiliaries, pronoun subjects, negators
_FILLER = re.compile(r"\b(?:om|te|ook|nog|wel|dan|daarom|dus|graag|zeker|verder|nader|tevens|eerst|apart|jaarlijks|"
                     r"regelmatig|zullen|zal|kan|kunnen|wordt|worden|wil|willen|ga|gaat|gaan|laat|laten|verwacht|verwachten|"
                     r"ben|is|zijn|bereid|voornemens|daarbij|hierover|daarover|hier|daar|zo spoedig mogelijk|zo snel mogelijk|"
                     r"op korte termijn|binnenkort|toe|dat|uitgebreid|expliciet|niet|geen|ik|wij|we|hij|zij|zich|mij|ons|"
                     r"naar verwachting|volgens planning|zorgvuldig|daartoe|hiertoe|er|daarnaast|bovendien|voorts|tot slot|"
                     r"serieus|netjes|vooraf|nauwlettend|actief|spoedig|stevig|breed)\b", re.IGNORECASE)
_PREPOSITION = re.compile(r"(?:in|op|over|voor|met|bij|na|tijdens|aan|van|naar|door|uit|onder|tot|om|tegen|zonder|zoals|net|"
                          r"voorafgaand(?:e)?|conform|namens|volgens|rond|vanaf|per)$", re.IGNORECASE)
_DANGLING = re.compile(r"(?:\s+(?:van|de|het|een|aan|met|in|op|voor|over|en|of|door|bij|zoals|als))+$", re.IGNORECASE)
_DET = re.compile(r"\b(?:de|het|een|deze|dit|die|zijn|haar|hun|mijn|onze|ons|uw|alle)\b", re.IGNORECASE)
#: where an object phrase ends (a clause boundary, a relative clause, a coordinated verb phrase)
_CLAUSE_END = re.compile(r"[,;:\u2013\u2014]|\s-\s|\.\s|\.$|\ben\s+(?:te|zal|zullen|ik|wij|we|daarna|vervolgens|tevens|ook)\b"
                         r"|\bwaarin\b|\bzodat\b|\bomdat\b|\bzodra\b|\bwanneer\b|\bnadat\b|\bvoordat\b")
#: a topic also ends at a relative clause or a coordinated verb phrase ("... en de Kamer daarover te berichten")
_TOPIC_END = re.compile(_CLAUSE_END.pattern + r"|\bdie\b|\ben\b(?=(?:\s+\S+){0,6}?\s+te\s+\w+en\b)")
#: where a fronted phrase ends: the finite verb of the main clause
_FINITE = re.compile(r"\b(?:zal|zullen|kan|kunnen|wordt|worden|wil|willen|ga|gaat|gaan|verwacht|verwachten|is|zijn|ben|"
                     r"heb|heeft|hebben|laat|laten|neem|neemt|kom|komt|stuur|stuurt|informeer|informeert|deel|deelt)\b", re.IGNORECASE)


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


def lemma_info(lemma: str) -> tuple[str, list[str]]:
    """(kind, about-prepositions) of an action lemma; an unlisted lemma is an act without prepositions."""
    f = _forms()[1].get(lemma.lower())
    return (f.kind, list(f.about)) if f else ("act", [])


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
    return {"lemma": f.lemma, "kind": f.kind, "text": m.group(), "start": m.start(), "end": m.end(), "about": list(f.about),
            "form": f.form}


def _blank(chunk: str, rx: re.Pattern[str]) -> str:
    return rx.sub(lambda m: " " * len(m.group()), chunk)


def noun_phrase(sentence: str, a: int, b: int, skip: list[tuple[int, int]]) -> tuple[int, int] | None:
    """The noun phrase in [a, b) once recipients, time expressions, agents and filler words are blanked out.

    Blanked words split the chunk into pieces; the first piece that is (or, after a leading
    prepositional phrase, contains) a noun phrase wins: "voorafgaande aan de Raad de definitieve
    versie" -> "de definitieve versie"; a piece that is only a prepositional phrase is no object.
    """
    if b <= a:
        return None
    chunk = sentence[a:b]
    for s, e in skip:
        if s < b and a < e:
            lo, hi = max(s, a) - a, min(e, b) - a
            chunk = chunk[:lo] + " " * (hi - lo) + chunk[hi:]
    chunk = _blank(_blank(chunk, _RECIPIENT), _FILLER)
    for piece in re.finditer(r"\S(?:.*?\S)?(?=\s{3,}|\s*$)", chunk):
        start, end = piece.start(), piece.end()
        first = re.match(r"[^\s,()]+", chunk[start:end])
        if first and _PREPOSITION.match(first.group()):
            later = [m for m in _DET.finditer(chunk, start, end)
                     if not _PREPOSITION.match((re.findall(r"[^\s,()]+", chunk[start:m.start()]) or [""])[-1])]
            if not later:
                continue
            start = later[0].start()
        text = sentence[a + start:a + end].strip(" ,(.;:")
        text = _DANGLING.sub("", text)  # "een brief van de" once the agent is blanked out
        if len(text) >= 3:
            return a + start, a + start + len(text)
    return None


def _topic(sentence: str, action: dict[str, Any], skip: list[tuple[int, int]]) -> dict[str, Any] | None:
    """The action's prepositional phrase: "informeren over X", "ingaan op X", "onderzoeken of X"."""
    abouts = action.get("about") or []
    if not abouts:
        return None
    m = re.match(rf"\s+(?:(?:\w+\s+){{0,3}}?)((?:{'|'.join(re.escape(p) for p in abouts)})\b)", sentence[action["end"]:],
                 re.IGNORECASE)
    if not m:
        return None
    s = action["end"] + m.start(1)
    end_m = _TOPIC_END.search(sentence, action["end"] + m.end(1))
    e = end_m.start() if end_m else len(sentence)
    e = min([e] + [ts for ts, _te in skip if s < ts < e])  # a deadline after the topic is no part of it
    text = re.sub(r"(?:\s+(?:en|of|en wel|maar))+\s*$", "", sentence[s:e].rstrip(" .;:,"))
    return {"text": text, "start": s, "end": s + len(text)} if len(text) > 3 else None


def find_object(sentence: str, action: dict[str, Any] | None, cue: tuple[int, int],
                skip: list[tuple[int, int]] | None = None) -> tuple[dict[str, Any] | None, dict[str, Any] | None]:
    """(object, topic) of the action.

    The object is the noun phrase the action takes: between the promise and a verb-final action
    ("toe het wetsvoorstel te evalueren"), or fronted before the finite verb ("De beleidsreactie wordt
    ... gezonden", "Deze brief kan ik ... verzenden").  The topic is the action's prepositional phrase.
    ``skip`` are spans to leave out (time expressions, the agent).
    """
    if action is None:
        return None, None
    skip = skip or []
    topic = _topic(sentence, action, skip)
    cue_start, cue_end = cue
    if action.get("form") == "pres":
        # a present-tense verb comes second: its object follows it ("Ik stuur uw Kamer ... een kabinetsreactie")
        end_m = _CLAUSE_END.search(sentence, action["end"])
        span = noun_phrase(sentence, action["end"], end_m.start() if end_m else len(sentence), skip)
        if span:
            obj = {"text": sentence[span[0]:span[1]], "start": span[0], "end": span[1]}
            return (obj if not (topic and obj["start"] >= topic["start"]) else topic), topic
    a = cue_end if cue_end <= action["start"] else cue_start
    # the clause the action is in
    starts = [m.end() for m in _CLAUSE_END.finditer(sentence, a, action["start"])]
    a = max([a] + starts)
    span = noun_phrase(sentence, a, action["start"], skip)
    if span is None:
        # fronted: the sentence's first phrase, up to the finite verb ("De overige vragen zal ik beantwoorden")
        breaks = [m.end() for m in re.finditer(r"[;:]|\s[\u2013\u2014-]\s", sentence[: min(cue_start, action["start"])])]
        a0 = breaks[-1] if breaks else 0
        fin = next((m for m in _FINITE.finditer(sentence, a0, action["start"]) if m.start() <= min(cue_start, action["start"])),
                   None)
        front = sentence[a0:fin.start()] if fin else ""
        lead = re.match(r"\s*(\w+)", front)
        if lead and topic is None and lead.group(1).lower() in (action.get("about") or []):
            # "Over de uitkomsten ... informeer ik u": the fronted phrase is the topic
            e = a0 + len(front.rstrip(" ,"))
            topic = {"text": sentence[a0 + lead.start(1):e], "start": a0 + lead.start(1), "end": e}
        elif fin and not (lead and _PREPOSITION.match(lead.group(1))):
            span = noun_phrase(sentence, a0, fin.start(), skip)
    obj = {"text": sentence[span[0]:span[1]], "start": span[0], "end": span[1]} if span else None
    if obj and topic and (obj["start"] >= topic["start"] or not _DET.match(obj["text"])):
        obj = None  # a remnant of a prepositional phrase; the topic says it better
    return obj or topic, topic
