"""Stable, readable identifiers for documents and sections.

Ids are built from titles (not positions) so links and stored annotations survive small
edits elsewhere in a document; repeated headings get ``-2``, ``-3`` suffixes in document
order, which keeps the same input mapping to the same ids on every build.
"""
from __future__ import annotations

from nltext.fold import slug

INTRO_SLUG = "inleiding"
INTRO_TITLE = "Inleiding"
MAX_SLUG_LENGTH = 80


def slugify(text: str, max_length: int = MAX_SLUG_LENGTH) -> str:
    """Lower-case ASCII slug (:func:`nltext.fold.slug`): accents folded ("financiële" ->
    "financiele"), words joined by '-', apostrophes inside words dropped ("LO's" -> "los"),
    '&' read as "en"; long slugs are cut at a hyphen so ids stay usable in URLs."""
    return slug(text, max_length)


def document_id(stem: str) -> str:
    """Document id = slug of the file stem (e.g. ``jenv-jaarverslag-2020-beleidsverslag``)."""
    return slugify(stem, max_length=120) or "document"


class SectionIdAllocator:
    """Hands out ``{doc_id}:{slug}`` ids, unique within one document, in document order."""

    def __init__(self, doc_id: str) -> None:
        self.doc_id = doc_id
        self._used: set[str] = set()

    def allocate(self, title: str, *, intro: bool = False) -> str:
        base = INTRO_SLUG if intro else (slugify(title) or "sectie")
        candidate, n = base, 1
        while candidate in self._used:
            n += 1
            candidate = f"{base}-{n}"
        self._used.add(candidate)
        return f"{self.doc_id}:{candidate}"


def _short_hash(text: str) -> str:
    import hashlib

    return hashlib.sha1(text.encode("utf-8")).hexdigest()[:8]


def assign_document_ids(relpaths: list[str], previous: dict[str, str] | None = None) -> tuple[dict[str, str], list[str]]:
    """A unique id for every file (by relative path), deterministic and stable across builds.

    The id is the slug of the file stem.  A file that already has an id in the knowledge base
    (``previous``: relative path -> id) keeps it, so adding a file never renames another one
    and nothing is re-tagged needlessly.  Files whose slugs collide ("Beleidsnota 2020.txt"
    and "beleidsnota_2020.md", or names that slug to nothing such as "☃☃.md") get, in turn,
    the slug of their relative path, that slug plus the extension, and finally a short hash of
    the path — so no document is ever lost.  Returns ``(ids, notes)``; a note says which file
    got which id and why.
    """
    previous = previous or {}
    ids: dict[str, str] = {}
    taken: set[str] = set()
    for rel in sorted(relpaths):
        old = previous.get(rel)
        if old and old not in taken:
            ids[rel] = old
            taken.add(old)
    stems: dict[str, str] = {}
    for rel in relpaths:
        name = rel.rsplit("/", 1)[-1]
        stem = name.rsplit(".", 1)[0] if "." in name.lstrip(".") else name
        stems[rel] = slugify(stem, max_length=120)
    counts: dict[str, int] = {}
    for rel in relpaths:
        if rel not in ids:
            counts[stems[rel]] = counts.get(stems[rel], 0) + 1
    pending = sorted(r for r in relpaths if r not in ids)
    path_slugs = {rel: slugify(rel.rsplit(".", 1)[0] if "." in rel.rsplit("/", 1)[-1] else rel, 160) for rel in pending}
    path_counts: dict[str, int] = {}
    for rel in pending:
        path_counts[path_slugs[rel]] = path_counts.get(path_slugs[rel], 0) + 1
    notes: list[str] = []
    for rel in pending:
        base = stems[rel]
        if base and counts[base] == 1 and base not in taken:
            ids[rel] = base
            taken.add(base)
            continue
        path_slug = path_slugs[rel]
        ext = rel.rsplit(".", 1)[-1].lower() if "." in rel.rsplit("/", 1)[-1] else ""
        candidates = []
        if path_slug and path_counts[path_slug] == 1:
            candidates.append(path_slug)
        if path_slug and ext:
            candidates.append(f"{path_slug}-{ext}")
        choice = next((c for c in candidates if c not in taken and (c == base or counts.get(c, 0) == 0)), None)
        if choice is None:
            choice = f"{path_slug or base or 'document'}-{_short_hash(rel)}"
        ids[rel] = choice
        taken.add(choice)
        if choice != base:
            why = "naam geeft geen bruikbare id" if not base else f"id '{base}' is ook de naam van een ander bestand"
            notes.append(f"{rel}: {why}; id wordt '{choice}'")
    return ids, notes
