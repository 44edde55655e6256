"""Loading the reviewed cue file ``kb/cues/statements.yaml`` into compiled patterns.

The cue file holds the words; this module only compiles them.  Patterns may use macros
(``{GAP}``, ``{GOV}``, ``{ACTION_INF}`` ...): the generic ones are defined in the cue file itself,
the government agents come from ``kb/cues/actors.yaml`` and the action verbs from
``kb/cues/actions.yaml``, so each word list has one home.  Every cue carries a Dutch ``label``: users
see the label and the words it matched, never the cue id.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from kb.regex_prefilter import LiteralGate, Literals, StartScan, required_any, required_literals

CUES_DIR = Path(__file__).resolve().parent.parent / "cues"
CUES_PATH = CUES_DIR / "statements.yaml"
KINDS = ("commitment", "result", "problem", "other")
#: what a cue may require before it counts (kb/statements/classify.py applies them)
REQUIREMENTS = frozenset({"future_time", "future_date", "action", "verb", "fronted_time"})

try:  # libyaml when available: the CLI loads these files on every call
    _Loader: Any = yaml.CSafeLoader
except AttributeError:  # pragma: no cover - depends on the PyYAML build
    _Loader = yaml.SafeLoader


class CueError(ValueError):
    """The cue file is invalid; the message names the cue."""


@dataclass
class Cue:
    """One cue; its (large) patterns are compiled on first use, and only for sentences holding its anchor."""

    id: str
    kind: str
    patterns: list[str]
    weight: float = 1.0
    negatable: bool = True
    scope: str | None = None
    label: str = ""
    requires: tuple[str, ...] = ()
    group: str = ""
    anchor: re.Pattern[str] | None = None
    where: str = ""
    action: str = ""  # the action (lemma) when the sentence has no action verb: "er volgt een brief" -> sturen
    _compiled: list[re.Pattern[str]] | None = field(default=None, repr=False)
    _literals: Literals | None | bool = field(default=False, repr=False)  # False: not derived yet
    _scans: list[StartScan] | None = field(default=None, repr=False)
    _anchor_scan: StartScan | None = field(default=None, repr=False)

    @property
    def regexes(self) -> list[re.Pattern[str]]:
        if self._compiled is None:
            self._compiled = [_compile(p, self.where) for p in self.patterns]
        return self._compiled

    @property
    def scans(self) -> list[StartScan]:
        """The patterns, each tried only where a match can start (:class:`kb.regex_prefilter.StartScan`)."""
        if self._scans is None:
            self._scans = [StartScan(rx) for rx in self.regexes]
        return self._scans

    @property
    def regex(self) -> re.Pattern[str]:  # the first pattern (kept for callers of the one-pattern API)
        return self.regexes[0]

    @property
    def literals(self) -> Literals | None:
        """Strings of which any match holds one (``kb.regex_prefilter``): the anchor of cues without one."""
        if self._literals is False:
            lits = required_any(self.patterns)
            if lits is None and self.anchor is not None:
                lits = required_literals(self.anchor)
            self._literals = lits
        return self._literals  # type: ignore[return-value]

    def may_match(self, text: str, low: str | None = None) -> bool:
        """False when the sentence lacks the cue's anchor words, so the patterns need not run; ``low`` is
        :func:`kb.regex_prefilter.lowered_or_none` of the text, when the caller has it."""
        if self.anchor is None:
            return True
        scan = self._anchor_scan
        if scan is None or scan.pattern is not self.anchor:
            scan = self._anchor_scan = StartScan(self.anchor)
        return scan.search(text, low) is not None


@dataclass
class Veto:
    """A sentence-level reason why commitment cues do not count (a question, a member's request ...)."""

    id: str
    label: str
    regex: re.Pattern[str]
    scope: str = "sentence"  # "sentence" or "clause" (must share the clause of the cue)
    groups: tuple[str, ...] = ()  # cue groups it applies to; empty = every commitment cue
    agents: str = "any"  # "any", "first" (the cue's agent is ik/wij/we or absent) or "third" (anyone else)


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
    vetoes: list[Veto] = field(default_factory=list)
    references: re.Pattern[str] | None = None
    clause_break: re.Pattern[str] | None = None
    source: str = ""

    @property
    def gate(self) -> LiteralGate:
        """Which patterns may match a sentence, by their required literals (built on first use).
        Bits, in order: the cues, then the conditional and the concessive marker, then the vetoes
        (:meth:`gate_bit` names the markers' bits)."""
        gate = self.__dict__.get("_gate")
        if gate is None:
            gate = self.__dict__["_gate"] = LiteralGate(
                [c.literals for c in self.cues] + [required_literals(self.conditional), required_literals(self.concessive)]
                + [required_literals(v.regex) for v in self.vetoes])
        return gate

    def gate_bit(self, what: str) -> int:
        """The bit of ``"conditional"``, ``"concessive"`` or the first veto in :attr:`gate`'s mask."""
        return len(self.cues) + {"conditional": 0, "concessive": 1, "vetoes": 2}[what]

    def label(self, cue_id: str) -> str:
        """The Dutch label of a cue (empty for an unknown id)."""
        return next((c.label for c in self.cues if c.id == cue_id), "")


def _compile(pattern: str, where: str) -> re.Pattern[str]:
    try:
        return re.compile(pattern, re.IGNORECASE)
    except re.error as exc:
        raise CueError(f"{where}: invalid pattern {pattern!r}: {exc}") from exc


def read_yaml(path: Path) -> dict[str, Any]:
    """A reviewed data file as a dict (libyaml when available); errors name the file."""
    try:
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=_Loader)
    except yaml.YAMLError as exc:
        raise CueError(f"{path.name}: {exc}") from exc
    if not isinstance(data, dict):
        raise CueError(f"{path.name}: expected a mapping at the top level")
    return data


