"""The tagger: a spaCy pipeline of composable components, and its public API.

Pipeline (components registered by name, see the modules):

    [statistical components of the model, if one is installed: tok2vec, ner, ...]
    bb_norm          token.norm_ := matching key (lower case, no accents, one dash)      catalogue_matcher.py
    bb_catalogue     catalogue + corpus definitions, acronym compounds                    catalogue_matcher.py
    bb_definitions   "Long Form (ABBR)" in the text itself; applies them to the text      definitions.py
    bb_patterns      legal references, amounts, dates, names by head noun, places, persons patterns.py
    bb_laws          citations of regulations -> BWB id and article (register of regulations) laws.py
    bb_stat_merge    statistical entities as low-priority candidates (only with "ner")   resolve.py
    bb_resolve       overlaps -> doc.ents (+ related, value)                               resolve.py

The tokenizer is adjusted for policy text first (tokenizer.py).
"""
from __future__ import annotations

import hashlib
import importlib.util
import json
import logging
import threading
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Iterable, Iterator, Sequence

import spacy
from spacy.language import Language
from spacy.tokens import Doc

import nltext
from kb.catalogue import Catalogue, load_catalogue
from kb.laws.citation import article_of
from kb.laws.compiled import CompiledRegister
from kb.laws.store import InMemoryRegister, RegisterSource
from settings.budget import check as check_budget

from . import catalogue_matcher as _cm  # noqa: F401  (registers bb_norm, bb_catalogue)
from . import definitions as _defs  # noqa: F401  (registers bb_definitions)
from . import laws as _laws  # noqa: F401  (registers bb_laws)
from . import patterns as _pat  # noqa: F401  (registers bb_patterns)
from . import resolve as _res  # noqa: F401  (registers bb_stat_merge, bb_resolve)
from .candidates import doc_text, make_doc, register_extensions
from .index import EntityIndex, KnownEntity
from .law_register import compiled_register, official_refs
from .text import pattern_files
from .tokenizer import adjust_tokenizer, blank_dutch

log = logging.getLogger("kb.tagger")
_WARNED_MISSING: set[str] = set()

#: Bump when the tagging rules change in a way the source hash would not show (e.g. data semantics).
CODE_VERSION = "tagger-1"
VALUE_LABELS = ("DATE", "MONEY", "PERCENT")
#: Longest text the pipeline accepts (spaCy's default is 1,000,000 characters).
MAX_TEXT_CHARS = 4_000_000
#: Upper bound on derived entities remembered for entity_rows() (a corpus has far fewer).
MAX_RECORDED = 200_000
#: Statistical components the tagger does not need (disabled for speed when a model is loaded).
UNUSED_PIPES = ("parser", "tagger", "morphologizer", "lemmatizer", "trainable_lemmatizer", "attribute_ruler",
                "senter", "textcat", "textcat_multilabel", "spancat", "entity_linker")


@dataclass
class TaggedEntity:
    start: int
    end: int
    text: str
    label: str
    kb_id: str
    related: list[str] = field(default_factory=list)
    value: str | None = None
    refs: dict[str, str] = field(default_factory=dict)  # LAW: {"bwb": ...} or {"celex": ...}
    article: str | None = None  # LAW: the article cited ("49, eerste lid")

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def _code_hash() -> str:
    h = hashlib.sha256(CODE_VERSION.encode())
    here = Path(__file__).resolve().parent
    core = Path(nltext.__file__).resolve().parent  # the text core's rules and word lists tag too
    for path in sorted(here.glob("*.py")) + pattern_files() + sorted(core.glob("*.py")) + sorted(core.glob("data/*")):
        h.update(path.name.encode())
        h.update(path.read_bytes())
    return h.hexdigest()


def _load_nlp(model: str | Path | None) -> tuple[Language, str]:
    if model is not None:
        path = Path(str(model)).expanduser()
        if path.exists():
            nlp = spacy.load(path)
            name = f"{nlp.meta.get('name', path.name)} {nlp.meta.get('version', '')} ({path})".replace("  ", " ")
            log.info("tagger: spaCy-pijplijn geladen uit %s", path)
            return nlp, name
        try:
            installed = importlib.util.find_spec(str(model)) is not None
        except (ImportError, ValueError):  # not a module name ("/no/such/dir", "a..b")
            installed = False
        if installed:
            nlp = spacy.load(str(model))
            name = f"{model} {nlp.meta.get('version', '')}".strip()
            log.info("tagger: spaCy-pijplijn %s geladen", name)
            return nlp, name
        if str(model) not in _WARNED_MISSING:  # once per process, not once per tagger built
            _WARNED_MISSING.add(str(model))
            log.warning("spaCy-pijplijn %r is niet geïnstalleerd; de tagger werkt met spacy.blank('nl'), de catalogus en"
                        " regels (installeren: pip install -e '.[nlp]', zie README)", model)
    else:
        log.info("tagger: spacy.blank('nl') met catalogus en regels")
    return blank_dutch(), "spacy.blank('nl')"


