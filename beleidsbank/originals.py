"""The kept copies of the source files ("origineel").

Used by the build (:mod:`beleidsbank.pipeline`) and its worker processes
(:mod:`beleidsbank.workers`), which copy each file they read.
"""
from __future__ import annotations

import os
from pathlib import Path

from corpus.files import read_file
from corpus.limits import ReadLimits
from settings import Settings


def keep_original(path: Path, corpus_dir: Path, doc_id: str, settings: Settings, limits: ReadLimits) -> str:
    """Copy the source file to ``originals/<doc-id><ext>`` in the data directory; return that relative path.

    A copy (not the corpus path) so the file served as "origineel" always belongs to the
    knowledge base that describes it, even when the corpus folder moves or changes later.
    """
    name = f"{doc_id}{path.suffix.lower()}"
    target = settings.originals_dir / name
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(f".{name}.tmp-{os.getpid()}")
    tmp.write_bytes(read_file(path, corpus_dir, limits.max_file_bytes))
    tmp.replace(target)
    return f"{settings.originals_dir.name}/{name}"


def sweep_originals(settings: Settings, keep: set[str]) -> None:
    """Remove copies of documents that are no longer in the knowledge base."""
    if settings.originals_dir.is_dir():
        for f in settings.originals_dir.iterdir():
            if f.is_file() and f"{settings.originals_dir.name}/{f.name}" not in keep:
                f.unlink(missing_ok=True)
