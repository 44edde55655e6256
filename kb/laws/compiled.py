"""The register in the form the tagger uses: resolutions, a name trie, dated titles, entity rows.

Compiled from the register's rows (:mod:`kb.laws.store`) with the tagger's tokenizer and cached as one
JSON file in the data directory, named by the hash of the register and of the tokenizer, so a tagger
starts in a fraction of a second and a changed register or tokenizer never reads a stale cache.
"""
from __future__ import annotations

import hashlib
import json
import os
import tempfile
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any, Callable, Iterable, Sequence

from kb.catalogue import is_acronym

from .data import WORDS_FILE
from .matcher import NameTrie
from .register import MINED_SOURCES, OFFICIAL_SOURCES, NameRow, Regulation
from .resolve import Resolution, resolve_names

FORMAT_VERSION = "law-register-2"
#: Names shown as aliases of a regulation's entity (most cited first).
MAX_ALIASES = 12


@dataclass
class CompiledRegister:
    """What the tagger needs of a register.  ``laws`` (entity data of every regulation) is the larger half
    and only needed for entity rows and dated titles: a cached register reads it on first use."""

    entries: list[Resolution]
    trie: NameTrie
    dated: dict[str, int]  # dated-title key ("wet 1921-01-15") -> entry
    _laws: dict[str, dict[str, Any]] | Callable[[], dict[str, dict[str, Any]]]
    digest: str = ""
    keys: dict[str, int] = field(default_factory=dict)  # name key -> entry

    @property
    def laws(self) -> dict[str, dict[str, Any]]:
        """BWB id -> {"name", "aliases", "title", "kind", "in_collection"}."""
        if callable(self._laws):
            self._laws = self._laws()
        return self._laws

    def entry_for_name(self, key: str) -> Resolution | None:
        i = self.keys.get(key)
        return self.entries[i] if i is not None else None

    def matcher_json(self) -> dict[str, Any]:
        entries = [[e.bwb, e.books, {} if e.bwb else e.candidates, e.needs_reference, e.dated, e.cited, e.official,
                    e.made]
                   for e in self.entries]
        return {"format": FORMAT_VERSION, "digest": self.digest, "entries": entries, "trie": self.trie.to_json(),
                "dated": self.dated, "keys": self.keys}

    @classmethod
    def from_json(cls, data: dict[str, Any], laws: dict[str, dict[str, Any]] | Callable[[], dict]) -> "CompiledRegister":
        entries = [Resolution(key="", bwb=e[0], books=e[1], candidates=e[2], needs_reference=e[3], dated=e[4],
                              cited=e[5], official=e[6], made=e[7]) for e in data["entries"]]
        return cls(entries=entries, trie=NameTrie.from_json(data["trie"]), dated=data["dated"], _laws=laws,
                   digest=data["digest"], keys=data["keys"])


@lru_cache(maxsize=1)
def compile_code_version() -> str:
    """Hash of the rules that turn a register into its compiled form (every module of kb.laws and its word
    lists): a cached compiled register made by other rules is never read."""
    h = hashlib.sha256(FORMAT_VERSION.encode())
    here = Path(__file__).resolve().parent
    for path in sorted(here.glob("*.py")) + [WORDS_FILE]:
        h.update(path.name.encode() + b"\0" + path.read_bytes())
    return h.hexdigest()[:16]


def register_digest(regs: Iterable[Regulation], rows: Iterable[NameRow]) -> str:
    h = hashlib.sha256(FORMAT_VERSION.encode())
    for r in sorted(regs, key=lambda r: r.bwb):
        h.update(json.dumps([r.bwb, r.kind, r.title, r.citeertitels, r.in_collection], ensure_ascii=False).encode())
    for n in sorted(rows, key=lambda n: (n.bwb, n.source, n.name, n.book)):
        h.update(json.dumps([n.name, n.bwb, n.source, n.book, n.docs], ensure_ascii=False).encode())
    return h.hexdigest()[:24]


