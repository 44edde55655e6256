"""Statement classification: is a sentence a commitment, a result, a problem or other?

The cues are reviewed data in ``kb/cues/statements.yaml``; this module only applies them:

* every cue (regex) that matches adds its weight to its kind (once per cue id; cues inside a
  concessive clause, "Ondanks de tegenvallende productie, ...", count for less);
* a commitment cue counts only when no veto fires (a question, a member's request or motion, a
  refusal, a denial "heeft nooit toegezegd", a member speaking, a letter that delivers now), when it
  is not part of a reference to an earlier promise ("zoals toegezegd"), and when its requirements
  hold: a future time (``kb.statements.deadlines``), a committal verb after a modal ("zal", "gaan":
  any verb but the non-committal ones, ``kb.statements.verbs``), or a fronted time before an
  inverted verb ("Na afloop van de Raad informeer ik ...");
* the highest score wins, a tie goes to the cue that starts first;
* a negator in the clause of the winning cue flags the statement ``negated`` and, per the
  data file, flips it ("is nog niet afgerond": result -> problem; "geen vertraging": problem -> other);
  a negated commitment stays a commitment, flagged ("Ik zal de regeling niet verlengen");
* a conditional marker ("indien", "mits", "tenzij", "zodra", clause-initial "als") flags it
  ``conditional``; a result cue inside the conditional clause does not count ("als de rechter
  een maatregel heeft opgelegd" is no achievement), nor does a weak commitment cue.

Every statement keeps its evidence: the cue id (internal), its Dutch label and the words it
matched, offsets relative to the sentence, the agent the cue names, plus the negator / condition
that changed it and the vetoes that silenced commitment cues.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from kb.regex_prefilter import StartScan, lowered_or_none
from kb.statements.cues import Cue, CueSet, Veto, default_cues

_CLAUSE_DELIM = re.compile(r"[,;:()\u2013\u2014]|\s-\s")
_FIRST_PERSON = {"ik", "wij", "we"}


@dataclass
class Classification:
    kind: str
    cue: dict[str, Any] | None = None
    negated: bool = False
    conditional: bool = False
    evidence: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {"kind": self.kind, "cue": self.cue, "negated": int(self.negated),
                "conditional": int(self.conditional), "evidence": self.evidence}


def _clause(text: str, start: int, end: int, delim: re.Pattern[str] = _CLAUSE_DELIM) -> tuple[int, int]:
    """The clause around [start, end): from the delimiter before to the delimiter after."""
    left = 0
    for m in delim.finditer(text, 0, start):
        left = m.end()
    m = delim.search(text, end)
    return left, (m.start() if m else len(text))


def _regions(pattern: re.Pattern[str], text: str, *, extend_to: int | None = None,
             not_after: re.Pattern[str] | None = None, low: str | None = None) -> list[tuple[int, int, str]]:
    """Marker-to-end-of-clause regions (or marker-to-``extend_to`` for concessives); ``low`` as for
    :meth:`kb.regex_prefilter.StartScan.finditer`."""
    out = []
    for m in _scan(pattern).finditer(text, low):
        if not_after is not None and m.group().strip().lower() == "als":
            c0, _c1 = _clause(text, m.start(), m.end())
            if not_after.search(text, c0, m.start()):
                continue
        if extend_to is not None and extend_to > m.end():
            end = extend_to
        else:
            nxt = _CLAUSE_DELIM.search(text, m.end())
            end = nxt.start() if nxt else len(text)
        out.append((m.start(), end, m.group().strip()))
    return out


_SCANS: dict[re.Pattern[str], StartScan] = {}


def _scan(pattern: re.Pattern[str]) -> StartScan:
    """The marker pattern tried only where a marker can start (built once per pattern)."""
    scan = _SCANS.get(pattern)
    if scan is None:
        scan = _SCANS[pattern] = StartScan(pattern)
    return scan


def _agent(m: re.Match[str]) -> tuple[str, int, int] | None:
    if "agent" in m.re.groupindex and m.group("agent"):
        return m.group("agent"), m.start("agent"), m.end("agent")
    return None


class _Vetoes:
    """The vetoes that fire in one sentence, and whether one silences a given commitment cue."""

    def __init__(self, cs: CueSet, text: str, may: int = -1) -> None:
        self.text = text
        self.may = may >> cs.gate_bit("vetoes")  # bit i: veto i may fire (its required words occur)
        self.clause_break = cs.clause_break or _CLAUSE_DELIM
        self.cs = cs
        self._hits: list[tuple[Veto, re.Match[str]]] | None = None
        self._references: list[tuple[int, int]] | None = None

    # found on first use: most sentences have no commitment cue and never ask
    @property
    def hits(self) -> list[tuple[Veto, re.Match[str]]]:
        if self._hits is None:
            self._hits = [(v, m) for i, v in enumerate(self.cs.vetoes) if (self.may >> i) & 1
                          for m in v.regex.finditer(self.text)]
        return self._hits

    @property
    def references(self) -> list[tuple[int, int]]:
        if self._references is None:
            rx = self.cs.references
            self._references = [(m.start(), m.end()) for m in rx.finditer(self.text)] if rx else []
        return self._references

    def silencing(self, cue: Cue, m: re.Match[str]) -> Veto | None:
        agent = _agent(m)
        first = agent is None or agent[0].lower() in _FIRST_PERSON
        c0, c1 = None, None
        for veto, vm in self.hits:
            if veto.groups and cue.group not in veto.groups:
                continue
            if (veto.agents == "first" and not first) or (veto.agents == "third" and first):
                continue
            if agent is not None and vm.start() == agent[1]:
                continue  # the veto's words start with the agent: "De minister zal de Inspectie vragen
            if veto.scope == "clause":
                if c0 is None:
                    c0, c1 = _clause(self.text, m.start(), m.end(), self.clause_break)
                    c0, c1 = min(c0, m.start()), max(c1, m.end())
                if not (c0 <= vm.start() < c1):
                    continue
            return veto
        return None

    def in_reference(self, m: re.Match[str]) -> bool:
        return any(a < m.end() and m.start() < b for a, b in self.references)


def _future_times(text: str, cache: dict[str, Any]) -> list[Any]:
    if "times" not in cache:
        from kb.statements.deadlines import find_time_expressions

        cache["times"] = find_time_expressions(text)
    return cache["times"]


def _requirements_met(cue: Cue, text: str, m: re.Match[str], cache: dict[str, Any]) -> bool:
    """A cue's ``requires``: future_time (any time ahead, a repetition included), future_date (a time
    ahead that is no repetition nor an event), action (an action verb after the cue's start: a promise is to do something),
    verb (any verb but a non-committal one in the cue's clause: "Ik zal de NVWA opdragen ..." yes, "Ik zal u
    zeggen ..." no), fronted_time (the cue's group ``front`` holds a time ahead and its group ``verb`` may
    promise: "Na afloop van de Raad informeer ik ...")."""
    for need in cue.requires:
        if need in ("future_time", "future_date"):
            # an event ("na ontvangst van de aanvraag") also sets the steps of a procedure: no date of its own
            kinds = {"deadline", "vague"} | ({"recurrence", "event"} if need == "future_time" else set())
            if not any(t.kind in kinds for t in _future_times(text, cache)):
                return False
        elif need == "action":
            from kb.statements.actions import find_action

            if find_action(text, m.start()) is None:
                return False
        elif need == "verb":
            from kb.statements.verbs import promises_action

            if not promises_action(text, m.start(), m.end()):
                return False
        elif need == "fronted_time":
            from kb.statements.verbs import fronted_promise_verb

            f0, f1 = m.span("front")
            if not fronted_promise_verb(m.group("verb")):
                return False
            if not any(t.kind in ("deadline", "event", "vague") and f0 <= t.start < f1 for t in _future_times(text, cache)):
                return False
    return True


def _suppressions(cs: CueSet) -> dict[str, list[StartScan]]:
    """The suppression patterns of each cue id (grouped once per cue set)."""
    by_cue = cs.__dict__.get("_suppress_by_cue")
    if by_cue is None:
        by_cue = {}
        for cid, rx in cs.suppress:
            by_cue.setdefault(cid, []).append(StartScan(rx))
        cs.__dict__["_suppress_by_cue"] = by_cue
    return by_cue


def classify_sentence(text: str, *, block_kind: str | None = None, cues: CueSet | None = None) -> Classification:
    """Classify one sentence; ``block_kind`` ("list_item", ...) enables scoped cues."""
    cs = cues or default_cues()
    # most sentences hold the required words of few cues (and markers, vetoes): the others are skipped unrun
    low = lowered_or_none(text)
    may = cs.gate.mask(low)
    vetoes = _Vetoes(cs, text, may)
    cache: dict[str, Any] = {}
    silenced: dict[str, str] = {}
    hits: list[tuple[Cue, re.Match[str]]] = []
    suppressions = _suppressions(cs)
    anchors: dict[re.Pattern[str], bool] = {}
    cues = cs.cues
    rest = may & ((1 << len(cues)) - 1)
    while rest:  # the cues whose bit is set, in file order (a sentence sets few of them)
        bit = rest & -rest
        rest ^= bit
        cue = cues[bit.bit_length() - 1]
        # a cue's suppressions are only looked for when its anchor is in the sentence
        anchor = cue.anchor  # several cues share an anchor ("levert", "informeert-kamer"): looked for once
        if anchor is not None:
            present = anchors.get(anchor)
            if present is None:
                present = anchors[anchor] = cue.may_match(text, low)
            if not present:
                continue
        if cue.id in suppressions and any(sc.search(text, low) for sc in suppressions[cue.id]):
            continue
        if cue.scope == "list_item":
            if block_kind != "list_item":
                continue
            m = cue.regex.match(text)
            if m and text[:1].isupper():
                hits.append((cue, m))
            continue
        for scan in cue.scans:  # each pattern tried only where one of its opening words occurs
            for m in scan.finditer(text, low):
                if cue.kind == "commitment":
                    if vetoes.in_reference(m):
                        continue
                    veto = vetoes.silencing(cue, m)
                    if veto is not None:
                        silenced.setdefault(veto.id, veto.label)
                        continue
                    if not _requirements_met(cue, text, m, cache):
                        continue
                hits.append((cue, m))
    conditionals = (_regions(cs.conditional, text, not_after=cs.conditional_not_after, low=low)
                    if (may >> cs.gate_bit("conditional")) & 1 else [])
    # concessive region: from "Ondanks/Hoewel" to the last comma before the last cue
    concessives = []
    if (may >> cs.gate_bit("concessive")) & 1:
        last_cue = max((m.start() for _c, m in hits), default=0)
        commas = [m.start() for m in re.finditer(",", text) if m.start() < last_cue]
        concessives = _regions(cs.concessive, text, extend_to=commas[-1] if commas else None, low=low)

    best: dict[str, tuple[Cue, re.Match[str], float]] = {}
    for cue, m in hits:
        inside_cond = next((r for r in conditionals if r[0] <= m.start() < r[1]), None)
        if inside_cond and (cue.kind == "result" or (cue.kind == "commitment" and cue.weight < 2)):
            continue
        w = cue.weight
        if any(r[0] <= m.start() < r[1] for r in concessives):
            w *= cs.concessive_factor
        if cue.id not in best or w > best[cue.id][2]:
            best[cue.id] = (cue, m, w)
    scores: dict[str, float] = {}
    for cue, m, w in best.values():
        scores[cue.kind] = scores.get(cue.kind, 0.0) + w
    conditional = bool(conditionals)
    evidence: dict[str, Any] = {"cues": sorted(best)}
    if silenced:
        evidence["vetoes"] = [{"id": k, "label": v} for k, v in sorted(silenced.items())]
    if conditionals:
        evidence["condition"] = {"text": conditionals[0][2], "start": conditionals[0][0]}
    if not scores:
        return Classification("other", None, False, conditional, evidence)
    top = max(scores.values())
    winners = [(m.start(), cue.id, cue, m) for cue, m, w in best.values() if scores[cue.kind] == top]
    winners.sort(key=lambda t: (t[0], -best[t[1]][2]))
    _s, _id, cue, m = winners[0]
    # strongest cue of the winning kind is the evidence; position breaks ties
    same_kind = [(best[i][2], -best[i][1].start(), i) for i in best if best[i][0].kind == cue.kind]
    same_kind.sort(reverse=True)
    cue, m, _w = best[same_kind[0][2]]
    kind = cue.kind
    ev_cue: dict[str, Any] = {"id": cue.id, "label": cue.label, "text": m.group(), "start": m.start(), "end": m.end()}
    if cue.action:
        ev_cue["action"] = cue.action
    agent = _agent(m)
    if agent is not None:
        ev_cue["agent"] = {"text": agent[0], "start": agent[1], "end": agent[2]}
    # Negation: a negator in the clause of the cue flags the statement; it flips the kind only when the
    # cue is negatable (in "niet van de grond gekomen" the negation is the cue's own meaning).
    negated = False
    c0, c1 = _clause(text, m.start(), m.end())
    c0, c1 = min(c0, m.start()), max(c1, m.end())
    allowed = [(x.start(), x.end()) for x in cs.not_negating.finditer(text)]
    for neg in cs.negation.finditer(text, c0, c1):
        if any(a <= neg.start() < b for a, b in allowed):
            continue
        negated = True
        evidence["negation"] = {"text": neg.group(), "start": neg.start()}
        break
    if negated and cue.negatable and kind in cs.flips:
        evidence["flipped_from"] = kind
        kind = cs.flips[kind]
    return Classification(kind, ev_cue, negated, conditional, evidence)
