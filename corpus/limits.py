"""Limits on what the corpus layer reads, so that every per-file cost is bounded.

The bounds are the settings object's ``Reading`` (the corpus layer never reads the
environment itself); the defaults are generous for real policy documents (a 400-page annual
report is ~2 MB of text) and refuse what no reader can handle in reasonable time.
"""
from __future__ import annotations

from settings import Reading as ReadLimits  # one home: the settings object defines the bounds

from .model import ReaderError

__all__ = ["DEFAULT_LIMITS", "ReadLimits", "human_bytes", "thousands", "too_much_text"]

DEFAULT_LIMITS = ReadLimits()


def human_bytes(n: int) -> str:
    """``52428800`` -> ``"50,0 MB"`` (Dutch decimal comma), for messages."""
    for unit, size in (("GB", 1024 ** 3), ("MB", 1024 ** 2), ("kB", 1024)):
        if n >= size:
            return f"{n / size:.1f} {unit}".replace(".", ",")
    return f"{n} bytes"


def thousands(n: int) -> str:
    """``8000000`` -> ``"8.000.000"`` (Dutch thousands separator), for messages."""
    return f"{n:,}".replace(",", ".")


def too_much_text(source_path: str, chars: int, limit: int) -> ReaderError:
    """The error for a document with more text than ``max_text_chars`` allows, worded once for every
    reader (plain text, Word, PDF).  ``chars`` is the text read when the limit was passed: all of
    it where the reader counts first, the pages so far where it stops early (PDF)."""
    return ReaderError(source_path, f"te veel tekst: {thousands(chars)} tekens gelezen, "
                                    f"de grens is {thousands(limit)} tekens")
