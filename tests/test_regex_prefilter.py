"""The literal prefilter may only skip patterns that cannot match (kb/regex_prefilter.py).

The statement classifier skips every cue whose required literals a sentence lacks; a literal set
that is not truly required would silently lose statements.  These tests check the derivation on
hand-made patterns and, on every cue of the shipped cue file, against real sentences: wherever a
cue's pattern matches, its gate bit must be set.
"""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from kb.regex_prefilter import LiteralGate, lowered_or_none, required_any, required_literals
from kb.statements.cues import CUES_DIR, load_cues

PROJECT_ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.parametrize("pattern, expected", [
    (r"\btoe(?:zegging|gezegd)\b", {"toezegging", "toegezegd"}),
    (r"(?i)Ik\s+zal\s+(?:de|het)\s+Kamer", {"kamer"}),  # longest required piece, lower-cased
    (r"(?:zal|zullen)[^.]{0,80}?informeren", {"informeren"}),
    (r"ver(?:traagd|traging)", {"vertraagd", "vertraging"}),
    (r"(?:aan|af)?gezegd", {"gezegd"}),  # an optional prefix adds no requirement
    (r"(?:a|bcd)x+yz", {"yz"}),
    (r"(?<!\bhet )bieden", {"bieden"}),  # a look-behind requires nothing
    (r"(?:toezegging|[^a]+)", None),  # one branch requires nothing: nothing is required
    (r"\w+", None),
    (r"(?:nooit)?", None),
    (r"(x)\1", {"x"}),
])
def test_required_literals(pattern: str, expected: set[str] | None) -> None:
    got = required_literals(pattern)
    assert (set(got) if got is not None else None) == expected


def test_required_literals_are_necessary_on_examples() -> None:
    """Each literal set derived above is really contained in the texts its pattern matches."""
    cases = {r"\btoe(?:zegging|gezegd)\b": ["De toezegging is gedaan.", "Eerder TOEGEZEGD."],
             r"(?:aan|af)?gezegd": ["aangezegd", "gezegd"], r"(?:a|bcd)x+yz": ["axxxyz", "bcdxyz"]}
    for pattern, texts in cases.items():
        lits = required_literals(pattern)
        assert lits is not None
        for text in texts:
            assert re.search(pattern, text, re.IGNORECASE)
            assert any(s in text.lower() for s in lits), (pattern, text)


def test_several_patterns_need_literals_of_each() -> None:
    assert required_any([r"toezegging", r"belofte"]) == {"toezegging", "belofte"}
    assert required_any([r"toezegging", r".+"]) is None


def test_lowering_that_ignorecase_sees_differently_is_not_filtered() -> None:
    assert lowered_or_none("Ik Zal Het Doen") == "ik zal het doen"
    assert lowered_or_none("Één brief") == "één brief"
    # re.IGNORECASE matches "s" with the long s and "i" with the dotless i; str.lower does not
    assert lowered_or_none("toezeſging") is None
    assert lowered_or_none("İk zal") is None


def test_gate_marks_patterns_without_literals_as_always_possible() -> None:
    gate = LiteralGate([frozenset({"toezegging"}), None, frozenset({"vertraging", "uitstel"})])
    assert gate.mask("geen van beide") == 0b010
    assert gate.mask("er is uitstel") == 0b110
    assert gate.mask("de toezegging en de vertraging") == 0b111
    assert gate.mask(None) == 0b111  # text that cannot be lowered safely: everything may match
    for low in ("geen van beide", "er is uitstel", "de toezegging en de vertraging"):
        assert gate.mask_plain(low) == gate.mask(low)


def _sentences() -> list[str]:
    """Dutch sentences with and without statements: the cue file's tuning set and the shipped corpus."""
    out = []
    for line in (CUES_DIR / "commitment_sentences.tsv").read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#") and "\t" in line:
            out.append(line.split("\t")[-1])
    corpus = PROJECT_ROOT / "corpus" / "documents"
    for path in sorted([*corpus.glob("*.md"), *corpus.glob("*.txt")]):
        out.extend(s for s in re.split(r"(?<=[.!?])\s+", path.read_text(encoding="utf-8")) if s.strip())
    return out


def test_gate_never_skips_a_cue_that_matches() -> None:
    cues = load_cues()
    sentences = _sentences()
    assert len(sentences) > 300
    matched = 0
    for text in sentences:
        mask = cues.gate.mask(lowered_or_none(text))
        assert mask == cues.gate.mask_plain(text.lower()) or lowered_or_none(text) is None
        for i, cue in enumerate(cues.cues):
            if any(rx.search(text) for rx in cue.regexes):
                matched += 1
                assert (mask >> i) & 1, (cue.id, text)
    assert matched > 100  # the check ran on sentences that do hold cues
