"""Component ``bb_patterns``: entities recognised by rule, with the rules' word lists in kb/patterns/*.yaml.

* MONEY / PERCENT / DATE with a normalised ``value`` (see :mod:`kb.tagger.values`; kb_id "money",
  "percent", "date");
* legal references as LAW (:mod:`kb.tagger.legal_patterns`): EU acts with a number, acronym + act
  compounds, names of acts, and article references into an act;
* capitalised names whose head noun gives the label (:mod:`kb.tagger.head_names`): "Integrale
  Migratieagenda" PROGRAMME, "Centraal Justitieel Incassobureau" ORG; kb_id ``<label>-<slug>``;
* places from a gazetteer (LOC, "loc:<slug>") and persons after a title or initials (PERSON,
  "person:<slug>") (:mod:`kb.tagger.people_places`) — used when no statistical model is installed.

This module only runs the rule sets in order, checking the request budget between passes.  These are
proposals; ``bb_resolve`` lets catalogue entities win where a heuristic name overlaps them.
"""
from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc

from settings.budget import check as check_budget

from .candidates import TIER_RULE, Candidate, add_char_candidate, candidates, doc_text
from .head_names import HeadNounNames
from .index import EntityIndex
from .legal_patterns import LegalReferences
from .people_places import PlacesAndPersons
from .values import find_values


class PatternEntities:
    def __init__(self, nlp: Language, name: str) -> None:
        self.nlp = nlp
        self.name = name
        self.index = EntityIndex()
        self.legal = LegalReferences()
        self.names = HeadNounNames(self.legal.law_stop)
        self.people = PlacesAndPersons(nlp)

    def configure(self, index: EntityIndex) -> None:
        self.index = index
        for rules in (self.legal, self.names, self.people):
            rules.index = index

    def __call__(self, doc: Doc) -> Doc:
        text = doc_text(doc)
        for v in find_values(text):
            add_char_candidate(doc, v.start, v.end, v.label, v.label.lower(), "value", TIER_RULE, value=v.value)
        laws: list[Candidate] = [c for c in candidates(doc) if c.label == "LAW"]
        # each step is one pass over the text: the request budget is checked between them (settings.budget)
        check_budget("het taggen")
        laws += self.legal.eu_acts(doc, text)
        laws += self.legal.acronym_acts(doc, text)
        check_budget("het taggen")
        laws += self.legal.law_names(doc)
        check_budget("het taggen")
        laws += self.names.names(doc)
        check_budget("het taggen")
        self.names.acronym_compounds(doc)
        self.legal.articles(doc, laws, text)
        check_budget("het taggen")
        self.people.find_places(doc)
        self.people.find_persons(doc, text)
        return doc


@Language.factory("bb_patterns")
def make_pattern_entities(nlp: Language, name: str) -> PatternEntities:
    return PatternEntities(nlp, name)
