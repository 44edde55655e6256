"""The build pipeline: incremental, idempotent, all-or-nothing, on real files."""
from __future__ import annotations

import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from settings import Settings
from beleidsbank.pipeline import build
from kb.store import Store
from support import SHARED, SHIPPED_CORPUS


@pytest.fixture()
def corpus_copy(tmp_path: Path) -> Path:
    dest = tmp_path / "corpus"
    shutil.copytree(SHIPPED_CORPUS, dest)
    return dest


def _settings(tmp_path: Path, corpus: Path) -> Settings:
    return Settings(data_dir=tmp_path / "data", corpus_dir=corpus)


def test_build_is_incremental_and_idempotent(tmp_path: Path, corpus_copy: Path) -> None:
    settings = _settings(tmp_path, corpus_copy)
    first = build(settings, progress=False)
    assert sorted(first.read) == ["contourennota-migratie-veiligheidsfondsen-2021-2027",
                                  "jenv-jaarverslag-2020-beleidsverslag"]
    assert first.index_rebuilt and not first.errors
    with Store(settings.db_path, readonly=True) as store:
        ids_before = [s["id"] for s in store.sections()]
        mentions_before = len(store.mentions())
    assert mentions_before > 100

    second = build(settings, progress=False)
    assert second.read == [] and second.tagged == [] and not second.index_rebuilt
    assert len(second.unchanged) == 2

    # A changed document is re-read; the other is untouched.
    txt = corpus_copy / "jenv-jaarverslag-2020-beleidsverslag.txt"
    txt.write_text(txt.read_text(encoding="utf-8") + "\n\nNieuw onderwerp\n\nDe IND heeft dit jaar iets nieuws gedaan.\n",
                   encoding="utf-8")
    third = build(settings, progress=False)
    assert third.read == ["jenv-jaarverslag-2020-beleidsverslag"]
    assert third.index_rebuilt
    with Store(settings.db_path, readonly=True) as store:
        ids_after = [s["id"] for s in store.sections()]
        assert set(ids_before) <= set(ids_after)  # stable ids across builds
        assert any(s["title"] == "Nieuw onderwerp" for s in store.sections("jenv-jaarverslag-2020-beleidsverslag"))

    # A removed document is removed, with its sections and mentions.
    (corpus_copy / "contourennota-migratie-veiligheidsfondsen-2021-2027.md").unlink()
    fourth = build(settings, progress=False)
    assert fourth.removed == ["contourennota-migratie-veiligheidsfondsen-2021-2027"]
    with Store(settings.db_path, readonly=True) as store:
        assert [d["id"] for d in store.documents()] == ["jenv-jaarverslag-2020-beleidsverslag"]
        assert not store.mentions(document_id="contourennota-migratie-veiligheidsfondsen-2021-2027")


def test_bad_files_are_reported_and_skipped(tmp_path: Path, corpus_copy: Path) -> None:
    (corpus_copy / "leeg.txt").write_bytes(b"")
    (corpus_copy / "kapot.md").write_bytes(bytes(range(256)) * 40)
    report = build(_settings(tmp_path, corpus_copy), progress=False)
    assert len(report.read) == 2
    assert any("leeg.txt" in e for e in report.errors)
    assert any("kapot.md" in e for e in report.errors)


def test_killed_build_leaves_previous_knowledge_base_usable(tmp_path: Path, corpus_copy: Path) -> None:
    settings = _settings(tmp_path, corpus_copy)
    build(settings, progress=False)
    with Store(settings.db_path, readonly=True) as store:
        before = store.counts()

    # Add a few hundred real pages so the next build runs long enough to be killed mid-way.
    extra = SHARED / "corpus-extra" / "algoritmekader"
    if not extra.is_dir():
        pytest.skip("shared corpus-extra not available")
    shutil.copytree(extra, corpus_copy / "algoritmekader")
    env = {**os.environ, "BELEIDSBANK_DATA": str(settings.data_dir)}
    proc = subprocess.Popen(
        [sys.executable, "-m", "beleidsbank.cli", "build", "--corpus", str(corpus_copy), "--quiet"],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    time.sleep(2.5)
    assert proc.poll() is None, "build finished before it could be interrupted"
    proc.send_signal(signal.SIGKILL)
    proc.wait()

    # The previous knowledge base is intact and readable.
    conn = sqlite3.connect(settings.db_path)
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    conn.close()
    with Store(settings.db_path, readonly=True) as store:
        assert store.counts()["documents"] == before["documents"]
        assert store.counts()["sections"] == before["sections"]

    # And the next build succeeds and picks up the new pages.
    report = build(settings, progress=False)
    assert len(report.read) > 200
    with Store(settings.db_path, readonly=True) as store:
        assert store.counts()["documents"] > 200