def _law_rows(regs: dict[str, Regulation], rows: Sequence[NameRow],
              resolved: dict[str, Resolution]) -> dict[str, dict[str, Any]]:
    """Entity data per regulation: its preferred name (short title, else most cited name, else title)."""
    from .register import name_key

    weight: dict[str, dict[str, int]] = {}
    for r in rows:
        if r.source.startswith("dated"):
            continue
        res = resolved.get(name_key(r.name))
        if res is None or res.bwb != r.bwb:
            continue  # a name that does not identify this regulation is no alias of it
        bonus = {"citeertitel": 1000, "title": 500, "path": 100}.get(r.source, 0)
        w = weight.setdefault(r.bwb, {})
        w[r.name] = max(w.get(r.name, 0), r.docs + bonus)
    out = {}
    for bwb, reg in regs.items():
        names = sorted(weight.get(bwb, {}).items(),
                       key=lambda kv: (kv[0].islower(), -kv[1], is_acronym(kv[0]), kv[0]))
        spoken = [n for n, _ in names if not is_acronym(n)]
        name = reg.citeertitels[0] if reg.citeertitels else (spoken[0] if spoken else (reg.title or bwb))
        name = name[:1].upper() + name[1:]
        aliases = [n for n, _ in names if n != name][:MAX_ALIASES]
        if not reg.in_collection and not names:
            continue  # only known as a link target under names that say nothing
        out[bwb] = {"name": name, "aliases": aliases, "title": reg.title, "kind": reg.kind,
                    "in_collection": reg.in_collection}
    return out


def compile_register(regs: dict[str, Regulation], rows: Sequence[NameRow],
                     tokenize: Callable[[str], list[str]], fold: Callable[[str], str],
                     digest: str | None = None) -> CompiledRegister:
    """Decide the names (:func:`kb.laws.resolve.resolve_names`) and index their token forms: ``tokenize``
    splits a name into token texts, ``fold`` gives a token's case-insensitive key (both the tagger's)."""
    resolved = resolve_names(rows)
    entries: list[Resolution] = []
    keys: dict[str, int] = {}
    dated: dict[str, int] = {}
    trie = NameTrie()
    for key in sorted(resolved):
        res = resolved[key]
        if not (res.bwb or res.books or res.candidates):
            continue
        idx = len(entries)
        entries.append(res)
        keys[key] = idx
        if res.dated:
            dated[key] = idx
            continue
        exact = key.startswith("CS:")
        for surface in res.surfaces:
            words = tokenize(surface)
            if not words:
                continue
            trie.add(words if exact else [fold(w) for w in words], idx, exact=exact)
    return CompiledRegister(entries=entries, trie=trie, dated=dated, _laws=_law_rows(regs, rows, resolved),
                            digest=digest or register_digest(regs.values(), rows), keys=keys)


def _laws_path(path: Path) -> Path:
    return path.with_name(path.stem + ".laws.json")


def _read_json(path: Path) -> Any:
    with open(path, encoding="utf-8") as fh:
        return json.load(fh)


def load_cached(path: Path) -> CompiledRegister | None:
    """The register cached at ``path`` (its entity data, next to it, is read on first use); None when the cache
    is missing, unreadable or of another format.  The entity data file is opened now: a tagger of another
    version that replaces the cache in the meantime (and removes this one) cannot take it away."""
    laws_path = _laws_path(path)
    try:
        data = _read_json(path)
        if data.get("format") != FORMAT_VERSION:
            return None
        laws_file = open(laws_path, "rb")
    except (OSError, ValueError):
        return None

    def read_laws() -> dict[str, dict[str, Any]]:
        # by position, not through the file's offset: a build's worker processes are forked with this open
        # file and share its offset, so the first one to read would leave the others at its end
        fd = laws_file.fileno()
        size = os.fstat(fd).st_size
        chunks, pos = [], 0
        while pos < size:
            chunk = os.pread(fd, size - pos, pos)
            if not chunk:
                break
            chunks.append(chunk)
            pos += len(chunk)
        laws_file.close()  # this process's descriptor only: forked ones keep theirs
        return json.loads(b"".join(chunks).decode("utf-8"))

    return CompiledRegister.from_json(data, read_laws)


def save_cached(compiled: CompiledRegister, path: Path) -> bool:
    """Write both parts atomically (entity data first, so a matcher file never lacks it); False when the data
    directory is not writable (the tagger then keeps the register in memory)."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        for target, payload in ((_laws_path(path), compiled.laws), (path, compiled.matcher_json())):
            fd, tmp = tempfile.mkstemp(prefix=target.name, suffix=".tmp", dir=target.parent)
            with os.fdopen(fd, "w", encoding="utf-8") as fh:
                json.dump(payload, fh, ensure_ascii=False, separators=(",", ":"))
            os.chmod(tmp, 0o644)  # readable by the web server like the knowledge base itself
            os.replace(tmp, target)
        return True
    except OSError:
        return False


__all__ = ["CompiledRegister", "compile_register", "compile_code_version", "register_digest", "load_cached", "save_cached",
           "OFFICIAL_SOURCES", "MINED_SOURCES"]
