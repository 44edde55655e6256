"""Issue 16 #1: the tagger's cost on "X en Y en ..." name chains grows linearly (counted, not timed)."""
from __future__ import annotations

import pytest

from _cost import assert_linear


@pytest.fixture(scope="module")
def tagger():
    from kb.tagger.pipeline import build_tagger

    return build_tagger()


def test_name_chain_with_en_is_linear(tagger) -> None:
    def make(n: int):
        text = "IND en COA " * n
        return lambda: tagger.tag(text)

    assert_linear(make, 60)


def test_name_chain_with_heads_is_linear(tagger) -> None:
    """Every link of the chain a name with a head noun: each "en" splits, and the work stays linear."""
    def make(n: int):
        text = "Tweede Kamer en Raad van State en " * n + "Politie."
        return lambda: tagger.tag(text)

    assert_linear(make, 30)


def test_comma_lists_inside_a_name_are_linear(tagger) -> None:
    def make(n: int):
        text = "Fonds voor Asiel, " + "Migratie, " * n + "en Integratie"
        return lambda: tagger.tag(text)

    assert_linear(make, 60)


def test_chains_still_split_into_names(tagger) -> None:
    ents = tagger.tag("De Tweede Kamer en de Eerste Kamer spraken met de Raad voor de Strafrechtstoepassing en "
                      "Jeugdbescherming.")
    texts = [e.text for e in ents]
    assert "Raad voor de Strafrechtstoepassing en Jeugdbescherming" in texts
    assert "Tweede Kamer" in texts and "Eerste Kamer" in texts
