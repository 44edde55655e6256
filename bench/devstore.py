"""Build a knowledge-base store for the benchmarks (``bench/``; not part of the product, not used by tests).

The real readers (``corpus.loader``) and tagger (``kb.annotate``) are used when they are
importable.  Until then (and as a fallback when they fail) this module carries a small
stand-in: a sectioner for the Markdown and plain-text sources (headings become sections,
blank lines separate blocks) and an alias tagger over a hand-made list of entities.  It only
has to produce realistic :class:`~corpus.model.Document` objects and mentions for the
indexer; it is not the product's reader.
"""
from __future__ import annotations

import hashlib
import re
from pathlib import Path
from typing import Iterable

from corpus.model import Block, Document, Section
from kb.store import Mention, Store

# -- stand-in entity list ---------------------------------------------------------------
DEV_ENTITIES: list[dict] = [
    {"id": "ind", "label": "ORG", "name": "Immigratie- en Naturalisatiedienst",
     "aliases": ["IND", "Immigration and Naturalisation Service"]},
    {"id": "jenv", "label": "ORG", "name": "Ministerie van Justitie en Veiligheid", "aliases": ["JenV", "J&V"]},
    {"id": "coa", "label": "ORG", "name": "Centraal Orgaan opvang asielzoekers", "aliases": ["COA"]},
    {"id": "dtv", "label": "ORG", "name": "Dienst Terugkeer en Vertrek", "aliases": ["DT&V"]},
    {"id": "cjib", "label": "ORG", "name": "Centraal Justitieel Incassobureau", "aliases": ["CJIB"]},
    {"id": "om", "label": "ORG", "name": "Openbaar Ministerie", "aliases": ["OM"]},
    {"id": "politie", "label": "ORG", "name": "Nationale Politie", "aliases": ["politie"]},
    {"id": "europese-commissie", "label": "ORG", "name": "Europese Commissie", "aliases": ["EC"]},
    {"id": "frontex", "label": "ORG", "name": "Frontex", "aliases": []},
    {"id": "va", "label": "ORG", "name": "Verantwoordelijke Autoriteit", "aliases": ["VA"]},
    {"id": "mit", "label": "ORG", "name": "Multidisciplinair Interventieteam", "aliases": ["MIT"]},
    {"id": "ees", "label": "SYSTEM", "name": "Entry-Exit System",
     "aliases": ["EES", "in- en uitreissysteem", "in- en uitreisysteem"]},
    {"id": "etias", "label": "SYSTEM", "name": "European Travel Information and Authorization System",
     "aliases": ["ETIAS", "informatie- en reisautorisatiesysteem"]},
    {"id": "sis", "label": "SYSTEM", "name": "Schengeninformatiesysteem",
     "aliases": ["SIS", "Schengen Informatie Systeem"]},
    {"id": "vis", "label": "SYSTEM", "name": "Visuminformatiesysteem", "aliases": ["VIS"]},
    {"id": "eurodac", "label": "SYSTEM", "name": "Eurodac", "aliases": ["EURODAC"]},
    {"id": "ecris-tcn", "label": "SYSTEM", "name": "ECRIS-TCN", "aliases": ["ECRIS – TCN"]},
    {"id": "ecris", "label": "SYSTEM", "name": "ECRIS", "aliases": []},
    {"id": "pnr", "label": "SYSTEM", "name": "Passenger Name Record", "aliases": ["PNR"]},
    {"id": "hashcheckservice", "label": "SYSTEM", "name": "HashCheckService", "aliases": []},
    {"id": "amf", "label": "FUND", "name": "Asiel- en Migratiefonds", "aliases": ["AMF", "Asiel en Migratiefonds"]},
    {"id": "isf", "label": "FUND", "name": "Fonds voor Interne Veiligheid", "aliases": ["ISF"]},
    {"id": "bmvi", "label": "FUND", "name": "Instrument voor Grensbeheer en Visa", "aliases": ["BMVI"]},
    {"id": "amif", "label": "FUND", "name": "Fonds voor Asiel, Migratie en Integratie", "aliases": ["AMIF"]},
    {"id": "cpr", "label": "LAW", "name": "Common Provisions Regulation", "aliases": ["CPR"]},
    {"id": "wet-senb", "label": "LAW", "name": "Wet straffen en beschermen", "aliases": ["Wet SenB"]},
    {"id": "mfk", "label": "PROGRAMME", "name": "Meerjarig Financieel Kader", "aliases": ["MFK"]},
]


def _is_acronym(form: str) -> bool:
    try:
        from kb.catalogue import is_acronym
        return is_acronym(form)
    except Exception:  # pragma: no cover - catalogue always importable in this repo
        letters = [c for c in form if c.isalpha()]
        return " " not in form and sum(c.isupper() for c in letters) >= 2


def _alias_pattern(form: str) -> str:
    parts = []
    for ch in form:
        if ch == " ":
            parts.append(r"\s+")
        elif ch in "-–":
            parts.append(r"\s*[-–]\s*")
        else:
            parts.append(re.escape(ch))
    return "".join(parts)


