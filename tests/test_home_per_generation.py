"""The home page's collection figures are computed once per published generation, and follow a new one.

On a collection of thousands of regulations the counts scan every mention (seconds); a generation
never changes after it is published, so computing them once per generation is exact."""
from __future__ import annotations

from pathlib import Path

import pytest

from kb.store import Store
from support import build_kb
from webapp.app import create_app

DOC = "# Beleidsnota {n}\n\n## Inleiding\n\nDe IND en het COA werken samen aan de opvang van asielzoekers ({n}).\n"


def _documents_on_home(client) -> int:
    page = client.get("/index.json")
    assert page.status_code == 200, page.status_code
    return page.get_json()["counts"]["documents"]


def test_home_counts_once_per_generation_and_follow_a_new_build(tmp_path: Path,
                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    corpus, data = tmp_path / "corpus", tmp_path / "data"
    corpus.mkdir()
    (corpus / "nota-1.md").write_text(DOC.format(n=1), encoding="utf-8")
    settings = build_kb(corpus, data)
    calls: list[str] = []
    counts = Store.collection_counts
    monkeypatch.setattr(Store, "collection_counts", lambda self: calls.append(str(self.path)) or counts(self))
    client = create_app(settings, testing=True).test_client()

    assert _documents_on_home(client) == 1
    assert _documents_on_home(client) == 1
    assert len(calls) == 1  # the second request reused the first one's figures

    (corpus / "nota-2.md").write_text(DOC.format(n=2), encoding="utf-8")
    build_kb(corpus, data)  # the build's own summary counts too: only the page's calls are counted below
    calls.clear()
    assert _documents_on_home(client) == 2  # the new generation's figures, not the old ones
    assert _documents_on_home(client) == 2
    assert len(calls) == 1 and "gen-000002" in calls[0]
