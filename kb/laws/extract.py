"""What one regulation file says about regulations: its own id, title and short titles, and its links.

A regulation file of the collection (``<kind>/<BWB-id>.md``, converted from the official BWB XML) gives

* its BWB id (the file name), its kind (the folder: wet, AMvB, beleidsregel, ...);
* its official title: the first heading ("Wet van 4 juni 1992, houdende algemene regels van
  bestuursrecht (Algemene wet bestuursrecht)"), with the date ("Wet van 4 juni 1992") and the name in
  brackets at its end ("Algemene wet bestuursrecht");
* its short titles ("citeertitel"): "Deze wet wordt aangehaald als: Algemene wet bestuursrecht.";
* its citations of other regulations: Markdown links whose target ends in ``/<BWB-id>/README.md``,
  with the anchor text ("artikel 167 Sv.") and an abbreviation in brackets right after the link
  ("[Wet marktordening gezondheidszorg](.../BWBR0020078/README.md) (Wmg)");
* abbreviations it defines in brackets after plain text ("... van de Wet normering bezoldiging
  topfunctionarissen publieke en semipublieke sector (WNT)"), with the text before them: whether that
  text ends in the name of a regulation is decided by the register, which knows the names.

This is a separate pass over the raw Markdown because the document reader drops link targets.  Plain
regular expressions suffice: the files are machine-written, the patterns are fixed.
"""
from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from corpus.docmeta import MONTHS
from corpus.regulations import DATED_TITLE, citeertitels, clean_name  # one home: the corpus layer reads them too

from .citation import split_anchor

__all__ = ["BWB_ID", "DATED_TITLE", "DEFINED_CONTEXT_CHARS", "Link", "PART_TITLE", "RegulationFile", "citeertitels", "clean_name", "dated_key", "defined_abbreviations",
           "dated_title_key", "path_title", "read_regulation", "title_names"]

BWB_ID = re.compile(r"^BWB[RVW]\d{4,7}$")
_HEADING = re.compile(r"^#{1,6}\s*(?P<title>\S.*?)\s*#*\s*$", re.MULTILINE)
#: A link to a regulation; its target may hold a folder in brackets (".../1990/(rvv/1990)/BWBR0004825/README.md"),
#: or an opening bracket only (".../enz./(versterking/positie/etc/BWBR0027053/README.md").
_LINK = re.compile(r"\[(?P<anchor>[^\]\n]{1,400})\]\((?P<target>(?:\([^()\s]*\)|[^)\s])*?/(?P<bwb>BWB[RVW]\d{4,7})/README\.md)"
                   r"[^)]*\)")
_AFTER_LINK = re.compile(r"\s{0,2}\((?:hierna\s*:?\s*|verder\s*:?\s*)?(?P<abbr>[^()\n]{1,24})\)")
#: An abbreviation in brackets ("(WNT)", "(hierna: Wet Fido)"): one or two words with a capital, no digits only.
_DEFINED = re.compile(r"\((?:hierna\s*:?\s*|verder\s*:?\s*)?(?P<abbr>(?=[^()\s]{0,15}[A-Z])[A-Za-z][\w’'.-]{0,15}"
                      r"(?:\s[A-Za-z][\w’'.-]{0,15})?)\)")
#: Characters of text kept before a defined abbreviation (the longest name of a regulation is shorter).
DEFINED_CONTEXT_CHARS = 220
#: The title of one part of a regulation in parts: "Vreemdelingencirculaire 2000 (B)".
PART_TITLE = re.compile(r"(?P<base>\S.*?)\s*\((?P<part>[A-Z])\)")


@dataclass
class Link:
    anchor: str
    target: str  # BWB id of the cited regulation
    abbreviation: str | None = None  # "(Wmg)" right after the link
    path_title: str | None = None  # the title the link's target folder spells ("wet luchtvaart")


@dataclass
class RegulationFile:
    """What :func:`read_regulation` found in one file (JSON-serialisable via :meth:`to_dict`)."""

    bwb: str | None
    kind: str
    title: str
    citeertitels: list[str] = field(default_factory=list)
    links: list[Link] = field(default_factory=list)
    defined: list[tuple[str, str]] = field(default_factory=list)  # (text before, abbreviation in brackets)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> "RegulationFile":
        return cls(bwb=d.get("bwb"), kind=d.get("kind", ""), title=d.get("title", ""),
                   citeertitels=list(d.get("citeertitels") or []),
                   links=[Link(**x) for x in d.get("links") or []],
                   defined=[(str(b), str(a)) for b, a in d.get("defined") or []])


