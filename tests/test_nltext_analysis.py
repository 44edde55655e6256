"""The Dutch analysis chain of nltext: compounds, shared heads, participles, BM25 — and bounded costs
(issue 16 #3: compound splitting; #4: elliptic compounds)."""
from __future__ import annotations

import random
import string

import numpy as np
import pytest

from _cost import assert_linear
from nltext import EXPANSION, PART, PRIMARY, Analyzer, Vocabulary, bm25, build_vocabulary, vocabulary_counts
from nltext.compounds import shared_head_compounds
from nltext.verbs import infinitive

VOCAB = build_vocabulary(vocabulary_counts([
    "asiel aanvraag terugkeer beleid reis systeem wacht lijsten tijden naturalisatie dienst bescherming jeugd gezin"
    " migratie procedure herkomst vaststelling identiteits ontwikkelen realiseren versterken oprichten leggen volgen"
    " gebieden gebruiken intensiveren"
]))


class CountingSet(frozenset):
    """A vocabulary word set that counts lookups."""

    lookups = 0

    def __contains__(self, item: object) -> bool:
        CountingSet.lookups += 1
        return frozenset.__contains__(self, item)


def _counting(vocab: Vocabulary) -> Vocabulary:
    v = Vocabulary(vocab.words)
    v.words = CountingSet(v.words)
    return v


# -- compounds ---------------------------------------------------------------------------------
def test_split_fewest_parts_with_linking_morphemes() -> None:
    assert VOCAB.split("terugkeerbeleid") == ("terugkeer", "beleid")
    assert Vocabulary(["beleid", "verslag"]).split("beleidsverslag") == ("beleid", "verslag")  # linking s
    assert Vocabulary(["terugkeer"]).split("terugkeerbeleid") is None  # "beleid" unknown
    assert VOCAB.split("beleid") is None  # one part is no compound


@pytest.mark.parametrize("word, head", [
    ("migratiebeleid", "beleid"),
    ("herkomstvaststelling", "vaststelling"),
    ("gezinsbescherming", "bescherming"),  # the linking s goes with the modifier
    ("naturalisatiedienst", "dienst"),
    ("uitreissysteem", "reissysteem"),  # a first element shorter than a part ("uit")
])
def test_head_of_a_compound(word: str, head: str) -> None:
    assert VOCAB.head_of(word) == head


def test_head_after_the_longest_known_prefix() -> None:
    assert Vocabulary(["herkomst"]).head_of("herkomstvaststelling") == "vaststelling"


def test_shared_heads_are_completed() -> None:
    found = [w for _s, _e, w in shared_head_compounds("de identiteits- en herkomstvaststelling en het Europese "
                                                      "asiel- en migratiebeleid; in- en uitreis", VOCAB)]
    assert found == ["identiteitsvaststelling", "asielbeleid"]  # "in-" is no word of its own
    assert VOCAB.complete_right("wachtlijsten", "tijden") == "wachttijden"


def test_chain_tokens() -> None:
    an = Analyzer(VOCAB, parts="inline")
    kinds = {(t.text, t.kind) for t in an.tokens("het EU in- en uitreissysteem en de jeugd- en gezinsbescherming")}
    assert (an.stem("inreissysteem"), EXPANSION) in kinds and (an.stem("jeugdbescherming"), EXPANSION) in kinds
    assert (an.stem("gezin"), PART) in kinds and (an.stem("bescherming"), PART) in kinds
    toks = an.tokens("de aanpak van de wachtlijsten")
    assert [(t.text, t.pos) for t in toks if t.kind == PRIMARY] == [("aanpak", 0), ("wachtlijst", 1)]
    # every token points at the word as written
    text = "De asielprocedures worden verkort."
    assert {t.written(text) for t in an.tokens(text)} == {"asielprocedures", "verkort"}  # "worden" is a stop word


@pytest.mark.parametrize("form, inf", [
    ("ontwikkeld", "ontwikkelen"), ("gerealiseerd", "realiseren"), ("versterkt", "versterken"),
    ("opgericht", "oprichten"), ("gelegd", "leggen"), ("gevolgd", "volgen"), ("geintensiveerd", "intensiveren"),
    ("gebruikt", "gebruiken"),
])
def test_participles_meet_their_infinitive(form: str, inf: str) -> None:
    assert infinitive(form, VOCAB) == inf
    an = Analyzer(VOCAB)
    assert an.stem(inf) in {t.text for t in an.tokens(form)}


