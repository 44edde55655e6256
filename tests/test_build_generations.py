"""Build integrity (issue 16, #7, #8, #10): one atomic generation, a killed index stage leaves the old
generation serving, two builds at once, the WAL and free space given back, huge files warned about,
and an incremental index that rewrites only the changed document's bucket."""
from __future__ import annotations

import json
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from dataclasses import replace
from pathlib import Path

import pytest

from beleidsbank.generations import build_lock
from beleidsbank.pipeline import build
from indexer.build_info import read_build_info
from kb.store import Store
from settings import BuildOptions, Settings
from support import EXE, SHIPPED_CORPUS



def _settings(tmp_path: Path, corpus: Path, **build_opts) -> Settings:
    opts = replace(BuildOptions(), generation_grace_seconds=0.0, **build_opts)
    return Settings(data_dir=tmp_path / "data", corpus_dir=corpus, build=opts)


@pytest.fixture()
def corpus_copy(tmp_path: Path) -> Path:
    dest = tmp_path / "corpus"
    shutil.copytree(SHIPPED_CORPUS, dest)
    return dest


def _index_documents(settings: Settings) -> set[str]:
    meta = json.loads((settings.index_dir / "meta.json").read_text(encoding="utf-8"))
    return {d["id"] for d in meta["documents"]}


def _store_documents(settings: Settings) -> set[str]:
    with Store(settings.db_path, readonly=True) as store:
        return {d["id"] for d in store.documents()}


def _write_doc(folder: Path, name: str, paragraphs: int, word: str) -> Path:
    body = "\n\n".join(f"## Onderdeel {i}\n\nDe {word} regeling {i} geldt voor alle aanvragen van het jaar {2000 + i}. "
                       f"Een aanvrager dient de {word} verklaring {i} in bij de gemeente." for i in range(paragraphs))
    path = folder / name
    path.write_text(f"# {word.capitalize()} regeling\n\n{body}\n", encoding="utf-8")
    return path


def test_generation_holds_store_and_index_of_one_build(tmp_path: Path, corpus_copy: Path) -> None:
    settings = _settings(tmp_path, corpus_copy)
    first = build(settings, progress=False)
    gen1 = settings.generation_dir
    assert gen1.name == first.generation and gen1.parent == settings.data_dir
    assert settings.db_path.parent == gen1 and settings.index_dir.parent == gen1
    assert _store_documents(settings) == _index_documents(settings)
    assert set(first.stages) >= {"bestanden", "lezen", "taggen", "entiteiten", "index", "afronden"}

    _write_doc(corpus_copy, "extra.md", 3, "parkeer")
    second = build(settings, progress=False)
    gen2 = settings.generation_dir
    assert gen2 != gen1 and not gen1.exists()  # the previous generation is removed after publishing
    assert "extra" in _store_documents(settings) == _index_documents(settings)
    # published files are final: no WAL beside the knowledge base
    assert not Path(f"{settings.db_path}-wal").exists()
    assert second.read == ["extra"]

    third = build(settings, progress=False)  # nothing changed: no new generation
    assert not third.index_rebuilt and settings.generation_dir == gen2 and third.generation == gen2.name


def test_kill_during_index_stage_leaves_old_generation_serving(tmp_path: Path, corpus_copy: Path) -> None:
    settings = _settings(tmp_path, corpus_copy)
    build(settings, progress=False)
    gen1 = settings.generation_dir
    docs_before = _store_documents(settings)

    for i in range(30):
        _write_doc(corpus_copy, f"nieuw-{i}.md", 40, f"woord{i}")
    env = {**os.environ, "BELEIDSBANK_DATA": str(settings.data_dir), "BELEIDSBANK_CORPUS": str(corpus_copy)}
    proc = subprocess.Popen([EXE, "build", "--quiet"], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 300
    index_started = False
    while proc.poll() is None and time.monotonic() < deadline:
        if any(settings.data_dir.glob("gen-*/index.tmp-*")):
            index_started = True
            break
        time.sleep(0.005)
    assert index_started, "the build never reached its index stage"
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=30)

    # the old generation still serves, with a knowledge base and an index of the same build
    assert settings.generation_dir == gen1
    assert _store_documents(settings) == docs_before == _index_documents(settings)
    conn = sqlite3.connect(settings.db_path)
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    conn.close()

    report = build(settings, progress=False)  # the next build cleans up and succeeds
    assert len(report.read) == 30
    assert sorted(p.name for p in settings.data_dir.iterdir() if p.name.startswith("gen-")) == [report.generation]
    assert _store_documents(settings) == _index_documents(settings) == docs_before | {f"nieuw-{i}" for i in range(30)}


