"""Index build: statistics, fingerprint, atomic swap that survives a killed build.

Runs on the knowledge base the real pipeline (readers + tagger) built from the shipped corpus
(the ``built_settings`` session fixture)."""
from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from settings import PROJECT_ROOT
from indexer import Searcher
from indexer.build import build_index
from indexer.build_info import index_is_current, read_build_info
from kb.store import Store
from kb.store_rows import body_parts, pack_body


@pytest.fixture(scope="module")
def small_store(built_store) -> Store:
    return built_store


def test_build_stats_and_fingerprint(small_store, tmp_path):
    ix = tmp_path / "index"
    stats = build_index(small_store, ix, progress=False)
    assert stats["passages"] >= stats["sections"] / 2 > 0
    assert stats["documents"] == len(small_store.documents())
    assert index_is_current(small_store, ix)
    assert read_build_info(ix)["fingerprint"] == stats["fingerprint"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["index"]  # no tmp/old siblings


def test_index_not_current_after_store_change(store_copy, tmp_path):
    store = store_copy
    ix = tmp_path / "index"
    assert not index_is_current(store, ix)  # nothing built yet
    build_index(store, ix, progress=False)
    assert index_is_current(store, ix)
    with store.transaction():  # section texts are stored compressed (kb.store_rows.pack_body)
        for sid, body in store.conn.execute("SELECT id, body FROM sections WHERE ord = 3").fetchall():
            text, markdown = body_parts(body)
            store.conn.execute("UPDATE sections SET body = ? WHERE id = ?", (pack_body(text + " extra", markdown), sid))
    assert not index_is_current(store, ix)
    (ix / "build.json").unlink()
    assert not index_is_current(store, ix)


def _big_store(source: Store, path: Path, copies: int) -> Store:
    """The session's documents (as the real reader read them) copied ``copies`` times, ids varied."""
    docs = []
    for c in range(copies):
        for row in source.documents():
            d = source.load_document(row["id"])
            d.id = f"{d.id}-{c}"
            d.source_path = f"{c}/{d.source_path}"
            d.sha256 = f"{c:04d}{d.sha256[4:]}"
            for s in d.sections:
                s.id = f"{d.id}:{s.id.split(':', 1)[1]}"
                s.document_id = d.id
                s.parent_id = f"{d.id}:{s.parent_id.split(':', 1)[1]}" if s.parent_id else None
            docs.append(d)
    store = Store(path)
    with store.transaction():
        for d in docs:
            store.put_document(d)
    return store


@pytest.mark.slow
def test_killed_build_leaves_old_index_serving(small_store, tmp_path):
    ix = tmp_path / "data" / "index"
    build_index(small_store, ix, progress=False)
    searcher = Searcher(ix)
    before = searcher.search("achterstanden IND", limit=5)
    assert before["total"] > 0

    big = _big_store(small_store, tmp_path / "big.sqlite", copies=5)
    n_docs = len(small_store.documents())
    big.close()
    code = (
        "import sys; sys.path.insert(0, %r)\n"
        "from pathlib import Path\n"
        "from kb.store import Store\n"
        "from indexer.build import build_index\n"
        "build_index(Store(Path(%r)), Path(%r), progress=False)\n"
    ) % (str(PROJECT_ROOT), str(tmp_path / "big.sqlite"), str(ix))
    proc = subprocess.Popen([sys.executable, "-c", code], cwd=PROJECT_ROOT)
    tmp_dir = ix.parent / f"index.tmp-{proc.pid}"
    deadline = time.monotonic() + 60
    while not tmp_dir.exists() and proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.01)
    assert tmp_dir.exists(), "the build never created its tmp directory"
    time.sleep(0.5)  # let it write segment files half-way
    assert proc.poll() is None, "the build finished before it could be killed; make the store bigger"
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait(timeout=30)
    assert proc.returncode == -signal.SIGKILL

    # the old index still serves, in a fresh searcher and in the open one
    for s in (Searcher(ix), searcher):
        s.refresh()
        after = s.search("achterstanden IND", limit=5)
        assert after["total"] == before["total"]
        assert [r["id"] for r in after["results"]] == [r["id"] for r in before["results"]]

    # the next build succeeds, cleans the leftover and the open searcher picks the new index up
    big = Store(tmp_path / "big.sqlite")
    stats = build_index(big, ix, progress=False)
    assert stats["documents"] == n_docs * 5
    assert sorted(p.name for p in ix.parent.iterdir()) == ["index"]
    assert index_is_current(big, ix)
    searcher.refresh()
    assert searcher.search("achterstanden IND", limit=5)["total"] > before["total"]
    assert json.loads((ix / "build.json").read_text())["passages"] == stats["passages"]
