"""Dutch sentence splitter with exact character offsets.

``split_sentences(text)`` returns :class:`Span` objects whose ``start``/``end`` index into
the text given, so ``text[span.start:span.end] == span.text``.  ``section_sentences(section)``
does the same per block of a :class:`corpus.model.Section` (list items are always their own
sentences, a sentence never crosses a block boundary) with offsets into ``section.text``.

Rules, in order:

* a boundary needs ``.``, ``!`` or ``?`` (optionally followed by closing quotes/brackets
  and a footnote number glued to the word: ``overheidssturing.1 Bovendien``), then
  whitespace, then something that can start a sentence (capital, digit, quote, bracket,
  bullet);
* no boundary after a known abbreviation (``o.a.``, ``d.w.z.``, ``bijv.``, ``art.``, ``nr.``,
  ``t.o.v.``, ``v.w.b.``, ``a.s.`` ...), after initials (``J.``, ``J.A.``), or inside numbers
  (``67,5%``, ``10.000``, ``2016/681``);
* abbreviations that often close a sentence (``etc.``, ``enz.``, ``e.d.``, ``mln.``, ``mld.``)
  end one only when the next word starts with a capital that is not itself a name-like
  continuation (it is a heuristic: ``etc. De`` splits, ``etc.) op`` does not);
* ``woord.Volgende`` (a missing space, common in converted PDFs) splits when the left word
  is a lower-case word of three letters or more and the right one a capitalised word;
* a line break inside a block splits when the next line starts a bullet or the previous
  line has no continuation (hard line breaks in lists of allocations etc.).
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Iterable

from nltext.lexicon import ABBREVIATIONS_MAY_BE_FINAL, ABBREVIATIONS_NEVER_FINAL

#: Abbreviations after which a period never ends a sentence (lower-cased, with their dots).
NEVER_FINAL = ABBREVIATIONS_NEVER_FINAL  # nltext/data/abbreviations.tsv, kind "never"
#: Abbreviations that may close a sentence; split only when a capitalised word follows.
MAY_BE_FINAL = ABBREVIATIONS_MAY_BE_FINAL  # kind "may"


def _word_before(text: str, end: int) -> str | None:
    """The non-blank run that ends at ``end`` (or, by ``re``'s ``$`` rule, just before a newline at
    ``end - 1``): what the search ``(\\S+)$`` with ``endpos=end`` found, but by scanning back from
    ``end`` instead of trying every start from 0, which cost quadratic time on long blocks."""
    k = end - 1 if end > 0 and text[end - 1] == "\n" else end
    i = k
    while i > 0 and not text[i - 1].isspace():
        i -= 1
    return text[i:k] if i < k else None


_INITIALS = re.compile(r"^(?:[A-Z]\.){1,4}$")
_END = re.compile(r"[.!?…]+")
_CLOSERS = "\"'”’»)]"
_OPENERS = "\"'“‘«([•-–—*"
_FOOTNOTE = re.compile(r"\d{1,2}(?=\s)")
_LIST_START = re.compile(r"^\s*(?:[-*+•·▪◦]|\(?\d{1,2}[.)]|\(?[a-z][.)])\s")


@dataclass(frozen=True)
class Span:
    start: int
    end: int
    text: str

    def to_dict(self) -> dict[str, Any]:
        return {"start": self.start, "end": self.end, "text": self.text}


def _can_start(text: str, i: int) -> bool:
    if i >= len(text):
        return False
    c = text[i]
    return c.isupper() or c.isdigit() or c in _OPENERS or c in "€$§"


def _boundary_ok(text: str, dot: int, after: int) -> bool:
    """May the sentence end at the period at ``dot`` (``after`` = index after any closers)?"""
    if text[dot] != ".":
        return True
    token = _word_before(text, dot + 1) or ""
    token = token.lstrip(_OPENERS + "/")
    low = token.lower()
    if low in NEVER_FINAL:
        return False
    if _INITIALS.match(token):
        # ``J.A.`` or ``P.``: an initial unless the letter is a whole-sentence-ending word; keep together.
        return False
    if low in MAY_BE_FINAL:
        nxt = text[after:].lstrip()
        return bool(nxt) and (nxt[0].isupper() or nxt[0] in "\"“(")
    # Internal dots of an unknown abbreviation ("a.b.c.") also keep the sentence together.
    if re.fullmatch(r"(?:[a-z]{1,3}\.){2,}", low):
        return False
    return True


def split_sentences(text: str, base: int = 0) -> list[Span]:
    """Sentences of one block (or any text); offsets are ``base`` + index into ``text``."""
    spans: list[Span] = []
    cuts: list[int] = []
    n = len(text)
    # 1. line breaks
    for m in re.finditer(r"\n", text):
        i = m.start()
        prev_line = text[text.rfind("\n", 0, i) + 1 : i]
        next_line = text[i + 1 : text.find("\n", i + 1) if text.find("\n", i + 1) >= 0 else n]
        if not prev_line.strip() or not next_line.strip():
            cuts.append(i)
        elif _LIST_START.match(next_line) or prev_line.endswith("  ") or re.search(r"[.!?:;]\s*$", prev_line):
            cuts.append(i)
        elif re.search(r"\.{3,}\s*\d+\s*$", prev_line) or re.match(r"^\s*\d+(?:[.,]\d+)?\s?%", next_line):
            cuts.append(i)
    # 2. terminal punctuation followed by whitespace
    for m in _END.finditer(text):
        if m.group().count(".") >= 3:
            continue  # dot leaders of a table of contents, or an ellipsis inside a sentence
        dot = m.end() - 1
        j = m.end()
        while j < n and text[j] in _CLOSERS:
            j += 1
        # footnote number glued to the end of a sentence: "overheidssturing.1 Bovendien"
        fn = _FOOTNOTE.match(text, j)  # at j, not on a copy of the rest of the block
        if fn and m.start() > 0 and text[m.start() - 1].isalpha() and text[m.start() - 1].islower():
            j = fn.end()
        if j >= n:
            continue
        if not text[j].isspace():
            # "werkt.Tien": no space after the period
            left = _word_before(text, m.start())
            if (
                text[dot] == "." and j == m.end() and text[j].isupper() and j + 1 < n and text[j + 1].islower()
                and left and re.fullmatch(r"[a-zà-ÿ]{3,}", left.lstrip(_OPENERS))
            ):
                cuts.append(j)
            continue
        k = j
        while k < n and text[k].isspace() and text[k] != "\n":
            k += 1
        if k < n and text[k] == "\n":
            continue  # handled by the line rule
        if not _can_start(text, k):
            continue
        if not _boundary_ok(text, dot, j):
            continue
        # "1. Het op- en inrichten ...": an enumerator at the start of the text or of a line
        line_start = text.rfind("\n", 0, m.start()) + 1
        if re.fullmatch(r"\s*\(?(?:\d{1,2}|[a-z]|[ivx]{1,4})", text[line_start:m.start()]):
            continue
        cuts.append(j)
    cuts = sorted(set(cuts))
    pos = 0
    for cut in cuts + [n]:
        seg = text[pos:cut]
        lead = len(seg) - len(seg.lstrip())
        trail = len(seg.rstrip())
        if trail > lead:
            s, e = pos + lead, pos + trail
            spans.append(Span(base + s, base + e, text[s:e]))
        pos = cut
    return spans


def block_spans(text: str, blocks: Iterable[Any] | None) -> list[tuple[int, int, str]]:
    """(start, end, kind) of the blocks of a section text; paragraphs split at blank lines if none are given."""
    out: list[tuple[int, int, str]] = []
    if blocks:
        for b in blocks:
            if isinstance(b, dict):
                out.append((int(b["start"]), int(b["end"]), str(b.get("kind", "paragraph"))))
            elif isinstance(b, (list, tuple)):
                out.append((int(b[0]), int(b[1]), str(b[2]) if len(b) > 2 else "paragraph"))
            else:
                out.append((b.start, b.end, b.kind))
        return out
    pos = 0
    for m in re.finditer(r"\n\s*\n", text):
        out.append((pos, m.start(), "paragraph"))
        pos = m.end()
    out.append((pos, len(text), "paragraph"))
    return [b for b in out if text[b[0] : b[1]].strip()]


def section_sentences(section: Any) -> list[Span]:
    """Sentences of a section (object with ``text`` and ``blocks``, or a store row dict), in order.

    Offsets index ``section.text``.  Each list item starts a new sentence; sentences never
    cross a block boundary.
    """
    text = section["text"] if isinstance(section, dict) else section.text
    blocks = section["blocks"] if isinstance(section, dict) else section.blocks
    out: list[Span] = []
    for start, end, _kind in block_spans(text, blocks):
        out.extend(split_sentences(text[start:end], base=start))
    return out


def block_index_at(section: Any, offset: int) -> int | None:
    """Index of the block holding character ``offset`` of the section text (None outside every block)."""
    text = section["text"] if isinstance(section, dict) else section.text
    blocks = section["blocks"] if isinstance(section, dict) else section.blocks
    spans = block_spans(text, blocks)
    for i, (s, e, _k) in enumerate(spans):
        if s <= offset < e or (offset == e and s < e):
            return i
    return None