def dated_key(kind: str, day: str, month: str, year: str) -> str:
    """"wet 1921-01-15": the key of a dated title ("Wet van 15 januari 1921")."""
    kind = re.sub(r"\s+", " ", kind.lower())
    return f"{kind} {int(year):04d}-{MONTHS[month.lower()]:02d}-{int(day):02d}"


def dated_title_key(text: str) -> str | None:
    """The dated-title key of a title that starts with one ("Besluit van 12 juni 1931, tot ..."), else None."""
    m = DATED_TITLE.match(text.strip())
    return dated_key(m["kind"], m["day"], m["month"], m["year"]) if m else None


def title_names(title: str) -> list[str]:
    """Names inside an official title: the whole title unless it is dated, and a name in brackets at its end
    ("Wet van 4 juni 1992, houdende ... (Algemene wet bestuursrecht)" -> ["Algemene wet bestuursrecht"])."""
    out = []
    if dated_title_key(title) is None and not DATED_TITLE.search(title):
        out.append(clean_name(title))
        part = PART_TITLE.fullmatch(out[-1])
        if part:
            out.append(part["base"])  # "Vreemdelingencirculaire 2000 (B)": the name of all its parts
    m = re.search(r"\(([^()]{3,200})\)\s*$", title)
    if m:
        inner = clean_name(m.group(1))
        if not re.search(r"\b(?:Stb|Stcrt|Staatsblad|Staatscourant|Trb|No|nr)\b\.?|\d{4}\s*,\s*\d", inner) \
                and split_anchor(inner)[0] is None:  # not what it is about: "Aanwijzing inbeslagneming (Artikel 94 Wvsv)"
            out.append(inner)
    return [n for n in out if n]


def path_title(target: str) -> str | None:
    """The target's title as its folder path spells it, lower case: ".../wet/wet/op/de/loonbelasting/1964/BWBR0002471/
    README.md" -> "wet op de loonbelasting 1964" (the first folder is the kind); None when cut short ("etc")."""
    parts = [p for p in target.split("/") if p and p not in (".", "..")]
    if len(parts) < 4 or not BWB_ID.match(parts[-2]):
        return None
    words = parts[1:-2]
    if not words or "etc" in words or any(w.startswith("(") for w in words):
        return None
    title = " ".join(words)
    title = re.sub(r"(?<=\w)- (?=en |of )", "- ", title)  # "zaaizaad- en plantgoedwet" stays as spelled
    return title


def read_regulation(path: Path, text: str | None = None) -> RegulationFile:
    """Read one regulation file; ``bwb`` is None when the file name is not a BWB id."""
    path = Path(path)
    if text is None:
        text = path.read_text(encoding="utf-8", errors="replace")
    stem = path.name[: -len(path.suffix)] if path.suffix else path.name
    bwb = stem if BWB_ID.match(stem) else None
    head = _HEADING.search(text)
    title = clean_name(head.group("title")) if head else ""
    links = []
    for m in _LINK.finditer(text):
        after = _AFTER_LINK.match(text, m.end())
        abbr = clean_name(after.group("abbr")) if after else None
        links.append(Link(anchor=clean_name(m.group("anchor")), target=m.group("bwb"), abbreviation=abbr or None,
                          path_title=path_title(m.group("target"))))
    return RegulationFile(bwb=bwb, kind=path.parent.name, title=title, citeertitels=citeertitels(text), links=links,
                          defined=defined_abbreviations(text))


def defined_abbreviations(text: str) -> list[tuple[str, str]]:
    """(text before, abbreviation) of every abbreviation in brackets after plain text, links read as their anchor
    ("... van de [Wet X](...) (WX)" is the link's own abbreviation and is left to :func:`read_regulation`)."""
    out: list[tuple[str, str]] = []
    for line in text.splitlines():
        if "(" not in line or not _DEFINED.search(line):
            continue
        plain, linked_ends = [], set()
        pos = length = 0
        for m in _LINK.finditer(line):
            plain.append(line[pos:m.start()])
            plain.append(m.group("anchor"))
            length += m.start() - pos + len(m.group("anchor"))
            linked_ends.add(length)
            pos = m.end()
        plain.append(line[pos:])
        flat = "".join(plain)
        for m in _DEFINED.finditer(flat):
            before = flat[max(0, m.start() - DEFINED_CONTEXT_CHARS):m.start()]
            if len(before.rstrip()) + max(0, m.start() - DEFINED_CONTEXT_CHARS) in linked_ends or not before.strip():
                continue
            out.append((clean_name(before), clean_name(m.group("abbr"))))
    return out