def apply_definitions(index: EntityIndex, rows: Iterable[dict[str, Any]]) -> int:
    """Add corpus definitions (rows of ``Store.definitions()``) to the index; returns how many applied.

    A definition whose short form already names another entity is skipped (the catalogue wins)."""
    applied = 0
    for row in rows:
        short = (row.get("short") or "").strip()
        long = (row.get("long") or "").strip()
        eid = row.get("entity_id")
        label = row.get("label")
        if not short or not eid or not label:
            continue
        owner = index.lookup(short)
        if owner is not None and owner != eid:
            continue
        prov = {k: row[k] for k in ("document_id", "section_id") if row.get(k)}
        if eid not in index.entities:
            index.ensure_entity(label, long or short, origin="definition", entity_id=eid, provenance=prov or None)
        elif prov and index.entities[eid].origin == "definition" and prov not in index.entities[eid].provenance:
            index.entities[eid].provenance.append(prov)
        index.add_alias(eid, short, case_sensitive=True)
        if long:
            index.add_alias(eid, long)
        applied += 1
    return applied


class Tagger:
    """Named-entity tagger for Dutch policy text (see the module docstring for the pipeline)."""

    def __init__(self, nlp: Language, index: EntityIndex, pipeline_name: str, fingerprint: str,
                 catalogue_ids: set[str], register: "CompiledRegister | None" = None) -> None:
        self.nlp = nlp
        self.index = index
        self.register = register
        self._laws = nlp.get_pipe("bb_laws")
        self.pipeline_name = pipeline_name
        self.fingerprint = fingerprint
        self._catalogue_ids = catalogue_ids
        self._seen: dict[str, KnownEntity] = {}
        self._lock = threading.Lock()
        self._definitions = nlp.get_pipe("bb_definitions")

    # -- tagging ----------------------------------------------------------------------------------
    def tag(self, text: str, *, record: bool = False) -> list[TaggedEntity]:
        """Entities in ``text`` (char offsets, sorted, non-overlapping).  ``record=True`` remembers entities
        derived by rule/model/definition for :meth:`entity_rows` (used when building the knowledge base)."""
        doc = make_doc(self.nlp, text)
        for _name, component in self.nlp.pipeline:  # what ``nlp(text)`` does, with the request budget
            check_budget("het taggen")              # checked between components (settings.budget)
            doc = component(doc)
        return self._entities(doc, record)

    def tag_many(self, texts: Iterable[str], batch_size: int = 64, *,
                 record: bool = False) -> Iterator[list[TaggedEntity]]:
        docs = (make_doc(self.nlp, text) for text in texts)  # spaCy's pipe takes Docs as they are
        for doc in self.nlp.pipe(docs, batch_size=batch_size):
            yield self._entities(doc, record)

    def find_definitions(self, text: str) -> list[dict[str, Any]]:
        """Abbreviation definitions in the text: {"short","long","label","start","end","entity_id", ...}.
        Every definition has a parenthesis: only the text around the parentheses is tokenized."""
        return self._definitions.find_text(text)

    def _entities(self, doc: Doc, record: bool = False) -> list[TaggedEntity]:
        out = []
        meta = doc._.bb_meta or {}
        text = doc_text(doc)
        for ent in doc.ents:
            start, end = ent.start_char, ent.end_char
            m = meta.get((start, end), {})  # what span._.bb_related / bb_value read, without a getter per entity
            refs, article, value = m.get("refs"), m.get("article"), m.get("value")
            label, kb_id = ent.label_, ent.kb_id_
            if label == "LAW" and refs is None:
                refs = official_refs(self.index, kb_id)
                article = article or article_of(value)
            out.append(TaggedEntity(
                start=start, end=end, text=text[start:end], label=label, kb_id=kb_id,
                related=list(m.get("related") or []), value=value, refs=dict(refs or {}), article=article,
            ))
        if record:
            self._register(doc, out)
        return out

    def _register(self, doc: Doc, ents: Sequence[TaggedEntity]) -> None:
        new = doc._.bb_new_entities or []
        with self._lock:
            if len(self._seen) >= MAX_RECORDED:
                return
            for e in new:
                if e.id not in self.index.entities and e.id not in self._seen:
                    self._seen[e.id] = KnownEntity(id=e.id, label=e.label, name=e.name, aliases=list(e.aliases),
                                                   origin="definition")
            for t in ents:
                if t.label in VALUE_LABELS or not t.kb_id or t.kb_id in self.index.entities or t.kb_id in self._seen \
                        or self._laws.is_register_id(t.kb_id):
                    continue
                source = (doc._.bb_meta or {}).get((t.start, t.end), {}).get("source", "pattern")
                self._seen[t.kb_id] = KnownEntity(id=t.kb_id, label=t.label, name=t.text,
                                                  origin="model" if source == "model" else "pattern")

    # -- knowledge base rows ----------------------------------------------------------------------
    def note_provenance(self, entity_id: str, provenance: dict[str, Any]) -> None:
        """Record where a derived entity was seen (section id, document id); used by kb.annotate."""
        with self._lock:
            ent = self._seen.get(entity_id)
            if ent is not None and provenance not in ent.provenance and len(ent.provenance) < 50:
                ent.provenance.append(provenance)

    def entity_rows(self) -> list[dict[str, Any]]:
        """Catalogue entities, entities from corpus definitions, and entities derived while tagging."""
        with self._lock:
            rows = [e.row() for e in self.index.entities.values()]
            rows += [e.row() for e in self._seen.values() if e.id not in self.index.entities]
        return rows + self._laws.register_rows()

    def entity(self, entity_id: str) -> KnownEntity | None:
        return self.index.entities.get(entity_id) or self._seen.get(entity_id) or self._laws.register_entity(entity_id)


