"""What a passage is: a window of consecutive blocks inside one section — the same everywhere.

The search index, related passages, allocations, the web pages and the API all cut a section
into the same windows and name them with the same ids (:mod:`kb.passage_ids`), so a passage id
means one span of text wherever it appears.

A window is closed when adding the next block would pass ``max_words`` words or
``max_blocks`` blocks (a single long block stays alone); windows never cross sections.
``granularity="section"`` keeps whole sections, ``"block"`` one block per passage (options:
``settings.IndexOptions``, chosen by measurement in ``bench/bench_peer.py``).  A section that is
one window has the section id as its passage id; otherwise a window's id is
``"{section_id}~p{first block}"``.
"""
from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass
from typing import Any, Sequence

from kb.passage_ids import parse_passage_id, passage_id
from settings import IndexOptions

DEFAULT_OPTIONS = IndexOptions()


@dataclass(frozen=True)
class PassageSpan:
    """One window: its id and where it is in its section (blocks inclusive, characters half-open)."""

    id: str
    section_id: str
    n: int  # the window's number in its section
    block_start: int
    block_end: int
    char_start: int
    char_end: int

    @property
    def anchor(self) -> str:
        """Fragment of the window's first block on the section page ("p3")."""
        return f"p{self.block_start}"

    def holds_block(self, block_index: int) -> bool:
        return self.block_start <= block_index <= self.block_end


def _get(section: Any, key: str) -> Any:
    return section[key] if isinstance(section, dict) else getattr(section, key)


def _block_bounds(block: Any) -> tuple[int, int]:
    if isinstance(block, (list, tuple)):
        return int(block[0]), int(block[1])
    if isinstance(block, dict):
        return int(block["start"]), int(block["end"])
    return int(block.start), int(block.end)


def window_ranges(text: str, blocks: Sequence[Any], options: IndexOptions = DEFAULT_OPTIONS) -> list[tuple[int, int]]:
    """Block index ranges (inclusive) of the windows of one section."""
    if not blocks:
        return []
    if options.granularity == "section":
        return [(0, len(blocks) - 1)]
    if options.granularity == "block":
        return [(i, i) for i in range(len(blocks))]
    out: list[tuple[int, int]] = []
    start, words = 0, 0
    for i, b in enumerate(blocks):
        s, e = _block_bounds(b)
        w = len(text[s:e].split())
        if i > start and (words + w > options.max_words or i - start >= options.max_blocks):
            out.append((start, i - 1))
            start, words = i, 0
        words += w
    out.append((start, len(blocks) - 1))
    return out


def section_passages(section: Any, options: IndexOptions = DEFAULT_OPTIONS) -> list[PassageSpan]:
    """The windows of a section (a dict from the store or a :class:`corpus.model.Section`)."""
    sid = _get(section, "id")
    blocks = _get(section, "blocks") or []
    ranges = window_ranges(_get(section, "text"), blocks, options)
    one = len(ranges) == 1
    out = []
    for n, (b0, b1) in enumerate(ranges):
        c0, c1 = _block_bounds(blocks[b0])[0], _block_bounds(blocks[b1])[1]
        out.append(PassageSpan(passage_id(sid, None if one else b0), sid, n, b0, b1, c0, c1))
    return out


def passage_of_block(section: Any, block_index: int, options: IndexOptions = DEFAULT_OPTIONS) -> PassageSpan | None:
    """The window holding block ``block_index`` of the section, or None."""
    return next((p for p in section_passages(section, options) if p.holds_block(block_index)), None)


def passage_at(section: Any, offset: int, options: IndexOptions = DEFAULT_OPTIONS) -> PassageSpan | None:
    """The window holding character ``offset`` of the section text, or None."""
    return Locator(section, options).at(offset)


class Locator:
    """The windows of one section, cut once, for many offset lookups (a logarithmic search each)."""

    def __init__(self, section: Any, options: IndexOptions = DEFAULT_OPTIONS) -> None:
        self.spans = section_passages(section, options)
        self._starts = [p.char_start for p in self.spans]

    def at(self, offset: int) -> PassageSpan | None:
        i = bisect_right(self._starts, offset) - 1
        if i >= 0 and offset < self.spans[i].char_end:
            return self.spans[i]
        return None

    def id_at(self, offset: int, fallback: str) -> str:
        span = self.at(offset)
        return span.id if span else fallback


def resolve(section: Any, pid: str, options: IndexOptions = DEFAULT_OPTIONS) -> PassageSpan | None:
    """The window a passage id names in its section: the section's only window for a bare section
    id, else the window starting at (or, for an older single-block id, holding) the given block."""
    _sid, first = parse_passage_id(pid)
    spans = section_passages(section, options)
    if first is None:
        return spans[0] if len(spans) == 1 else None
    return next((p for p in spans if p.block_start == first), None) or \
        next((p for p in spans if p.holds_block(first)), None)
