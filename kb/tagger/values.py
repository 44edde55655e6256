"""Recognition and normalisation of amounts, percentages and dates in Dutch policy text.

Normalised ``value`` strings (stored with the mention; kb_id is the label in lower case:
"money", "percent", "date"):

MONEY    "EUR <amount>" with the amount as a plain number: "€ 1 miljoen" -> "EUR 1000000",
         "€ 20 mld." -> "EUR 20000000000", "circa 23 miljoen euro" -> "EUR 23000000",
         "€ 1,5 miljoen" -> "EUR 1500000".  A bare "19 miljoen" / "100 mln" is only MONEY when the
         sentence is about money (euro, budget, bedrag, middelen, ...) and no counted noun follows
         ("1,4 mln hashcodes" is not money).
PERCENT  the number with a decimal point: "67,5%" -> "67.5", "20 procent" -> "20".
DATE     ISO 8601 where possible, TIMEX3-style otherwise:
         "1 mei 2021" -> "2021-05-01"; "17 maart" (no year) -> "XXXX-03-17"; "maart 2020" -> "2020-03";
         "Q4 2020" / "4e kwartaal 2020" -> "2020-Q4"; "tweede helft van 2020" -> "2020-H2";
         "najaar 2020" -> "2020-FA" (SP, SU, FA, WI); "begin 2020" -> "2020~START",
         "medio 2021" -> "2021~MID", "eind 2021" -> "2021~END"; "2021-2027" -> "2021/2027";
         "19-20 september 2018" -> "2018-09-19/2018-09-20"; "24.12.2008" -> "2008-12-24";
         a year after a temporal preposition ("in 2020", "sinds 2019") -> "2020".
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from kb.regex_prefilter import LiteralGate, StartScan, lowered_or_none, required_literals
from nltext import lexicon

MONTHS = lexicon.MONTHS  # nltext/data/months.tsv
_MONTH = r"(?:januari|februari|maart|april|mei|juni|juli|augustus|september|oktober|november|december|jan\.|feb\.|febr\.|mrt\.|apr\.|jun\.|jul\.|aug\.|sept?\.|okt\.|nov\.|dec\.)"
_YEAR = r"(?:19|20)\d{2}"
_DASH = r"[-\u2010-\u2015\u2212]"
_NUM = r"\d{1,3}(?:\.\d{3})+(?:,\d+)?|\d+(?:,\d+)?"
_SCALE = r"(?:miljard|miljarden|mld|mrd|miljoen|miljoenen|mln|mio|duizend)"
SCALES = lexicon.MONEY_SCALES  # nltext/data/money_scales.tsv
SEASONS = {"voorjaar": "SP", "lente": "SP", "zomer": "SU", "najaar": "FA", "herfst": "FA", "winter": "WI"}
MODIFIERS = {"begin": "START", "eind": "END", "einde": "END", "ultimo": "END", "medio": "MID", "half": "MID",
             "halverwege": "MID", "midden": "MID"}

#: A bare year is a date after one of these words ("in 2020", "sinds 2019", "het jaar 2020").
YEAR_CUES = {"in", "sinds", "vanaf", "tot", "voor", "na", "per", "jaar", "eind", "begin", "medio", "van", "over",
             "uit", "ultimo", "sedert", "rond", "omstreeks", "tijdens", "t/m", "met", "najaar", "voorjaar",
             "zomer", "winter", "herfst", "jaren", "begroting", "ná", "vóór", "jaarverslag", "en", "of"}
MONEY_CUES = re.compile(
    r"\b(?:euro|eur|budget\w*|bedrag\w*|begroting\w*|middelen|subsidie\w*|kosten|investe\w*|financi\w*|"
    r"beschikbaar|uitgaven|toegevoegd|vrijgemaakt|bijdrage|inkomen|omzet|schade|boete\w*|gefinancierd)\b|€",
    re.IGNORECASE,
)
#: Words that may follow a bare amount that is money ("19 miljoen beschikbaar", "100 mln.").
MONEY_FOLLOW = {"beschikbaar", "per", "voor", "aan", "is", "wordt", "werd", "extra", "toegevoegd", "gereserveerd",
                "uitgetrokken", "structureel", "incidenteel", "in", "uit", "van", "op", "tot", "bij", "om", "naar",
                "en", "of", "ten", "mee", "vrijgemaakt", "geïnvesteerd", "besteed", "gestort", "nodig"}


@dataclass
class ValueMatch:
    start: int
    end: int
    label: str
    value: str | None


def parse_number(text: str) -> Decimal | None:
    t = text.strip().replace("\u00a0", "").replace(" ", "")
    if re.fullmatch(r"\d{1,3}(?:\.\d{3})+(?:,\d+)?", t):
        t = t.replace(".", "").replace(",", ".")
    else:
        t = t.replace(",", ".")
    try:
        return Decimal(t)
    except InvalidOperation:
        return None


def _fmt(d: Decimal) -> str:
    d = d.normalize()
    if d == d.to_integral_value():
        return str(int(d))
    return format(d, "f")


def money_value(number: str, scale: str | None) -> str | None:
    n = parse_number(number)
    if n is None:
        return None
    if scale:
        n *= SCALES.get(scale.lower().rstrip("."), 1)
    return "EUR " + _fmt(n.quantize(Decimal("0.01")) if n != n.to_integral_value() else n)


def percent_value(number: str) -> str | None:
    n = parse_number(number)
    return None if n is None else _fmt(n)


def _month(text: str) -> int:
    return MONTHS[text.lower().rstrip(".")]


# -- regexes -------------------------------------------------------------------------------------------

_MONEY_PREFIX = re.compile(
    rf"(?:€|\bEUR\b|\beuro\b)\s?(?P<num>{_NUM})(?:\s?(?P<scale>{_SCALE})\b)?(?:\s?euro\b)?", re.IGNORECASE)
_MONEY_SUFFIX = re.compile(rf"(?<![\d.,])(?P<num>{_NUM})\s?(?:(?P<scale>{_SCALE})\s)?(?:euro|EUR)\b(?!\s?\d)",
                           re.IGNORECASE)
_MONEY_BARE = re.compile(rf"(?<![\d.,€])(?P<num>{_NUM})\s?(?P<scale>miljard|mld|mrd|miljoen|mln|mio)\b",
                         re.IGNORECASE)
_PERCENT = re.compile(rf"(?<![\d.,])(?P<num>{_NUM})\s?(?:%|procent\b|pct\b)", re.IGNORECASE)

_DATE_PATTERNS: list[tuple[str, re.Pattern[str]]] = [
    ("dayrange", re.compile(rf"\b(?P<d1>\d{{1,2}})\s?{_DASH}\s?(?P<d2>\d{{1,2}})\s+(?P<m>{_MONTH})(?:\s+(?P<y>{_YEAR}))?\b", re.I)),
    ("dmy", re.compile(rf"\b(?P<d>\d{{1,2}})\s+(?P<m>{_MONTH})\s+(?P<y>{_YEAR})\b", re.I)),
    ("numeric", re.compile(rf"\b(?P<d>\d{{1,2}})[-./](?P<m>\d{{1,2}})[-./](?P<y>{_YEAR})\b")),
    ("dm", re.compile(rf"\b(?P<d>\d{{1,2}})\s+(?P<m>{_MONTH})(?![\w])", re.I)),
    ("quarter", re.compile(rf"\b(?:Q(?P<q>[1-4])|(?P<q2>[1-4])e\s+kwartaal(?:\s+van)?)\s+(?P<y>{_YEAR})\b", re.I)),
    ("half", re.compile(rf"\b(?P<h>eerste|tweede)\s+helft\s+(?:van\s+)?(?P<y>{_YEAR})\b", re.I)),
    ("season", re.compile(rf"\b(?P<s>voorjaar|lente|zomer|najaar|herfst|winter)\s+(?:van\s+)?(?P<y>{_YEAR})\b", re.I)),
    ("mod_month", re.compile(rf"\b(?P<mod>begin|eind|einde|medio|half|ultimo)\s+(?P<m>{_MONTH})(?:\s+(?P<y>{_YEAR}))?\b", re.I)),
    ("mod_year", re.compile(rf"\b(?P<mod>begin|eind|einde|medio|ultimo|halverwege|midden)\s+(?P<y>{_YEAR})\b", re.I)),
    ("my", re.compile(rf"\b(?P<m>{_MONTH})\s+(?P<y>{_YEAR})\b", re.I)),
    ("period", re.compile(rf"(?<![\d/])\b(?P<y1>{_YEAR})\s?(?:{_DASH}|/|t/m|tot)\s?(?P<y2>{_YEAR})\b(?![/\d])")),
    ("month", re.compile(r"\b(?P<m>januari|februari|maart|april|mei|juni|juli|augustus|september|oktober|november|december)\b", re.I)),
    ("year", re.compile(rf"(?<![\d/.,:€-])\b(?P<y>{_YEAR})\b(?![\d/,:%]|\.\d|{_DASH}\d)")),
]


#: every pattern above, in the order find_values runs them; the gate skips those whose required words
#: ("euro", "procent", a month name, "19"/"20" of a year ...) a text lacks: most sections hold few
_ALL = [_MONEY_PREFIX, _MONEY_SUFFIX, _MONEY_BARE, _PERCENT, *(rx for _k, rx in _DATE_PATTERNS)]
_GATE = LiteralGate([required_literals(rx) for rx in _ALL])
#: and those that pass are tried only where a match can start ("€", a month name, "19"/"20" ...)
_SCANS = [StartScan(rx) for rx in _ALL]


def _date_value(kind: str, m: re.Match[str]) -> str | None:
    g = m.groupdict()
    y = g.get("y")
    try:
        if kind == "dayrange":
            mo = _month(g["m"])
            yy = y or "XXXX"
            return f"{yy}-{mo:02d}-{int(g['d1']):02d}/{yy}-{mo:02d}-{int(g['d2']):02d}"
        if kind == "dmy":
            return f"{y}-{_month(g['m']):02d}-{int(g['d']):02d}"
        if kind == "numeric":
            d, mo = int(g["d"]), int(g["m"])
            if not (1 <= d <= 31 and 1 <= mo <= 12):
                return None
            return f"{y}-{mo:02d}-{d:02d}"
        if kind == "dm":
            d = int(g["d"])
            return f"XXXX-{_month(g['m']):02d}-{d:02d}" if 1 <= d <= 31 else None
        if kind == "quarter":
            return f"{y}-Q{g.get('q') or g.get('q2')}"
        if kind == "half":
            return f"{y}-H{1 if g['h'].lower() == 'eerste' else 2}"
        if kind == "season":
            return f"{y}-{SEASONS[g['s'].lower()]}"
        if kind == "mod_month":
            return f"{y or 'XXXX'}-{_month(g['m']):02d}~{MODIFIERS[g['mod'].lower()]}"
        if kind == "mod_year":
            return f"{y}~{MODIFIERS[g['mod'].lower()]}"
        if kind == "my":
            return f"{y}-{_month(g['m']):02d}"
        if kind == "period":
            return f"{g['y1']}/{g['y2']}" if int(g["y1"]) < int(g["y2"]) else None
        if kind == "month":
            return f"XXXX-{_month(g['m']):02d}"
        if kind == "year":
            return y
    except (KeyError, ValueError):
        return None
    return None


def _prev_word(text: str, pos: int) -> str:
    m = re.search(r"([\w/]+)[\s(]*$", text[max(0, pos - 40):pos])
    return m.group(1).lower() if m else ""


def _next_word(text: str, pos: int) -> str:
    m = re.match(r"\s*([\w']+|[^\w\s])", text[pos:pos + 40])
    return m.group(1) if m else ""


def _sentence(text: str, start: int, end: int) -> str:
    left = max(text.rfind(". ", 0, start), text.rfind("\n", 0, start))
    right_candidates = [i for i in (text.find(". ", end), text.find("\n", end)) if i != -1]
    right = min(right_candidates) if right_candidates else len(text)
    return text[left + 1:right]


def find_values(text: str) -> list[ValueMatch]:
    """All MONEY, PERCENT and DATE expressions, longest first where they overlap."""
    found: list[ValueMatch] = []
    low = lowered_or_none(text)
    may = _GATE.mask(low)  # bit i: pattern _ALL[i] may match
    scans = _SCANS
    for i in (0, 1):  # _MONEY_PREFIX, _MONEY_SUFFIX
        for m in scans[i].finditer(text, low) if (may >> i) & 1 else ():
            found.append(ValueMatch(m.start(), m.end(), "MONEY", money_value(m.group("num"), m.group("scale"))))
    for m in scans[2].finditer(text, low) if may & 0b100 else ():
        nxt = _next_word(text, m.end())
        if nxt and nxt[0].isalpha() and nxt.lower() not in MONEY_FOLLOW:
            continue  # "1,4 mln hashcodes"
        if not MONEY_CUES.search(_sentence(text, m.start(), m.end())):
            continue
        found.append(ValueMatch(m.start(), m.end(), "MONEY", money_value(m.group("num"), m.group("scale"))))
    for m in scans[3].finditer(text, low) if may & 0b1000 else ():
        found.append(ValueMatch(m.start(), m.end(), "PERCENT", percent_value(m.group("num"))))
    for i, (kind, _rx) in enumerate(_DATE_PATTERNS, start=4):
        if not (may >> i) & 1:
            continue
        for m in scans[i].finditer(text, low):
            if kind == "year":
                prev = _prev_word(text, m.start())
                if prev not in YEAR_CUES:
                    continue
            if kind == "month" and _prev_word(text, m.start()) in {"de", "het"}:
                continue
            value = _date_value(kind, m)
            if value is None:
                continue
            found.append(ValueMatch(m.start(), m.end(), "DATE", value))
    # longest first, then earliest; drop anything overlapping an already kept match
    found.sort(key=lambda v: (-(v.end - v.start), v.start))
    kept: list[ValueMatch] = []
    for v in found:
        if all(v.end <= k.start or v.start >= k.end for k in kept):
            kept.append(v)
    kept.sort(key=lambda v: v.start)
    return kept
