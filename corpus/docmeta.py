"""Metadata a document states about itself: date, parliamentary number, kind, ministry.

Read only from the document's own words (never guessed): "Den Haag, 21 februari 2022",
"Vastgesteld 17 februari 2025", a running header "Tweede Kamer, vergaderjaar 2018–2019,
35 200, nr. 1", "De Minister van Justitie en Veiligheid,".  The parliamentary number is
taken only from page furniture or the top of the document, where a document prints its
own number; numbers cited further down belong to other documents.  Word lists live in
``docmeta.yaml``.
"""
from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path
from typing import Any, Sequence

import yaml

from .model import Section

MONTHS = {m: i for i, m in enumerate(("januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus",
                                      "september", "oktober", "november", "december"), start=1)}
_MONTH = "(" + "|".join(MONTHS) + ")"
_DATE = rf"(\d{{1,2}})\s+{_MONTH}\s+((?:19|20)\d{{2}})"
_PLACE = r"(?:Den Haag|'s-Gravenhage|Brussel|Amsterdam|Rotterdam|Utrecht|[A-Z][a-z]+(?:[- ][A-Z][a-z]+)?)"
_WEEKDAY = r"(?:(?:maandag|dinsdag|woensdag|donderdag|vrijdag|zaterdag|zondag)\s+)?"
#: A line that is only a date, or a place and a date: "Den Haag, 14 maart 2024".
DATELINE_RE = re.compile(rf"^(?:{_PLACE},?\s+)?{_WEEKDAY}{_DATE}\.?$")
BARE_DATE_RE = re.compile(rf"^{_WEEKDAY}{_DATE}\.?$")
# Strongest evidence first: an explicit "vastgesteld"/"datum" field, then "Place, date".
DATE_PATTERNS = [
    re.compile(rf"\bvastgesteld(?:\s+op)?\s*:?\s*{_DATE}", re.IGNORECASE),
    re.compile(rf"(?:^|\n)\s*datum\s*:?\s+{_DATE}", re.IGNORECASE),
    re.compile(rf"\baangeboden(?:\s+op)?\s+{_DATE}", re.IGNORECASE),
    re.compile(rf"\b{_PLACE},\s+{_WEEKDAY}{_DATE}"),
]
_DOSSIER = r"(\d{2}\s?\d{3}(?:[- ](?:[A-Z]{1,3}|[IVXLC]{1,6}))?)"
KAMERSTUK_RE = re.compile(rf"(?:kamerstuk(?:ken)?(?:\s+(?:II|I))?(?:\s+\d{{4}}[/–-]\d{{2,4}})?,?\s*|vergaderjaar\s+"
                          rf"\d{{4}}\s*[–/-]\s*\d{{2,4}},\s*){_DOSSIER},\s*nr\.\s*(\d{{1,4}})", re.IGNORECASE)
#: How much of the start and end of a document is searched (letters put their date at either end).
HEAD_CHARS = 3000
TAIL_CHARS = 2000


@lru_cache(maxsize=1)
def _lists() -> dict[str, Any]:
    return yaml.safe_load((Path(__file__).with_name("docmeta.yaml")).read_text(encoding="utf-8"))


def _words_re(words: Sequence[str]) -> re.Pattern[str]:
    return re.compile(r"\b(" + "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True)) + r")\b",
                      re.IGNORECASE)


def _iso(m: re.Match[str]) -> str | None:
    day, month, year = int(m.group(1)), MONTHS[m.group(2).lower()], int(m.group(3))
    return f"{year:04d}-{month:02d}-{day:02d}" if 1 <= day <= 31 else None


def find_date(text: str) -> str | None:
    """ISO date of the first statement of date in ``text`` ("Den Haag, 21 februari 2022" -> "2022-02-21")."""
    for pattern in DATE_PATTERNS:
        m = pattern.search(text)
        if m and _iso(m):
            return _iso(m)
    return None


@lru_cache(maxsize=1)
def _letterhead_re() -> list[tuple[str, re.Pattern[str]]]:
    return [(entry["key"], re.compile(r"^(?:" + "|".join(re.escape(w) for w in sorted(entry["labels"], key=len, reverse=True))
                                      + r")\s*:?\s+(\S.{0,199})$", re.IGNORECASE))
            for entry in _lists()["letterhead"]]


