"""Definitions found in windows around the parentheses (kb.tagger.windows, DefinitionFinder.find_text) are
exactly those found by tokenizing the whole text: same rows, same offsets, same order.  Compared on the
shipped corpus, the Algoritmekader pages and a regulations slice (when ../shared is there), and on
generated and hand-made awkward texts; plus the tokenizer-level claim the windows rest on."""
from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from corpus import Document, iter_corpus
from kb.tagger import Tagger, build_tagger
from kb.tagger.candidates import make_doc
from kb.tagger.catalogue_matcher import set_norms
from kb.tagger.definitions import definition_windows
from kb.tagger.windows import crossing_pairs, token_windows

from _regelgeving import unpack_slice
from support import SHARED, SHIPPED_CORPUS

ALGORITMEKADER = SHARED / "corpus-extra" / "algoritmekader"

AWKWARD = [
    "(IND)", "(", ")", "()", "( )", "(IND", "IND)", "a (", "(hierna: Wet X)", "de Wet X (hierna: Wet X)",
    "Immigratie - en Naturalisatiedienst (IND)", "Immigratie- en Naturalisatiedienst (IND) en de IND.",
    "EES (Entry-Exit System)", "EES (Entry-Exit System) en het EES", "SIS (Schengen Informatie Systeem)",
    "de Dienst Terugkeer en Vertrek (DT&V) en (DT&V) en Dienst Terugkeer en Vertrek (DTV)",
    "het Ministerie van Justitie en Veiligheid (JenV)\nen het Ministerie van Justitie en Veiligheid (J&V)",
    "Bureau ICT-toetsing\n(BIT)", "Bureau ICT-toetsing (BIT\n)", "Bureau  ICT-toetsing  (BIT)", "Bureau\tICT (BIT)",
    "een gemeenschappelijke vreemdelingenlocatie ontwikkeld(GVL)", "((IND))", "(a (b (c) d) e)", ") ( ) (",
    "het programma Werk aan Uitvoering (WaU) en de applicatie Mijn Dossier (MD)",
    "de Wet herziening tenuitvoerlegging strafrechtelijke beslissingen (wet USB) in werking",
    "Wet maatschappelijke ondersteuning (Wmo 2015)", "Nationaal Programma Onderwijs (NP Onderwijs)",
    " \n (IND) \n ", "lid: (a) de Nederlandsche Bank (DNB)", "s: (:);^* Nederlandsche Bank (DNB)",
    "woorden " * 30 + "de Raad van State (RvS) " + "woorden " * 30,
    "Raad van State (RvS)" + " x" * 40 + " (RvS)", "a\xa0b Raad van State\xa0(RvS)",
    # as far back as find reads: a 14-word long form, labelled by the word before it ("programma")
    "Het programma Alfa Bravo en Charlie Delta van Echo Foxtrot Golf Hotel India Juliet Kilo Lima (ABCDEFGHIJKL) x.",
    # as far ahead: 14 words between "(" and ")", each parenthesis a run of its own
    "Het ABCDEFGHIJKS ( Alfa Bravo en Charlie Delta van Echo Foxtrot Golf Hotel India Juliet Kilo Systeem ) x.",
]


@pytest.fixture(scope="module")
def real_tagger() -> Tagger:
    """The tagger of a build (shipped catalogue, no statistical model)."""
    return build_tagger(model=None)


def whole_text_definitions(tagger: Tagger, text: str) -> list[dict[str, Any]]:
    """What find_definitions gave before windows: the whole text tokenized, then DefinitionFinder.find."""
    if "(" not in text:
        return []
    doc = make_doc(tagger.nlp, text)
    set_norms(doc)
    return tagger.nlp.get_pipe("bb_definitions").find(doc)[0]


def assert_same(tagger: Tagger, texts: list[str]) -> int:
    """Compare both ways over ``texts``; the number of definitions compared."""
    n = 0
    for text in texts:
        want = whole_text_definitions(tagger, text)
        assert tagger.find_definitions(text) == want, text
        n += len(want)
    return n


def section_texts(root: Path) -> list[str]:
    return [s.text for d in iter_corpus(root) if isinstance(d, Document) for s in d.sections]


