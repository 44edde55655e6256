"""What a regulation says about itself: its BWB id (in its file name) and its citeertitel.

* The BWB id of the Basiswettenbestand (``BWBR`` and seven digits) is read from the file *name*, where
  regulation files carry it (``wet/BWBR0001854.md``); it is a rule on the name, never a guess.
* A regulation states its own short title ("citeertitel") in a sentence of its own: "Deze wet wordt
  aangehaald als: Algemene wet bestuursrecht."  :func:`citeertitels` finds every such statement (the
  laws register uses them all); :func:`own_citeertitel` only one that starts a sentence or a numbered
  lid, and not in italics, so that an example quoted after a colon ("... als volgt geformuleerd: *Deze
  wet wordt aangehaald als: ...*") or an article of another regulation quoted in a handbook is not taken
  for the document's own.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import PurePosixPath
from typing import Sequence

from .docmeta import MONTHS
from .model import Section

BWB_IN_NAME = re.compile(r"(?<![A-Za-z0-9])(BWBR\d{7})(?![0-9])")
#: A dated title: "Wet van 15 januari 1921", "Besluit van 12 juni 1931, tot ..." (the kind, "van" and the date).
DATED_TITLE = re.compile(
    r"(?<![\w])(?P<kind>[Rr]ijkswet|[Ww]et|[Kk]oninklijk\s+[Bb]esluit|[Bb]esluit|[Bb]eschikking|[Rr]egeling|[Vv]erordening)"
    r"\s+van\s+(?P<day>\d{1,2})[\s\u00a0]+(?P<month>" + "|".join(MONTHS) + r")[\s\u00a0]+"
    r"(?P<year>(?:1[6-9]|20)\d\d)(?!\d)")
_CITE = re.compile(
    r"(?:[Dd]eze|[Dd]it|[Zz]ij|[Hh]ij)\s+(?P<what>\w+)\s+(?:kan|kunnen|wordt|worden)\s+(?:worden\s+)?aangehaald\s+als"
    r"\s*:?\s*(?P<rest>[^\n]{1,300})")
#: A word every match of _CITE holds.
_CITE_WORD = "aangehaald"
_CITE_END = re.compile(r"[.;](?:\s|$)|\.(?=[A-Z][a-z])|,?\s+(?:en\s+)?treedt\s|\s+met\s+vermelding\s"
                       r"|(?<=[\w)])(?=(?:Dit|Deze|Het|De)\s)|\s{3,}|[’”\"](?![a-z])\s*[.;]?")
# What may stand before a statement that opens a sentence: nothing, the end of a sentence, or a lid or
# onderdeel number at the start of a line ("1.", "2", "7.1", "G.3", "b.", "(3)").
_SENTENCE_START = re.compile(r"(?:^|\n|[.;!?]\s*|(?:^|\n)\s*\(?(?:[A-Z]?\d{1,2}(?:\.\d{1,2})*|[a-z])[.)]?\s*)$")


def bwb_from_name(source_path: str) -> str | None:
    """The BWB id in a file's name ("wet/BWBR0001854.md" -> "BWBR0001854"); None without one."""
    m = BWB_IN_NAME.search(PurePosixPath(source_path).name)
    return m.group(1) if m else None


def clean_name(text: str) -> str:
    """A name as written, without quotes, markup, trailing punctuation and doubled spaces."""
    text = text.replace("\u00a0", " ").replace("\u00ad", "").replace("*", "")
    text = re.sub(r"<[^>]{1,40}>", "", text)
    text = re.sub(r"\s+", " ", text).strip()
    text = text.strip(" ‘’“”\"'«»,;:")
    return text.rstrip(".").strip()


def _name_after(match: re.Match[str]) -> str | None:
    rest = match.group("rest").lstrip(" :‘“\"'")
    end = _CITE_END.search(rest)
    name = clean_name(rest[: end.start()] if end else rest)
    if re.match(r"(?:de|het)\s", name):
        name = name.split(" ", 1)[1]
    return name if 2 <= len(name) <= 250 and name[:1].isalnum() else None


def citeertitels(text: str) -> list[str]:
    """Short titles the regulation gives itself ("Deze wet wordt aangehaald als: Wet X."), in order."""
    out: list[str] = []
    if _CITE_WORD not in text:  # every statement holds the word: most texts are not scanned at all
        return out
    for m in _CITE.finditer(text):
        name = _name_after(m)
        if name and name not in out:
            out.append(name)
    return out


def _markdown_with_emphasis(md: str) -> str:
    """Section Markdown as text that keeps emphasis markers: links by their text, escapes undone."""
    md = re.sub(r"!?\[([^\]\n]*)\]\([^)\n]*\)", r"\1", md)
    md = re.sub(r"\\([\\`*_{}\[\]()#+\-.!|>~])", r"\1", md)
    return md.replace("  \n", "\n").replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")


def own_citeertitel(markdown: str) -> str | None:
    """The first citeertitel stated in a sentence of its own, not in italics, in a section's Markdown
    (see the module docstring), or None."""
    if _CITE_WORD not in markdown and "[" not in markdown:
        return None  # only a link's brackets, taken out, could join the word (most sections hold neither)
    text = _markdown_with_emphasis(markdown)
    for m in _CITE.finditer(text):
        if _SENTENCE_START.search(text, max(0, m.start() - 12), m.start()):
            name = _name_after(m)
            if name:
                return name
    return None


@dataclass
class RegulationFacts:
    """What a document states about itself as a regulation (see :func:`regulation_facts`)."""

    title: str | None = None  # its citeertitel, when it states one
    date: str | None = None  # ISO date of a dated intitulé ("Wet van 4 juni 1992, ...")
    metadata: dict[str, str] = field(default_factory=dict)  # bwb, citeertitel, intitule


def regulation_facts(source_path: str, sections: Sequence[Section], heading_title: str | None,
                     regulation: bool) -> RegulationFacts:
    """The facts a document gives by rule: its BWB id (from the file name, any document) and, for a
    regulation, its citeertitel (then its title), its intitulé (the first heading, kept) and the date
    that heading gives it ("Wet van 4 juni 1992, houdende ..." -> "1992-06-04")."""
    facts = RegulationFacts()
    bwb = bwb_from_name(source_path)
    if bwb:
        facts.metadata["bwb"] = bwb
    if not regulation:
        return facts
    dated = DATED_TITLE.match((heading_title or "").strip())
    if dated:
        facts.date = f"{int(dated['year']):04d}-{MONTHS[dated['month'].lower()]:02d}-{int(dated['day']):02d}"
    facts.title = next((t for t in (own_citeertitel(s.markdown) for s in sections) if t), None)
    if facts.title:
        facts.metadata["citeertitel"] = facts.title
        if heading_title and heading_title != facts.title:
            facts.metadata["intitule"] = heading_title
    return facts