def letterhead_field(line: str) -> tuple[str, str] | None:
    """A line that *may* be a letter's dateline or letter-head field, as ``(key, value)``; else None.

    "Den Haag, 14 maart 2024" and "Datum 14 maart 2024" -> ``("date", "2024-03-14")``;
    "Ons kenmerk 2024-0000123" -> ``("kenmerk", "2024-0000123")`` (labels in ``docmeta.yaml``).
    Whether a labelled line really is one depends on its neighbours: see :func:`letterhead_lines`.
    """
    line = " ".join(line.split())
    m = DATELINE_RE.match(line)
    if m:
        iso = _iso(m)
        return ("date", iso) if iso else None
    for key, pattern in _letterhead_re():
        f = pattern.match(line)
        if f:
            if key != "date":
                return key, f.group(1).strip()
            d = BARE_DATE_RE.match(f.group(1).strip())
            iso = _iso(d) if d else None
            return ("date", iso) if iso else None
    return None


def letterhead_lines(lines: Sequence[str]) -> dict[int, tuple[str, str]]:
    """The letter-head lines among ``lines`` (index -> (key, value)).

    A dateline ("Den Haag, 14 maart 2024", "Datum 14 maart 2024") is one wherever it stands; a bare date
    ("14 maart 2024") only on a line of its own between blank lines (not a wrapped line of a paragraph);
    a labelled field ("Onderwerp ...", "Ons kenmerk ...") only in a group, next to another letter-head
    line (blank lines between them do not count), so that a report's heading "Onderwerp 3 van het
    verslag" stays one.
    """
    candidates = {i: f for i, line in enumerate(lines) if line.strip() and (f := letterhead_field(line))}
    written = [i for i, line in enumerate(lines) if line.strip()]
    position = {i: k for k, i in enumerate(written)}
    out: dict[int, tuple[str, str]] = {}
    for i, field in candidates.items():
        k = position[i]
        neighbours = [written[j] for j in (k - 1, k + 1) if 0 <= j < len(written)]
        in_group = any(n in candidates for n in neighbours)
        if field[0] == "date" and BARE_DATE_RE.match(" ".join(lines[i].split())):
            alone = all(not lines[j].strip() for j in (i - 1, i + 1) if 0 <= j < len(lines))
            if alone or in_group:
                out[i] = field
        elif field[0] == "date" or in_group:
            out[i] = field
    return out


def find_kamerstuk(text: str) -> str | None:
    """ "35 200, nr. 1" from "Tweede Kamer, vergaderjaar 2018–2019, 35 200, nr. 1" or "Kamerstuk 28 362, nr. 73"."""
    m = KAMERSTUK_RE.search(text)
    if not m:
        return None
    dossier = re.sub(r"^(\d{2})\s?(\d{3})", r"\1 \2", m.group(1)).replace("-", " ")
    return f"{dossier}, nr. {m.group(2)}"


def find_kind(*texts: str) -> str | None:
    for text in texts:
        for entry in _lists()["kinds"]:
            if _words_re(entry["words"]).search(text or ""):
                return entry["kind"]
    return None


def find_ministry(text: str) -> str | None:
    """ "Ministerie van X" from "Ministerie van X", "(De) Minister van X" or "Staatssecretaris van X"."""
    names = _lists()["ministries"]
    pattern = re.compile(r"\b(?:ministerie|minister|staatssecretaris)\s+van\s+("
                         + "|".join(re.escape(n) for n in sorted(names, key=len, reverse=True)) + r")\b",
                         re.IGNORECASE)
    m = pattern.search(text)
    if not m:
        return None
    name = next(n for n in names if n.lower() == m.group(1).lower())
    return f"Ministerie van {name}"


def infer_metadata(sections: Sequence[Section], furniture: Sequence[str] = (), *,
                   title: str | None = None) -> dict[str, str]:
    """What the document says about itself; keys only for what was found.

    Besides ``date``, ``kamerstuk``, ``kind`` and ``ministry``: the letter-head fields at the top of a
    letter (``kenmerk``, ``onderwerp``, ... as ``docmeta.yaml`` names them).
    """
    body = "\n".join(f"{s.title}\n{s.text}" if not s.title.startswith("Inleiding") else s.text for s in sections)
    head, tail = body[:HEAD_CHARS], body[-TAIL_CHARS:]
    furn = "\n".join(furniture)
    out: dict[str, str] = {}
    date = find_date(head) or find_date(tail) or find_date(furn)
    if date:
        out["date"] = date
    number = find_kamerstuk(furn) or find_kamerstuk(body[:600])
    if number:
        out["kamerstuk"] = number
    kind = find_kind(title or "", body[:400])
    if kind:
        out["kind"] = kind
    ministry = find_ministry(furn) or find_ministry(head) or find_ministry(tail)
    if ministry:
        out["ministry"] = ministry
    head_text = "\n".join(s.text for s in sections)[:HEAD_CHARS]  # headings are never letter-head fields
    for key, value in letterhead_lines(head_text.split("\n")).values():
        if key != "date":
            out.setdefault(key, value)
    return out
