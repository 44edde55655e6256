"""Dutch words and number formats the pages show: labels, kinds of document, relation names, dates.

One home for them so the HTML pages, their JSON twins and the CSV exports say the same thing
(users never see internal names such as ``ORG`` or ``part_of``).
"""
from __future__ import annotations

import datetime as dt
from typing import Any

from corpus.kinds import kind_name
from kb.catalogue import LABEL_NAMES_NL

MONTHS_NL = ("januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus", "september",
             "oktober", "november", "december")
#: Relation type -> (as seen from the entity that has it, as seen from its target).
RELATION_NAMES_NL = {
    "part_of": ("onderdeel van", "omvat"),
    "succeeds": ("opvolger van", "voorganger van"),
    "related": ("verwant aan", "verwant aan"),
    "implements": ("voert uit", "uitgevoerd door"),
    "regulates": ("regelt", "geregeld door"),
    "operated_by": ("beheerd door", "beheert"),
}
KIND_NAMES_NL = {
    "jaarverslag": "Jaarverslag",
    "contourennota": "Contourennota",
    "nota": "Nota",
    "brief": "Kamerbrief",
    "kamerbrief": "Kamerbrief",
    "wet": "Wet",
    "regeling": "Regeling",
    "begroting": "Begroting",
    "verslag": "Verslag",
    "rapport": "Rapport",
    "document": "Document",
}
#: Statement kinds shown on /maatregelen (``other`` is not), with their Dutch names (singular, plural).
STATEMENT_KINDS_NL = {
    "commitment": ("Toezegging of voornemen", "Toezeggingen en voornemens"),
    "result": ("Resultaat", "Resultaten"),
    "problem": ("Vertraging of probleem", "Vertragingen en problemen"),
}


def statement_kind_nl(kind: str | None) -> str:
    """A kind of statement as a search filter names it: "Toezeggingen en voornemens", "Maatregelen"."""
    if kind == "measure":
        return "Maatregelen"
    return STATEMENT_KINDS_NL.get(kind or "", (kind or "", kind or ""))[1]


def label_nl(label: str | None) -> str:
    if not label:
        return ""
    return LABEL_NAMES_NL.get(label, label.capitalize())


def kind_nl(kind: str | None) -> str:
    """ "Jaarverslag"; a kind of regulation by its Dutch name from ``corpus/kinds.yaml`` ("AMvB" ->
    "Algemene maatregel van bestuur")."""
    if not kind:
        return ""
    name = KIND_NAMES_NL.get(kind.lower()) or kind_name(kind)
    return name[:1].upper() + name[1:]


def relation_nl(relation_type: str | None, *, inverse: bool = False) -> str:
    names = RELATION_NAMES_NL.get(relation_type or "", (relation_type or "", relation_type or ""))
    return names[1 if inverse else 0]


def nl_number(value: Any) -> str:
    try:
        return f"{int(value):,}".replace(",", ".")
    except (TypeError, ValueError):
        return str(value)


def nl_decimal(value: float) -> str:
    """38.0 -> "38", 67.5 -> "67,5" (at most two decimals, decimal comma)."""
    return f"{value:.2f}".rstrip("0").rstrip(".").replace(".", ",")


def nl_money(value: str | None) -> str:
    """A normalised amount ("EUR 1500000") in Dutch: "€ 1,5 miljoen", "€ 20 miljard", "€ 12.500"."""
    parts = str(value or "").split()
    if len(parts) != 2 or parts[0] != "EUR":
        return ""
    try:
        amount = float(parts[1])
    except ValueError:
        return ""
    for scale, word in ((1e9, "miljard"), (1e6, "miljoen")):
        if amount >= scale:
            return f"€ {nl_decimal(amount / scale)} {word}"
    return f"€ {nl_number(round(amount))}" if amount == round(amount) else f"€ {nl_decimal(amount)}"


def nl_seconds(ms: Any) -> str:
    """Search time in Dutch: "0,012 seconden"."""
    try:
        seconds = float(ms) / 1000.0
    except (TypeError, ValueError):
        return ""
    text = f"{seconds:.3f}".replace(".", ",")
    return f"{text} seconde" if text == "1,000" else f"{text} seconden"


def nl_percent(value: Any) -> str:
    """38.0 -> "38%", 67.5 -> "67,5%"."""
    try:
        number = float(value)
    except (TypeError, ValueError):
        return ""
    return f"{nl_decimal(number)}%"


def nl_date(value: dt.date | None = None) -> str:
    value = value or dt.date.today()
    return f"{value.day} {MONTHS_NL[value.month - 1]} {value.year}"


def iso_date_nl(value: str | None) -> str:
    """ "2022-02-21" -> "21 februari 2022"; "" for anything that is no ISO date."""
    try:
        return nl_date(dt.date.fromisoformat(str(value or "")[:10]))
    except ValueError:
        return ""


def plural(n: int, one: str, many: str) -> str:
    return f"{nl_number(n)} {one if n == 1 else many}"


def year_or_period(doc: dict[str, Any] | None) -> str:
    """For display: "21 februari 2022", "2020", "periode 2021-2027" or "2020, periode 2021-2027"."""
    if not doc:
        return ""
    date = iso_date_nl(doc.get("date"))
    parts = [date] if date else [str(doc["year"])] if doc.get("year") else []
    if doc.get("period") and str(doc["period"]) != str(doc.get("year")):
        parts.append(f"periode {doc['period']}")
    return ", ".join(parts)
