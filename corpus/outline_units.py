"""Headings that name a structural unit ("Hoofdstuk 2", "§ 3.1", "Eerste afdeeling", "Artikel 7:12a", "3.1").

Dutch regulations are divided into boeken, delen, titels, hoofdstukken, afdelingen, paragrafen and
artikelen.  Converted regulations write every label at one heading level and the unit's own heading
(its "kop") one level deeper right after it::

    ### Hoofdstuk 1
    ####Algemene bepalingen
    ### Artikel 1
    ####Begripsbepalingen

so the file's heading levels alone cannot say that the article lies inside the chapter.  This module
recognises a label and its unit's rank (word lists and ranks in ``outline_units.yaml``); the Markdown
reader joins a label with its kop ("Hoofdstuk 1 Algemene bepalingen") and nests units of one heading
level by rank (see :class:`UnitNesting`).
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

# One part of a unit number: "12", "12a", "IV", "IVa", "A"; parts joined by "." or ":" ("7:12a", "4.1.1").
_PART = r"(?:\d{1,4}[a-z]{0,3}|[IVXLCDM]{1,7}[a-z]?|[A-Za-z])"
_NUMBER = rf"{_PART}(?:\s?[.:]\s?{_PART})*"
_BARE_RE = re.compile(rf"^\(?(?P<number>{_NUMBER})\.?\)?$")
_EMPHASIS_RE = re.compile(r"^(\*{1,2}|_{1,2})(?=\S)(.+?)(?<=\S)\1$")


@dataclass(frozen=True)
class UnitLabel:
    """What a label heading names: the unit ("hoofdstuk"; "nummer2" for a bare "3.1") and its rank."""

    unit: str
    rank: int
    bare: bool = False  # a bare number ("3.1", "II"), without a unit word


@lru_cache(maxsize=1)
def _data() -> dict[str, Any]:
    return yaml.safe_load(Path(__file__).with_name("outline_units.yaml").read_text(encoding="utf-8"))


@lru_cache(maxsize=1)
def _patterns() -> list[tuple[re.Pattern[str], UnitLabel]]:
    data = _data()
    ordinal = "|".join(re.escape(o) for o in sorted(data["ordinals"], key=len, reverse=True))
    out = []
    for entry in data["units"]:
        words = "|".join(re.escape(w) for w in sorted(entry["words"], key=len, reverse=True))
        number = rf"(?:\s*{_NUMBER})?" if entry.get("number") == "optional" else rf"\s*{_NUMBER}"
        pattern = re.compile(rf"^(?:(?:{words}){number}|(?:{ordinal})\s+(?:{words}))[.:]?$", re.IGNORECASE)
        out.append((pattern, UnitLabel(entry["unit"], int(entry["rank"]))))
    return out


def unit_label(text: str) -> UnitLabel | None:
    """The unit a heading names when the heading is only a label, else None.

    >>> unit_label("Artikel  7:12a")
    UnitLabel(unit='artikel', rank=9, bare=False)
    >>> unit_label("Artikel 1. Begripsbepalingen") is None
    True
    """
    text = " ".join(text.replace("\u00a0", " ").split())
    if not text or len(text) > 40:
        return None
    for pattern, label in _patterns():
        if pattern.match(text):
            return label
    bare = _BARE_RE.match(text)
    if bare:
        depth = len(re.split(r"\s?[.:]\s?", bare.group("number")))
        return UnitLabel(f"nummer{depth}", int(_data()["bare_number_rank"]) + depth, bare=True)
    return None


def is_emphasised(src: str) -> bool:
    """A heading written wholly in italics or bold ("### *Voorbeeld*"): a sub-heading inside the open unit."""
    return bool(_EMPHASIS_RE.match(src.strip()))


def join_label_and_kop(label: str, kop: str) -> str:
    """One heading for a unit: "Hoofdstuk 1" + "Algemene bepalingen" -> "Hoofdstuk 1 Algemene bepalingen",
    "Eerste Boek" + "Algemene bepalingen" -> "Eerste Boek – Algemene bepalingen".

    No full stop between them: "Titel 1.1. Definities" would read as two sentences, and a heading's
    first sentence is its title.
    """
    label, kop = " ".join(label.split()), " ".join(kop.split())
    if label[-1:].isdigit() or label[-1:] in ".:" or not kop[:1].isalnum():
        return f"{label} {kop}"
    return f"{label} – {kop}"


def units_closed(open_units: list[tuple[UnitLabel | None, bool]], label: UnitLabel | None, emphasised: bool) -> int:
    """How many of the open headings of one heading level (outermost first, as ``(label, emphasised)``)
    a new heading of that level closes.

    An ordinary heading closes them all, as in any Markdown.  A unit closes the open units smaller than
    it (a larger rank number) and its predecessor of its own kind with everything inside it; it opens
    inside a larger unit, or inside a unit of equal rank of another kind that the document opened first.
    A heading written wholly in emphasis is a sub-heading of the innermost open unit.
    """
    i = len(open_units)
    while i > 0:
        top, _top_emphasised = open_units[i - 1]
        if label is None:
            if emphasised and top is not None:
                break  # "### *Voorbeeld*" under "### Artikel 3": a sub-heading of the article
        elif top is not None:
            if top.unit == label.unit:
                i -= 1
                break
            outer = {o.unit for o, _ in open_units[: i - 1] if o is not None}
            if top.rank <= label.rank and label.unit not in outer:
                break  # a larger unit, or one of equal rank opened first: the new unit goes inside it
        i -= 1
    return len(open_units) - i
