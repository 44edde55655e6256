"""Dutch text handling shared by every layer: one way to fold, slug, tokenize, stem and split a word.

This package sits at the bottom of the stack next to ``settings``: corpus, kb, indexer and
webapp import it; it imports none of them (only the standard library, numpy, PyStemmer and
``settings``).  Word lists are data files in ``nltext/data/`` (see :mod:`nltext.lexicon`).

Where things live:

* :mod:`nltext.fold` — ``fold`` (case, accents, ligatures, soft hyphens), ``fold_key``,
  ``alias_key``, ``normalise_with_map`` (quote lookup), ``slug``;
* :mod:`nltext.tokens` — the word tokenizer and the token record;
* :mod:`nltext.stem` — the Snowball Dutch stemmer (PyStemmer);
* :mod:`nltext.compounds` — the compound splitter and shared-head compounds ("asiel- en
  migratiebeleid") against a collection's :class:`Vocabulary`;
* :mod:`nltext.verbs` — participles to infinitives;
* :mod:`nltext.chain` — the analysis chain (filters composed into an :class:`Analyzer`);
* :mod:`nltext.acronyms` — the acronym rule;
* :mod:`nltext.aliases` — alias keys and the longest-match :class:`AliasMatcher`;
* :mod:`nltext.bm25` — BM25(F) with numpy;
* :mod:`nltext.lexicon` — stop words, question words, name connectors, months, ... .
"""
from __future__ import annotations

from .acronyms import acronym_like, is_acronym
from .aliases import AliasMatcher, Match, form_key, form_mode
from .chain import Analyzer, build_vocabulary, vocabulary_counts
from .compounds import Vocabulary, shared_head_compounds
from .fold import (APOSTROPHES, DASHES, alias_key, fold, fold_key, normalise, normalise_with_map, slug,
                   unify_punctuation)
from .lexicon import (ALL_STOP_WORDS, DUTCH_STOP_WORDS, FUNCTION_WORDS, NAME_CONNECTORS, QUESTION_FILLERS,
                      QUESTION_WORDS)
from .stem import stem, stemmer
from .tokens import EXPANSION, JOINPART, PART, PRIMARY, WHOLE, Tok, word_strings
from .verbs import infinitive


def is_stop(word: str) -> bool:
    """A Dutch stop word (function or weak tier), after folding ("Zo’n" too)."""
    return fold_key(word) in DUTCH_STOP_WORDS


__all__ = [
    "acronym_like", "is_acronym", "AliasMatcher", "Match", "form_key", "form_mode", "Analyzer", "build_vocabulary",
    "vocabulary_counts", "Vocabulary", "shared_head_compounds", "APOSTROPHES", "DASHES", "alias_key", "fold",
    "fold_key", "normalise", "normalise_with_map", "slug", "unify_punctuation", "ALL_STOP_WORDS", "DUTCH_STOP_WORDS",
    "FUNCTION_WORDS", "NAME_CONNECTORS", "QUESTION_FILLERS", "QUESTION_WORDS", "stem", "stemmer", "EXPANSION",
    "JOINPART", "PART", "PRIMARY", "WHOLE", "Tok", "word_strings", "infinitive", "is_stop",
]
