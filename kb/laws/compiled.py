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
from pathlib import Path
from typing import Any, Callable, Iterable, Sequence

from kb.catalogue import is_acronym

from .matcher import NameTrie
from .register import MINED_SOURCES, OFFICIAL_SOURCES, NameRow, Regulation
from .resolve import Resolution, resolve_names

FORMAT_VERSION = "law-register-1"
#: Names shown as aliases of a regulation's entity (most cited first).
MAX_ALIASES = 12


@dataclass
class CompiledRegister:
    entries: list[Resolution]
    trie: NameTrie
    dated: dict[str, int]  # dated-title key ("wet 1921-01-15") -> entry
    laws: dict[str, dict[str, Any]]  # BWB id -> {"name", "aliases", "title", "kind", "in_collection"}
    digest: str = ""
    keys: dict[str, int] = field(default_factory=dict)  # name key -> entry

    def entry_for_name(self, key: str) -> Resolution | None:
        i = self.keys.get(key)
        return self.entries[i] if i is not None else None

    def to_json(self) -> dict[str, Any]:
        return {"format": FORMAT_VERSION, "digest": self.digest, "entries": [e.to_dict() for e in self.entries],
                "trie": self.trie.to_json(), "dated": self.dated, "laws": self.laws, "keys": self.keys}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> "CompiledRegister":
        entries = [Resolution(**e) for e in data["entries"]]
        return cls(entries=entries, trie=NameTrie.from_json(data["trie"]), dated=data["dated"], laws=data["laws"],
                   digest=data["digest"], keys=data["keys"])


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
        if r.source.startswith("dated") or r.source == "initials":
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
    return CompiledRegister(entries=entries, trie=trie, dated=dated, laws=_law_rows(regs, rows, resolved),
                            digest=digest or register_digest(regs.values(), rows), keys=keys)


def load_cached(path: Path) -> CompiledRegister | None:
    try:
        with open(path, encoding="utf-8") as fh:
            data = json.load(fh)
    except (OSError, ValueError):
        return None
    if data.get("format") != FORMAT_VERSION:
        return None
    return CompiledRegister.from_json(data)


def save_cached(compiled: CompiledRegister, path: Path) -> bool:
    """Write atomically; False when the data directory is not writable (the tagger then keeps it in memory)."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=path.name, suffix=".tmp", dir=path.parent)
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            json.dump(compiled.to_json(), fh, ensure_ascii=False, separators=(",", ":"))
        os.replace(tmp, path)
        return True
    except OSError:
        return False


__all__ = ["CompiledRegister", "compile_register", "register_digest", "load_cached", "save_cached",
           "OFFICIAL_SOURCES", "MINED_SOURCES"]