def _alias_key(text: str, case_sensitive: bool) -> str:
    text = re.sub(r"\s*[-–]\s*", "-", re.sub(r"\s+", " ", text.strip()))
    return text if case_sensitive else text.lower()


class _AliasTagger:
    """All aliases in two alternations (case-sensitive acronyms, case-insensitive names): one
    scan per text whatever the number of entities."""

    def __init__(self, entities: Iterable[dict]) -> None:
        self.owner: dict[tuple[bool, str], dict] = {}
        forms: dict[bool, list[str]] = {True: [], False: []}
        for ent in entities:
            for form in [ent["name"], *ent.get("aliases", [])]:
                if not form or not form.strip():
                    continue
                cs = _is_acronym(form)
                key = (cs, _alias_key(form, cs))
                if key not in self.owner:
                    self.owner[key] = ent
                    forms[cs].append(form)
        self.rx = {}
        for cs, fl in forms.items():
            if fl:
                alt = "|".join(_alias_pattern(f) for f in sorted(fl, key=len, reverse=True))
                self.rx[cs] = re.compile(r"(?<![\w])(?:" + alt + r")(?![\w])", 0 if cs else re.IGNORECASE)

    def find(self, text: str) -> list[tuple[int, int, dict]]:
        found = []
        for cs, rx in self.rx.items():
            for m in rx.finditer(text):
                ent = self.owner.get((cs, _alias_key(m.group(0), cs)))
                if ent is not None:
                    found.append((m.start(), m.end(), ent))
        found.sort(key=lambda x: (-(x[1] - x[0]), x[0]))
        taken: list[tuple[int, int, dict]] = []
        for s0, e0, ent in found:
            if not any(s0 < e and s < e0 for s, e, _ in taken):
                taken.append((s0, e0, ent))
        return sorted(taken, key=lambda x: x[0])


_TAGGERS: dict[int, _AliasTagger] = {}


def tag_sections(doc: Document, entities: Iterable[dict] = DEV_ENTITIES) -> list[Mention]:
    """Longest-match alias tagging over each section's text (stand-in for kb.annotate)."""
    key = id(entities)
    tagger = _TAGGERS.get(key)
    if tagger is None or not isinstance(entities, list):
        tagger = _AliasTagger(entities)
        if isinstance(entities, list):
            _TAGGERS.clear()
            _TAGGERS[key] = tagger
    out: list[Mention] = []
    for sec in doc.sections:
        for s0, e0, ent in tagger.find(sec.text):
            out.append(Mention(ent["id"], ent["label"], sec.id, doc.id, s0, e0, sec.text[s0:e0]))
    return out


# -- stand-in sectioner -----------------------------------------------------------------
_MD_INLINE = [
    (re.compile(r"<sup>(.*?)</sup>"), r"\1"),
    (re.compile(r"</?(i|b|em|strong|u)>"), ""),
    (re.compile(r"\*\*(.+?)\*\*"), r"\1"),
    (re.compile(r"(?<!\w)\*(.+?)\*(?!\w)"), r"\1"),
    (re.compile(r"\[([^\]]+)\]\([^)]*\)"), r"\1"),
]


def _md_inline(text: str) -> str:
    for rx, rep in _MD_INLINE:
        text = rx.sub(rep, text)
    return text.strip()


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:60] or "sectie"


def _make_sections(doc_id: str, items: list[tuple[str, int, str | None, list[tuple[str, str]]]]) -> list[Section]:
    """items: (title, level, _, [(block_text, kind)]) in reading order."""
    sections: list[Section] = []
    stack: list[Section] = []
    used: set[str] = set()
    for order, (title, level, _, blocks) in enumerate(items):
        while stack and stack[-1].level >= level:
            stack.pop()
        parent = stack[-1] if stack else None
        base = f"{doc_id}/{_slug(title)}"
        sid, n = base, 2
        while sid in used:
            sid, n = f"{base}-{n}", n + 1
        used.add(sid)
        text, blks = "", []
        for btext, kind in blocks:
            if text:
                text += "\n\n"
            blks.append(Block(len(text), len(text) + len(btext), kind))
            text += btext
        sec = Section(id=sid, document_id=doc_id, title=title, level=level,
                      parent_id=parent.id if parent else None,
                      path=[*(s.title for s in stack), title], order=order, text=text, blocks=blks)
        sections.append(sec)
        stack.append(sec)
    return sections


def read_markdown(raw: str) -> list:
    items: list = [("Inleiding", 0, None, [])]
    para: list[str] = []

    def flush() -> None:
        if para:
            joined = _md_inline(" ".join(p.strip() for p in para))
            if joined and joined != "---":
                kind = "list_item" if para[0].lstrip().startswith(("- ", "* ")) else "paragraph"
                if kind == "list_item":
                    joined = _md_inline(re.sub(r"^[-*]\s+", "", " ".join(p.strip() for p in para)))
                items[-1][3].append((joined, kind))
            para.clear()

    for line in raw.splitlines():
        m = re.match(r"^(#{1,6})\s+(.*)$", line)
        if m:
            flush()
            items.append((_md_inline(m.group(2)).strip("* ") or "Sectie", len(m.group(1)), None, []))
        elif not line.strip() or line.strip() == "---":
            flush()
        elif line.lstrip().startswith(("- ", "* ")):
            flush()
            para.append(line)
        else:
            para.append(line)
    flush()
    return [it for it in items if it[3] or it[1] > 0]


