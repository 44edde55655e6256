"""The tagging stage's shortcuts give the answers of the long way round.

The build skips work where it cannot change an answer: spaCy's tokenizer cache holds far more chunks and
the whitespace special cases (which switched it off per text) are gone; sentence starts are decided per
token when asked; register names are looked up only where the next word goes on a name; allocations and
measures skip documents without a percentage or a fund.  Each test compares with the long way (or with a
case the shortcut must not lose)."""
from __future__ import annotations

import random

import pytest
from spacy.symbols import ORTH

from corpus.model import Block, Document, Section
from kb.allocations import extract_allocations
from kb.laws.extract import RegulationFile
from kb.laws.store import InMemoryRegister
from kb.measures import extract_measures
from kb.tagger import build_tagger
from kb.tagger.candidates import _BULLETS, _OPEN, _SENT_END, make_doc, sentence_starts, token_texts
from kb.tagger.tokenizer import CACHE_CHUNKS, blank_dutch
from support import load_shipped

#: whitespace, markup, abbreviations with a full stop ("art.", "o.a.") and special cases in one text
EDGES = ["a\tb  c\u00a0d \n e\n\n\nf", " begin met spaties ", "\n", "art. 3 o.a. ’s-Gravenhage\n\n- Tekst (IND).",
         "Immigratie- en Naturalisatiedienst|WAO", "fondsen<sup>1</sup> NGO's HSP’s Wet SenB. WPO.Voor"]


def _texts() -> list[str]:
    return EDGES + [s.text for d in load_shipped().values() for s in d.sections if s.text.strip()]


def _tokens(nlp, text: str) -> list[tuple[str, int, str]]:
    return [(t.text, t.idx, t.whitespace_) for t in nlp.tokenizer(text)]


def test_tokens_are_those_of_spacys_own_settings() -> None:
    """The cache and the dropped whitespace rules change no token: the same texts, tokenized twice (cold
    and from the cache), give what a tokenizer without a cache and with the whitespace rules gives."""
    ours = blank_dutch()
    assert ours.tokenizer.max_cache_size == CACHE_CHUNKS
    reference = blank_dutch()
    rules = dict(reference.tokenizer.rules)
    spacy_rules = type(reference).Defaults.tokenizer_exceptions
    whitespace = {k: v for k, v in spacy_rules.items() if not k.strip()}
    assert whitespace and not any(k in rules for k in whitespace)  # spaCy has them; the policy rules drop them
    rules.update(whitespace)
    reference.tokenizer.rules = rules
    reference.tokenizer.max_cache_size = 0
    texts = _texts()
    assert len(texts) > 100
    for _ in range(2):
        for text in texts:
            assert _tokens(ours, text) == _tokens(reference, text), text[:80]


def _eager_starts(doc) -> list[bool]:
    """The sentence-start flags of every token, left to right (what ``sentence_starts`` answers per token)."""
    texts = token_texts(doc)
    flags = [False] * len(texts)
    last, newline = -1, True
    for i, text in enumerate(texts):
        if text.isspace():
            newline = newline or "\n" in text
            continue
        if last < 0:
            flags[i] = True
        else:
            prev = texts[last]
            if newline or prev in _SENT_END or prev.endswith("."):
                flags[i] = True
            elif prev in _BULLETS or prev in _OPEN or len(prev) <= 2 and doc[last].like_num:
                flags[i] = flags[last]
        last, newline = i, False
    return flags


def test_sentence_starts_asked_in_any_order_are_those_of_a_pass_over_all_tokens() -> None:
    nlp = blank_dutch()
    rnd = random.Random(7)
    texts = _texts() + ["- - ‘ 2. Tekst", "a\n- b", "1. 2. 3 Foo", "Zie (a) en ‘b’. - “C”"]
    starts_seen = 0
    for text in texts:
        doc = make_doc(nlp, text)
        want = _eager_starts(doc)
        starts = sentence_starts(doc)
        order = list(range(len(doc)))
        rnd.shuffle(order)
        got = dict((i, starts[i]) for i in order)
        assert [got[i] for i in range(len(doc))] == want, text[:80]
        assert len(starts) == len(doc) and (not len(doc) or starts[-1] == want[-1])
        starts_seen += sum(want)
    assert starts_seen > 500


def _reg(bwb: str, title: str, kind: str = "wet") -> RegulationFile:
    return RegulationFile(bwb=bwb, kind=kind, title=title, citeertitels=[title], links=[], defined=[])


