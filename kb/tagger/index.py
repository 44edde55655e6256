"""The tagger's view of known entities: catalogue entries, aliases from definitions, derived entities.

Surface forms are matched in one of two modes:

* ``cs`` (case-sensitive, on the token text): acronyms (``kb.catalogue.is_acronym``: IND, DT&V, JenV) and
  forms the catalogue lists under ``case_sensitive`` ("Rechtspraak", "Justitie en Veiligheid");
* ``ci`` (case-insensitive, on a normalised token key without accents and with one kind of dash): all
  other names ("Immigratie- en Naturalisatiedienst" = "immigratie - en naturalisatiedienst").
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Iterable

from kb.catalogue import Catalogue, Entity
from nltext import form_key, form_mode, is_acronym

from .text import derived_id


@dataclass
class KnownEntity(Entity):
    """A catalogue entity as the tagger holds it, with where it came from; the catalogue's fields are
    the one definition of what an entity has."""

    origin: str = "catalogue"  # catalogue | definition | pattern | model

    @property
    def forms(self) -> list[str]:
        return self.surface_forms

    def mode(self, form: str) -> str:
        return form_mode(form, self.case_sensitive)

    def row(self) -> dict[str, Any]:
        return {
            "id": self.id, "label": self.label, "name": self.name, "aliases": [a for a in self.aliases if a != self.name],
            "description": self.description, "refs": dict(self.refs), "relations": list(self.relations),
            "origin": self.origin, "provenance": list(self.provenance),
        }


def celex_number(year: str, number: str, kind: str) -> str:
    return f"3{int(year):04d}{kind}{int(number):04d}"


class EntityIndex:
    """Entities by id and surface forms by matching key."""

    def __init__(self) -> None:
        self.entities: dict[str, KnownEntity] = {}
        self._keys: dict[str, str] = {}  # form key -> entity id
        self._celex: dict[str, str] = {}
        self._related_to: dict[str, list[str]] = {}  # target id -> ids with a relation to it

    # -- building -------------------------------------------------------------------------------------
    @classmethod
    def from_catalogue(cls, catalogue: Catalogue | None) -> "EntityIndex":
        index = cls()
        if catalogue is None:
            return index
        for ent in catalogue:
            index.add_entity(KnownEntity(
                id=ent.id, label=ent.label, name=ent.name, aliases=list(ent.aliases), description=ent.description,
                refs=dict(ent.refs), relations=list(ent.relations), case_sensitive=list(ent.case_sensitive),
                origin="catalogue", provenance=list(ent.provenance),
            ))
        return index

    def add_entity(self, ent: KnownEntity) -> None:
        self.entities[ent.id] = ent
        for form in ent.forms:
            self._keys.setdefault(form_key(form, ent.mode(form)), ent.id)
        celex = ent.refs.get("celex")
        if celex:
            self._celex[celex.upper()] = ent.id
        for rel in ent.relations:
            self._related_to.setdefault(rel["target"], []).append(ent.id)

    def add_alias(self, entity_id: str, form: str, *, case_sensitive: bool | None = None) -> bool:
        """Add a surface form to an entity unless it already names another one; True when added."""
        ent = self.entities[entity_id]
        if case_sensitive and form not in ent.case_sensitive and not is_acronym(form):
            ent.case_sensitive.append(form)
        mode = ent.mode(form)
        key = form_key(form, mode)
        owner = self._keys.get(key)
        if owner is not None and owner != entity_id:
            return False
        if owner is None:
            self._keys[key] = entity_id
            if form not in ent.aliases and form != ent.name:
                ent.aliases.append(form)
        return True

    # -- lookups --------------------------------------------------------------------------------------
    def lookup(self, surface: str) -> str | None:
        """Entity id a surface form names: exact (case-sensitive) forms first, then case-insensitive."""
        hit = self._keys.get(form_key(surface, "cs"))
        if hit is not None:
            return hit
        hit = self._keys.get(form_key(surface, "ci"))
        if hit is not None and self.entities[hit].mode(self._form_for(hit, surface)) == "ci":
            return hit
        return None

    def _form_for(self, entity_id: str, surface: str) -> str:
        key = form_key(surface, "ci")
        for f in self.entities[entity_id].forms:
            if form_key(f, "ci") == key:
                return f
        return surface

    def by_celex(self, celex: str) -> str | None:
        return self._celex.get(celex.upper())

    def related_of(self, target_id: str, label: str | None = None) -> list[str]:
        ids = self._related_to.get(target_id, [])
        return [i for i in ids if label is None or self.entities[i].label == label]

    def get(self, entity_id: str | None) -> KnownEntity | None:
        return self.entities.get(entity_id) if entity_id else None

    def forms(self) -> Iterable[tuple[str, str, str]]:
        """(form, entity id, mode) for every surface form."""
        for ent in self.entities.values():
            for form in ent.forms:
                yield form, ent.id, ent.mode(form)

    # -- discovered entities --------------------------------------------------------------------------
    def ensure_entity(self, label: str, name: str, *, origin: str, entity_id: str | None = None,
                      provenance: dict[str, Any] | None = None) -> KnownEntity:
        eid = entity_id or derived_id(label, name)
        ent = self.entities.get(eid)
        if ent is None:
            ent = KnownEntity(id=eid, label=label, name=name, origin=origin)
            self.add_entity(ent)
        if provenance and provenance not in ent.provenance:
            ent.provenance.append(provenance)
        return ent

