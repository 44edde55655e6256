"""Statement classification: is a sentence a commitment, a result, a problem or other?

The cues are reviewed data in ``kb/cues/statements.yaml``; this module only applies them:

* every cue (regex) that matches adds its weight to its kind (once per cue id; cues inside a
  concessive clause, "Ondanks de tegenvallende productie, ...", count for less);
* the highest score wins, a tie goes to the cue that starts first;
* a negator in the clause of the winning cue flags the statement ``negated`` and, per the
  data file, flips it ("is nog niet afgerond": result -> problem; "geen vertraging": problem -> other);
* a conditional marker ("indien", "mits", "tenzij", "wanneer", clause-initial "als") flags it
  ``conditional``; a result cue inside the conditional clause does not count ("als de rechter
  een maatregel heeft opgelegd" is no achievement), nor does a weak commitment cue.

Every statement keeps its evidence: the cue id and the text it matched, offsets relative to the
sentence, plus the negator / condition that changed it.  Statement ids are stable:
``f"{section_id}/s{n}"`` with ``n`` the 1-based position of the sentence in the section (all
sentences are numbered, including those classified ``other``).
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any, Iterable

import yaml

from kb.sentences import block_spans, split_sentences

CUES_PATH = Path(__file__).resolve().parent / "cues" / "statements.yaml"
KINDS = ("commitment", "result", "problem", "other")
_CLAUSE_DELIM = re.compile(r"[,;:()\u2013\u2014]|\s-\s")


class CueError(ValueError):
    """The cue file is invalid; the message names the cue."""


@dataclass
class Cue:
    id: str
    kind: str
    regex: re.Pattern[str]
    weight: float = 1.0
    negatable: bool = True
    scope: str | None = None


@dataclass
class CueSet:
    cues: list[Cue]
    suppress: list[tuple[str, re.Pattern[str]]]
    negation: re.Pattern[str]
    not_negating: re.Pattern[str]
    flips: dict[str, str]
    conditional: re.Pattern[str]
    concessive: re.Pattern[str]
    concessive_factor: float
    conditional_not_after: re.Pattern[str] | None = None
    source: str = ""


def _compile(pattern: str, where: str) -> re.Pattern[str]:
    try:
        return re.compile(pattern, re.IGNORECASE)
    except re.error as exc:
        raise CueError(f"{where}: invalid pattern {pattern!r}: {exc}") from exc


def load_cues(path: Path | None = None) -> CueSet:
    path = path or CUES_PATH
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    gap = raw.get("gap", "[^.;!?]{0,80}?")
    stop = "|".join(re.escape(w) for w in raw.get("participle_stoplist", []))
    participles = sorted(set(raw.get("result_participles", [])), key=len, reverse=True)
    macros = {
        "{GAP}": gap,
        "{GAP_V}": raw.get("gap_v", gap),
        "{GAP_C}": raw.get("gap_c", gap),
        "{RESULT_PARTICIPLE}": "|".join(re.escape(p) for p in participles),
        "{PARTICIPLE}": (
            (f"(?!(?:{stop})\\b)" if stop else "")
            + r"(?:(?:aan|af|in|op|uit|vast|voor|door|over|mee|toe|terug|weg|bij|na|om|samen|tegen|neer|los|vrij)?"
            r"ge[a-zëïéè]{3,}(?:d|t|en))"
        ),
    }

    def expand(p: str) -> str:
        for k, v in macros.items():
            p = p.replace(k, v)
        return p

    cues, seen = [], set()
    for i, c in enumerate(raw.get("cues", [])):
        where = f"{path.name}: cue {c.get('id', i + 1)!r}"
        if not isinstance(c, dict) or not c.get("id") or not c.get("pattern"):
            raise CueError(f"{where}: id and pattern are required")
        if c["id"] in seen:
            raise CueError(f"{where}: duplicate id")
        seen.add(c["id"])
        if c.get("kind") not in KINDS[:3]:
            raise CueError(f"{where}: kind must be one of {KINDS[:3]}")
        cues.append(Cue(c["id"], c["kind"], _compile(expand(c["pattern"]), where), float(c.get("weight", 1)),
                        bool(c.get("negatable", True)), c.get("scope")))
    suppress = []
    for s in raw.get("suppress", []):
        if s["cue"] not in seen:
            raise CueError(f"{path.name}: suppress names unknown cue {s['cue']!r}")
        suppress.append((s["cue"], _compile(expand(s["pattern"]), f"suppress {s['cue']}")))
    neg = raw.get("negation", {})
    cond = raw.get("conditional", {})
    conc = raw.get("concessive", {})
    return CueSet(
        cues=cues, suppress=suppress,
        negation=_compile(neg.get("pattern", r"\b(?:niet|geen)\b"), "negation"),
        not_negating=_compile(neg.get("not_negating", r"(?!x)x"), "not_negating"),
        flips=dict(neg.get("flips", {})),
        conditional=_compile(cond.get("pattern", r"\b(?:indien|mits|tenzij)\b"), "conditional"),
        concessive=_compile(conc.get("pattern", r"\bondanks\b"), "concessive"),
        concessive_factor=float(conc.get("factor", 0.3)),
        conditional_not_after=_compile(cond["not_after"], "conditional.not_after") if cond.get("not_after") else None,
        source=str(path),
    )


@lru_cache(maxsize=2)
def default_cues() -> CueSet:
    return load_cues(CUES_PATH)


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


def _clause(text: str, start: int, end: int) -> tuple[int, int]:
    """The clause around [start, end): from the delimiter before to the delimiter after."""
    left = 0
    for m in _CLAUSE_DELIM.finditer(text, 0, start):
        left = m.end()
    m = _CLAUSE_DELIM.search(text, end)
    return left, (m.start() if m else len(text))


def _regions(pattern: re.Pattern[str], text: str, *, extend_to: int | None = None,
             not_after: re.Pattern[str] | None = None) -> list[tuple[int, int, str]]:
    """Marker-to-end-of-clause regions (or marker-to-``extend_to`` for concessives)."""
    out = []
    for m in pattern.finditer(text):
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


def classify_sentence(text: str, *, block_kind: str | None = None, cues: CueSet | None = None) -> Classification:
    """Classify one sentence; ``block_kind`` ("list_item", ...) enables scoped cues."""
    cs = cues or default_cues()
    suppressed = {cid for cid, rx in cs.suppress if rx.search(text)}
    hits: list[tuple[Cue, re.Match[str]]] = []
    for cue in cs.cues:
        if cue.id in suppressed:
            continue
        if cue.scope == "list_item":
            if block_kind != "list_item":
                continue
            m = cue.regex.match(text)
            if m and text[:1].isupper():
                hits.append((cue, m))
            continue
        for m in cue.regex.finditer(text):
            hits.append((cue, m))
    conditionals = _regions(cs.conditional, text, not_after=cs.conditional_not_after)
    # concessive region: from "Ondanks/Hoewel" to the last comma before the last cue
    last_cue = max((m.start() for _c, m in hits), default=0)
    commas = [m.start() for m in re.finditer(",", text) if m.start() < last_cue]
    concessives = _regions(cs.concessive, text, extend_to=commas[-1] if commas else None)

    scores: dict[str, float] = {}
    best: dict[str, tuple[Cue, re.Match[str], float]] = {}
    for cue, m in hits:
        inside_cond = next((r for r in conditionals if r[0] <= m.start() < r[1]), None)
        if inside_cond and (cue.kind == "result" or (cue.kind == "commitment" and cue.weight < 2)):
            continue
        w = cue.weight
        if any(r[0] <= m.start() < r[1] for r in concessives):
            w *= cs.concessive_factor
        key = cue.id
        if key not in best or w > best[key][2]:
            best[key] = (cue, m, w)
    for cue, m, w in best.values():
        scores[cue.kind] = scores.get(cue.kind, 0.0) + w
    conditional = bool(conditionals)
    evidence: dict[str, Any] = {"cues": sorted(best)}
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
    ev_cue = {"id": cue.id, "text": m.group(), "start": m.start(), "end": m.end()}
    # Negation: a negator in the cue's clause flags the statement; it flips the kind only when the
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


def statements_for_section(section: Any, document_id: str | None = None, *, cues: CueSet | None = None) -> list[dict[str, Any]]:
    """Statement rows for every sentence of a section (``Section`` or store row dict)."""
    get = (lambda k: section[k]) if isinstance(section, dict) else (lambda k: getattr(section, k))
    sid = get("id")
    text = get("text")
    doc_id = document_id or get("document_id")
    rows = []
    n = 0
    for start, end, kind in block_spans(text, get("blocks")):
        for sp in split_sentences(text[start:end], base=start):
            n += 1
            c = classify_sentence(sp.text, block_kind=kind, cues=cues)
            rows.append({
                "id": f"{sid}/s{n}", "section_id": sid, "document_id": doc_id, "start": sp.start, "end": sp.end,
                "kind": c.kind, "cue": c.cue, "negated": int(c.negated), "conditional": int(c.conditional),
                "evidence": c.evidence, "text": sp.text,
            })
    return rows


def extract_statements(doc: Any, *, cues: CueSet | None = None) -> list[dict[str, Any]]:
    """Statement rows of every section of a :class:`corpus.model.Document`."""
    out: list[dict[str, Any]] = []
    for sec in doc.sections:
        out.extend(statements_for_section(sec, doc.id, cues=cues))
    return out


def cue_json(row: dict[str, Any]) -> str:
    """What goes in the ``statements.cue`` column: the deciding cue plus negation/condition evidence."""
    payload = dict(row.get("cue") or {})
    ev = row.get("evidence") or {}
    for key in ("negation", "condition", "flipped_from", "cues"):
        if key in ev:
            payload[key] = ev[key]
    return json.dumps(payload, ensure_ascii=False, sort_keys=True) if payload else ""


def kinds_summary(rows: Iterable[dict[str, Any]]) -> dict[str, int]:
    out = {k: 0 for k in KINDS}
    for r in rows:
        out[r["kind"]] += 1
    return out
