"""Content hash of a source file and its metadata sidecar, to skip unchanged files."""
from __future__ import annotations

import hashlib
from pathlib import Path

#: Sidecar metadata file names tried for ``foo.txt``: ``foo.meta.yaml``, ``foo.meta.yml``, ``foo.meta.json``,
#: ``foo.yaml``, ``foo.yml``, ``foo.json``.
SIDECAR_SUFFIXES = (".meta.yaml", ".meta.yml", ".meta.json", ".yaml", ".yml", ".json")


def sidecar_paths(path: Path) -> list[Path]:
    stem = path.with_suffix("")
    return [Path(f"{stem}{suffix}") for suffix in SIDECAR_SUFFIXES if Path(f"{stem}{suffix}") != path]


def source_sha256(path: Path) -> str:
    """Hash of the file's bytes plus the bytes of any sidecar metadata file next to it."""
    h = hashlib.sha256(path.read_bytes())
    for side in sidecar_paths(path):
        if side.is_file():
            h.update(b"\0" + side.name.encode() + b"\0" + side.read_bytes())
    return h.hexdigest()
