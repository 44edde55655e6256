"""Request budgets (issue 16): /tag, search and related stop when their time is up and say so in
problem+json (503, Retry-After) or a Dutch error page, instead of working on after the client left.

No wall-clock thresholds: a counting clock (one "second" per reading) makes the budget run out
after a known number of checks, so the tests assert *that* and *where* the work stopped; the
worst-case test uses the real clock only to let the work run out of a small budget, and checks
by counting that it stopped before the end.
"""
from __future__ import annotations

import time
from dataclasses import replace

import pytest
from flask import Flask

from settings import Settings
from settings.budget import Budget, BudgetExceeded, check
from webapp import create_app

API = "/api/v1"


class CountingClock:
    """Each reading is one second later than the one before."""

    def __init__(self) -> None:
        self.readings = 0

    def __call__(self) -> float:
        self.readings += 1
        return float(self.readings)


def app_with(settings: Settings, clock=None, **limits: float) -> Flask:
    lim = replace(settings.limits, post_burst=1000, **limits)
    app = create_app(replace(settings, limits=lim), testing=True)
    if clock is not None:
        app.config["BUDGET_CLOCK"] = clock
    return app


def assert_budget_problem(resp, stage: str) -> dict:
    assert resp.status_code == 503, resp.get_data(as_text=True)[:300]
    assert resp.mimetype == "application/problem+json" and int(resp.headers["Retry-After"]) >= 1
    body = resp.get_json()
    assert body["type"].endswith("/api#fout-budget-op") and body["status"] == 503
    assert stage in body["detail"] and "seconden rekentijd" in body["detail"]
    return body


# -- the budget object -----------------------------------------------------------------------------
def test_budget_is_checked_only_where_it_is_active() -> None:
    check("buiten een aanvraag")  # no budget: nothing happens (the CLI and the build)
    clock = CountingClock()
    budget = Budget(2, clock=clock)
    with budget.active():
        check("stap")  # 1 second used
        check("stap")  # 2 seconds: still within
        with pytest.raises(BudgetExceeded) as exc:
            check("het taggen")
    assert exc.value.stage == "het taggen" and exc.value.checks == 3
    check("weer buiten")  # the budget ended with its block


# -- text analysis ---------------------------------------------------------------------------------
def test_tag_answers_within_its_budget(built_settings: Settings) -> None:
    clock = CountingClock()
    client = app_with(built_settings, clock, text_budget_seconds=1000).test_client()
    resp = client.post(f"{API}/tag", json={"text": "De IND en het COA."})
    assert resp.status_code == 200 and resp.get_json()["entities"]
    assert 5 < clock.readings < 1000  # the tagger checked its budget along the way


def test_tag_is_stopped_where_its_budget_ends(built_settings: Settings) -> None:
    full = CountingClock()
    app_with(built_settings, full, text_budget_seconds=1000).test_client().post(f"{API}/tag", json={"text": "De IND."})
    for seconds in (0, 3):
        clock = CountingClock()
        client = app_with(built_settings, clock, text_budget_seconds=seconds).test_client()
        assert_budget_problem(client.post(f"{API}/tag", json={"text": "De IND en het COA."}), "het taggen")
        assert clock.readings == seconds + 2 < full.readings  # start + the checks it was allowed + the failing one


def test_worst_case_text_stops_at_the_budget_not_at_the_end(built_settings: Settings) -> None:
    """The probe's text (issue 16 #1): a megabyte of "IND en COA"; the budget stops it half-way."""
    readings = []

    def clock() -> float:
        readings.append(time.monotonic())
        return readings[-1]

    full = CountingClock()
    app_with(built_settings, full, text_budget_seconds=1000).test_client().post(f"{API}/tag", json={"text": "IND en COA"})
    client = app_with(built_settings, clock, text_budget_seconds=0.2).test_client()
    resp = client.post(f"{API}/tag", json={"text": "IND en COA " * 95325})
    assert_budget_problem(resp, "het taggen")
    assert len(readings) < full.readings  # it did not run all its steps


# -- search and related ----------------------------------------------------------------------------
def test_search_and_related_stop_when_their_budget_is_spent(built_settings: Settings) -> None:
    client = app_with(built_settings, CountingClock(), search_budget_seconds=0).test_client()
    assert_budget_problem(client.get(f"{API}/search?q=IND"), "zoek")
    assert_budget_problem(client.get(f"{API}/search.csv?q=IND"), "zoek")
    assert_budget_problem(client.get(f"{API}/related", query_string={"quote": "ECRIS-TCN"}), "zoek")
    # the UI: a Dutch error page with the same reason, and the feed as a problem
    page = client.get("/zoeken?q=IND")
    assert page.status_code == 503 and page.mimetype == "text/html" and int(page.headers["Retry-After"]) >= 1
    assert "rekentijd" in page.get_data(as_text=True)
    assert client.get("/zoeken.atom?q=IND").status_code == 503
    # other pages do not search and are not affected
    assert client.get("/documenten").status_code == 200


def test_search_within_its_budget_is_unaffected(built_settings: Settings) -> None:
    client = app_with(built_settings, CountingClock(), search_budget_seconds=10_000).test_client()
    assert client.get(f"{API}/search?q=IND").status_code == 200
    assert client.get("/zoeken?q=IND").status_code == 200
