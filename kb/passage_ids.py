"""One spelling for passage ids, shared by the index, related passages, allocations and the web app.

A *passage* is a window of blocks inside a section (:mod:`kb.passages` cuts them).  Its id is the
section id when the passage is the whole section, else ``"{section_id}~p{first_block}"`` —
readable, stable as long as the section's blocks are, and safe in a URL path segment (no ``/``).
"""
from __future__ import annotations

import re

_SUFFIX = re.compile(r"~p(\d+)$")


def passage_id(section_id: str, block_index: int | None = None) -> str:
    return section_id if block_index is None else f"{section_id}~p{block_index}"


def parse_passage_id(pid: str) -> tuple[str, int | None]:
    """``"doc:sec~p3"`` -> ``("doc:sec", 3)``; a bare section id -> ``(section_id, None)``."""
    m = _SUFFIX.search(pid)
    if not m:
        return pid, None
    return pid[: m.start()], int(m.group(1))
