"""Shared fixtures: a knowledge base and index built once per test session from the shipped corpus."""
from __future__ import annotations

from pathlib import Path
from typing import Any

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


@pytest.fixture(scope="session")
def mixed_settings(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    """A knowledge base built from a small mixed collection (``support.write_mixed_corpus``): every
    format, an unreadable scan, an unknown file type and a handful of regulations."""
    from _regelgeving import ARCHIVE as REGULATIONS_ARCHIVE
    from support import write_mixed_corpus
    from tests.fixtures.make_docx import libreoffice

    if libreoffice() is None:
        pytest.skip("LibreOffice (make sysdeps) is nodig voor de PDF- en Word-bestanden")
    if not REGULATIONS_ARCHIVE.is_file():
        pytest.skip(f"{REGULATIONS_ARCHIVE} ontbreekt")
    from beleidsbank.pipeline import build

    root = tmp_path_factory.mktemp("mixed")
    roles = write_mixed_corpus(root / "corpus")
    settings = Settings(data_dir=root / "data", corpus_dir=root / "corpus")
    report = build(settings, progress=False, echo=lambda _msg: None)
    # the scan and the unknown file are reported (and stored as unread); nothing else goes wrong
    assert sorted(path for path, _reason in report.unread) == sorted([roles["unknown"], roles["scan"]])
    assert len(report.errors) == len(report.unread), report.errors
    return settings


@pytest.fixture(scope="session")
def shipped_client(built_settings: Settings):
    """Flask's test client on the app serving the shipped collection."""
    from webapp import create_app

    return create_app(built_settings, testing=True).test_client()


@pytest.fixture(scope="session")
def mixed_client(mixed_settings: Settings):
    """Flask's test client on the app serving the mixed collection."""
    from webapp import create_app

    return create_app(mixed_settings, testing=True).test_client()


@pytest.fixture(scope="session")
def rich_section(built_store) -> dict[str, Any]:
    """A section with footnotes and linked entity mentions."""
    for sec in built_store.sections():
        if sec["footnotes"] and any(m["entity_id"] for m in built_store.mentions(section_id=sec["id"])):
            return sec
    raise AssertionError("the shipped corpus has no section with footnotes and mentions")


@pytest.fixture(scope="session")
def spread_entity(built_store) -> dict[str, Any]:
    """An entity mentioned in more than one document."""
    for ent in built_store.entities():
        docs = {m["document_id"] for m in built_store.mentions(entity_id=ent["id"])}
        if len(docs) > 1:
            return ent
    raise AssertionError("the shipped corpus has no entity mentioned in two documents")


@pytest.fixture(scope="module")
def catalogue_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The small test catalogue (``tagger_support.TINY_CATALOGUE``) as YAML files."""
    from tagger_support import TINY_CATALOGUE

    d = tmp_path_factory.mktemp("catalogue")
    for name, text in TINY_CATALOGUE.items():
        (d / name).write_text(text.lstrip(), encoding="utf-8")
    return d


@pytest.fixture(scope="module")
def tagger(catalogue_dir: Path):
    """A tagger on the small test catalogue, without a statistical model."""
    from kb.catalogue import load_catalogue
    from kb.tagger import build_tagger

    return build_tagger(catalogue=load_catalogue(catalogue_dir), model=None)


# -- the web app on the shipped collection (UI and API tests; a module that needs another app defines
#    its own ``app`` or ``client``, which then takes precedence) ----------------------------------------
@pytest.fixture(scope="session")
def settings(built_settings: Settings) -> Settings:
    return built_settings


@pytest.fixture(scope="session")
def store(built_store):
    return built_store


@pytest.fixture(scope="session")
def app(settings: Settings):
    from webapp import create_app

    return create_app(settings, testing=True)


@pytest.fixture(scope="session")
def client(app):
    return app.test_client()


@pytest.fixture(scope="module")
def spec(client) -> dict[str, Any]:
    """The OpenAPI document served by the module's ``client``."""
    from api_support import openapi_spec

    return openapi_spec(client)


@pytest.fixture(scope="module")
def validate(spec: dict[str, Any]):
    """validate(resp, "/search", "get") -> parsed JSON body, checked against the spec's schema."""
    from api_support import response_validator

    return response_validator(spec)


# -- the search tests (test_search_*.py) ------------------------------------------------------------------
@pytest.fixture(scope="session")
def kb(built_settings: Settings, built_store):
    """The session's knowledge base and index folder, as the search tests address them."""
    return {"store": built_store, "index": built_settings.index_dir}


@pytest.fixture(scope="session")
def s(kb):
    """A Searcher over the session's index (the search tests' short name for it)."""
    from indexer import Searcher

    return Searcher(kb["index"], kb["store"])
