"""Generations: a build writes a complete knowledge base and index into a new folder and publishes
both at once.

A data directory holds ``gen-000001/``, ``gen-000002/``, ... each with its own
``beleidsbank.sqlite`` and ``index/``, and the file ``CURRENT`` naming the published one.  A build
copies the published knowledge base into a fresh generation, brings it up to date, builds the
index beside it, and only then replaces ``CURRENT`` (write + fsync + rename, atomic on POSIX).  So:

* a reader (``webapp.services``) that reads ``CURRENT`` once per request gets a knowledge base and an
  index of the same build, never the rows of one build with the index of another;
* a build killed at any point (kill -9 during the index stage included) leaves ``CURRENT`` on the
  old generation, which keeps serving; the half-built folder is removed by the next build;
* published generations are never written again, so readers need no locks against the builder.

Two builds at once are refused by an exclusive ``flock`` on ``build.lock`` (released by the kernel
when a build dies), with a Dutch message instead of SQLite's ``database is locked``.

Why by hand: this is a few renames and one lock; no library does generation switching for a SQLite
file plus a Whoosh directory.
"""
from __future__ import annotations

import errno
import fcntl
import os
import shutil
import sqlite3
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

from settings import CURRENT_FILENAME, DB_FILENAME, GENERATION_PREFIX, INDEX_DIRNAME, current_generation
from settings.readers import mark_readable, remove_when_unused

LOCK_FILENAME = "build.lock"
#: A generation folder that is being built carries this file until it is published.
BUILDING_MARK = ".building"


class BuildLocked(RuntimeError):
    """Another build holds the data directory."""


#: The lock's file descriptor while this process holds it.  Forked build workers close their copy
#: (the lock belongs to the build process), so workers left behind by a killed build never keep it.
_HELD: list[int] = []


def _close_in_child() -> None:
    for fd in _HELD:
        try:
            os.close(fd)
        except OSError:  # pragma: no cover
            pass
    _HELD.clear()


os.register_at_fork(after_in_child=_close_in_child)


@contextmanager
def build_lock(data_dir: Path, wait_seconds: float = 0.0) -> Iterator[None]:
    """Hold the data directory's build lock for the block; raise :class:`BuildLocked` (Dutch
    message) when another build holds it for longer than ``wait_seconds``."""
    data_dir = Path(data_dir)
    data_dir.mkdir(parents=True, exist_ok=True)
    path = data_dir / LOCK_FILENAME
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        deadline = time.monotonic() + max(0.0, wait_seconds)
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except OSError as exc:
                if exc.errno not in (errno.EAGAIN, errno.EACCES):
                    raise
                if time.monotonic() >= deadline:
                    holder = _read_holder(path)
                    raise BuildLocked(
                        f"er loopt al een build in {data_dir}{holder}; wacht tot die klaar is en probeer het "
                        "daarna opnieuw") from None
                time.sleep(0.2)
        os.ftruncate(fd, 0)
        os.write(fd, str(os.getpid()).encode())
        _HELD.append(fd)
        yield
    finally:
        if fd in _HELD:
            _HELD.remove(fd)
        os.close(fd)  # closing releases the flock


def _read_holder(path: Path) -> str:
    try:
        pid = path.read_text(encoding="utf-8").strip()
    except OSError:
        return ""
    return f" (proces {pid})" if pid.isdigit() else ""


def generation_dirs(data_dir: Path) -> list[Path]:
    """Generation folders in build order."""
    data_dir = Path(data_dir)
    if not data_dir.is_dir():
        return []
    return sorted(p for p in data_dir.iterdir() if p.is_dir() and p.name.startswith(GENERATION_PREFIX))


def published(data_dir: Path) -> Path | None:
    """The published generation's folder, the data directory itself for a knowledge base from before
    generations, or None when nothing was built."""
    gen = current_generation(data_dir)
    return gen if (gen / DB_FILENAME).exists() else None


def new_generation(data_dir: Path) -> Path:
    """Create the next generation folder (marked as being built)."""
    data_dir = Path(data_dir)
    numbers = [int(p.name[len(GENERATION_PREFIX):]) for p in generation_dirs(data_dir)
               if p.name[len(GENERATION_PREFIX):].isdigit()]
    gen = data_dir / f"{GENERATION_PREFIX}{max(numbers, default=0) + 1:06d}"
    gen.mkdir(parents=True)
    (gen / BUILDING_MARK).write_text(str(os.getpid()), encoding="utf-8")
    mark_readable(gen)
    return gen