def _alternation(words: list[str]) -> str:
    """Literal word forms as one regex alternation, longest first, spaces matching any whitespace."""
    forms = sorted({w.strip() for w in words if w and w.strip()}, key=len, reverse=True)
    return "|".join(r"\s+".join(re.escape(p) for p in f.split()) for f in forms) or r"(?!x)x"


def shared_macros(cues_dir: Path = CUES_DIR) -> dict[str, str]:
    """Macros drawn from the actor and action files: {GOV}, {FIRST}, {ACTION_INF} ..."""
    actors = read_yaml(cues_dir / "actors.yaml")
    portfolio = actors["portfolio"]
    agents = [a["pattern"].replace("{PORTFOLIO}", portfolio) for a in actors["agents"]]
    first = _alternation(actors.get("first_person", []))
    named = "|".join(f"(?:{a})" for a in agents)
    actions = read_yaml(cues_dir / "actions.yaml")["actions"]
    pick = lambda key, kinds: _alternation([f for a in actions if a["kind"] in kinds for f in a.get(key) or []])  # noqa: E731
    return {
        "{PORTFOLIO}": portfolio,
        "{APPOSITION}": actors.get("apposition", r"(?!x)x"),
        "{GOV_NAMED}": f"(?:{named})",
        "{FIRST}": f"(?:{first})",
        "{GOV}": f"(?:{named}|{first})",
        "{PRON3}": f"(?:{_alternation(actors.get('pronouns', []))})",
        "{DELIVER_INF}": f"(?<!\\bhet )(?:{pick('inf', {'deliver'})})",
        "{DELIVER_PRES}": f"(?:{pick('pres', {'deliver'})})",
        "{DELIVER_PART}": f"(?:{pick('part', {'deliver'})})",
        # a nominalised infinitive ("het bevorderen van") is no verb
        "{ACTION_INF}": f"(?<!\\bhet )(?:{pick('inf', {'deliver', 'act'})})",
        "{ACTION_PART}": f"(?:{pick('part', {'deliver', 'act'})})",
        "{ACTION_PRES}": f"(?:{pick('pres', {'deliver', 'act'})})",
    }


