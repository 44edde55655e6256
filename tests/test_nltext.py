"""The Dutch text core: folding, slugs, stop words, stemming, the acronym rule, alias keys, word lists."""
from __future__ import annotations

import pickle

import unicodedata

import pytest
from hypothesis import given, settings, strategies as st

import nltext
from nltext import lexicon
from nltext.fold import _FOLD, alias_key, fold, fold_key, normalise, normalise_with_map, slug
from support import SHARED, SHIPPED_CORPUS


def test_fold_case_accents_ligatures_and_invisible_characters() -> None:
    assert fold("Financiële") == "financiele"
    assert fold("FINANCIËLE") == fold("financiele")
    assert fold("terug\u00adkeer") == "terugkeer"  # soft hyphen
    assert fold("zero\u200bwidth") == "zerowidth"
    assert fold("ĳsbeer") == "ijsbeer" and fold("ﬁnanciën") == "financien"  # ligatures
    assert fold("Straße") == "strasse" and fold("Ørsted") == "orsted" and fold("Œuvre") == "oeuvre"
    assert fold("geïntensiveerd") == "geintensiveerd"


def _fold_whole_text(text: str) -> str:
    """fold as it was first written: the whole text translated, decomposed and stripped of combining marks."""
    text = text.lower().translate(_FOLD)
    if text.isascii():
        return text
    text = unicodedata.normalize("NFKD", text)
    return "".join(c for c in text if not unicodedata.combining(c)).translate(_FOLD)


#: ASCII, Latin letters with accents, combining marks (also in runs and out of order), ligatures,
#: invisible characters, signs ("§", "€", "–") and other scripts: what fold meets, run by run.
_FOLD_ALPHABET = st.sampled_from(list(
    "aZ09 .-'\n\t" "éËïçñøßæœĳı" "\u0301\u0308\u0327\u0323\u035c" "ﬁﬂ" "\u00ad\u200b\ufeff" "§€–’“”½²"
    "ΩЖ中ǅǈᾈ" "\u1e9e\u0130\u212b\u2126"))


def test_the_fold_table_maps_no_ascii_character() -> None:
    """What makes folding run by run right: ASCII passes the table unchanged."""
    assert _FOLD and all(cp > 0x7F for cp in _FOLD)


@settings(max_examples=400, deadline=None)
@given(st.lists(_FOLD_ALPHABET, max_size=40).map("".join))
def test_fold_run_by_run_equals_folding_the_whole_text(text: str) -> None:
    assert fold(text) == _fold_whole_text(text)


def test_fold_of_real_text_equals_folding_the_whole_text() -> None:
    files = [p for p in sorted(SHIPPED_CORPUS.iterdir()) if p.suffix in (".md", ".txt")]
    files += sorted((SHARED / "corpus-extra" / "algoritmekader").rglob("*.md"))[::5]
    assert len(files) > 40
    for path in files:
        for line in path.read_text(encoding="utf-8").splitlines():
            assert fold(line) == _fold_whole_text(line), (path.name, line)


def test_fold_key_unifies_dashes_and_apostrophes() -> None:
    assert fold_key("LO’s") == fold_key("LO's") == "lo's"
    assert fold_key("ECRIS–TCN") == "ecris-tcn"
    assert fold_key("\u2013") == "-"


def test_alias_key_collides_spellings_of_one_name() -> None:
    assert alias_key("Immigratie - en Naturalisatiedienst") == alias_key("immigratie- en  naturalisatiedienst")
    assert alias_key("Asiel–  en Migratiefonds") == "asiel-en migratiefonds"


def test_normalise_with_map_points_into_the_source() -> None:
    text = "Het\u00a0‘instrument’\u00ad  werkt –\nNU"
    norm, idx = normalise_with_map(text)
    assert norm == "het 'instrument' werkt - nu"
    assert all(text[i].lower() in (norm[k], "\u00a0", "\n", "‘", "’", "–") or norm[k] == " " for k, i in enumerate(idx))
    assert normalise("(Inter)nationale: samen-werking!", loose=True) == "inter nationale samen werking"
    assert normalise("Financiële") == "financiele"  # accents fold for quote lookup too


@pytest.mark.parametrize("text, expected", [
    ("Financiële middelen", "financiele-middelen"),
    ("LO's in bron- en transitlanden", "los-in-bron-en-transitlanden"),
    ("DT&V", "dt-en-v"),
    ("ESF+", "esf-plus"),
    ("90% cofinanciering", "90-procent-cofinanciering"),
    ("☃☃", ""),
])
def test_slug(text: str, expected: str) -> None:
    assert slug(text) == expected