def copy_knowledge_base(source: Path | None, gen: Path) -> bool:
    """Start the new generation from the published knowledge base (a plain file copy: published
    files are never written, so the copy is consistent).  Returns False when there is none."""
    if source is None or not (source / DB_FILENAME).exists():
        return False
    shutil.copyfile(source / DB_FILENAME, gen / DB_FILENAME)
    return True


def publish(data_dir: Path, gen: Path) -> None:
    """Make ``gen`` the generation readers see (atomic replace of ``CURRENT``)."""
    data_dir = Path(data_dir)
    _fsync_tree(gen)
    (gen / BUILDING_MARK).unlink(missing_ok=True)
    tmp = data_dir / f"{CURRENT_FILENAME}.tmp-{os.getpid()}"
    with open(tmp, "w", encoding="utf-8") as fh:
        fh.write(gen.name + "\n")
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, data_dir / CURRENT_FILENAME)
    _fsync_dir(data_dir)


def remove_generation(gen: Path) -> None:
    shutil.rmtree(gen, ignore_errors=True)


def retire(data_dir: Path, previous: Path | None, reader_wait_seconds: float, grace_seconds: float) -> None:
    """After publishing: remove the previously published generation as soon as no request reads it
    (:mod:`settings.readers`), then whatever else is stale."""
    data_dir = Path(data_dir)
    if previous is not None and previous != data_dir and previous != current_generation(data_dir):
        remove_when_unused(previous, remove_generation, reader_wait_seconds, grace_seconds)
    remove_stale(data_dir)


def remove_stale(data_dir: Path, keep: Path | None = None) -> list[Path]:
    """Remove every generation folder except the published one and ``keep`` (leftovers of killed
    builds and older generations), and the files of a knowledge base from before generations once a
    generation is published.  Call with the build lock held."""
    data_dir = Path(data_dir)
    current = current_generation(data_dir)
    removed = []
    for gen in generation_dirs(data_dir):
        if gen == current or gen == keep:
            continue
        remove_generation(gen)
        removed.append(gen)
    if current != data_dir:
        for name in (DB_FILENAME, f"{DB_FILENAME}-wal", f"{DB_FILENAME}-shm"):
            (data_dir / name).unlink(missing_ok=True)
        for p in data_dir.iterdir():
            if p.name == INDEX_DIRNAME or p.name.startswith(f"{INDEX_DIRNAME}.tmp-") or p.name.startswith(
                    f"{INDEX_DIRNAME}.old-"):
                shutil.rmtree(p, ignore_errors=True)
        for p in data_dir.glob(f"{CURRENT_FILENAME}.tmp-*"):
            p.unlink(missing_ok=True)
    return removed


def disk_bytes(path: Path) -> int:
    """Bytes of all files under ``path``."""
    total = 0
    for root, _dirs, files in os.walk(path):
        for f in files:
            try:
                total += os.stat(os.path.join(root, f)).st_size
            except OSError:
                pass
    return total


def _fsync(path: Path | str) -> None:
    """fsync one file or folder (best effort: a folder cannot always be opened everywhere)."""
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:  # pragma: no cover
        return
    try:
        os.fsync(fd)
    except OSError:  # pragma: no cover
        pass
    finally:
        os.close(fd)


def _fsync_dir(path: Path) -> None:
    _fsync(path)


def _fsync_tree(path: Path) -> None:
    """fsync every file and folder of a generation before it is published."""
    for root, _dirs, files in os.walk(path):
        for f in files:
            _fsync(os.path.join(root, f))
        _fsync(root)


def link_tree(source: Path, dest: Path) -> None:
    """Hard-link every file of ``source`` into ``dest`` (an unchanged index for a new generation)."""
    for root, _dirs, files in os.walk(source):
        target = dest / Path(root).relative_to(source)
        target.mkdir(parents=True, exist_ok=True)
        for f in files:
            os.link(Path(root) / f, target / f)


def backup_store(source: Path, dest: Path) -> None:
    """Copy a SQLite file with SQLite's backup API (consistent even while others read it)."""
    src = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
    dst = sqlite3.connect(dest)
    try:
        src.backup(dst)
    finally:
        dst.close()
        src.close()
