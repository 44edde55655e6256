"""Words and tokens: the tokenizer and the token record every filter of the chain passes on.

A *word* is a run of letters and digits, possibly joined by hyphens, slashes, "&", ".", ","
or apostrophes to more letters and digits ("ECRIS-TCN", "2019/816", "DT&V", "LO's"); soft
hyphens inside it are kept (folding drops them).  Each word yields tokens at one position:

* ``PRIMARY`` ("w"): the stemmed word;
* ``WHOLE`` ("j"): a joined word as a whole ("ecris-tcn"), unstemmed;
* ``JOINPART`` ("jp"): each part of a joined word ("ecris", "tcn"), and a hyphenated word glued;
* ``PART`` ("p"): a part of a compound split against the vocabulary ("terugkeer", "beleid");
* ``EXPANSION`` ("x"): a compound completed from a shared head ("asiel- en migratiebeleid"
  gives "asielbeleid"), or the infinitive of a participle ("ontwikkeld" -> "ontwikkelen").
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Iterator

from .fold import DASHES

PRIMARY, WHOLE, JOINPART, PART, EXPANSION = "w", "j", "jp", "p", "x"

#: Characters that join two runs of letters/digits into one word.
HYPHENS = DASHES[:5]  # hyphen-minus, hyphen, non-breaking hyphen, figure dash, en dash
JOINERS = HYPHENS + "/&.,'\u2019+"
#: A word: letters/digits, joined by hyphens, slashes, '&', '.', ',' or apostrophes to more.
WORD_RE = re.compile(r"[^\W_][\w\u00ad]*(?:[" + re.escape(JOINERS) + r"][^\W_][\w\u00ad]*)*\+?")
#: Splits a (folded) joined word into its pieces.
PIECES_RE = re.compile(r"[" + re.escape(JOINERS) + r"]+")


@dataclass(slots=True)
class Tok:
    """One index term at a position, with the source characters it comes from (slots: the index
    build makes one per token, hundreds of thousands per bucket)."""

    text: str
    pos: int
    start: int
    end: int
    kind: str
    surface: str = ""  # folded, unstemmed form

    def written(self, source: str) -> str:
        """The word as the source text writes it (for explanations: "asielprocedure", not "asielprocedur")."""
        return source[self.start:self.end]


def words(text: str) -> Iterator[re.Match[str]]:
    """The words of ``text`` (regex matches, so callers keep the offsets)."""
    return WORD_RE.finditer(text)


def word_strings(text: str) -> list[str]:
    """The words of ``text`` as strings."""
    return WORD_RE.findall(text)
