"""Content hash of a source file and its metadata sidecar, to skip unchanged files."""
from __future__ import annotations

import hashlib
import os
import time
from pathlib import Path

from .limits import DEFAULT_LIMITS, ReadLimits

#: Sidecar metadata file names tried for ``foo.txt``: ``foo.meta.yaml``, ``foo.meta.yml``, ``foo.meta.json``,
#: ``foo.yaml``, ``foo.yml``, ``foo.json``.
SIDECAR_SUFFIXES = (".meta.yaml", ".meta.yml", ".meta.json", ".yaml", ".yml", ".json")


def sidecar_paths(path: Path) -> list[Path]:
    stem = path.with_suffix("")
    return [Path(f"{stem}{suffix}") for suffix in SIDECAR_SUFFIXES if Path(f"{stem}{suffix}") != path]


def content_sha256(data: bytes, path: Path, root: Path | None = None, limits: ReadLimits = DEFAULT_LIMITS) -> str:
    """Hash of a file's bytes plus the bytes of any sidecar metadata file next to it.

    Sidecars are read with the same safety rules as documents (regular files inside the
    corpus only, size-limited); one that cannot be read contributes its name only, and the
    loader reports it.
    """
    from .files import read_file
    from .model import ReaderError

    h = hashlib.sha256(data)
    for side in sidecar_paths(path):
        if side.is_file():
            try:
                extra = read_file(side, root or path.parent, limits.max_yaml_bytes)
            except ReaderError:
                extra = b"(onleesbaar)"
            h.update(b"\0" + side.name.encode() + b"\0" + extra)
    return h.hexdigest()


def source_sha256(path: Path, root: Path | None = None, limits: ReadLimits = DEFAULT_LIMITS) -> str:
    """Hash of the file's bytes plus the bytes of any sidecar metadata file next to it."""
    from .files import read_file

    return content_sha256(read_file(path, root or path.parent, limits.max_file_bytes), path, root, limits)


#: A file whose mtime or ctime lies this close to the moment it was looked at may still be being
#: written within one timestamp tick ("racy" in git's words); its stat is not trusted next time.
RACY_NS = 2_000_000_000


def stat_key(path: Path, now_ns: int | None = None) -> str | None:
    """What ``stat`` says about a source file and its sidecars: size, mtime, ctime, inode and device of each.

    A build that finds the same key as the last one skips hashing the file (hashing all of a large
    collection costs seconds).  ctime is part of the key because no ordinary program can set it:
    a file rewritten in place with its size and mtime restored (``touch -d``, ``cp -p``, ``rsync -t``)
    still gets a new ctime, so the stat check misses only a change made by resetting the system clock
    or writing the disk behind the kernel's back.  Returns None (hash it, and every time until it settles)
    when a timestamp is within :data:`RACY_NS` of ``now_ns`` (default: now), or the file cannot be stat'ed."""

    now = time.time_ns() if now_ns is None else now_ns
    parts: list[str] = []
    stem = os.path.splitext(str(path))[0]
    for name in [str(path)] + [stem + suffix for suffix in SIDECAR_SUFFIXES if stem + suffix != str(path)]:
        try:
            info = os.stat(name)
        except FileNotFoundError:
            continue
        except OSError:
            return None
        if now - max(info.st_mtime_ns, info.st_ctime_ns) < RACY_NS:
            return None
        parts.append(f"{os.path.basename(name)}:{info.st_size}:{info.st_mtime_ns}:{info.st_ctime_ns}:"
                     f"{info.st_ino}:{info.st_dev}")
    if not parts or not parts[0].startswith(os.path.basename(str(path)) + ":"):
        return None  # the file itself is gone
    return "|".join(parts)
