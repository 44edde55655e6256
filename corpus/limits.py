"""Limits on what the corpus layer reads, so that every per-file cost is bounded.

The application's settings object fills these in (the corpus layer never reads the
environment); the defaults are generous for real policy documents (a 400-page annual
report is ~2 MB of text) and refuse what no reader can handle in reasonable time.
"""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class ReadLimits:
    #: Largest source file read at all (bytes); larger files are reported, not read.
    max_file_bytes: int = 64 * 1024 * 1024
    #: Most characters of text one document may yield (after decoding or extraction).
    max_text_chars: int = 8_000_000
    #: Longest line in a text file (.txt/.md); a longer line is no prose (minified data, a base64 blob).
    max_line_chars: int = 100_000
    #: Largest metadata sidecar or front matter block (bytes).
    max_yaml_bytes: int = 64 * 1024
    #: Deepest nesting of lists/mappings in metadata.
    max_yaml_depth: int = 20
    #: Run OCR (Tesseract) on PDF pages without a text layer; off by default.
    ocr: bool = False


DEFAULT_LIMITS = ReadLimits()


def human_bytes(n: int) -> str:
    """``52428800`` -> ``"50,0 MB"`` (Dutch decimal comma), for messages."""
    for unit, size in (("GB", 1024 ** 3), ("MB", 1024 ** 2), ("kB", 1024)):
        if n >= size:
            return f"{n / size:.1f} {unit}".replace(".", ",")
    return f"{n} bytes"
