"""Written deadlines normalised to dates: the judged list in tests/data/deadlines.json and the grammar's edges."""
from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from kb.statements.deadlines import find_time_expressions, has_future_time, normalise, pick_deadline

DATA = json.loads((Path(__file__).parent / "data" / "deadlines.json").read_text(encoding="utf-8"))


def iso(d: date | None) -> str | None:
    return d.isoformat() if d else None


def test_the_judged_list_is_large_enough() -> None:
    assert len(DATA["items"]) >= 40
    assert len({it["text"] for it in DATA["items"]}) >= 40


@pytest.mark.parametrize("item", DATA["items"], ids=lambda it: f"{it['text']}@{it['ref']}")
def test_deadline_dates(item: dict) -> None:
    t = normalise(item["text"], date.fromisoformat(item["ref"]))
    assert t is not None and t.text == item["text"]  # the whole expression, preposition included
    assert (iso(t.date_from), iso(t.date_to)) == (item["date_from"], item["date_to"])


@pytest.mark.parametrize("item", DATA["undated"], ids=lambda it: it["text"])
def test_without_a_reference_or_counted_from_an_event_only_the_text_is_kept(item: dict) -> None:
    t = normalise(item["text"], None)
    assert t is not None and t.text == item["text"]
    assert t.date_from is None and t.date_to is None
    assert t.relative_to == item["relative_to"]


def test_offsets_index_the_sentence() -> None:
    s = "De Minister zegt de Kamer toe haar in het eerste kwartaal van 2025 te informeren over de aanschaf."
    (t,) = [x for x in find_time_expressions(s) if x.kind == "deadline"]
    assert s[t.start:t.end] == t.text == "in het eerste kwartaal van 2025"


def test_past_dates_are_no_deadlines() -> None:
    s = ("Zoals ik heb toegezegd in mijn brief van 7 maart 2016 (Kamerstuk 29 279, nr. 302) zal ik u twee keer per jaar "
         "apart rapporteren.")
    kinds = {(t.text, t.kind) for t in find_time_expressions(s)}
    assert ("7 maart 2016", "past") in kinds
    assert ("twee keer per jaar", "recurrence") in kinds
    assert pick_deadline(find_time_expressions(s)) is None
    assert [t.kind for t in find_time_expressions("De uitkomsten heb ik u op 24 april jl. toegestuurd.")] == ["past"]


def test_a_deadline_before_the_reference_date_is_still_the_deadline_as_written() -> None:
    # a commitment whose deadline has passed keeps it: its status says "termijn verstreken", not the extraction
    t = normalise("uiterlijk januari 2019", date(2021, 3, 10))
    assert t.kind == "deadline" and iso(t.date_to) == "2019-01-31"


def test_bare_numbers_are_not_years() -> None:
    assert not [t for t in find_time_expressions("Zie Kamerstuk 2019 en de 2025 meldingen.") if t.kind == "deadline"]
    assert [t.text for t in find_time_expressions("Dat gebeurt in 2025.")] == ["in 2025"]


def test_approximate_moments_and_numbers_say_so() -> None:
    assert normalise("voor het kerstreces", date(2021, 3, 10)).approximate
    assert normalise("binnen enkele weken", date(2021, 3, 10)).approximate
    assert not normalise("voor Prinsjesdag 2007").approximate


@pytest.mark.parametrize("sentence, future", [
    ("Deze analyse deel ik zo spoedig mogelijk met uw Kamer.", True),
    ("Ik informeer de Kamer daar elk jaar over.", True),
    ("Ik stuur u na de zomer een brief.", True),
    ("Op 24 april jl. heb ik u de brief gestuurd.", False),
    ("Ik stuur u de brief.", False),
])
def test_future_time(sentence: str, future: bool) -> None:
    assert has_future_time(sentence) is future


@pytest.mark.parametrize("sentence", [
    "Tijdens de behandeling van de wet is daarover gesproken.",  # "tijdens"/"bij" report, they set no time ahead
    "Voor de behandeling van aanvragen is een team ingericht.",  # "voor" = for, and a process needs its object
    "De inzet voor de Europese Raad staat in de geannoteerde agenda.",  # "voor" a council = for
    "Het advies van de Raad van State is ontvangen.",
])
def test_events_that_are_no_deadlines(sentence: str) -> None:
    assert not [t for t in find_time_expressions(sentence) if t.kind in ("deadline", "event")], sentence


def test_an_event_deadline_counts_in_a_sentence_and_names_its_event() -> None:
    s = "Na afloop van de Europese Raad informeer ik uw Kamer over de uitkomsten."
    (t,) = find_time_expressions(s, date(2024, 3, 1))
    assert (t.kind, t.text, t.relative_to, t.date_from, t.date_to) == (
        "event", "Na afloop van de Europese Raad", "Europese Raad", None, None)
    assert has_future_time(s)
