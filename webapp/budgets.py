"""Request budgets in the web layer: which requests get one, how long, and what the user is told.

Text analysis (``POST /tag``, ``POST /statements``) gets ``Limits.text_budget_seconds``; a search
or related-passages request (UI and API, feeds and each batch of an export) gets
``Limits.search_budget_seconds``.  The work checks the budget itself (``settings.budget``); when
it runs out the API answers ``503`` problem+json with ``Retry-After`` and the UI a Dutch error
page, both saying where the work stopped.

The clock is ``time.monotonic`` unless the app's config holds ``BUDGET_CLOCK`` (tests put a
counting clock there, so they can assert where the work stopped without timing anything).
"""
from __future__ import annotations

import math
from contextlib import contextmanager
from typing import Iterator, Literal

from flask import current_app

from settings.budget import Budget, BudgetExceeded

Kind = Literal["text", "search"]

#: Where the work was when no loop named its stage (stages passed to ``check`` are Dutch phrases too).
_KIND_NL = {"text": "de tekstanalyse", "search": "de zoekopdracht"}


def budget_seconds(kind: Kind) -> float:
    lim = current_app.config["SETTINGS"].limits
    return lim.text_budget_seconds if kind == "text" else lim.search_budget_seconds


@contextmanager
def request_budget(kind: Kind) -> Iterator[Budget]:
    """Run the block under a fresh budget of this kind."""
    budget = Budget(budget_seconds(kind), clock=current_app.config.get("BUDGET_CLOCK"))
    budget.stage = _KIND_NL[kind]
    with budget.active():
        yield budget


def budget_detail(exc: BudgetExceeded) -> str:
    """Dutch reason for a stopped request (never an internal name: stages are Dutch phrases)."""
    seconds = f"{exc.seconds:g}".replace(".", ",")
    return (f"Deze aanvraag kost meer dan de {seconds} seconden rekentijd die de server per aanvraag besteedt; "
            f"het werk is gestopt tijdens {exc.stage}. Maak de tekst korter of de zoekvraag eenvoudiger, "
            "of probeer het later opnieuw.")


def retry_after(exc: BudgetExceeded) -> str:
    return str(max(1, math.ceil(exc.seconds)))