def _expander(raw: dict[str, Any], cues_dir: Path):
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
    if (cues_dir / "actors.yaml").exists() and (cues_dir / "actions.yaml").exists():
        macros.update(shared_macros(cues_dir))
    # the cue file's own macros may use the shared ones (and earlier own ones)
    for name, value in (raw.get("macros") or {}).items():
        if isinstance(value, list):
            value = _alternation([str(v) for v in value])
        for k, v in macros.items():
            value = str(value).replace(k, v)
        macros["{" + name + "}"] = f"(?:{value})"

    def expand(p: str) -> str:
        for _ in range(3):  # macros inside macros
            for k, v in macros.items():
                p = p.replace(k, v)
        return p

    return expand


def load_cues(path: Path | None = None, *, strict: bool = True) -> CueSet:
    """The cue file compiled; ``strict=False`` defers compiling the cue patterns to their first use
    (start-up of the ``statements`` command), ``strict=True`` compiles all now and reports errors."""
    path = path or CUES_PATH
    raw = read_yaml(path)
    expand = _expander(raw, path.parent)
    cues, seen = [], set()
    for i, c in enumerate(raw.get("cues", [])):
        where = f"{path.name}: cue {c.get('id', i + 1)!r}" if isinstance(c, dict) else f"{path.name}: cue {i + 1}"
        if not isinstance(c, dict) or not c.get("id") or not (c.get("pattern") or c.get("patterns")):
            raise CueError(f"{where}: id and pattern are required")
        if c["id"] in seen:
            raise CueError(f"{where}: duplicate id")
        seen.add(c["id"])
        if c.get("kind") not in KINDS[:3]:
            raise CueError(f"{where}: kind must be one of {KINDS[:3]}")
        unknown = set(c.get("requires") or ()) - REQUIREMENTS
        if unknown:
            raise CueError(f"{where}: unknown requirement {sorted(unknown)}; known: {sorted(REQUIREMENTS)}")
        patterns = [expand(p) for p in c.get("patterns") or [c["pattern"]]]
        anchor = _compile(expand(c["anchor"]), f"{where} anchor") if c.get("anchor") else None
        cue = Cue(c["id"], c["kind"], patterns, float(c.get("weight", 1)), bool(c.get("negatable", True)),
                  c.get("scope"), str(c.get("label") or ""), tuple(c.get("requires") or ()), str(c.get("group") or ""),
                  anchor, where, str(c.get("action") or ""))
        if strict:
            cue.regexes  # noqa: B018  (compile now: report every invalid pattern when the file is checked)
        cues.append(cue)
    suppress = []
    for s in raw.get("suppress", []):
        if s["cue"] not in seen:
            raise CueError(f"{path.name}: suppress names unknown cue {s['cue']!r}")
        suppress.append((s["cue"], _compile(expand(s["pattern"]), f"suppress {s['cue']}")))
    vetoes = []
    for v in raw.get("vetoes", []):
        where = f"{path.name}: veto {v.get('id')!r}"
        if not v.get("id") or not v.get("pattern") or not v.get("label"):
            raise CueError(f"{where}: id, label and pattern are required")
        vetoes.append(Veto(v["id"], v["label"], _compile(expand(v["pattern"]), where), v.get("scope", "sentence"),
                           tuple(v.get("groups") or ()), v.get("agents", "any")))
    neg = raw.get("negation", {})
    cond = raw.get("conditional", {})
    conc = raw.get("concessive", {})
    refs = raw.get("references")
    return CueSet(
        cues=cues, suppress=suppress,
        negation=_compile(neg.get("pattern", r"\b(?:niet|geen)\b"), "negation"),
        not_negating=_compile(neg.get("not_negating", r"(?!x)x"), "not_negating"),
        flips=dict(neg.get("flips", {})),
        conditional=_compile(expand(cond.get("pattern", r"\b(?:indien|mits|tenzij)\b")), "conditional"),
        concessive=_compile(conc.get("pattern", r"\bondanks\b"), "concessive"),
        concessive_factor=float(conc.get("factor", 0.3)),
        conditional_not_after=_compile(cond["not_after"], "conditional.not_after") if cond.get("not_after") else None,
        vetoes=vetoes,
        references=_compile(expand(refs), "references") if refs else None,
        clause_break=_compile(expand(raw["clause_break"]), "clause_break") if raw.get("clause_break") else None,
        source=str(path),
    )


@lru_cache(maxsize=2)
def default_cues() -> CueSet:
    return load_cues(CUES_PATH, strict=False)
