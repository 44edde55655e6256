"""Finding corpus files and reading their bytes safely.

A corpus folder is user input: it may hold links to ``/etc/passwd`` or ``/dev/zero``, FIFOs
that block a reader forever, files with extensions no reader knows, and files far too big.
The scan reads regular files only, follows a symbolic link only when it stays inside the
corpus folder, and returns every file it will not read with the reason, so that the build
can report it instead of skipping it silently.
"""
from __future__ import annotations

import os
import stat
from dataclasses import dataclass, field
from pathlib import Path

from .limits import human_bytes
from .model import ReaderError
from .readers.base import reader_for, registered_extensions

#: Repository furniture, not policy text.
SKIPPED_STEMS = {"readme", "license", "licence", "copying"}
SKIPPED_DIRS = {"__pycache__", "node_modules"}
_KINDS = ((stat.S_ISFIFO, "FIFO (named pipe)"), (stat.S_ISSOCK, "socket"), (stat.S_ISCHR, "apparaat (character device)"),
          (stat.S_ISBLK, "apparaat (block device)"), (stat.S_ISDIR, "map"))


@dataclass
class Skipped:
    """A file the build will not read, and why (in Dutch, shown to users)."""

    path: str  # relative to the corpus folder
    reason: str


@dataclass
class Scan:
    paths: list[Path] = field(default_factory=list)  # readable candidates, sorted by relative path
    skipped: list[Skipped] = field(default_factory=list)


def relative(path: Path, root: Path) -> str:
    """``path`` relative to ``root`` (without resolving links, so a link keeps its own name)."""
    try:
        return Path(os.path.abspath(path)).relative_to(os.path.abspath(root)).as_posix()
    except ValueError:
        return path.name


def _inside(real: str, root_real: str) -> bool:
    return real == root_real or real.startswith(root_real.rstrip(os.sep) + os.sep)


def _kind(mode: int) -> str:
    return next((name for test, name in _KINDS if test(mode)), "geen gewoon bestand")


def is_sidecar(path: Path) -> bool:
    """Metadata files are never documents themselves (here, not in ``metadata``, which reads files
    through this module: the scan must not import it back)."""
    name = path.name.lower()
    return name.endswith((".meta.yaml", ".meta.yml", ".meta.json")) or path.suffix.lower() in (
        ".yaml", ".yml", ".json")


def _furniture(path: Path) -> bool:
    """Hidden files, metadata sidecars and README/LICENSE files are not documents (not reported)."""
    return (path.name.startswith(".") or is_sidecar(path)
            or path.name.split(".", 1)[0].lower() in SKIPPED_STEMS)


def _unknown_type(path: Path) -> str:
    known = ", ".join(registered_extensions())
    what = f"bestandstype {path.suffix.lower()}" if path.suffix else "bestand zonder extensie"
    return f"onbekend {what} (gelezen worden: {known})"


def scan(root: Path) -> Scan:
    """Every document under ``root`` that a reader can read, plus every file skipped with its reason."""
    root = Path(root)
    root_real = os.path.realpath(root)
    result = Scan()
    if root.is_file():
        entries = [root]
        root = root.parent
    else:
        entries = []
        for dirpath, dirnames, filenames in os.walk(root):
            here = Path(dirpath)
            for d in sorted(dirnames):
                if not d.startswith(".") and d not in SKIPPED_DIRS and (here / d).is_symlink():
                    result.skipped.append(Skipped(relative(here / d, root), "symbolische link naar een map; niet gevolgd"))
            dirnames[:] = sorted(d for d in dirnames if not d.startswith(".") and d not in SKIPPED_DIRS
                                 and not (here / d).is_symlink())
            entries.extend(here / f for f in filenames)
    links: list[tuple[Path, str]] = []
    for path in entries:
        if _furniture(path):
            continue
        rel = relative(path, root)
        try:
            info = path.lstat()
        except OSError as exc:
            result.skipped.append(Skipped(rel, f"onleesbaar: {exc.strerror or exc}"))
            continue
        if stat.S_ISLNK(info.st_mode):
            real = os.path.realpath(path)
            if not _inside(real, root_real):
                result.skipped.append(Skipped(rel, "symbolische link naar buiten de corpusmap; niet gevolgd"))
                continue
            try:
                info = os.stat(real)
            except OSError:
                result.skipped.append(Skipped(rel, "symbolische link naar een bestand dat niet bestaat"))
                continue
            if stat.S_ISREG(info.st_mode):
                links.append((path, real))
                continue
        if not stat.S_ISREG(info.st_mode):
            result.skipped.append(Skipped(rel, f"geen gewoon bestand maar een {_kind(info.st_mode)}; niet gelezen"))
        elif reader_for(path) is None:
            result.skipped.append(Skipped(rel, _unknown_type(path)))
        else:
            result.paths.append(path)
    read_real = {os.path.realpath(p) for p in result.paths}
    for path, real in links:
        rel = relative(path, root)
        if real in read_real:
            result.skipped.append(Skipped(rel, f"symbolische link naar {relative(Path(real), Path(root_real))}, "
                                               "dat al gelezen wordt"))
        elif reader_for(path) is None:
            result.skipped.append(Skipped(rel, _unknown_type(path)))
        else:
            result.paths.append(path)
            read_real.add(real)
    result.paths.sort(key=lambda p: relative(p, root))
    result.skipped.sort(key=lambda s: s.path)
    return result


def read_file(path: Path, root: Path, max_bytes: int) -> bytes:
    """The bytes of a regular file inside ``root``; never follows a link out, never blocks on a FIFO.

    Raises :class:`ReaderError` naming the file for links out of the corpus, special files and
    files larger than ``max_bytes``.
    """
    path, root = Path(path), Path(root)
    rel = relative(path, root if root.is_dir() else root.parent)
    real = os.path.realpath(path)
    base = os.path.realpath(root if root.is_dir() else root.parent)
    if not _inside(real, base):
        raise ReaderError(rel, "symbolische link naar buiten de corpusmap; niet gelezen")
    flags = os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0)
    try:
        fd = os.open(real, flags)
    except OSError as exc:
        raise ReaderError(rel, f"onleesbaar bestand: {exc.strerror or exc}") from exc
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise ReaderError(rel, f"geen gewoon bestand maar een {_kind(info.st_mode)}; niet gelezen")
        if info.st_size > max_bytes:
            raise ReaderError(rel, f"bestand te groot: {human_bytes(info.st_size)} (grens {human_bytes(max_bytes)}, "
                                   "instelbaar met BELEIDSBANK_MAX_FILE_BYTES)")
        chunks: list[bytes] = []
        total = 0
        while True:
            chunk = os.read(fd, 1 << 20)
            if not chunk:
                break
            total += len(chunk)
            if total > max_bytes:
                raise ReaderError(rel, f"bestand te groot: meer dan {human_bytes(max_bytes)}")
            chunks.append(chunk)
        return b"".join(chunks)
    finally:
        os.close(fd)
