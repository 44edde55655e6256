"""Turn raw file bytes into clean text, and say what was done to them.

Users bring files from many sources (PDF extractions, old Word exports, web pages), so the
bytes are decoded defensively: UTF-8 (with or without BOM) first; a file that is UTF-8 with
a few broken bytes stays UTF-8 (the bad bytes become U+FFFD, reported with their offset);
only a file without any UTF-8 multi-byte sequence is read as Windows-1252, the single-byte
encoding real Dutch government files still use, and that is reported too.  Anything that
looks binary is refused with an error that names the file, and control characters (NUL and
friends) are removed wherever they are, so none ever reaches a page or a JSON answer.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from itertools import filterfalse
from os import PathLike

from .model import ReaderError

SOFT_HYPHEN = "\u00ad"
_BOM = b"\xef\xbb\xbf"
# Control characters that never occur in text files (tab, newline, CR and form feed do).
_CONTROL = set(range(0, 32)) - {9, 10, 12, 13}
_CONTROL_BYTES = bytes(sorted(_CONTROL))
_INWORD_SOFT_HYPHEN = re.compile(SOFT_HYPHEN + r"+(?!\n)")
_OTHER_INVISIBLES = re.compile("[\u200b\u200c\u200d\u2060\ufeff]")
# Control characters removed from decoded text: C0 except tab, newline, CR and form feed; DEL;
# C1 (U+0080-U+009F, what undefined Windows-1252 bytes and stray Latin-1 give); non-characters.
_TEXT_CONTROLS = re.compile("[\x00-\x08\x0b\x0e-\x1f\x7f-\x9f\ufffe\uffff]")
# In finished text (titles, blocks, metadata) only tab and newline remain.
_OUTPUT_CONTROLS = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ufffe\uffff]")
_RAW_CONTROL = re.compile(rb"[\x00-\x08\x0b\x0e-\x1f\x7f]|\xc2[\x80-\x9f]")
_UTF8_MULTIBYTE = re.compile(rb"[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}|[\xf0-\xf4][\x80-\xbf]{3}")
_RARE_SYMBOLS = set("$^`{|}~\\@\ufffd") | {chr(c) for c in range(0x80, 0xa0)}
_WORDLIKE = re.compile(r"^[(\"'‘“\[]*(?:[^\W\d_]+(?:[-'’/.][^\W\d_]+)*|[-+−€$]?\d[\d.,:/%-]*)[.,;:!?)\]\"'’”%-]*$")


def strip_controls(text: str) -> str:
    """Remove control characters from finished text (tab and newline stay)."""
    return _OUTPUT_CONTROLS.sub("", text)


@dataclass
class Decoded:
    text: str
    encoding: str
    warnings: list[str] = field(default_factory=list)


def _looks_binary(data: bytes) -> bool:
    """NUL bytes or many control bytes mean an image, archive, PDF stream, ... not text."""
    sample = data[:65536]
    if b"\x00" in sample:
        return True
    if not sample:
        return False
    controls = len(sample) - len(sample.translate(None, _CONTROL_BYTES))  # one C pass, not a loop per byte
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


def decode(data: bytes, path: str | PathLike[str], declared: str | None = None) -> Decoded:
    """Decode file bytes into clean text plus warnings; raise ReaderError for binary data.

    ``declared`` is an encoding the file itself names (an HTML ``<meta charset>``); it is
    trusted only when the bytes are not valid UTF-8.
    """
    name = str(path)
    warnings: list[str] = []
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
    except UnicodeDecodeError as exc:
        first = exc.start + (len(data) - len(body))
        bad = _count_invalid_utf8(body)
        single = _single_byte_codec(declared)
        if single is None and _UTF8_MULTIBYTE.search(body):
            # Mostly UTF-8 with some broken bytes: keep the UTF-8, mark what was broken.
            text = body.decode("utf-8", errors="replace")
            warnings.append(f"ongeldige UTF-8 op byte {first}" + (f" en {bad - 1} andere plaatsen" if bad > 1 else "")
                            + "; vervangen door �")
        else:
            codec = single or "cp1252"
            try:
                text, encoding = body.decode(codec), codec
            except UnicodeDecodeError:
                # cp1252 leaves five bytes undefined; latin-1 maps them and never fails.
                text, encoding = body.decode("latin-1"), "latin-1"
            if single is None:  # a file that names its encoding was read as it says: nothing to report
                warnings.append(f"geen UTF-8 (eerste afwijkende byte op positie {first}); gelezen als "
                                f"{'Windows-1252' if encoding == 'cp1252' else encoding}")
    controls = _RAW_CONTROL.search(data)
    text = normalise_text(text)
    cleaned, removed = _TEXT_CONTROLS.subn("", text)
    if removed:
        where = f" (eerste op byte {controls.start()})" if controls else ""
        warnings.append(f"{removed} stuurteken(s) verwijderd{where}")
    return Decoded(cleaned, encoding, warnings)


def _count_invalid_utf8(body: bytes) -> int:
    """How many invalid sequences the bytes hold (one linear decode)."""
    return body.decode("utf-8", errors="replace").count("\ufffd") - body.count("\ufffd".encode())


def _single_byte_codec(declared: str | None) -> str | None:
    """A declared single-byte encoding we can decode with (``iso-8859-1`` -> cp1252, as browsers do)."""
    if not declared:
        return None
    name = declared.strip().lower().replace("_", "-")
    if name in ("iso-8859-1", "latin1", "latin-1", "us-ascii", "ascii", "windows-1252", "cp1252"):
        return "cp1252"
    if name in ("iso-8859-15", "latin-9"):
        return "iso8859-15"
    return None


def decode_bytes(data: bytes, path: str | PathLike[str]) -> tuple[str, str]:
    """Decode file bytes; return ``(text, encoding)``; raise ReaderError for binary data."""
    decoded = decode(data, path)
    return decoded.text, decoded.encoding


def _count_wordlike(tokens: list[str]) -> int:
    """How many tokens _WORDLIKE matches, without running the pattern on the (most) purely alphabetic ones.

    A token of letters only is matched by ``[^\\W\\d_]+`` (re's ``\\w`` is isalnum() or "_", and no
    letter is a decimal digit), so str.isalpha() answers for it; the counting stays in C.
    """
    return sum(map(str.isalpha, tokens)) + sum(1 for _ in filter(_WORDLIKE.match, filterfalse(str.isalpha, tokens)))


def looks_like_text(text: str) -> bool:
    """Prose, not random bytes: most whitespace-separated tokens are words or numbers.

    Random bytes that survive decoding are symbol soup ("k#9}Q@t") or letters without
    spaces; Dutch prose, and even a table of figures with labels, consists mostly of tokens
    that are a word or a number with some punctuation around it.
    """
    sample = text[:200_000]
    tokens = sample.split()
    if not tokens:
        return False
    visible = sum(len(t) for t in tokens)
    if visible / len(tokens) > 25:  # no word boundaries at all
        return False
    if len(tokens) < 20 or _count_wordlike(tokens) >= 0.5 * len(tokens):
        return True
    # Markup (Markdown, inline HTML) is not word-like either, but has few rare symbols.
    rare = sum(1 for c in sample if c in _RARE_SYMBOLS or not c.isprintable() and not c.isspace())
    return rare < 0.12 * visible
