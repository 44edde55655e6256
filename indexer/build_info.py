"""What an index was built from (``build.json``: format, knowledge-base fingerprint, options) and
whether it is still current; and the leftovers of killed builds (``.tmp-<pid>``/``.old-`` folders).

Apart from :mod:`indexer.build` because the pipeline and the searcher ask these questions without
building anything.
"""
from __future__ import annotations

import hashlib
import json
import os
import shutil
from pathlib import Path
from typing import Any

from whoosh import index as windex

from indexer import segments as seg
from indexer.statement_kinds import FINGERPRINT_QUERIES
from settings import IndexOptions

#: Bump when the index layout or analysis changes: forces a rebuild.
INDEX_FORMAT = 15
BUILD_FILE = "build.json"
TMP_MARK = ".tmp-"
OLD_MARK = ".old-"


def store_fingerprint(store) -> str:
    """Content hash of everything the index is built from (documents, sections, entities, mentions).
    Reads the whole knowledge base: the pipeline passes its own content version instead."""
    h = hashlib.sha256()
    conn = store.conn
    queries = (
        "SELECT id, sha256, fingerprint, title, kind, year FROM documents ORDER BY id",
        "SELECT id, document_id, ord, level, parent, title, path, body, blocks FROM sections ORDER BY id",
        "SELECT id, label, name, aliases FROM entities ORDER BY id",
        "SELECT entity_id, label, section_id, start, end FROM mentions ORDER BY section_id, start, end, entity_id",
        *FINGERPRINT_QUERIES,
    )
    for sql in queries:
        for row in conn.execute(sql):
            h.update(json.dumps(list(row), ensure_ascii=False, default=_blob_hex).encode("utf-8"))
            h.update(b"\x1e")
        h.update(b"\x1d")
    return h.hexdigest()


def _blob_hex(value: Any) -> str:
    """Compressed columns (a section's text) enter the content hash as hex."""
    if isinstance(value, bytes):
        return value.hex()
    raise TypeError(f"not hashable as JSON: {type(value).__name__}")


def build_fingerprint(content: str, options: IndexOptions) -> str:
    h = hashlib.sha256(content.encode())
    h.update(json.dumps({"format": INDEX_FORMAT, "options": options.to_dict()}, sort_keys=True).encode())
    return h.hexdigest()


def read_build_info(index_dir: Path) -> dict[str, Any] | None:
    try:
        return json.loads((Path(index_dir) / BUILD_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def index_is_current(store, index_dir: Path, options: IndexOptions | None = None, *,
                     content: str | None = None) -> bool:
    """True when ``index_dir`` holds a complete index built from exactly this store content (or the
    given content version) with these options (default: the options ``build_index`` would use now)."""
    info = read_build_info(index_dir)
    if not info or info.get("format") != INDEX_FORMAT:
        return False
    opts = options or IndexOptions()
    content = content if content is not None else store_fingerprint(store)
    return info.get("fingerprint") == build_fingerprint(content, opts) and windex.exists_in(str(index_dir), seg.INDEX_NAME)


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # pragma: no cover
        return True
    return True


def clean_stale(index_dir: Path) -> list[Path]:
    """Remove tmp/old siblings left by builds whose process is gone."""
    removed = []
    parent = index_dir.parent
    if not parent.exists():
        return removed
    for p in parent.iterdir():
        for mark in (TMP_MARK, OLD_MARK):
            prefix = index_dir.name + mark
            if p.name.startswith(prefix):
                try:
                    pid = int(p.name[len(prefix):].split("-")[0])
                except ValueError:
                    pid = -1
                if pid != os.getpid() and not _pid_alive(pid):
                    shutil.rmtree(p, ignore_errors=True)
                    removed.append(p)
    return removed
