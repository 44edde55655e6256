"""``kb.sentences._word_before`` scans back from a full stop instead of searching ``(\\S+)$`` from the
start of the block (quadratic on long blocks); it must find exactly what that search found."""
from __future__ import annotations

import random
import re

from kb.sentences import _word_before, split_sentences

_SEARCH = re.compile(r"(\S+)$")


def test_word_before_finds_what_the_regex_found() -> None:
    rng = random.Random(7)
    alphabet = " \n\t.aZ\u00a0\u2003x"  # plain, non-breaking and em spaces; newlines ($ before a final one)
    for _ in range(20000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 9)))
        end = rng.randint(0, len(text))
        m = _SEARCH.search(text, 0, end)
        assert _word_before(text, end) == (m.group(1) if m else None), (text, end)


def test_abbreviations_and_initials_still_keep_a_sentence_together() -> None:
    text = "Zie o.a. de brief van J.A. Jansen. Daarna volgt het besluit.\nNieuwe regel"
    assert [s.text for s in split_sentences(text)] == [
        "Zie o.a. de brief van J.A. Jansen.", "Daarna volgt het besluit.", "Nieuwe regel"]
