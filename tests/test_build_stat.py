"""The build's stat check (issue 13, incremental builds): a file whose size, mtime, ctime and inode (and
those of its sidecars) match the last build is not hashed again; every other file is hashed and the
hash decides.  These tests change files in the ways a stat check could miss and count the files hashed."""
from __future__ import annotations

import os
import time
from dataclasses import replace
from pathlib import Path

import pytest

import corpus.hashing as hashing
from beleidsbank.build_report import BuildReport
from beleidsbank.scan import ScanResult, scan_corpus
from beleidsbank.workers import unordered_map
from kb.store import Store
from settings import BuildOptions, Settings


@pytest.fixture(autouse=True)
def no_racy_window(monkeypatch: pytest.MonkeyPatch) -> None:
    """Files made by a test are seconds old at most: take their stat as settled (the window has its own test)."""
    monkeypatch.setattr(hashing, "RACY_NS", 0)


def _scan(tmp_path: Path, corpus: Path, store: Store | None, **opts) -> tuple[ScanResult, BuildReport]:
    settings = Settings(data_dir=tmp_path / "data", corpus_dir=corpus, build=replace(BuildOptions(), **opts))
    report = BuildReport()
    return scan_corpus(settings, corpus, store, report, False, lambda _msg: None), report


def _record(store: Store, res: ScanResult) -> None:
    """What a build keeps of a scan: a documents row per file read (with its hash) and the stats."""
    for path, rel, doc_id in res.todo:
        store.conn.execute("INSERT OR REPLACE INTO documents(id, source_path, title, format, encoding, sha256)"
                           " VALUES (?,?,?,?,?,?)", (doc_id, rel, rel, "markdown", "utf-8", res.digests[Path(path)]))
    store.set_source_stats(res.stats)
    store.commit()


def _wait_a_tick() -> None:
    """Let the file system's clock move on (its timestamps are coarser than nanoseconds)."""
    time.sleep(0.05)


@pytest.fixture()
def built(tmp_path: Path) -> tuple[Path, Store]:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for i in range(5):
        (corpus / f"doc{i}.md").write_text(f"# Document {i}\n\nTekst van document {i}.\n", encoding="utf-8")
    store = Store(tmp_path / "prev.sqlite")
    res, _ = _scan(tmp_path, corpus, None)
    assert res.hashed == 5 and len(res.todo) == 5
    _record(store, res)
    return corpus, store


def test_unchanged_files_are_not_hashed_again(tmp_path: Path, built: tuple[Path, Store]) -> None:
    corpus, store = built
    res, report = _scan(tmp_path, corpus, store)
    assert res.hashed == 0 and res.todo == [] and len(report.unchanged) == 5 and res.stats == {}


def test_changed_file_with_size_and_mtime_restored_is_still_found(tmp_path: Path, built: tuple[Path, Store]) -> None:
    corpus, store = built
    target = corpus / "doc2.md"
    before = target.stat()
    _wait_a_tick()
    text = target.read_text(encoding="utf-8").replace("Tekst", "Test!")  # same size
    with open(target, "r+", encoding="utf-8") as fh:  # in place: same inode
        fh.write(text)
    os.utime(target, ns=(before.st_atime_ns, before.st_mtime_ns))  # mtime put back, as cp -p or rsync -t do
    after = target.stat()
    assert (after.st_size, after.st_mtime_ns, after.st_ino) == (before.st_size, before.st_mtime_ns, before.st_ino)
    res, _ = _scan(tmp_path, corpus, store)
    assert [rel for _, rel, _ in res.todo] == ["doc2.md"]
    assert res.hashed == 1


def test_touched_file_is_hashed_once_and_not_read(tmp_path: Path, built: tuple[Path, Store]) -> None:
    corpus, store = built
    _wait_a_tick()
    os.utime(corpus / "doc1.md")
    res, report = _scan(tmp_path, corpus, store)
    assert res.hashed == 1 and res.todo == [] and len(report.unchanged) == 5
    assert list(res.stats) == ["doc1"]  # its new stat is recorded ...
    store.set_source_stats(res.stats)
    store.commit()
    again, _ = _scan(tmp_path, corpus, store)
    assert again.hashed == 0  # ... so the next build trusts it