# -- the tokenizer claim ------------------------------------------------------------------------------
def window_tokens_match(tagger: Tagger, text: str, windows: list[tuple[int, int]]) -> bool:
    full = [(t.idx, t.text) for t in make_doc(tagger.nlp, text)]
    for start, end in windows:
        part = [(start + t.idx, t.text) for t in make_doc(tagger.nlp, text[start:end])]
        if part != [tok for tok in full if start <= tok[0] < end]:
            return False
    return True


def tight_windows(tagger: Tagger, text: str, pairs: frozenset[tuple[str, str]]) -> list[tuple[int, int]]:
    """Windows of just the run of each "(" (and what safe cuts add): many cuts, many chances to cut wrongly."""
    anchors = [i for i, c in enumerate(text) if c == "("]
    return token_windows(text, anchors, runs_before=0, runs_after=0, stop_before=lambda g: False,
                         stop_after=lambda g: False, pairs=pairs)


EMOTICONISH = st.text(alphabet=list(":()-'s a.8_^;*x\n\t"), min_size=1, max_size=16)


@settings(max_examples=3000, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=EMOTICONISH)
def test_windows_tokenize_as_the_whole_text(real_tagger: Tagger, text: str) -> None:
    assert window_tokens_match(real_tagger, text, tight_windows(real_tagger, text, crossing_pairs(real_tagger.nlp)))


def test_cutting_at_any_single_space_would_change_tokens(real_tagger: Tagger) -> None:
    """Why windows avoid some cuts: ":(" matches ":" "(" across the space and hides the special case "(:"."""
    text = "s: (:);^* s"
    assert not window_tokens_match(real_tagger, text, tight_windows(real_tagger, text, frozenset()))
    assert window_tokens_match(real_tagger, text, tight_windows(real_tagger, text, crossing_pairs(real_tagger.nlp)))


def test_windows_leave_out_text_far_from_parentheses(real_tagger: Tagger) -> None:
    text = "woord " * 200 + "de Raad van State (RvS) " + "woord " * 200
    [(start, end)] = definition_windows(real_tagger.nlp, text)
    assert 0 < start < text.index("(") < end < len(text) and end - start < len(text) // 10
    assert definition_windows(real_tagger.nlp, "geen haakjes") == []


# -- definitions: windows give what the whole text gives ------------------------------------------------
@pytest.mark.parametrize("text", AWKWARD)
def test_awkward_texts(real_tagger: Tagger, text: str) -> None:
    assert_same(real_tagger, [text])


WORDS = ["de", "het", "van", "en", "voor", "Raad", "State", "Dienst", "Terugkeer", "Vertrek", "DT&V", "RvS",
         "IND", "Immigratie", "-", "Naturalisatiedienst", "hierna:", "Wet", "SenB", "wet", "USB", "EES",
         "Entry-Exit", "System", "Ministerie", "Justitie", "Veiligheid", "JenV", "(", ")", "(IND)", "(RvS)",
         "programma", "Werk", "aan", "Uitvoering", "(WaU)", ":", ".", "lid:", "(a)", "s", "2015", "Wmo"]
SEPARATORS = [" ", " ", " ", " ", "  ", "\n", "\t", " \n", "\xa0", ""]


@settings(max_examples=1500, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(parts=st.lists(st.tuples(st.sampled_from(WORDS), st.sampled_from(SEPARATORS)), max_size=80))
def test_generated_texts(real_tagger: Tagger, parts: list[tuple[str, str]]) -> None:
    assert_same(real_tagger, ["".join(w + s for w, s in parts)])


def test_shipped_corpus(real_tagger: Tagger) -> None:
    texts = section_texts(SHIPPED_CORPUS)
    assert len(texts) > 100
    assert assert_same(real_tagger, texts) > 20


@pytest.mark.skipif(not ALGORITMEKADER.is_dir(), reason=f"{ALGORITMEKADER} not present")
def test_algoritmekader(real_tagger: Tagger) -> None:
    texts = section_texts(ALGORITMEKADER)
    assert len(texts) > 1000
    assert assert_same(real_tagger, texts) > 20


def test_regulations_slice(real_tagger: Tagger, tmp_path: Path) -> None:
    texts = section_texts(unpack_slice(tmp_path))
    assert len(texts) > 500
    assert assert_same(real_tagger, texts) > 0
