"""Limits on what the corpus layer reads, so that every per-file cost is bounded.

The bounds are the settings object's ``Reading`` (the corpus layer never reads the
environment itself); the defaults are generous for real policy documents (a 400-page annual
report is ~2 MB of text) and refuse what no reader can handle in reasonable time.
"""
from __future__ import annotations

from settings import Reading as ReadLimits  # one home: the settings object defines the bounds

__all__ = ["DEFAULT_LIMITS", "ReadLimits", "human_bytes"]

DEFAULT_LIMITS = ReadLimits()


def human_bytes(n: int) -> str:
    """``52428800`` -> ``"50,0 MB"`` (Dutch decimal comma), for messages."""
    for unit, size in (("GB", 1024 ** 3), ("MB", 1024 ** 2), ("kB", 1024)):
        if n >= size:
            return f"{n / size:.1f} {unit}".replace(".", ",")
    return f"{n} bytes"
