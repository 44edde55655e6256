"""A per-request time budget that the work itself checks, so a request stops when its time is up.

Why a budget object checked inside the loops, and not a timeout around the call: Python cannot
stop a thread from outside, so a timeout would answer the client while the tagger or searcher
kept a worker busy for minutes (issue 16: a one-megabyte name chain held a worker for 19
minutes after the client had given up).  Instead the web layer opens a :class:`Budget` for an
expensive request (``with budget.active():``) and the long loops below it (tagger components,
statement sentences, search clauses and results, related-passage candidates) call
:func:`check`, which raises :class:`BudgetExceeded` once the time is spent.  The exception
unwinds the work; the web layer answers ``503`` with a Dutch reason.

The budget is *ambient* (a :mod:`contextvars` variable, per thread and per request) because
the loops sit inside spaCy components and the search core, whose signatures are not ours to
widen; outside a request (the command line, the build) :func:`check` does nothing.

Lives in ``settings`` because every layer may import it and it imports nothing of ours.
"""
from __future__ import annotations

import time
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Callable, Iterator

Clock = Callable[[], float]

_current: ContextVar["Budget | None"] = ContextVar("beleidsbank_budget", default=None)


class BudgetExceeded(Exception):
    """The request used up its time budget; ``stage`` says where the work was."""

    def __init__(self, seconds: float, stage: str, checks: int) -> None:
        super().__init__(f"budget of {seconds:g} s used up during {stage}")
        self.seconds = seconds
        self.stage = stage
        self.checks = checks


class Budget:
    """``seconds`` of work from the moment it is created; ``clock`` is ``time.monotonic`` unless a
    test passes one that counts (so tests assert *where* the work stopped, never how long it took)."""

    def __init__(self, seconds: float, *, clock: Clock | None = None) -> None:
        self.seconds = float(seconds)
        self.clock = clock or time.monotonic
        self.start = self.clock()
        self.checks = 0
        self.stage = ""

    @property
    def remaining(self) -> float:
        return self.seconds - (self.clock() - self.start)

    def check(self, stage: str = "") -> None:
        """Raise :class:`BudgetExceeded` when the time is up."""
        self.checks += 1
        if stage:
            self.stage = stage
        if self.clock() - self.start > self.seconds:
            raise BudgetExceeded(self.seconds, self.stage or "het werk", self.checks)

    @contextmanager
    def active(self) -> Iterator["Budget"]:
        """Make this the budget :func:`check` looks at, for the duration of the block."""
        token = _current.set(self)
        try:
            yield self
        finally:
            _current.reset(token)


def current() -> Budget | None:
    return _current.get()


def check(stage: str = "") -> None:
    """Check the active budget, if any (a no-op outside a budgeted request).  Cheap: call it once
    per unit of work in a loop whose length depends on the input."""
    budget = _current.get()
    if budget is not None:
        budget.check(stage)