def test_second_build_at_once_stops_with_a_clear_message(tmp_path: Path, corpus_copy: Path) -> None:
    settings = _settings(tmp_path, corpus_copy)
    with build_lock(settings.data_dir):
        out = subprocess.run([EXE, "build", "--data", str(settings.data_dir), "--corpus", str(corpus_copy), "--quiet"],
                             capture_output=True, text=True, timeout=120)
    assert out.returncode == 1
    assert "er loopt al een build" in out.stderr and f"(proces {os.getpid()})" in out.stderr
    assert "Traceback" not in out.stderr and "database is locked" not in out.stderr
    # once the first build is done, the next one runs
    assert build(settings, progress=False).read


def test_waiting_build_runs_after_the_first(tmp_path: Path, corpus_copy: Path) -> None:
    settings = _settings(tmp_path, corpus_copy, lock_wait_seconds=60.0)
    env = {**os.environ, "BELEIDSBANK_DATA": str(settings.data_dir)}
    with build_lock(settings.data_dir):
        proc = subprocess.Popen([sys.executable, "-c",
                                 "import sys; from dataclasses import replace; from pathlib import Path;"
                                 "from settings import Settings, BuildOptions; from beleidsbank.pipeline import build;"
                                 f"r = build(Settings(data_dir=Path({str(settings.data_dir)!r}), corpus_dir=Path({str(corpus_copy)!r}),"
                                 " build=BuildOptions(lock_wait_seconds=60.0)), progress=False); print(len(r.read))"],
                                env=env, stdout=subprocess.PIPE, text=True, cwd=Path(__file__).parent.parent)
        time.sleep(1.0)
        assert proc.poll() is None  # waiting for the lock
    out, _ = proc.communicate(timeout=300)
    assert proc.returncode == 0 and out.strip() == "2"


def test_removing_a_large_document_gives_the_space_back(tmp_path: Path, corpus_copy: Path) -> None:
    settings = _settings(tmp_path, corpus_copy, vacuum_free_bytes=500_000, vacuum_free_share=0.2,
                         huge_document_bytes=300_000)
    big = _write_doc(corpus_copy, "groot.md", 4000, "subsidie")
    report = build(settings, progress=False)
    assert any("groot.md" in w and "groot bestand" in w for w in report.warnings)
    size_with = settings.db_path.stat().st_size
    big.unlink()
    report = build(settings, progress=False)
    assert report.removed == ["groot"] and report.store["vacuumed"]
    size_without = settings.db_path.stat().st_size
    assert size_without < size_with / 2
    assert not Path(f"{settings.db_path}-wal").exists()


def test_changed_document_rewrites_only_its_bucket(tmp_path: Path, corpus_copy: Path) -> None:
    for i in range(12):
        _write_doc(corpus_copy, f"regeling-{i}.md", 6, f"onderwerp{i}")
    settings = _settings(tmp_path, corpus_copy, bucket_bytes=20_000)
    first = build(settings, progress=False)
    n_buckets = first.index["n_buckets"]
    assert n_buckets >= 4 and first.index["buckets_written"] == n_buckets
    before = read_build_info(settings.index_dir)["buckets"]

    _write_doc(corpus_copy, "regeling-3.md", 7, "onderwerp3")
    second = build(settings, progress=False)
    assert second.read == ["regeling-3"] and second.tagged == ["regeling-3"]
    assert second.index["incremental"] and second.index["buckets_written"] == 1
    after = read_build_info(settings.index_dir)["buckets"]
    changed = [b for b in before if before[b] != after[b]]
    assert len(changed) == 1  # every other bucket kept its segment and sidecar

    from indexer import Searcher

    with Store(settings.db_path, readonly=True) as store:
        result = Searcher(settings.index_dir, store).search("onderwerp3 verklaring 6", limit=50)
    assert any(r["document"] == "regeling-3" and "verklaring 6" in r["text"] for r in result["results"])
    assert _store_documents(settings) == _index_documents(settings)

    # phrases (the buckets' word-bigram tables, reused by hard link) find what a full build finds
    from indexer.build import build_index

    full = tmp_path / "full-index"
    with Store(settings.db_path, readonly=True) as store:
        build_index(store, full, progress=False, build=settings.build)
        for q in ('"verklaring 6 in"', '"onderwerp3 verklaring"', '"onderwerp7 regeling 2"', '"aanvragen van het jaar"'):
            got = Searcher(settings.index_dir, store).search(q, limit=100)
            want = Searcher(full, store).search(q, limit=100)
            assert got["passages"] == want["passages"] > 0, q
            assert sorted(r["id"] for r in got["results"]) == sorted(r["id"] for r in want["results"])