def test_changed_sidecar_and_added_and_removed_files_are_found(tmp_path: Path, built: tuple[Path, Store]) -> None:
    corpus, store = built
    (corpus / "doc3.meta.yaml").write_text("title: Een titel\n", encoding="utf-8")
    (corpus / "doc4.md").unlink()
    (corpus / "doc5.md").write_text("# Nieuw\n\nNieuwe tekst.\n", encoding="utf-8")
    res, report = _scan(tmp_path, corpus, store)
    assert sorted(rel for _, rel, _ in res.todo) == ["doc3.md", "doc5.md"]
    assert report.removed == ["doc4.md"]
    assert res.hashed == 2


def test_replaced_file_with_a_new_inode_is_hashed(tmp_path: Path, built: tuple[Path, Store]) -> None:
    corpus, store = built
    target = corpus / "doc0.md"
    tmp = tmp_path / "new.md"
    tmp.write_bytes(target.read_bytes())
    os.replace(tmp, target)  # same bytes, new inode (an editor's save, a checkout)
    res, _ = _scan(tmp_path, corpus, store)
    assert res.hashed == 1 and res.todo == []


def test_rehash_option_hashes_every_file(tmp_path: Path, built: tuple[Path, Store]) -> None:
    corpus, store = built
    res, _ = _scan(tmp_path, corpus, store, trust_stat=False)
    assert res.hashed == 5 and res.todo == []


def test_a_file_written_just_now_is_not_trusted(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Written within the racy window, a file may change again within the same timestamp tick."""
    monkeypatch.setattr(hashing, "RACY_NS", 3600 * 10**9)
    path = tmp_path / "a.md"
    path.write_text("tekst\n", encoding="utf-8")
    assert hashing.stat_key(path) is None
    monkeypatch.setattr(hashing, "RACY_NS", 0)
    assert hashing.stat_key(path) is not None
    assert hashing.stat_key(tmp_path / "missing.md") is None


def _square(x: int) -> int:
    return x * x


def test_unordered_map_returns_every_result_once() -> None:
    for workers in (1, 2):
        out = list(unordered_map(_square, range(50), workers=workers, chunk=3, max_in_flight=6))
        assert sorted(out) == [x * x for x in range(50)]


def test_a_file_that_fails_to_read_is_looked_at_again(tmp_path: Path) -> None:
    """Its stat is not recorded, or the next build would trust it and keep the old text silently."""
    from beleidsbank.pipeline import build

    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "a.md").write_text("# Nota\n\nDe minister zal het plan uitvoeren.\n", encoding="utf-8")
    (corpus / "b.md").write_text("# Brief\n\nHet aantal aanvragen is gestegen.\n", encoding="utf-8")
    settings = Settings(data_dir=tmp_path / "data", corpus_dir=corpus,
                        build=replace(BuildOptions(), workers=1, generation_grace_seconds=0.0))
    assert sorted(build(settings, progress=False).read) == ["a", "b"]
    (corpus / "a.md").write_bytes(b"")  # now unreadable: no text
    second = build(settings, progress=False)
    assert [rel for rel, _ in second.unread] == ["a.md"]
    third = build(settings, progress=False)
    assert [rel for rel, _ in third.unread] == ["a.md"]
    store = Store(settings.data_dir / (settings.data_dir / "CURRENT").read_text().strip() / "beleidsbank.sqlite",
                  readonly=True)
    stats = dict(store.conn.execute("SELECT id, source_stat FROM documents").fetchall())
    store.close()
    assert stats["b"] == hashing.stat_key(corpus / "b.md")
    assert stats["a"] != hashing.stat_key(corpus / "a.md")  # the stat of the text it still holds, not the new one