def test_nouns_are_no_participles() -> None:
    assert infinitive("gebied", VOCAB) != "bieden"  # a noun that merely starts with "ge"
    assert infinitive("kort", VOCAB) is None


# -- issue 16 #3: compound splitting is bounded -------------------------------------------------
def _random_word(n: int, seed: int) -> str:
    rnd = random.Random(seed)
    return "".join(rnd.choice(string.ascii_lowercase) for _ in range(n))


def test_a_200000_letter_word_costs_one_length_check() -> None:
    v = _counting(VOCAB)
    CountingSet.lookups = 0
    word = "beleid" * 33_334
    assert v.split(word) is None and v.head_of(word) is None and v.modifier_of(word) is None
    assert CountingSet.lookups == 0
    an = Analyzer(v)
    toks = an.tokens(word + " en terugkeerbeleid")
    assert {t.kind for t in toks if t.start == 0} == {PRIMARY}  # the long word is a word, not split
    assert (an.stem("terugkeer"), PART) in {(t.text, t.kind) for t in toks}


def test_compound_splitting_work_does_not_grow_with_word_length() -> None:
    counter = [0]

    def make(n: int):
        counter[0] += 1
        text = f"terugkeerbeleid {_random_word(n, counter[0])} asielaanvraag"
        an = Analyzer(Vocabulary(VOCAB.words | {_random_word(60, -i) for i in range(50)}))
        return lambda: an.tokens(text)

    small, big = assert_linear(make, 5_000)
    assert big <= small * 1.1  # beyond the cap a word costs the same whatever its length


def test_split_cost_is_capped_by_the_longest_vocabulary_word() -> None:
    v = _counting(Vocabulary(["asiel", "beleid", "terugkeer"]))
    CountingSet.lookups = 0
    v.split(_random_word(64, 1))
    # at most (letters) x (longest word - shortest part + 1) lookups, far below 64 * 64
    assert CountingSet.lookups <= 64 * (len("terugkeer") - 4 + 1)


# -- issue 16 #4: elliptic compounds are cheap ----------------------------------------------------
def test_elliptic_compound_with_a_long_word_is_cheap() -> None:
    counter = [0]

    def make(n: int):
        counter[0] += 1
        text = "in- en " + _random_word(n, counter[0])
        an = Analyzer(Vocabulary(VOCAB.words))
        return lambda: an.tokens(text)

    small, big = assert_linear(make, 490)
    assert big < 5_000  # a few hundred calls: no suffix of a word that long is tried


# -- BM25 -------------------------------------------------------------------------------------------
def test_bm25f_matches_the_formula() -> None:
    lengths = np.array([10.0, 20.0, 30.0], np.float32)
    inv = bm25.inverse_length_norm(lengths, 0.75)
    avg = lengths.mean()
    assert np.allclose(inv, 1 / (1 - 0.75 + 0.75 * lengths / avg))
    scorer = bm25.BM25F(k1=1.2, weights={"text": 1.0, "title": 2.0}, b={"text": 0.75, "title": 0.5})
    norms = {"text": inv, "title": bm25.inverse_length_norm(np.array([2.0, 2.0, 4.0]), 0.5)}
    acc = scorer.pseudo_tf(3, [("text", np.array([0, 2]), np.array([1.0, 3.0], np.float32)),
                               ("title", np.array([2]), np.array([1.0], np.float32))], norms)
    expected2 = 3.0 * inv[2] + 2.0 * norms["title"][2]
    assert acc[1] == 0 and np.isclose(acc[2], expected2)
    s = scorer.score(acc, df=2, n=3)
    idf = np.log(1 + (3 - 2 + 0.5) / (2 + 0.5))
    assert np.isclose(s[2], idf * expected2 * 2.2 / (expected2 + 1.2))
    assert s[0] > 0 and s[1] == 0


def test_term_matrix_postings() -> None:
    m = bm25.TermMatrix.from_counts([{"a": 2, "b": 1}, {"b": 1}, {}])
    assert m.n == 3 and m.df("b") == 2 and m.df("c") == 0
    assert list(m.tf("a")) == [2, 0, 0] and list(m.lengths) == [3, 1, 0]