def _catalogue_of(catalogue: Catalogue | str | Path | None) -> Catalogue:
    if catalogue is None:
        from kb.catalogue import CATALOGUE_DIR

        return load_catalogue(CATALOGUE_DIR)
    if isinstance(catalogue, (str, Path)):
        return load_catalogue(Path(catalogue))
    return catalogue


def build_tagger(catalogue: Catalogue | str | Path | None = None, definitions: Sequence[dict[str, Any]] = (),
                 model: str | Path | None = "nl_core_news_sm",
                 register: CompiledRegister | RegisterSource | InMemoryRegister | None = None) -> Tagger:
    """Build the tagger.

    catalogue    a :class:`kb.catalogue.Catalogue`, a catalogue directory, or None for ``kb/catalogue``.
    definitions  rows of ``Store.definitions()`` (short, long, entity_id, label, ...) applied corpus-wide.
    model        an installed spaCy pipeline name or a path to one; falls back to ``spacy.blank("nl")`` when
                 it is not installed; None forces the blank pipeline.
    register     the register of regulations (:func:`kb.laws.store.register_source` of a knowledge base, or
                 compiled); None: the catalogue's laws only.
    """
    register_extensions()
    cat = _catalogue_of(catalogue)
    nlp, model_name = _load_nlp(model)
    for name in UNUSED_PIPES:
        if name in nlp.pipe_names and name != "ner":
            nlp.disable_pipe(name)
    adjust_tokenizer(nlp)
    # no parser runs here; the API accepts 1 MiB of text (Settings.max_request_bytes)
    nlp.max_length = max(nlp.max_length, MAX_TEXT_CHARS)
    has_ner = "ner" in nlp.pipe_names
    index = EntityIndex.from_catalogue(cat)
    catalogue_ids = set(index.entities)
    defs = [dict(d) for d in definitions]
    apply_definitions(index, defs)
    nlp.add_pipe("bb_norm", last=True)
    matcher = nlp.add_pipe("bb_catalogue", last=True)
    finder = nlp.add_pipe("bb_definitions", last=True)
    patterns = nlp.add_pipe("bb_patterns", last=True)
    laws = nlp.add_pipe("bb_laws", last=True)
    if has_ner:
        merge = nlp.add_pipe("bb_stat_merge", last=True)
        merge.configure(index)
    resolver = nlp.add_pipe("bb_resolve", last=True)
    resolver.configure(index)
    matcher.configure(index)
    finder.configure(index, matcher)
    patterns.configure(index)
    code_hash = _code_hash()
    register = compiled_register(register, nlp, f"{code_hash}|{model_name}")
    laws.configure(index, register)
    pipeline_name = f"{model_name} + catalogus + regels" + (" + ner" if has_ner else "")
    fp = hashlib.sha256()
    fp.update(code_hash.encode())
    fp.update(pipeline_name.encode())
    cat_rows = sorted((json.dumps(e.__dict__, sort_keys=True, default=str, ensure_ascii=False) for e in cat),)
    fp.update("\n".join(cat_rows).encode())
    def_rows = sorted(json.dumps({k: d.get(k) for k in ("short", "long", "entity_id", "label")}, sort_keys=True,
                                 ensure_ascii=False) for d in defs)
    fp.update("\n".join(def_rows).encode())
    fp.update(f"register:{register.digest if register is not None else '-'}".encode())
    log.info("tagger: %s; %d catalogue entities, %d definitions, %d surface patterns", pipeline_name,
             len(catalogue_ids), len(defs), matcher.n_patterns)
    return Tagger(nlp, index, pipeline_name, fp.hexdigest()[:16], catalogue_ids, register)


def tag_json(text: str, tagger: Tagger) -> dict[str, Any]:
    """The JSON shape shared by ``beleidsbank tag --json`` and the API:
    {"entities": [{"start", "end", "text", "label", "kb_id", "related", "value", "refs", "article"}, ...]};
    ``refs`` is {} except for a LAW with an official identifier ({"bwb": ...} / {"celex": ...}), ``article``
    null except for a citation of an article ("49, eerste lid")."""
    return {
        "entities": [
            {"start": e.start, "end": e.end, "text": e.text, "label": e.label, "kb_id": e.kb_id,
             "related": list(e.related), "value": e.value, "refs": dict(e.refs), "article": e.article}
            for e in tagger.tag(text)
        ]
    }
