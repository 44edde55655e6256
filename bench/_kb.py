"""The knowledge base a benchmark runs on: built by the product's own pipeline (readers + tagger).

Benchmarks measure the product, so they use its build (``beleidsbank.pipeline.build``) like
``make build`` does; there is no second reader or tagger to drift from it.
"""
from __future__ import annotations

from pathlib import Path

from kb.store import Store
from settings import Settings


def pipeline_store(data_dir: Path, corpus_dir: Path) -> Store:
    """Build ``corpus_dir`` into ``data_dir`` (knowledge base and index) and open the store.

    Raises ``RuntimeError`` naming the files the readers could not read."""
    from beleidsbank.pipeline import build

    settings = Settings(data_dir=Path(data_dir), corpus_dir=Path(corpus_dir))
    report = build(settings, progress=False, echo=lambda msg: None)
    if report.errors:
        raise RuntimeError("build failed: " + "; ".join(report.errors))
    store = Store(settings.db_path)
    store.origin = f"pipeline ({report.pipeline})"  # type: ignore[attr-defined]
    return store
