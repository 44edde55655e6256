"""The details of one commitment: who (actor), what (action and object), by when (deadline), and
which entities are involved.

Offsets in the result index the text the caller passed (``base`` is the sentence's offset in it),
so the API can mark them.  The stored form (``statements.details``) is the same dict.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import Any

from kb.statements.actions import find_action, find_object, lemma_info, noun_phrase
from kb.statements.actors import find_agent, find_sender, resolve_actor, sender_actor
from kb.statements.classify import Classification
from kb.statements.deadlines import find_time_expressions, pick_deadline
from kb.statements.verbs import clause_end, main_verb


_RECEIVE = re.compile(r"\b(?:er|komt|komen|volgt|volgen|verschijnt|ontvangt|ontvangen|krijgt|krijgen|tegemoet\w*|zien|kan|"
                      r"kunnen|hierover|daarover|nog|ook|volgens planning|net als in voorgaande jaren)\b", re.IGNORECASE)


@dataclass
class DocumentContext:
    """What a commitment's details need from its document: the sender and the date deadlines count from."""

    sender: dict[str, Any] | None = None
    ref: date | None = None

    @classmethod
    def of_text(cls, text: str, ref: date | None = None) -> "DocumentContext":
        return cls(sender_actor(find_sender(text)), ref)

    @classmethod
    def of_document(cls, doc: Any) -> "DocumentContext":
        """Sender from the last signature/header in the document, else its ``ministry``; the date it states."""
        text = "\n\n".join(s.text for s in getattr(doc, "sections", []) or [])
        sender = find_sender(text)
        meta = getattr(doc, "metadata", None) or {}
        ref = _date(getattr(doc, "date", None) or meta.get("date") or meta.get("datum"))
        return cls(sender_actor(sender, getattr(doc, "ministry", None) or meta.get("ministry")), ref)


def _date(value: Any) -> date | None:
    if isinstance(value, date):
        return value
    if isinstance(value, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", value.strip()):
        return date.fromisoformat(value.strip())
    return None


def commitment_details(sentence: str, c: Classification, context: DocumentContext | None = None, *,
                       base: int = 0, mentions: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    """Actor, action, object, topic, deadline, recurrence and entities of a sentence classified as a commitment.

    ``mentions`` are entity mentions with offsets relative to the sentence.
    """
    context = context or DocumentContext()
    cue = c.cue or {}
    cue_start, cue_end = int(cue.get("start", 0)), int(cue.get("end", 0))
    agent = cue.get("agent") or find_agent(sentence, cue_start, cue_end)
    actor = resolve_actor(agent, context.sender, base=base, mentions=mentions)
    times = find_time_expressions(sentence, context.ref)
    # the promised content follows the promise ("heeft op 7 juli toegezegd om voor de kerst ...");
    # in a passive the deadline sits inside the cue ("Uw Kamer wordt uiterlijk januari 2019 geïnformeerd")
    deadline = pick_deadline(times, after=cue_end)
    recurrence = next((t for t in times if t.kind == "recurrence"), None)
    action = find_action(sentence, cue_end) or find_action(sentence, cue_start)
    if action is None and not cue.get("action"):
        # a promise with a verb in no action list: "Ik zal de NVWA opdragen ..." -> opdragen
        action = main_verb(sentence, cue_end)
    # time expressions and the agent are no part of an object ("jaarlijkse" is: "de jaarlijkse rapportage")
    skip = [(t.start, t.end) for t in times if t.kind != "recurrence"] + ([(agent["start"], agent["end"])] if agent else [])
    obj, topic = find_object(sentence, action, (cue_start, cue_end), skip)
    if cue.get("action") and (action is None or action["start"] > cue_end + 40 or action["start"] >= clause_end(sentence, cue_end)):
        # the cue itself says what: "er komt een brief", "ontvangt u ... een brief" (sturen), "kom terug op"
        kind, about = lemma_info(cue["action"])
        action = {"lemma": cue["action"], "text": cue.get("text", ""), "kind": kind, "start": cue_start, "end": cue_end,
                  "about": about}
        obj, topic = find_object(sentence, action, (cue_start, cue_end), skip)
        if obj is None and cue["action"] == "sturen":
            # what the Kamer receives: the phrase after the verb ("er komt een brief van ...", "ontvangt u ... een brief")
            verbs = [(m.start(), m.end()) for m in _RECEIVE.finditer(sentence)]
            span = noun_phrase(sentence, cue_start, len(sentence), skip + verbs)
            obj = {"text": sentence[span[0]:span[1]], "start": span[0], "end": span[1]} if span else None

    def shifted(d: dict[str, Any] | None, keys: tuple[str, ...]) -> dict[str, Any] | None:
        if d is None:
            return None
        return {k: d[k] for k in keys} | {"start": d["start"] + base, "end": d["end"] + base}

    dl = deadline.to_json() if deadline else None
    if dl:
        dl["start"] += base
        dl["end"] += base
    return {
        "actor": actor,
        "action": shifted(action, ("lemma", "text", "kind")),
        "object": shifted(obj, ("text",)),
        "topic": shifted(topic, ("text",)),
        "deadline": dl,
        "recurrence": recurrence.text if recurrence else None,
        "entities": sorted({m["kb_id"] for m in mentions or [] if m.get("kb_id")}),
    }
