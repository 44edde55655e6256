"""Counting work instead of timing it: the cost tests of issue 16 (no wall-clock thresholds).

``work(fn)`` runs ``fn`` and returns how many Python lines and function calls (Python and C)
it executed, through ``sys.settrace``/``sys.setprofile``: a deterministic measure of work that
does not depend on machine load and that sees loops (a quadratic loop of slicing and set
lookups makes no calls, but it runs lines).  ``assert_linear`` feeds the worst case at two
sizes and checks the work grows at most linearly.
"""
from __future__ import annotations

import sys
from typing import Any, Callable


def work(fn: Callable[[], Any]) -> int:
    count = 0

    def trace(_frame, event, _arg):  # noqa: ANN001
        nonlocal count
        count += 1
        return trace

    def prof(_frame, event, _arg):  # noqa: ANN001
        nonlocal count
        if event == "c_call":
            count += 1

    sys.setprofile(prof)
    sys.settrace(trace)
    try:
        fn()
    finally:
        sys.settrace(None)
        sys.setprofile(None)
    return count


def assert_linear(make: Callable[[int], Callable[[], Any]], small: int, factor: int = 4, slack: float = 1.5) -> tuple[int, int]:
    """Work at ``small * factor`` is at most ``factor * slack`` times the work at ``small``
    (a quadratic cost would be ``factor ** 2`` times).  ``make(n)`` must return a callable with
    fresh input and state each time (no cache shared between the two measured runs); one run
    first warms lazy imports."""
    big = small * factor
    make(small)()
    a, b = work(make(small)), work(make(big))
    assert b <= factor * slack * max(a, 1), f"work grew {b / max(a, 1):.1f}x for {factor}x the input ({a} -> {b})"
    return a, b