@pytest.fixture(scope="module")
def law_tagger():
    return build_tagger(model=None, register=InMemoryRegister.from_files([
        _reg("BWBR9930001", "Reglement verkeersregels en verkeerstekens 1990", kind="AMvB"),
        _reg("BWBR9930002", "Ziektewet"),
        _reg("BWBR9930003", "Wet op de ondernemingsraden"),
    ]))


@pytest.mark.parametrize("text, surface, bwb", [
    ("Volgens het Reglement verkeersregels en verkeerstekens 1990 mag dat.",
     "Reglement verkeersregels en verkeerstekens 1990", "BWBR9930001"),
    # the next word of a name after more than one space or a line break (whitespace tokens between)
    ("Volgens het Reglement  verkeersregels en verkeerstekens 1990 mag dat.",
     "Reglement  verkeersregels en verkeerstekens 1990", "BWBR9930001"),
    ("Volgens het Reglement\nverkeersregels en verkeerstekens 1990 mag dat.",
     "Reglement\nverkeersregels en verkeerstekens 1990", "BWBR9930001"),
    ("De Ziektewet geldt.", "Ziektewet", "BWBR9930002"),  # a name of one word
    ("Op grond van de Wet op de ondernemingsraden geldt dit.", "Wet op de ondernemingsraden", "BWBR9930003"),
])
def test_register_names_whose_first_word_names_nothing_alone(law_tagger, text, surface, bwb) -> None:
    laws = [(e.text, e.refs.get("bwb")) for e in law_tagger.tag(text) if e.label == "LAW"]
    assert laws == [(surface, bwb)]


def test_first_words_without_the_rest_of_a_name_cite_nothing(law_tagger) -> None:
    text = "Het Reglement is van de wet; de Wet op tijd, Wet op de ondernemingsraad."
    assert [e.text for e in law_tagger.tag(text) if e.refs.get("bwb")] == []


def _section(doc_id: str, n: int, title: str, paragraphs: list[str]) -> Section:
    text = "\n\n".join(paragraphs)
    blocks, pos = [], 0
    for p in paragraphs:
        blocks.append(Block(pos, pos + len(p), "paragraph"))
        pos += len(p) + 2
    return Section(id=f"{doc_id}:{n}", document_id=doc_id, title=title, level=1, parent_id=None, path=[title],
                   order=n, text=text, blocks=blocks)


def _document(doc_id: str, sections: list[Section]) -> Document:
    d = Document(id=doc_id, source_path=f"{doc_id}.md", title="Plan", format="markdown", encoding="utf-8",
                 sha256="0")
    d.sections = sections
    return d


def test_allocation_written_in_words_with_its_fund_in_the_sentence_only() -> None:
    """No title names a fund and the share is "procent", not "%": the shortcuts must still read it."""
    doc = _document("plan-y", [
        _section("plan-y", 0, "Inleiding", ["Dit plan beschrijft de inzet."]),
        _section("plan-y", 1, "Verdeling", ["Wij zijn voornemens om 12 procent van de AMIF middelen te alloceren."]),
    ])
    assert [(a["fund"], a["share"]) for a in extract_allocations(doc)] == [("AMIF", 12.0)]
    assert extract_measures(doc) == []  # no title names a fund: no fund context, no measures


def test_fund_named_only_in_a_title_gives_the_allocation_its_fund() -> None:
    doc = _document("plan-z", [
        _section("plan-z", 0, "ISF Allocatie middelen", ["Voor de opleiding is 40% gereserveerd."]),
    ])
    assert [(a["fund"], a["share"]) for a in extract_allocations(doc)] == [("ISF", 40.0)]


def test_documents_without_a_percentage_or_a_fund_hold_no_allocations() -> None:
    plain = _document("plain", [_section("plain", 0, "AMF", ["Het AMF steunt opvang; 20 mensen werken eraan."])])
    assert extract_allocations(plain) == []
    no_fund = _document("no-fund", [_section("no-fund", 0, "Begroting", ["Wij alloceren 20% aan opvang."])])
    assert extract_allocations(no_fund) == []


def test_whitespace_rules_are_spacys_not_ours() -> None:
    """The rules dropped are spaCy's whitespace cases exactly (one token with or without them)."""
    nlp = blank_dutch()
    for ws in ("\n", "\t", "\u00a0"):
        assert ws not in nlp.tokenizer.rules
        assert [t.text for t in nlp.tokenizer(f"a {ws}b")] == ["a", ws, "b"]
    assert " " not in nlp.tokenizer.rules
    assert [t.text for t in nlp.tokenizer("a  b")] == ["a", " ", "b"]
    assert nlp.tokenizer.rules["’s-Gravenhage"] == [{ORTH: "’s-Gravenhage"}]
