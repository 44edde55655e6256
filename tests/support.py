"""Plain helpers the test modules share (fixtures live in ``conftest.py``; nothing here is a test).

There is one way to build a knowledge base in the tests: :func:`build_kb`, the product's own
build (readers, tagger, extraction, index) on a corpus folder.  The session builds the shipped
corpus once (``built_settings`` in conftest); a test that must write to a knowledge base gets a
file copy of that one (:func:`copy_kb`), and a test that needs other documents builds its own
small corpus folder with :func:`build_kb`.
"""
from __future__ import annotations

import os
import shutil
import sqlite3
from contextlib import closing
from pathlib import Path

from corpus.model import Document
from settings import PROJECT_ROOT, Settings

SHIPPED_CORPUS = PROJECT_ROOT / "corpus" / "documents"
SHARED = PROJECT_ROOT.parent / "shared"
ARTIFACTS = PROJECT_ROOT / "test-artifacts"
#: The installed command-line program (``make install`` puts it in the project's .venv).
EXE = str(Path(os.environ.get("VIRTUAL_ENV", PROJECT_ROOT / ".venv")) / "bin" / "beleidsbank")
if not Path(EXE).exists():
    EXE = shutil.which("beleidsbank") or EXE
#: The two shipped documents: a multi-year plan and an annual report.
PLAN_ID = "contourennota-migratie-veiligheidsfondsen-2021-2027"
REPORT_ID = "jenv-jaarverslag-2020-beleidsverslag"


def build_kb(corpus_dir: Path, data_dir: Path, **settings: object) -> Settings:
    """Build a knowledge base and index from ``corpus_dir`` into ``data_dir`` with the product's pipeline."""
    from beleidsbank.pipeline import build

    built = Settings(data_dir=data_dir, corpus_dir=corpus_dir, **settings)  # type: ignore[arg-type]
    report = build(built, progress=False, echo=lambda _msg: None)
    assert not report.errors, report.errors
    return built


def copy_kb(settings: Settings, dest_dir: Path):
    """A writable :class:`kb.store.Store` on a copy of a built knowledge base (SQLite's backup API,
    so what is still in the write-ahead log is copied too)."""
    from kb.store import Store

    dest_dir.mkdir(parents=True, exist_ok=True)
    path = dest_dir / settings.db_path.name
    with closing(sqlite3.connect(f"file:{settings.db_path}?mode=ro", uri=True)) as src, \
            closing(sqlite3.connect(path)) as dst:
        src.backup(dst)
    return Store(path)


def load_shipped() -> dict[str, Document]:
    """The shipped documents as the product's reader reads them, by id."""
    from corpus.loader import discover, load_document

    docs = [load_document(p, SHIPPED_CORPUS) for p in discover(SHIPPED_CORPUS)]
    return {d.id: d for d in docs}


def get_html(client, url: str, status: int = 200) -> str:
    """GET a UI page through Flask's test client, checking status and HTML mimetype."""
    resp = client.get(url)
    assert resp.status_code == status, (url, resp.status_code)
    assert resp.mimetype == "text/html"
    return resp.get_data(as_text=True)


def section_dict(blocks: list[str], title: str = "Titel", section_id: str = "doc:sec") -> dict:
    """A store-shaped section whose blocks (paragraphs) are the given texts, a blank line apart."""
    text, spans = "", []
    for b in blocks:
        if text:
            text += "\n\n"
        spans.append([len(text), len(text) + len(b), "paragraph", 0])
        text += b
    return {"id": section_id, "title": title, "text": text, "blocks": spans}
