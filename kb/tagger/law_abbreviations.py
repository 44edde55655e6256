"""Abbreviations of regulations that a text makes or uses after citing the full name, for ``bb_laws``.

"Wet Financiering decentrale overheden (Wet Fido, Stb. 2008, 536)", "... art. 27 lid 3 LB" after "artikel 27,
derde lid, van de Wet op de loonbelasting 1964", and the text's own definitions ("Mededingingswet (hierna: Mw)")
of a resolved citation.  They only extend citations :mod:`kb.tagger.laws` has resolved already, so they take
its ``add`` (which makes a resolved citation candidate) rather than the register.
"""
from __future__ import annotations

import re
from typing import Any, Callable

from spacy.tokens import Doc

from kb.laws.citation import reference_before, references

from .candidates import Candidate, candidates
from .definitions import sh_align
from .index import EntityIndex
from .law_context import ABBREVIATION_AT, abbreviates, generic_names, law_word
from .text import is_stop, norm_token

#: ``add(doc, start, end, bwb, ref)``: a resolved citation candidate, or None where it was not added.
AddCitation = Callable[[Doc, int, int, str, Any], "Candidate | None"]

#: "(Wet Fido, Stb. 2008, 536)" after a citation.
_LOCAL_ABBREVIATION = re.compile(r"\s*\((?:hierna\s*:?\s*)?(?P<abbr>[A-Z][\w-]*(?: [A-Z][\w-]*)?)\s*[,;]\s*(?:Stb|Stcrt)\b")


def local_abbreviations(doc: Doc, text: str, found: list[Candidate], index: EntityIndex,
                        add: AddCitation) -> list[Candidate]:
    """"Wet Financiering decentrale overheden (Wet Fido, Stb. 2008, 536)": an abbreviation in brackets after
    a resolved citation names that regulation in the rest of the text (plain "(Wmg)" and "(hierna: Wmg)"
    are the definitions component's; this adds the forms it leaves: a publication after a comma)."""
    out: list[Candidate] = []
    for c in list(found):
        m = _LOCAL_ABBREVIATION.match(text, c.end_char)
        if m is None or not c.refs:
            continue
        abbr = m.group("abbr")
        if sh_align(abbr, text[c.start_char:c.end_char]) is None or index.lookup(abbr):
            continue  # not an abbreviation of the name, or the catalogue's name of something
        for occ in re.finditer(r"(?<![\w-])" + re.escape(abbr) + r"(?![\w-])", text[m.end():]):
            start = m.end() + occ.start()
            ref = reference_before(text, start)
            new = add(doc, start, start + len(abbr), c.refs["bwb"], ref)
            if new is not None:
                out.append(new)
        new = add(doc, m.start("abbr"), m.end("abbr"), c.refs["bwb"], None)
        if new is not None:
            out.append(new)
    return out


def abbreviations_by_context(doc: Doc, text: str, found: list[Candidate], index: EntityIndex,
                             add: AddCitation) -> list[Candidate]:
    """"artikel 27, derde lid, van de Wet op de loonbelasting 1964 ... art. 27 lid 3 LB": an abbreviation
    the register does not know, right after an article reference, stands for the one regulation the text
    cites in full whose name it abbreviates (its letters start words of that name, in order)."""
    spans = [(c.start_char, c.end_char) for c in found]
    names: dict[str, str] = {}  # BWB id -> a name the text cites it by (without the article)
    for c in found:
        if c.refs and c.source == "register":
            names.setdefault(c.refs["bwb"], text[c.start_char:c.end_char])
    out: list[Candidate] = []
    for ref in references(text):
        m = ABBREVIATION_AT.match(text, ref.end)
        if m is None or any(a <= ref.end < b for a, b in spans) or index.lookup(m.group(0)):
            continue
        abbr = m.group(0)
        if is_stop(abbr) or law_word(abbr) or norm_token(abbr) in generic_names():
            continue  # "Art. 5 De termijn ...", "artikel XV van de Wet ..."
        fits = {bwb for bwb, name in names.items() if abbreviates(abbr, name)}
        if len(fits) == 1:
            new = add(doc, m.start(), m.end(), fits.pop(), ref)
            if new is not None:
                out.append(new)
    return out


def adopt_definitions(doc: Doc, found: list[Candidate], index: EntityIndex) -> None:
    """A definition in the text whose long or short form is a resolved citation ("Mededingingswet (hierna:
    Mw)") takes the regulation's id, so its other mentions ("Mw") cite it too."""
    spans = {(c.start_char, c.end_char): c for c in found}
    adopt: dict[str, Candidate] = {}
    for c in candidates(doc):
        if c.source != "definition" or c.label != "LAW" or not c.kb_id:
            continue
        known = index.entities.get(c.kb_id)
        if known is not None and known.origin != "definition":
            continue  # the catalogue's law
        mine = spans.get((c.start_char, c.end_char))
        if mine is not None and c.kb_id not in adopt:
            adopt[c.kb_id] = mine
    if not adopt:
        return
    for c in candidates(doc):
        if c.label == "LAW" and c.kb_id in adopt and c.refs is None:
            c.refs = dict(adopt[c.kb_id].refs or {})
            c.kb_id = adopt[c.kb_id].kb_id
    doc._.bb_new_entities = [e for e in doc._.bb_new_entities or [] if e.id not in adopt]
