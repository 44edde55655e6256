"""Shared fixtures: a knowledge base and index built once per test session from the shipped corpus."""
from __future__ import annotations

from pathlib import Path

import pytest

from settings import PROJECT_ROOT, Settings

SHIPPED_CORPUS = PROJECT_ROOT / "corpus" / "documents"
SHARED = PROJECT_ROOT.parent / "shared"
ARTIFACTS = PROJECT_ROOT / "test-artifacts"


@pytest.fixture(scope="session")
def built_settings(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    """Settings of a data directory built from the shipped corpus (real SQLite file, real index)."""
    from beleidsbank.pipeline import build

    data_dir = tmp_path_factory.mktemp("data")
    settings = Settings(data_dir=data_dir, corpus_dir=SHIPPED_CORPUS, spacy_model="nl_core_news_sm")
    report = build(settings, progress=False)
    assert not report.errors, report.errors
    return settings


@pytest.fixture(scope="session")
def built_store(built_settings: Settings):
    """A read-only connection to the session's built knowledge base."""
    from kb.store import Store

    store = Store(built_settings.db_path, readonly=True)
    yield store
    store.close()


@pytest.fixture
def store_copy(built_settings: Settings, tmp_path: Path):
    """A writable copy of the session's knowledge base (SQLite's backup API: consistent under WAL)."""
    import sqlite3

    from kb.store import Store

    target = tmp_path / "kb-copy.sqlite"
    src = sqlite3.connect(f"file:{built_settings.db_path}?mode=ro", uri=True)
    dst = sqlite3.connect(target)
    try:
        src.backup(dst)
    finally:
        dst.close()
        src.close()
    store = Store(target)
    yield store
    store.close()


def get_html(client, url: str, status: int = 200) -> str:
    """GET a UI page through Flask's test client, checking status and HTML mimetype."""
    resp = client.get(url)
    assert resp.status_code == status, (url, resp.status_code)
    assert resp.mimetype == "text/html"
    return resp.get_data(as_text=True)


@pytest.fixture(scope="session")
def artifacts_dir() -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS
