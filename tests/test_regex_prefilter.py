"""The literal prefilter may only skip patterns that cannot match (kb/regex_prefilter.py).

The statement classifier skips every cue whose required literals a sentence lacks; a literal set
that is not truly required would silently lose statements.  These tests check the derivation on
hand-made patterns and, on every cue of the shipped cue file, against real sentences: wherever a
cue's pattern matches, its gate bit must be set.  Likewise a pattern run only where one of its
opening literals occurs (``StartScan``) must find exactly what the pattern finds everywhere.
"""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from kb.regex_prefilter import (LiteralGate, StartScan, lowered_or_none, required_any, required_literals,
                                start_literals)
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


@pytest.mark.parametrize("pattern, flags, expected", [
    (r"\b(?:zal|zullen)\b\s+\w+", re.I, {"zal", "zullen"}),
    (r"(?<!\bhet )(?:doen|maken)", re.I, {"doen", "maken"}),  # a look-behind opens nothing
    (r"(?:(?:de|het)\s+)?maand\b", re.I, {"de", "het", "maand"}),  # an optional opening, or what follows it
    (r"[Aa]rtikel\s+\d", 0, {"artikel"}),  # lower-cased: the text is lower-cased before the test
    (r"(?:a|b)c", 0, {"ac", "bc"}),
    (r"(?:ik|wij)?\s*zal", re.I, None),  # may open with any space: nothing can be said
    (r"\w+ing", re.I, None),
    (r"(?:toezegging|[^a]+)", 0, None),
    (r"a|", 0, None),  # may match the empty string
    (r"\d{1,2}\s+mei", 0, None),  # a digit class (any script's digits) is never listed
])
def test_start_literals(pattern: str, flags: int, expected: set[str] | None) -> None:
    got = start_literals(re.compile(pattern, flags))
    assert (set(got) if got is not None else None) == expected


_TRICKY = [
    (r"\b(?:ga|gaan|gaat)\b", re.I, "Wij gaan, ga en gaat. GAAN? Voorgaande gaten."),  # literals opening at one offset
    (r"(?<!\bhet )(?:doen|maken)", re.I, "het doen en wij doen; maken, het maken"),  # looks behind the offset
    (r"\bis\b", 0, "crisis is er, analysis is"),  # a word boundary sees the character before
    (r"ab|b", 0, "abab bb"),  # matches next to each other: none inside the one before
    (r"(?:zal|zullen)\s+(?:ik|we)", re.I, "ZAL IK? Zullen we het doen, zal ik."),
    (r"^Ik\s+\w+", 0, "Ik zal het doen. Ik ook."),  # only at the start
    (r"(?m)^ik\b", 0, "ik ga\nik kom\nwij ik"),  # multi-line: at every line
    (r"toezesging", re.I, "De toezeſging: a long s, which re.IGNORECASE reads as s"),
    (r"\bik\b", re.I, "İk zal het doen, ik"),  # a capital dotted I: the text is not lowered, all is scanned
]


@pytest.mark.parametrize("pattern, flags, text", _TRICKY)
def test_start_scan_finds_what_the_pattern_finds(pattern: str, flags: int, text: str) -> None:
    rx = re.compile(pattern, flags)
    scan = StartScan(rx)
    spans = [m.span() for m in rx.finditer(text)]
    assert spans, "the case must hold matches"
    assert [m.span() for m in scan.finditer(text, lowered_or_none(text))] == spans
    assert [m.span() for m in scan.finditer(text)] == spans  # without the lowered text: the pattern as it is
    first = rx.search(text)
    assert scan.search(text, lowered_or_none(text)).span() == first.span()
    assert scan.search("geen van alle", "geen van alle") is None


def _scanned_patterns() -> list[tuple[str, re.Pattern[str]]]:
    """Every pattern the build runs through a StartScan: cues, anchors, suppressions and markers of the
    statements, deadline phrases, amounts and dates, article keywords, fund names."""
    from kb.laws.citation import _grammar
    from kb.measures import default_fund_config
    from kb.statements.deadlines import grammar
    from kb.tagger.values import _ALL

    cues = load_cues()
    out = [(f"cue {c.id}", rx) for c in cues.cues for rx in c.regexes]
    out += [(f"anchor {c.id}", c.anchor) for c in cues.cues if c.anchor is not None]
    out += [(f"suppress {cid}", rx) for cid, rx in cues.suppress]
    out += [("conditional", cues.conditional), ("concessive", cues.concessive)]
    g = grammar()
    out += [(f"deadline {kind}", rx) for kind, rx in g.cores] + [("vague", g.vague), ("recurrence", g.recurrence)]
    out += [(f"value {i}", rx) for i, rx in enumerate(_ALL)]
    out += [("article keyword", _grammar()["keyword"]), ("fund", default_fund_config().fund_regex)]
    return out


def test_start_scans_find_what_every_pattern_finds(tmp_path) -> None:
    """On the tuning sentences, the shipped corpus and a few regulations (article references, dates, amounts)."""
    from _regelgeving import unpack_slice

    texts = _sentences()
    for path in sorted(unpack_slice(tmp_path, ("wet/BWBR0020078", "AMvB/BWBR0023920")).rglob("*.md")):
        texts.extend(p for p in path.read_text(encoding="utf-8").split("\n\n") if p.strip())
    lowered = [lowered_or_none(t) for t in texts]
    matched = skipped = 0
    for name, rx in _scanned_patterns():
        scan = StartScan(rx)
        skipped += scan._automaton is not None or scan.at_beginning
        for text, low in zip(texts, lowered):
            want = [m.span() for m in rx.finditer(text)]
            assert [m.span() for m in scan.finditer(text, low)] == want, (name, text)
            matched += len(want)
    assert matched > 2000 and skipped > 100  # the check ran on patterns that do match, and scan by their openings