def read_plaintext(raw: str) -> list:
    items: list = [("Inleiding", 0, None, [])]
    paras = [p.strip() for p in re.split(r"\n\s*\n", raw) if p.strip()]
    for p in paras:
        one_line = "\n" not in p
        if one_line and len(p) <= 90 and not p.endswith((".", ":", ";", ",")) and p[:1].isupper() | p[:1].isdigit():
            level = 1 if re.match(r"^\d+(\.\d+)*\s", p) else 2
            items.append((p, level, None, []))
        else:
            items[-1][3].append((re.sub(r"\s*\n\s*", " ", p), "paragraph"))
    return [it for it in items if it[3] or it[1] > 0]


def read_document(path: Path, root: Path) -> Document:
    raw = path.read_bytes()
    text = raw.decode("utf-8")
    doc_id = _slug(path.stem)
    is_md = path.suffix.lower() in (".md", ".markdown")
    items = read_markdown(text) if is_md else read_plaintext(text)
    m = re.search(r"(20\d\d)", path.stem)
    kind = "contourennota" if "contourennota" in path.stem else "jaarverslag" if "jaarverslag" in path.stem else "document"
    title = next((t for t, lvl, _, _ in items if lvl == 1), path.stem)
    if kind == "jaarverslag":
        title = "Jaarverslag Justitie en Veiligheid 2020 – Beleidsverslag"
    doc = Document(id=doc_id, source_path=str(path.relative_to(root)), title=title,
                   format="markdown" if is_md else "text", encoding="utf-8",
                   sha256=hashlib.sha256(raw).hexdigest(), kind=kind, year=int(m.group(1)) if m else None)
    doc.sections = _make_sections(doc_id, items)
    return doc


def fill_store(store: Store, docs: list[Document], *, use_real_tagger: bool = False,
               entities: list[dict] | None = None) -> None:
    """Put documents, the entity table and alias-tagged mentions into ``store`` (one transaction)."""
    ents = entities if entities is not None else DEV_ENTITIES
    with store.transaction():
        for d in docs:
            store.put_document(d)
        store.replace_entities(ents)
        for d in docs:
            store.delete_mentions(d.id)
            store.add_mentions(tag_sections(d, ents))


def _pipeline_store(data_dir: Path, corpus_dir: Path) -> Store | None:
    """The product's own build (readers + tagger), when it is importable and succeeds."""
    try:
        from settings import Settings
        from beleidsbank.pipeline import build
    except Exception:
        return None
    try:
        settings = Settings(data_dir=Path(data_dir), corpus_dir=Path(corpus_dir))
        report = build(settings, progress=False, echo=lambda msg: None)
        if getattr(report, "errors", None):
            return None
        store = Store(settings.db_path)
        if not store.counts()["sections"]:
            store.close()
            return None
        return store
    except Exception:
        return None


def loader_documents(corpus_dir: Path) -> list[Document] | None:
    """Documents from the product's reader (``corpus.loader``), or None when it is unavailable."""
    try:
        from corpus.loader import iter_corpus  # type: ignore
    except Exception:
        return None
    try:
        docs = [d for d in iter_corpus(Path(corpus_dir)) if not isinstance(d, Exception)]
    except Exception:
        return None
    return docs or None


def build_dev_store(db_path: Path, corpus_dir: Path, *, use_real: bool = True, pipeline: bool = True) -> Store:
    """A filled store, from the most real parts available (``store.origin`` says which):

    1. ``"pipeline"``: the product's build (readers + tagger) when ``use_real and pipeline``
       and it succeeds; the store then lives in ``db_path``'s directory under the product's
       file name, next to the pipeline's own index;
    2. ``"loader+stand-in tagger"``: ``corpus.loader`` documents, alias-tagged here;
    3. ``"stand-in"``: this module's reader and tagger (always with ``use_real=False``).
    """
    if use_real and pipeline:
        store = _pipeline_store(Path(db_path).parent, corpus_dir)
        if store is not None:
            store.origin = "pipeline"  # type: ignore[attr-defined]
            return store
    docs = loader_documents(corpus_dir) if use_real else None
    origin = "loader+stand-in tagger"
    if docs is None:
        files = sorted(p for p in Path(corpus_dir).rglob("*") if p.suffix.lower() in (".md", ".txt") and p.is_file())
        docs = [read_document(p, Path(corpus_dir)) for p in files]
        origin = "stand-in"
    store = Store(Path(db_path))
    fill_store(store, docs)
    store.origin = origin  # type: ignore[attr-defined]
    return store
