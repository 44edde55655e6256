"""What a build reports (files read, unchanged, removed, tagged, not read; time per stage; counts) and
how it shows progress: a tqdm bar per stage on stderr, a timer per stage for the summary."""
from __future__ import annotations

import sys
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Iterator

from tqdm import tqdm

if TYPE_CHECKING:  # pragma: no cover
    from kb.laws.store import RegisterReport

__all__ = ["BuildReport", "progress_bar", "timed_stage"]


@dataclass
class BuildReport:
    read: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    tagged: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    #: Files not read, with the reason ("scan.pdf", "geen tekstlaag"); also stored in the knowledge base.
    unread: list[tuple[str, str]] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    pipeline: str = ""
    index_rebuilt: bool = False
    seconds: float = 0.0
    #: Seconds per stage (bestanden, tagger, lezen, taggen, entiteiten, index, afronden).
    stages: dict[str, float] = field(default_factory=dict)
    counts: dict[str, Any] = field(default_factory=dict)  # Store.collection_counts()
    generation: str = ""
    index: dict[str, Any] = field(default_factory=dict)
    store: dict[str, Any] = field(default_factory=dict)
    register: "RegisterReport | None" = None

    @property
    def changed(self) -> bool:
        return bool(self.read or self.removed or self.tagged)


def progress_bar(iterable=None, *, desc: str, total: int | None = None, progress: bool = True, unit: str = "doc"):
    return tqdm(iterable, desc=desc, total=total, unit=unit, file=sys.stderr, disable=not progress, leave=False,
                mininterval=0.5)


@contextmanager
def timed_stage(report: BuildReport, name: str) -> Iterator[None]:
    t0 = time.perf_counter()
    try:
        yield
    finally:
        report.stages[name] = round(report.stages.get(name, 0.0) + time.perf_counter() - t0, 3)
