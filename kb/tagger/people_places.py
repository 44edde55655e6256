"""Places from a gazetteer (LOC, "loc:<slug>") and persons after a title or initials (PERSON, "person:<slug>").

Proposals of ``bb_patterns`` used when no statistical model is installed; the word lists are
kb/patterns/places.yaml and kb/patterns/persons.yaml.
"""
from __future__ import annotations

import re

from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc

from kb.regex_prefilter import lowered_or_none

from .candidates import TIER_HEURISTIC, add_token_candidate
from .index import EntityIndex
from .text import HYPHEN_TOKENS, is_capitalised, is_stop, load_yaml, slug

_INITIALS = re.compile(r"(?<![\w.])(?:[A-Z]\.){1,4}\s?(?=(?:(?:van|de|der|den|ten|ter|te)\s)*[A-Z][a-zà-ÿ])")


class PlacesAndPersons:
    """Finds LOC by the gazetteer and PERSON by title or initials; a name the entity index knows is no person."""

    def __init__(self, nlp: Language) -> None:
        self.nlp = nlp
        self.index = EntityIndex()
        persons = load_yaml("persons.yaml")
        self.titles = sorted((t for t in persons.get("titles") or []), key=len, reverse=True)
        #: (the title lower-cased, its pattern), compiled once: "minister" or "Minister" before a name
        self._title_patterns = [
            (t.lower(), re.compile(r"(?<![\w])[" + re.escape(t[0].upper() + t[0].lower()) + "]" + re.escape(t[1:]) + r"\s+"))
            for t in self.titles]
        self.particles = {p.lower() for p in persons.get("particles") or []}
        self.not_names = set(persons.get("not_names") or [])
        self.places = PhraseMatcher(nlp.vocab, attr="ORTH")
        self._load_places()

    def _load_places(self) -> None:
        data = load_yaml("places.yaml")
        for group in data.values():
            for item in group or []:
                if isinstance(item, dict):
                    name, aliases = item["name"], list(item.get("aliases") or [])
                else:
                    name, aliases = str(item), []
                pid = "loc:" + slug(name)
                for form in [name, *aliases]:
                    self.places.add(pid, [self.nlp.make_doc(form)])

    def find_places(self, doc: Doc) -> None:
        for match_id, start, end in self.places(doc):
            if end < len(doc) and doc[end].text in HYPHEN_TOKENS and doc[end - 1].whitespace_ == "":
                continue  # "Nederland-breed"
            add_token_candidate(doc, start, end, "LOC", doc.vocab.strings[match_id], "gazetteer", TIER_HEURISTIC)

    def find_persons(self, doc: Doc, text: str) -> None:
        low = lowered_or_none(text)
        for title, rx in self._title_patterns:
            if low is not None and title not in low:
                continue  # most sections name no title: its pattern cannot match
            for m in rx.finditer(text):
                self._person_after(doc, m.end())
        if "." not in text:
            return  # initials end in a full stop
        for m in _INITIALS.finditer(text):
            self._person_after(doc, m.end(), start_char=m.start())

    def _person_after(self, doc: Doc, pos: int, start_char: int | None = None) -> None:
        span = doc.char_span(pos, pos + 1, alignment_mode="expand")
        if span is None:
            return
        k = span.start
        n = len(doc)
        parts: list[int] = []
        while k < n and len(parts) < 5:
            t = doc[k]
            if t.lower_ in self.particles and k + 1 < n and is_capitalised(doc[k + 1].text):
                parts.append(k)
                k += 1
                continue
            if is_capitalised(t.text) and t.is_alpha or (t.text in HYPHEN_TOKENS and parts and doc[k - 1].whitespace_ == ""):
                if t.text in self.not_names or is_stop(t.text) or self.index.lookup(t.text):
                    break
                parts.append(k)
                k += 1
                if t.whitespace_ == "" and k < n and doc[k].text in HYPHEN_TOKENS:
                    continue
                if k < n and is_capitalised(doc[k].text) and doc[k].is_alpha and t.text not in HYPHEN_TOKENS:
                    continue
                break
            break
        if not parts or not is_capitalised(doc[parts[-1]].text):
            return
        first = doc.char_span(start_char, start_char + 1, alignment_mode="expand").start if start_char is not None \
            else parts[0]
        surname = doc[parts[0]:parts[-1] + 1].text
        add_token_candidate(doc, first, parts[-1] + 1, "PERSON", "person:" + slug(surname), "person", TIER_HEURISTIC)