def test_slug_is_cut_at_a_hyphen() -> None:
    s = slug("een " * 40, max_length=20)
    assert len(s) <= 20 and not s.endswith("-") and s.startswith("een-een")


def test_stop_words_are_one_list_with_tiers() -> None:
    from spacy.lang.nl.stop_words import STOP_WORDS as SPACY

    assert lexicon.FUNCTION_WORDS <= lexicon.DUTCH_STOP_WORDS <= lexicon.ALL_STOP_WORDS
    assert {"de", "het", "een", "van", "en"} <= lexicon.FUNCTION_WORDS
    # search keeps general words searchable; the tagger and related passages drop them
    assert "eigen" not in lexicon.FUNCTION_WORDS and "eigen" in lexicon.DUTCH_STOP_WORDS
    assert {"the", "for"} <= lexicon.ALL_STOP_WORDS - lexicon.DUTCH_STOP_WORDS
    # spaCy's Dutch list is covered (curly apostrophes folded), without importing its source
    assert {fold_key(w) for w in SPACY} <= lexicon.DUTCH_STOP_WORDS
    assert nltext.is_stop("Zo’n") and nltext.is_stop("Bijvoorbeeld") and not nltext.is_stop("terugkeer")


def test_word_lists_are_data() -> None:
    assert lexicon.MONTHS["mrt"] == 3 and lexicon.MONTHS["december"] == 12
    assert lexicon.MONEY_SCALES["mld"] == 10**9
    assert "hoeveel" in lexicon.QUESTION_WORDS and "gaat" in lexicon.QUESTION_FILLERS
    assert {"van", "en", "the"} <= lexicon.NAME_CONNECTORS
    assert "o.a." in lexicon.ABBREVIATIONS_NEVER_FINAL and "etc." in lexicon.ABBREVIATIONS_MAY_BE_FINAL


def test_malformed_word_table_is_reported(tmp_path, monkeypatch) -> None:
    (tmp_path / "broken.tsv").write_text("word-without-value\n", encoding="utf-8")
    monkeypatch.setattr(lexicon, "DATA_DIR", tmp_path)
    lexicon.word_table.cache_clear()
    try:
        with pytest.raises(ValueError, match="broken.tsv"):
            lexicon.word_table("broken")
    finally:
        lexicon.word_table.cache_clear()


def test_stemmer_is_snowball_dutch_and_pickles() -> None:
    st = nltext.stemmer()
    assert st("statushouders") == st("statushouder")
    assert st("achterstanden") == st("achterstand")
    assert st("2019") == "2019" and st("ab") == "ab"
    clone = pickle.loads(pickle.dumps(st))
    assert clone == st and clone("beleidsverslagen") == st("beleidsverslagen")


@pytest.mark.parametrize("word, like, acronym", [
    ("IND", True, True), ("JenV", True, True), ("DT&V", True, True), ("VB1", True, True), ("ECRIS", True, True),
    ("Rb", False, True), ("EU", True, True), ("2019", True, True), ("Beleid", False, False), ("SenB", True, True), ("Wet SenB", False, False), ("AB CD", True, False),
])
def test_acronym_rule(word: str, like: bool, acronym: bool) -> None:
    assert nltext.acronym_like(word) is like
    assert nltext.is_acronym(word) is acronym


def test_alias_matcher_longest_match_and_case_rules() -> None:
    m = nltext.AliasMatcher([
        {"id": "ind", "name": "Immigratie- en Naturalisatiedienst", "aliases": ["IND"]},
        {"id": "coa", "name": "Centraal Orgaan opvang asielzoekers", "aliases": ["COA"]},
        {"id": "rechtspraak", "name": "Rechtspraak", "case_sensitive": ["Rechtspraak"]},
    ])
    found = m.find("De immigratie - en naturalisatiedienst (IND) en het COA; de ind en de rechtspraak.")
    assert [x.entity_id for x in found] == ["ind", "ind", "coa"]  # "ind" and "rechtspraak" as written do not match
    assert m.resolve("IND") == "ind" and m.resolve("coa") == "coa"


def test_form_keys() -> None:
    assert nltext.form_key("ECRIS – TCN", "cs") == nltext.form_key("ECRIS-TCN", "cs")
    assert nltext.form_key("Immigratie - en Naturalisatiedienst", "ci") == nltext.form_key(
        "immigratie- en naturalisatiedienst", "ci")
    assert nltext.form_mode("IND") == "cs" and nltext.form_mode("Politie") == "ci"
    assert nltext.form_mode("Rechtspraak", ["Rechtspraak"]) == "cs"
