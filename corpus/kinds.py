"""Kinds of document: the kind a folder names, the Dutch name users see, which kinds are regulations.

Collections are often sorted into folders by kind (the regulations collection is ``<kind>/<BWB-id>.md``:
``wet/``, ``AMvB/``, ``beleidsregel/`` ...), so a folder named like a known kind gives the kind of the
documents in it.  The list of kinds, their Dutch names and the folder names that mean them is data
(``kinds.yaml``), reviewed like code.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path, PurePosixPath

import yaml


@dataclass(frozen=True)
class Kind:
    code: str  # stored in Document.kind ("AMvB")
    name: str  # what users read ("algemene maatregel van bestuur")
    regulation: bool = False


@lru_cache(maxsize=1)
def _kinds() -> tuple[dict[str, Kind], dict[str, Kind]]:
    """(code -> kind, folder name (lower case) -> kind)."""
    data = yaml.safe_load(Path(__file__).with_name("kinds.yaml").read_text(encoding="utf-8"))
    by_code: dict[str, Kind] = {}
    by_folder: dict[str, Kind] = {}
    for entry in data["kinds"]:
        kind = Kind(str(entry["code"]), str(entry["name"]), bool(entry.get("regulation", False)))
        by_code[kind.code.lower()] = kind
        for name in [kind.code, *entry.get("folders", [])]:
            by_folder[str(name).lower()] = kind
    return by_code, by_folder


def folder_kind(source_path: str) -> str | None:
    """The kind named by the nearest folder of ``source_path`` (relative to the corpus) that names one.

    >>> folder_kind("regelgeving/AMvB/BWBR0002616.md")
    'AMvB'
    >>> folder_kind("brief.txt") is None
    True
    """
    _, by_folder = _kinds()
    for folder in reversed(PurePosixPath(source_path).parts[:-1]):
        kind = by_folder.get(folder.lower())
        if kind is not None:
            return kind.code
    return None


def kind_name(kind: str | None) -> str:
    """The Dutch name of a kind ("AMvB" -> "algemene maatregel van bestuur"); an unknown kind as written."""
    if not kind:
        return ""
    known = _kinds()[0].get(kind.lower())
    return known.name if known else kind


def is_regulation(kind: str | None) -> bool:
    """Is ``kind`` a kind of regulation (wet, AMvB, beleidsregel, ... or the general "regeling")?"""
    known = _kinds()[0].get((kind or "").lower())
    return bool(known and known.regulation)
