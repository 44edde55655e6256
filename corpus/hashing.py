"""Content hash of a source file and its metadata sidecar, to skip unchanged files."""
from __future__ import annotations

import hashlib
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
