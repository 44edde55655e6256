"""Where in a text abbreviation definitions can be: the windows :class:`kb.tagger.definitions.DefinitionFinder`
reads around each "(", cut where spaCy's tokenizer splits as it splits the whole text (:mod:`kb.tagger.windows`).
The finder's reach (in tokens) lives here, next to the windows that must hold it."""
from __future__ import annotations

import re

from spacy.language import Language

from .windows import NO_TOKEN_GAP, crossing_pairs, token_windows

#: tokens before "(" a long form may take (:meth:`kb.tagger.definitions.DefinitionFinder._window_start`)
MAX_WINDOW = 14
#: tokens between "(" and ")" at most
MAX_INNER = 14
#: Reach of ``DefinitionFinder.find`` around a "(" token p, in tokens: back to p - MAX_WINDOW (the
#: long-form window) and one more (``_descriptor_class`` reads the token before the long form); ahead to
#: p + MAX_INNER + 1 (the token that must be ")").  Backwards nothing is read past a whitespace token
#: ("\n", "  ", "\t": ``_window_start`` stops there and ``_descriptor_class`` finds no word in it), ahead
#: nothing past a token with a newline (the search for ")" stops there).  Every non-whitespace run of the
#: text is at least one token, so windows of that many runs hold every token ``find`` may read.
RUNS_BEFORE = MAX_WINDOW + 1
RUNS_AFTER = MAX_INNER + 1
_OPEN_PAREN = re.compile(r"\(")


def _is_token_gap(gap: str) -> bool:
    return gap != NO_TOKEN_GAP


def _has_newline(gap: str) -> bool:
    return "\n" in gap


def definition_windows(nlp: Language, text: str) -> list[tuple[int, int]]:
    """The parts of ``text`` ``DefinitionFinder.find`` reads around its "(" characters, cut where
    spaCy's tokenizer gives the same tokens as for the whole text (kb.tagger.windows; reach in
    :data:`RUNS_BEFORE`, :data:`RUNS_AFTER`)."""
    anchors = [m.start() for m in _OPEN_PAREN.finditer(text)]
    if not anchors:
        return []
    return token_windows(text, anchors, runs_before=RUNS_BEFORE, runs_after=RUNS_AFTER,
                         stop_before=_is_token_gap, stop_after=_has_newline, pairs=crossing_pairs(nlp))
