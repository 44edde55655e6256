"""Statements of policy texts: commitments (toezeggingen), results, problems.

* :mod:`kb.statements.cues` loads the reviewed cue file ``kb/cues/statements.yaml``;
* :mod:`kb.statements.classify` decides a sentence's kind from its cues;
* :mod:`kb.statements.deadlines` finds written deadlines and normalises them to dates;
* :mod:`kb.statements.actors` and :mod:`kb.statements.actions` say who commits to do what, and
  :mod:`kb.statements.details` puts who / what / by when / entities together for one commitment;
* :mod:`kb.statements.extract` turns sections or plain text into statement rows (ids, offsets, details);
* :mod:`kb.statements.status` tells whether a commitment is open, overdue or possibly fulfilled.
"""
from __future__ import annotations

from kb.statements.classify import Classification, classify_sentence
from kb.statements.cues import CUES_PATH, KINDS, Cue, CueError, CueSet, default_cues, load_cues
from kb.statements.extract import (
    cue_json,
    extract_statements,
    kinds_summary,
    statements_for_section,
    statements_json,
)

__all__ = [
    "CUES_PATH", "KINDS", "Classification", "Cue", "CueError", "CueSet", "classify_sentence", "cue_json",
    "default_cues", "extract_statements", "kinds_summary", "load_cues", "statements_for_section",
    "statements_json",
]
