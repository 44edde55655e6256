"""A build removes the previous generation as soon as no reader holds it, and never while one does
(:mod:`settings.readers`): readers take a shared lock per request, the build an exclusive one."""
from __future__ import annotations

import fcntl
import os
import shutil
import threading
from pathlib import Path

from beleidsbank import generations as gens
from settings import CURRENT_FILENAME, Settings
from settings import readers
from settings.readers import READERS_FILENAME, GenerationUse, remove_when_unused


def _publish(data_dir: Path) -> Path:
    gen = gens.new_generation(data_dir)
    gens.publish(data_dir, gen)
    return gen


def test_an_unused_generation_is_removed_without_waiting(tmp_path: Path) -> None:
    old = _publish(tmp_path)
    _publish(tmp_path)
    assert remove_when_unused(old, gens.remove_generation, wait_seconds=60, grace_seconds=60) is True
    assert not old.exists()


def test_a_held_generation_is_removed_only_after_its_reader_lets_go(tmp_path: Path) -> None:
    old = _publish(tmp_path)
    use = GenerationUse(tmp_path)
    assert use.path == old
    _publish(tmp_path)
    result: list[bool] = []
    remover = threading.Thread(target=lambda: result.append(
        remove_when_unused(old, gens.remove_generation, wait_seconds=60, grace_seconds=0)))
    remover.start()
    remover.join(timeout=0.5)
    assert remover.is_alive() and old.is_dir()  # still waiting for the reader
    use.release()
    remover.join(timeout=30)
    assert result == [True] and not old.exists()


def test_a_reader_that_waited_on_a_removed_generation_takes_the_new_one(tmp_path: Path, monkeypatch) -> None:
    """The race: a reader read CURRENT just before the switch and waits for its lock while the build removes
    that generation; it must not use the removed folder."""
    old = _publish(tmp_path)
    builder_fd = os.open(old / READERS_FILENAME, os.O_RDONLY)
    fcntl.flock(builder_fd, fcntl.LOCK_EX)  # the build is removing ``old``
    waiting = threading.Event()
    real_flock = fcntl.flock

    def flock(fd: int, op: int) -> None:
        if op == fcntl.LOCK_SH:
            waiting.set()
        real_flock(fd, op)

    monkeypatch.setattr(readers.fcntl, "flock", flock)
    got: list[Path] = []
    reader = threading.Thread(target=lambda: got.append(GenerationUse(tmp_path).path))
    reader.start()
    assert waiting.wait(timeout=30)  # the reader has read CURRENT (``old``) and waits for the lock
    new = _publish(tmp_path)
    shutil.rmtree(old)
    os.close(builder_fd)  # the build lets go after removing the folder
    reader.join(timeout=30)
    assert got == [new]


def test_build_retire_keeps_the_current_generation(tmp_path: Path) -> None:
    first = _publish(tmp_path)
    second = _publish(tmp_path)
    gens.retire(tmp_path, first, reader_wait_seconds=60, grace_seconds=60)
    assert not first.exists() and second.is_dir()
    assert (tmp_path / CURRENT_FILENAME).read_text(encoding="utf-8").strip() == second.name


def test_a_request_holds_its_generation_until_it_ends(tmp_path: Path) -> None:
    from webapp.app import create_app
    from webapp.services import services

    gen = _publish(tmp_path)
    app = create_app(Settings(data_dir=tmp_path), testing=True)
    with app.test_request_context("/"):
        assert services().generation == gen
        assert remove_when_unused(gen, lambda g: None, wait_seconds=0, grace_seconds=0) is False  # held
    assert remove_when_unused(gen, lambda g: None, wait_seconds=0, grace_seconds=0) is True  # released
