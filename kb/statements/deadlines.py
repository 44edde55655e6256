"""Written deadlines ("voor de zomer van 2021", "uiterlijk januari 2019", "binnen drie maanden")
found in a sentence and normalised to a date range.

The words (seasons, moments of the parliamentary year, prepositions, positions, number words,
events) are data in ``kb/cues/deadlines.yaml``, the month names are shared Dutch-text data
(``nltext/data/months.tsv``); this module is the grammar that combines them:
``[preposition] [position] core``.  A core is a period (day, month, season, quarter, half year, year,
named moment) or a duration ("binnen drie maanden").  Periods without a year and relative ones
("dit najaar") are resolved against a reference date (the document's date or ``--date``); without
one, only the text and offsets are kept and the dates stay ``None``.  Written by hand: date
parsers such as dateparser read single dates, not Dutch deadline phrases with positions and
parliamentary moments ("voor Prinsjesdag 2007", "medio 2022").
"""
from __future__ import annotations

import calendar
import re
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import lru_cache
from pathlib import Path
from typing import Any

from kb.regex_prefilter import StartScan, lowered_or_none
from kb.statements.cues import CUES_DIR, read_yaml
from nltext.lexicon import MONTHS

DEADLINES_PATH = CUES_DIR / "deadlines.yaml"
_YEAR = r"(?:19|20)\d{2}"
_WEEKDAYS = {"maandag": 0, "dinsdag": 1, "woensdag": 2, "donderdag": 3, "vrijdag": 4, "zaterdag": 5, "zondag": 6}


@dataclass(frozen=True)
class TimeExpression:
    """A time expression in a sentence: a deadline, a repetition, a vague 'later', or a past date.

    ``past`` comes from the words only ("de brief van 7 maart", "op 24 april jl."): a deadline that lies
    before the reference date is still the deadline as written (its status is for ``kb.statements.status``).
    """

    text: str
    start: int
    end: int
    kind: str  # "deadline" | "event" (a deadline named by an event: "na afloop van de Raad") | "recurrence" | "vague" | "past"
    date_from: date | None = None
    date_to: date | None = None
    approximate: bool = False
    relative_to: str | None = None  # "documentdatum", or the event a duration counts from

    def to_json(self) -> dict[str, Any]:
        return {"text": self.text, "start": self.start, "end": self.end,
                "date_from": self.date_from.isoformat() if self.date_from else None,
                "date_to": self.date_to.isoformat() if self.date_to else None,
                "approximate": self.approximate, "relative_to": self.relative_to}


def _alt(words: list[str] | Any) -> str:
    forms = sorted({str(w).strip() for w in words if str(w).strip()}, key=len, reverse=True)
    return "|".join(r"\s+".join(re.escape(p) for p in f.split()) for f in forms)


def _md(s: str) -> tuple[int, int]:
    m, d = str(s).split("-")
    return int(m), int(d)


def _day(year: int, month: int, day: int) -> date:
    return date(year, month, min(day, calendar.monthrange(year, month)[1]))


def add_months(d: date, months: int) -> date:
    y, m = divmod(d.month - 1 + months, 12)
    return _day(d.year + y, m + 1, d.day)


@dataclass
class _Grammar:
    data: dict[str, Any]
    cores: list[tuple[str, re.Pattern[str]]]
    left: re.Pattern[str]
    past_before: re.Pattern[str]
    past_after: re.Pattern[str]
    vague: re.Pattern[str]
    recurrence: re.Pattern[str]
    prep_kind: dict[str, str]
    pos_kind: dict[str, str]
    rel_kind: dict[str, str]
    #: the cores, the vague and the recurring times, each tried only where a match can start
    scans: dict[re.Pattern[str], StartScan] = field(default_factory=dict)

    def scan(self, pattern: re.Pattern[str]) -> StartScan:
        found = self.scans.get(pattern)
        if found is None:
            found = self.scans[pattern] = StartScan(pattern)
        return found


