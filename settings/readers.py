"""Who is reading a generation: readers hold a shared lock on it, the build removes it once none does.

A build publishes a new generation and then removes the previous one.  A request that read ``CURRENT``
just before the switch still opens files of the previous generation, so the build used to wait a fixed
grace (a second) before removing it: too long when nobody reads (every build paid it), too short for a
slow request.  Now each reader holds a shared ``flock`` on the generation's ``.readers`` file while it
uses the generation, and the build removes the generation as soon as it can take that lock
exclusively (waiting at most a bound, for a reader that never lets go).

The reader's side closes the race with the build: it locks, then checks that the file is still there;
the build holds its exclusive lock until the folder is gone, so a reader that got the lock on a removed
generation sees that and reads ``CURRENT`` again (which by then names the new generation).

Here, at the bottom of the stack, because both the web app (readers) and the build shell (the remover)
need it, and neither may import the other.  Why by hand: ``flock`` is two system calls; no library
adds anything for one lock file per folder.
"""
from __future__ import annotations

import errno
import fcntl
import os
import time
from pathlib import Path
from typing import Callable

from settings import current_generation

#: The lock file in every generation folder.
READERS_FILENAME = ".readers"

#: How often a reader reads ``CURRENT`` again when the generation it read was removed under it.
_RETRIES = 5


def mark_readable(gen: Path) -> None:
    """Create the lock file of a generation being built (before it is published)."""
    (Path(gen) / READERS_FILENAME).touch()


class GenerationUse:
    """The generation one reader uses, held until :meth:`release` (a request, a CLI command)."""

    def __init__(self, data_dir: Path) -> None:
        self.fd: int | None = None
        self.path = self._acquire(Path(data_dir))

    def _acquire(self, data_dir: Path) -> Path:
        for _ in range(_RETRIES):
            gen = current_generation(data_dir)
            if gen == data_dir:  # nothing built yet, or a data directory from before generations
                return gen
            lock = gen / READERS_FILENAME
            try:
                fd = os.open(lock, os.O_RDONLY)
            except FileNotFoundError:
                if not gen.is_dir():  # removed between reading CURRENT and opening: read CURRENT again
                    continue
                return gen  # a generation published before lock files: nothing to hold
            fcntl.flock(fd, fcntl.LOCK_SH)  # waits only while a build is removing this generation
            if lock.exists():
                self.fd = fd
                return gen
            os.close(fd)  # removed while we waited: CURRENT names a newer generation now
        return current_generation(data_dir)

    def release(self) -> None:
        if self.fd is not None:
            os.close(self.fd)
            self.fd = None


def remove_when_unused(gen: Path, remove: Callable[[Path], object], wait_seconds: float,
                       grace_seconds: float) -> bool:
    """Call ``remove(gen)`` as soon as no reader holds ``gen`` (at most ``wait_seconds`` later; then anyway:
    a reader that holds a generation that long keeps working on the files it has open).  Returns whether
    it was free.  The exclusive lock is held until ``remove`` returns, see the module docstring.  A
    generation without a lock file (built before there were any) is removed after ``grace_seconds``."""
    lock = Path(gen) / READERS_FILENAME
    try:
        fd = os.open(lock, os.O_RDONLY)
    except FileNotFoundError:  # nobody can be seen reading it: the fixed grace of old
        time.sleep(max(0.0, grace_seconds))
        remove(gen)
        return False
    try:
        deadline = time.monotonic() + max(0.0, wait_seconds)
        free = False
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                free = True
                break
            except OSError as exc:
                if exc.errno not in (errno.EAGAIN, errno.EACCES) or time.monotonic() >= deadline:
                    break
                time.sleep(0.02)
        remove(gen)
        return free
    finally:
        os.close(fd)
