"""The entity catalogue: canonical entities as reviewed data, loaded and validated.

The catalogue lives in ``kb/catalogue/*.yaml`` (one file per label family).  Each entry::

    - id: ind                       # stable, unique, lower-case slug; used in URLs and kb_id
      label: ORG                    # ORG LAW SYSTEM FUND PROGRAMME PERSON LOC
      name: Immigratie- en Naturalisatiedienst   # preferred Dutch name
      aliases: [IND, Immigration and Naturalisation Service]
      description: Voert het vreemdelingenbeleid uit ...
      refs:                         # only facts derived by rule from the text or verified in a source
        site: https://ind.nl
        celex: 32016L0681
        bwb: BWBR0011823
      relations:
        - {type: part_of, target: ecris}
      case_sensitive: [IND]         # optional; aliases that are all capitals are case-sensitive anyway

Validation fails loudly (:class:`CatalogueError` naming file and entry) on unknown labels,
duplicate ids, relations to unknown ids, and on one alias that would mean two entities.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any, Iterable

import yaml

from nltext import alias_key, form_key, form_mode, is_acronym  # noqa: F401 - is_acronym: the catalogue's case rule

CATALOGUE_DIR = Path(__file__).resolve().parent / "catalogue"

#: Labels of catalogue entities and of pattern-based mentions.
ENTITY_LABELS = ("ORG", "LAW", "SYSTEM", "FUND", "PROGRAMME", "PERSON", "LOC")
PATTERN_LABELS = ("DATE", "MONEY", "PERCENT")
ALL_LABELS = ENTITY_LABELS + PATTERN_LABELS

#: Dutch names of the labels, for the UI.
LABEL_NAMES_NL = {
    "ORG": "Organisatie",
    "LAW": "Wet of regeling",
    "SYSTEM": "Informatiesysteem",
    "FUND": "Fonds",
    "PROGRAMME": "Programma",
    "PERSON": "Persoon",
    "LOC": "Plaats",
    "DATE": "Datum",
    "MONEY": "Bedrag",
    "PERCENT": "Percentage",
}

RELATION_TYPES = ("part_of", "succeeds", "related", "implements", "regulates", "operated_by")
REF_KINDS = ("site", "celex", "bwb", "eli", "url")
_ID_RE = re.compile(r"^[a-z0-9][a-z0-9-]*$")


class CatalogueError(ValueError):
    """The catalogue data is invalid; the message names the file and the entry."""


@dataclass
class Entity:
    id: str
    label: str
    name: str
    aliases: list[str] = field(default_factory=list)
    description: str = ""
    refs: dict[str, str] = field(default_factory=dict)
    relations: list[dict[str, str]] = field(default_factory=list)
    case_sensitive: list[str] = field(default_factory=list)
    source_file: str = ""
    #: Where an entity or alias was discovered in a document (section id), if not from the catalogue.
    provenance: list[dict[str, Any]] = field(default_factory=list)

    @property
    def surface_forms(self) -> list[str]:
        """The preferred name followed by every alias, without duplicates."""
        seen: dict[str, None] = {}
        for form in [self.name, *self.aliases]:
            if form and form not in seen:
                seen[form] = None
        return list(seen)


#: Key under which two spellings of one alias collide (case, accents, dashes, hyphen spacing).
normalise_alias = alias_key


@dataclass
class Catalogue:
    entities: dict[str, Entity]

    def __iter__(self):
        return iter(self.entities.values())

    def __len__(self) -> int:
        return len(self.entities)

    def get(self, entity_id: str) -> Entity | None:
        return self.entities.get(entity_id)

    def alias_index(self) -> dict[str, str]:
        """Normalised alias -> entity id (acronyms keep their case in the key)."""
        index: dict[str, str] = {}
        for ent in self.entities.values():
            for form in ent.surface_forms:
                index[_alias_key(form, ent)] = ent.id
        return index


def _alias_key(form: str, ent: Entity) -> str:
    return form_key(form, form_mode(form, ent.case_sensitive))


def _entity_from_raw(raw: Any, source: str, position: int) -> Entity:
    where = f"{source}, entry {position + 1}"
    if not isinstance(raw, dict):
        raise CatalogueError(f"{where}: an entry must be a mapping, got {type(raw).__name__}")
    unknown = set(raw) - {"id", "label", "name", "aliases", "description", "refs", "relations", "case_sensitive"}
    if unknown:
        raise CatalogueError(f"{where}: unknown field(s) {sorted(unknown)}")
    eid = raw.get("id")
    if not isinstance(eid, str) or not _ID_RE.match(eid):
        raise CatalogueError(f"{where}: id {eid!r} must be a lower-case slug (a-z, 0-9, '-')")
    where = f"{source}, entity {eid!r}"
    label = raw.get("label")
    if label not in ENTITY_LABELS:
        raise CatalogueError(f"{where}: label {label!r} is not one of {', '.join(ENTITY_LABELS)}")
    name = raw.get("name")
    if not isinstance(name, str) or not name.strip():
        raise CatalogueError(f"{where}: a non-empty name is required")
    aliases = raw.get("aliases") or []
    if not isinstance(aliases, list) or not all(isinstance(a, str) and a.strip() for a in aliases):
        raise CatalogueError(f"{where}: aliases must be a list of non-empty strings")
    refs = raw.get("refs") or {}
    if not isinstance(refs, dict) or any(k not in REF_KINDS for k in refs):
        raise CatalogueError(f"{where}: refs keys must be among {', '.join(REF_KINDS)}")
    if "celex" in refs and not re.fullmatch(r"[0-9][0-9]{4}[A-Z][0-9]{4}", str(refs["celex"])):
        raise CatalogueError(f"{where}: CELEX number {refs['celex']!r} is malformed")
    relations = raw.get("relations") or []
    for rel in relations:
        if not isinstance(rel, dict) or rel.get("type") not in RELATION_TYPES or not rel.get("target"):
            raise CatalogueError(f"{where}: relation {rel!r} needs a type among {RELATION_TYPES} and a target")
    return Entity(
        id=eid,
        label=label,
        name=name.strip(),
        aliases=[a.strip() for a in aliases],
        description=(raw.get("description") or "").strip(),
        refs={k: str(v) for k, v in refs.items()},
        relations=[{"type": r["type"], "target": r["target"]} for r in relations],
        case_sensitive=list(raw.get("case_sensitive") or []),
        source_file=source,
    )


def validate(entities: Iterable[Entity]) -> Catalogue:
    """Check ids, relations and aliases across the whole catalogue."""
    by_id: dict[str, Entity] = {}
    for ent in entities:
        if ent.id in by_id:
            raise CatalogueError(f"{ent.source_file}: duplicate id {ent.id!r} (also in {by_id[ent.id].source_file})")
        by_id[ent.id] = ent
    owner: dict[str, str] = {}
    for ent in by_id.values():
        for form in ent.surface_forms:
            key = _alias_key(form, ent)
            other = owner.get(key)
            if other is not None and other != ent.id:
                raise CatalogueError(
                    f"{ent.source_file}: alias {form!r} of {ent.id!r} already means {other!r} "
                    f"({by_id[other].source_file}); one alias cannot name two entities"
                )
            owner[key] = ent.id
        for form in ent.case_sensitive:
            if form not in ent.surface_forms:
                raise CatalogueError(f"{ent.source_file}: case_sensitive form {form!r} of {ent.id!r} is not one of its names")
        for rel in ent.relations:
            if rel["target"] not in by_id:
                raise CatalogueError(f"{ent.source_file}: {ent.id!r} relates to unknown entity {rel['target']!r}")
    return Catalogue(by_id)


#: libyaml's C parser when available: five times faster on a catalogue of 300+ entries.
_YAML_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def load_file(path: Path) -> list[Entity]:
    try:
        raw = yaml.load(path.read_text(encoding="utf-8"), Loader=_YAML_LOADER)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = f":{mark.line + 1}" if mark is not None else ""
        raise CatalogueError(f"{path}{line}: invalid YAML: {exc}") from exc
    if raw is None:
        return []
    if not isinstance(raw, list):
        raise CatalogueError(f"{path}: the file must hold a list of entities")
    return [_entity_from_raw(item, str(path.name), i) for i, item in enumerate(raw)]


def load_catalogue(directory: Path | None = None) -> Catalogue:
    """Load and validate every ``*.yaml`` file in the catalogue directory."""
    directory = directory or CATALOGUE_DIR
    entities: list[Entity] = []
    for path in sorted(directory.glob("*.yaml")):
        entities.extend(load_file(path))
    return validate(entities)


@lru_cache(maxsize=4)
def default_catalogue() -> Catalogue:
    return load_catalogue(CATALOGUE_DIR)