@lru_cache(maxsize=2)
def grammar(path: Path = DEADLINES_PATH) -> _Grammar:
    data = read_yaml(path)
    data.setdefault("months", dict(MONTHS))  # one home for month names: nltext/data/months.tsv
    months = _alt(data["months"])
    full_months = _alt([m for m in data["months"] if len(m) > 3 or m == "mei"])
    seasons = _alt(data["seasons"])
    moments = _alt(data["moments"])
    ords = _alt(data["ordinals"])
    nums = _alt(data["numbers"])
    units = _alt(data["units"])
    weekdays = _alt(data["weekdays"])
    rel_kind = {w: k for k, ws in data["relative"].items() for w in ws}
    rel = _alt(rel_kind)
    event = rf"(?:de\s+|het\s+)?(?:{_alt(data['events'])})\b(?:\s+van\s+(?:de|het|dit|deze|die|mijn|uw)\s+[\w-]+)?"
    year_ref = rf"(?:(?P<y>{_YEAR})|(?P<ry>{rel}|dit|het)\s+jaar)"
    cores = [
        ("date", rf"(?:(?:{weekdays})\s+)?(?P<d>\d{{1,2}})\s+(?P<m>{months})\b\.?(?:\s+(?P<y>{_YEAR})\b)?"),
        ("numdate", rf"\b(?P<d>\d{{1,2}})-(?P<m>\d{{1,2}})-(?P<y>{_YEAR})\b"),
        ("quarter", rf"(?:het\s+)?(?P<o>{ords})\s+kwartaal\b(?:\s+(?:van\s+)?{year_ref})?"),
        ("quarter", rf"\bQ(?P<o>[1-4])\s*[-']?\s*(?P<y>{_YEAR})\b"),
        ("half", rf"(?:de|het)\s+(?P<o>eerste|tweede)\s+(?:helft|halfjaar|half\s+jaar)\b(?:\s+(?:van\s+)?{year_ref})?"),
        ("season", rf"(?:(?:de|het)\s+)?(?:(?P<rel>{rel})\s+)?(?P<s>{seasons})\b(?:\s+(?:van\s+)?{year_ref})?"),
        ("month", rf"(?:(?:de\s+)?maand\s+)?(?P<m>{full_months})\b(?:\s+(?P<y>{_YEAR})\b)?"),
        ("moment", rf"(?:(?:de|het)\s+)?(?:(?P<rel>{rel})\s+)?(?P<k>{moments})\b(?:\s+(?:van\s+)?(?P<y>{_YEAR})\b)?"),
        ("relyear", rf"(?P<ry>{rel}|het)\s+(?:kalender)?jaar\b"),
        ("year", rf"(?<![\d.,/])(?P<y>{_YEAR})(?![\d,/]|\.\d|\s*-\s*\d)"),
        ("duration", rf"\b(?P<pre>binnen|over|uiterlijk|ten laatste|na)\s+(?:(?P<n>{nums}|\d+)\s+)?(?:een\s+)?(?P<u>{units})\b"
                     rf"(?:\s+(?:na|vanaf|na afloop van|volgend op)\s+(?P<ev>{event}))?"),
        # an event instead of a date ("na afloop van de Europese Raad"); "de Raad van State" is no meeting
        ("event", rf"(?:de|het)\s+(?P<ev>(?P<council>{_alt(data.get('event_councils', []))})\b(?!\s+(?:voor\b|van\s+(?:{_alt(data.get('council_not_before', []))})\b))"
                  rf"|(?:{_alt(data.get('event_meetings', []))})\b"
                  rf"|(?:{_alt(data.get('event_processes', []))})\s+van\s+(?:de|het|dit|deze|die|mijn|uw|ons|onze)\s+[\w-]+)"),
        ("eventrel", rf"\b(?P<n>{nums}|\d+)\s+(?:of\s+(?:{nums}|\d+)\s+)?(?P<u>{units})\s+na\s+(?P<ev>{event})"),
    ]
    preps = {w: k for k, ws in data["prepositions"].items() for w in ws}
    poss = {w: k for k, ws in data["positions"].items() for w in ws}
    left = re.compile(rf"(?<!\w)(?:(?P<prep>{_alt(preps)})\s+)?(?:(?P<pos>{_alt(poss)})\s+)?$", re.IGNORECASE)
    return _Grammar(
        data=data,
        cores=[(k, re.compile(p, re.IGNORECASE)) for k, p in cores],
        left=left,
        past_before=re.compile(rf"(?<!\w)(?:{_alt(data['past_before'])})\s*$", re.IGNORECASE),
        past_after=re.compile(rf"^\s*(?:{_alt(data['past_after'])})(?!\w)", re.IGNORECASE),
        vague=re.compile(rf"(?<!\w)(?:{_alt(data['vague_future'])})(?!\w)", re.IGNORECASE),
        recurrence=re.compile(r"(?<!\w)(?:" + "|".join(sorted(data["recurrence"], key=len, reverse=True)) + r")(?!\w)",
                              re.IGNORECASE),
        prep_kind={k.lower(): v for k, v in preps.items()},
        pos_kind={k.lower(): v for k, v in poss.items()},
        rel_kind={k.lower(): v for k, v in rel_kind.items()},
    )


