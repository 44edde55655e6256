"""Shared fixtures: a knowledge base and index built once per test session from the shipped corpus."""
from __future__ import annotations

from pathlib import Path

import pytest

from settings import Settings
from support import ARTIFACTS, SHIPPED_CORPUS, build_kb, copy_kb


@pytest.fixture(scope="session")
def built_settings(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    """Settings of a data directory built from the shipped corpus (real SQLite file, real index)."""
    return build_kb(SHIPPED_CORPUS, tmp_path_factory.mktemp("data"), spacy_model="nl_core_news_sm")


@pytest.fixture(scope="session")
def built_store(built_settings: Settings):
    """A read-only connection to the session's built knowledge base."""
    from kb.store import Store

    store = Store(built_settings.db_path, readonly=True)
    yield store
    store.close()


@pytest.fixture(scope="session")
def searcher(built_settings: Settings, built_store):
    """A searcher over the session's index (built by the real pipeline)."""
    from indexer import Searcher

    return Searcher(built_settings.index_dir, built_store)


@pytest.fixture()
def store_copy(built_settings: Settings, tmp_path: Path):
    """A writable copy of the session's knowledge base, for tests that change it."""
    store = copy_kb(built_settings, tmp_path / "kb")
    yield store
    store.close()


@pytest.fixture(scope="session")
def artifacts_dir() -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS
