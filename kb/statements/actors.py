"""Who commits: the agent a commitment cue names, or the document's sender for "ik"/"wij".

The agents and the ways a document names its sender are data in ``kb/cues/actors.yaml`` (the
same file feeds the ``{GOV}`` macro of the cue file).  An actor is a small dict so it can be stored
as JSON and shown as is::

    {"text": "De minister van Infrastructuur en Milieu", "start": 0, "end": 40, "role": "minister",
     "label": "minister van Infrastructuur en Milieu", "portfolio": "Infrastructuur en Milieu",
     "resolved_from": "tekst", "entity": "ienm"}

``resolved_from`` says where the actor came from: ``tekst`` (named in the sentence), ``afzender``
(the first person or a passive, resolved to the document's sender), or ``None`` when the sentence
says "ik" and the document does not say who that is.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from kb.statements.cues import CUES_DIR, read_yaml


@dataclass(frozen=True)
class _Agents:
    roles: list[tuple[str, str, re.Pattern[str]]]  # (role, label, full-match pattern)
    portfolio: re.Pattern[str]
    first_person: frozenset[str]
    pronouns: frozenset[str]
    senders: list[re.Pattern[str]]


@lru_cache(maxsize=1)
def agents() -> _Agents:
    data = read_yaml(CUES_DIR / "actors.yaml")
    portfolio = data["portfolio"]
    roles = [(a["role"], a["label"], re.compile(a["pattern"].replace("{PORTFOLIO}", portfolio), re.IGNORECASE))
             for a in data["agents"]]
    return _Agents(roles, re.compile(portfolio, re.IGNORECASE), frozenset(data.get("first_person", [])),
                   frozenset(data.get("pronouns", [])), [re.compile(p) for p in data.get("sender_patterns", [])])


def _tidy(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip(" ,")


def _lower_title(text: str) -> str:
    """ "Minister-President van X" -> "minister-president van X": the title in lower case, the portfolio as written."""
    m = re.match(r"[\w-]+", text)
    return text[: m.end()].lower() + text[m.end():] if m else text


@lru_cache(maxsize=1)
def _agent_finder() -> re.Pattern[str]:
    from kb.statements.cues import shared_macros

    gov = shared_macros()["{GOV}"]
    # an agent is a subject: not right after a preposition ("naar aanleiding van vragen van de leden")
    return re.compile(rf"(?<![\w-])(?<!van )(?<!aan )(?<!met )(?<!door )(?<!bij )(?<!namens )(?<!voor )(?<!naar )"
                      rf"(?<!op )(?<!over )(?<!tot )(?<!om )({gov})(?![\w-])", re.IGNORECASE)


def find_agent(sentence: str, cue_start: int, cue_end: int) -> dict[str, Any] | None:
    """The government agent nearest before the cue (its subject), else the first one inside or after it.

    For cues that name no agent themselves: "Het kabinet is voornemens", "Wij streven ernaar".
    """
    found = [m for m in _agent_finder().finditer(sentence)]
    before = [m for m in found if m.end() <= cue_start]
    after = [m for m in found if m.start() >= cue_start]
    m = before[-1] if before else (after[0] if after else None)
    return {"text": m.group(1), "start": m.start(1), "end": m.end(1)} if m else None


def describe(text: str) -> dict[str, Any]:
    """Role, label and portfolio of a government agent as written ("De Minister van SZW")."""
    spec = agents()
    plain = _tidy(text)
    low = plain.lower()
    if low in spec.first_person:
        return {"role": "afzender", "label": plain, "portfolio": None}
    if low in spec.pronouns:
        return {"role": "onbekend", "label": plain, "portfolio": None}
    for role, label, rx in spec.roles:
        m = rx.match(plain)
        if m and m.end() == len(plain):
            pm = spec.portfolio.search(plain)
            portfolio = re.sub(r"^(?:van|voor)\s+", "", pm.group(), flags=re.IGNORECASE) if pm else None
            shown = re.sub(r"^(?:de|het|mijn|ons|dit)\s+", "", plain, flags=re.IGNORECASE)
            return {"role": role, "label": _lower_title(shown) if role != "land" else label, "portfolio": portfolio}
    return {"role": "onbekend", "label": plain, "portfolio": None}


def find_sender(text: str) -> str | None:
    """The sender a document names: a signature line or a Kamerstuk header, the last one wins."""
    found = None
    for rx in agents().senders:
        for m in rx.finditer(text):
            found = m
    return _tidy(found.group("sender")) if found else None


def sender_actor(sender: str | None, ministry: str | None = None) -> dict[str, Any] | None:
    """The actor "ik"/"wij" stands for: the named sender, else the ministry the document comes from."""
    if sender:
        d = describe(sender)
        return {"text": None, "start": None, "end": None, **d, "label": _lower_title(sender) if d["role"] != "land"
                else d["label"], "resolved_from": "afzender", "entity": None}
    if ministry:
        pm = agents().portfolio.search(ministry)
        portfolio = re.sub(r"^(?:van|voor)\s+", "", pm.group(), flags=re.IGNORECASE) if pm else None
        return {"text": None, "start": None, "end": None, "role": "ministerie", "label": ministry[:1].lower() + ministry[1:],
                "portfolio": portfolio, "resolved_from": "afzender", "entity": None}
    return None


def resolve_actor(agent: dict[str, Any] | None, sender: dict[str, Any] | None, *, base: int = 0,
                  mentions: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    """The actor of a commitment from the cue's agent (offsets relative to the sentence) and the sender.

    The first person and agentless (passive) commitments resolve to the sender; an organisation
    mention overlapping the agent (the tagger's "Justitie en Veiligheid") becomes the actor's entity.
    """
    if agent is not None:
        d = describe(agent["text"])
        entity = next((m.get("kb_id") for m in mentions or [] if m.get("kb_id") and m.get("label") == "ORG"
                       and m["start"] < agent["end"] and agent["start"] < m["end"]), None)
        actor = {"text": agent["text"], "start": base + agent["start"], "end": base + agent["end"], **d,
                 "resolved_from": "tekst", "entity": entity}
        if d["role"] in ("afzender", "onbekend") and sender is not None:
            actor.update({k: sender[k] for k in ("role", "label", "portfolio", "entity")}, resolved_from="afzender")
        elif d["role"] == "afzender":
            actor["resolved_from"] = None
        return actor
    if sender is not None:
        return dict(sender)
    return {"text": None, "start": None, "end": None, "role": "afzender", "label": None, "portfolio": None,
            "resolved_from": None, "entity": None}