def _norm(s: str | None) -> str:
    return re.sub(r"\s+", " ", s or "").strip().lower()


class _Resolver:
    """Turns one core match into a period (start, end) given the reference date."""

    def __init__(self, g: _Grammar, ref: date | None) -> None:
        self.g, self.ref, self.approximate = g, ref, False

    def _year(self, m: re.Match[str]) -> int | None:
        gd = m.groupdict()
        if gd.get("y"):
            y = gd["y"]
            return int(y) if len(y) == 4 else 2000 + int(y)
        ry = _norm(gd.get("ry"))
        if ry and self.ref:
            kind = self.g.rel_kind.get(ry, "this")
            return self.ref.year + (0 if kind == "this" or ry in ("dit", "het") else 1)
        return None

    def _occurrence(self, span: tuple[tuple[int, int], tuple[int, int]], year: int) -> tuple[date, date]:
        (m1, d1), (m2, d2) = span
        return _day(year, m1, d1), _day(year if (m2, d2) >= (m1, d1) else year + 1, m2, d2)

    def _placed(self, span: tuple[tuple[int, int], tuple[int, int]], year: int | None, rel: str | None) -> tuple[date, date] | None:
        """A yearly recurring period in the given year, or the occurrence the relative word means."""
        if year is not None:
            return self._occurrence(span, year)
        if self.ref is None:
            return None
        kind = self.g.rel_kind.get(_norm(rel), "coming") if rel else "coming"
        options = [self._occurrence(span, self.ref.year + k) for k in (-1, 0, 1, 2)]
        if kind == "this":
            inside = [o for o in options if o[0] <= self.ref <= o[1]]
            return inside[0] if inside else self._occurrence(span, self.ref.year)
        if kind == "next":
            return next(o for o in options if o[0] > self.ref)
        return next(o for o in options if o[1] >= self.ref)

    def period(self, kind: str, m: re.Match[str]) -> tuple[date, date] | None:
        gd, g = m.groupdict(), self.g
        if kind in ("date", "numdate"):
            month = int(gd["m"]) if kind == "numdate" else g.data["months"][_norm(gd["m"]).rstrip(".")]
            day = int(gd["d"])
            year = self._year(m)
            if not 1 <= month <= 12 or not 1 <= day <= 31:
                return None
            placed = self._placed(((month, day), (month, day)), year, None)
            return placed
        if kind == "month":
            month = g.data["months"][_norm(gd["m"])]
            return self._placed(((month, 1), (month, 31)), self._year(m), None)
        if kind == "quarter":
            q = int(gd["o"]) if gd["o"].isdigit() else g.data["ordinals"][_norm(gd["o"])]
            year = self._year(m) or (self.ref.year if self.ref else None)
            return None if year is None else (date(year, 3 * q - 2, 1), _day(year, 3 * q, 31))
        if kind == "half":
            h = 1 if _norm(gd["o"]) == "eerste" else 2
            year = self._year(m) or (self.ref.year if self.ref else None)
            return None if year is None else (date(year, 6 * h - 5, 1), _day(year, 6 * h, 31))
        if kind == "season":
            a, b = g.data["seasons"][_norm(gd["s"])]
            return self._placed((_md(a), _md(b)), self._year(m), gd.get("rel"))
        if kind == "moment":
            spec = g.data["moments"][_norm(gd["k"])]
            self.approximate = bool(spec.get("approximate"))
            year = self._year(m)
            if "nth_weekday" in spec:
                nth = spec["nth_weekday"]
                def day_in(y: int) -> tuple[date, date]:
                    first = date(y, nth["month"], 1)
                    shift = (_WEEKDAYS[nth["weekday"]] - first.weekday()) % 7
                    d = first + timedelta(days=shift + 7 * (int(nth["n"]) - 1))
                    return d, d
                if year is not None:
                    return day_in(year)
                if self.ref is None:
                    return None
                return next(o for o in (day_in(self.ref.year + k) for k in (0, 1, 2)) if o[1] >= self.ref)
            a, b = spec["fixed"]
            return self._placed((_md(a), _md(b)), year, gd.get("rel"))
        if kind in ("relyear", "year"):
            year = self._year(m)
            return None if year is None else (date(year, 1, 1), date(year, 12, 31))
        return None

    def position(self, pos: str | None, kind: str, period: tuple[date, date]) -> tuple[date, date]:
        if not pos:
            return period
        which = self.g.pos_kind.get(_norm(pos))
        start, end = period
        if kind in ("year", "relyear"):
            a, b = self.g.data["year_positions"][which]
            return self._occurrence((_md(a), _md(b)), start.year)
        days = (end - start).days + 1
        third = max(days // 3, 1)
        if which == "begin":
            return start, start + timedelta(days=third - 1)
        if which == "medio":
            return start + timedelta(days=third), start + timedelta(days=2 * third - 1)
        return start + timedelta(days=2 * third), end


def _duration(g: _Grammar, m: re.Match[str]) -> tuple[int, int, bool]:
    """(months, days, approximate) of a duration match."""
    n_raw = _norm(m.group("n")) or "een"
    n = int(n_raw) if n_raw.isdigit() else int(g.data["numbers"].get(n_raw, 1))
    unit = g.data["units"][_norm(m.group("u"))]
    return n * int(unit.get("months", 0)), n * int(unit.get("days", 0)), n_raw in g.data["approximate_numbers"]


def find_time_expressions(text: str, ref: date | None = None) -> list[TimeExpression]:
    """Every time expression in ``text``, in order, with offsets into ``text``."""
    g = grammar()
    low = lowered_or_none(text)
    found: list[tuple[int, int, str, re.Match[str]]] = []
    for kind, rx in g.cores:
        for m in g.scan(rx).finditer(text, low):
            if m.end() > m.start():
                found.append((m.start(), m.end(), kind, m))
    found.sort(key=lambda t: (t[0], -(t[1] - t[0])))
    chosen: list[tuple[int, int, str, re.Match[str]]] = []
    for f in found:
        if chosen and f[0] < chosen[-1][1]:
            continue
        chosen.append(f)
    out: list[TimeExpression] = []
    for s, e, kind, m in chosen:
        res = _Resolver(g, ref)
        lm = g.left.search(text, max(0, s - 60), s)
        prep = pos = None
        start = s
        if lm and lm.group():
            prep, pos, start = lm.group("prep"), lm.group("pos"), lm.start()
        if kind == "year" and not (prep or pos):
            continue  # a bare year is a number ("Kamerstuk 2019"), not a time
        if kind == "relyear" and _norm(m.group("ry")) == "het" and not pos:
            continue  # "het jaar" is a time only in "voor het einde van het jaar"
        if kind == "duration" and prep:  # "binnen" is part of the core, not a preposition before it
            prep, start = None, s
        expr = text[start:e]
        before = text[max(0, start - 12):start]
        past = bool(g.past_before.search(before)) or bool(g.past_after.match(text[e:e + 14]))
        if kind == "event":
            if g.prep_kind.get(_norm(prep)) not in ("before", "after") or (m.group("council") and _norm(prep) == "voor"):
                continue  # "tijdens de behandeling van de wet", "bij de Raad", "de inzet voor de Raad": no time ahead
            out.append(TimeExpression(expr, start, e, "past" if past else "event", None, None, False, m.group("ev")))
            continue
        if kind in ("duration", "eventrel"):
            months, days, approx = _duration(g, m)
            event = m.group("ev")
            if event:
                out.append(TimeExpression(expr, start, e, "deadline", None, None, approx, event.strip()))
                continue
            pre = _norm(m.groupdict().get("pre"))
            if ref is None:
                out.append(TimeExpression(expr, start, e, "deadline", None, None, approx, "documentdatum"))
                continue
            later = add_months(ref, months) + timedelta(days=days)
            if pre == "over":
                out.append(TimeExpression(expr, start, e, "deadline", later, later, True, "documentdatum"))
            elif pre == "na":
                out.append(TimeExpression(expr, start, e, "deadline", later, None, approx, "documentdatum"))
            else:
                out.append(TimeExpression(expr, start, e, "deadline", ref, later, approx, "documentdatum"))
            continue
        period = res.period(kind, m)
        if period is None:
            out.append(TimeExpression(expr, start, e, "past" if past else "deadline", None, None, res.approximate,
                                      "documentdatum"))
            continue
        p0, p1 = res.position(pos, kind, period)
        how = g.prep_kind.get(_norm(prep), "in") if prep else "in"
        if how == "before" and pos and g.pos_kind.get(_norm(pos)) == "eind":
            how = "by"  # "voor het einde van het jaar": by the end, not before the last quarter
        if how == "before":
            d0, d1 = ref, p0 - timedelta(days=1)
        elif how == "by":
            d0, d1 = ref, p1
        elif how == "after":
            d0, d1 = p1 + timedelta(days=1), None
        elif how == "from":
            d0, d1 = p0, None
        else:
            d0, d1 = p0, p1
        if d0 is not None and d1 is not None and d0 > d1:
            d0 = None  # "voor 1 juli" said after 1 July: only the end is known
        relative = "documentdatum" if not m.groupdict().get("y") else None
        out.append(TimeExpression(expr, start, e, "past" if past else "deadline", d0, d1, res.approximate, relative))
    for rx, kind in ((g.recurrence, "recurrence"), (g.vague, "vague")):
        for m in g.scan(rx).finditer(text, low):
            if not any(t.start <= m.start() < t.end or m.start() <= t.start < m.end() for t in out):
                out.append(TimeExpression(m.group(), m.start(), m.end(), kind))
    return sorted(out, key=lambda t: t.start)


def has_future_time(text: str) -> bool:
    """Does the sentence name a time that lies ahead (a deadline, a repetition, 'zo spoedig mogelijk')?"""
    return any(t.kind != "past" for t in find_time_expressions(text))


def pick_deadline(expressions: list[TimeExpression], after: int = 0) -> TimeExpression | None:
    """The deadline of a commitment (a date or an event): the first one at or after the cue, else the first one."""
    deadlines = [t for t in expressions if t.kind in ("deadline", "event")]
    later = [t for t in deadlines if t.start >= after]
    return (later or deadlines or [None])[0]


def normalise(expression: str, ref: date | None = None) -> TimeExpression | None:
    """The one deadline written in ``expression`` (for tests and callers with a bare phrase)."""
    found = [t for t in find_time_expressions(expression, ref) if t.kind in ("deadline", "event", "past")]
    return max(found, key=lambda t: t.end - t.start) if found else None
