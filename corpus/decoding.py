"""Turn raw file bytes into clean text.

Users bring files from many sources (PDF extractions, old Word exports, web pages), so the
bytes are decoded defensively: UTF-8 (with or without BOM) first, Windows-1252 as the
fallback real Dutch government files still use, and anything that looks binary is refused
with an error that names the file instead of producing garbage sections.
"""
from __future__ import annotations

import re
from os import PathLike

from .model import ReaderError

SOFT_HYPHEN = "\u00ad"
_BOM = b"\xef\xbb\xbf"
# Control characters that never occur in text files (tab, newline, CR and form feed do).
_CONTROL = set(range(0, 32)) - {9, 10, 12, 13}
_INWORD_SOFT_HYPHEN = re.compile(SOFT_HYPHEN + r"+(?!\n)")
_OTHER_INVISIBLES = re.compile("[\u200b\u200c\u200d\u2060\ufeff]")


def _looks_binary(data: bytes) -> bool:
    """NUL bytes or many control bytes mean an image, archive, PDF stream, ... not text."""
    sample = data[:65536]
    if b"\x00" in sample:
        return True
    if not sample:
        return False
    controls = sum(1 for b in sample if b in _CONTROL)
    return controls / len(sample) > 0.02


def normalise_text(text: str) -> str:
    """Unify newlines and remove invisible characters.

    Soft hyphens inside a line are invisible hyphenation hints and are dropped
    ("rege\\u00adringsjaar" -> "regeringsjaar"); a soft hyphen at the end of a line is
    left in place because it tells the reader to join the two lines without a space.
    """
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = text.replace("\u2028", "\n").replace("\u2029", "\n\n").replace("\x85", "\n")
    text = _INWORD_SOFT_HYPHEN.sub("", text)
    text = _OTHER_INVISIBLES.sub("", text)
    return text.replace("\u00a0", " ")


def decode_bytes(data: bytes, path: str | PathLike[str]) -> tuple[str, str]:
    """Decode file bytes; return ``(text, encoding)``; raise ReaderError for binary data."""
    name = str(path)
    if data.startswith(_BOM):
        body, encoding = data[len(_BOM):], "utf-8-sig"
    else:
        body, encoding = data, "utf-8"
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise ReaderError(name, "UTF-16-bestanden worden niet ondersteund (sla op als UTF-8)")
    if _looks_binary(body):
        raise ReaderError(name, "binair bestand, geen tekst (binary file)")
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        try:
            text, encoding = body.decode("cp1252"), "cp1252"
        except UnicodeDecodeError:
            # cp1252 leaves five bytes undefined; latin-1 maps them and never fails.
            text, encoding = body.decode("latin-1"), "latin-1"
    return normalise_text(text), encoding
