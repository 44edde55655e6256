"""Stand-in reader for the extraction tests, used only until ``corpus.loader`` lands.

Turns the shipped Markdown and plain-text documents into :class:`corpus.model.Document`
objects the way the real readers are specified to: sections split at headings, plain
section text whose blocks (paragraphs, list items) are separated by a blank line and
located by character offsets.  When ``corpus.loader`` is importable, :func:`load` uses it.
"""
from __future__ import annotations

import hashlib
import re
from pathlib import Path

from corpus.model import Block, Document, Section

_MD_HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$")
_BULLET = re.compile(r"^(\s*)(?:[-*+•]|\d+[.)])\s+(.*)$")


def load(path: Path, root: Path) -> Document:
    try:
        from corpus.loader import load_document  # type: ignore[import-not-found]
    except ImportError:
        return _standin(path, root)
    return load_document(path, root)


def _plain(text: str) -> str:
    text = re.sub(r"<sup>(.*?)</sup>", r"\1", text)
    text = re.sub(r"<[^>]+>", "", text)
    text = re.sub(r"\*\*|__", "", text)
    text = re.sub(r"(?<![\w*])\*(?=\S)|(?<=\S)\*(?![\w*])", "", text)
    return text.strip()


def _standin(path: Path, root: Path) -> Document:
    raw = path.read_text(encoding="utf-8")
    doc_id = re.sub(r"[^a-z0-9]+", "-", path.stem.lower()).strip("-")
    doc = Document(id=doc_id, source_path=str(path.relative_to(root)), title=path.stem,
                   format="markdown" if path.suffix == ".md" else "text", encoding="utf-8",
                   sha256=hashlib.sha256(raw.encode()).hexdigest())
    lines = raw.splitlines()
    heads: list[tuple[int, int, str]] = []  # line index, level, title
    for i, line in enumerate(lines):
        if doc.format == "markdown":
            m = _MD_HEADING.match(line)
            if m:
                heads.append((i, len(m.group(1)), _plain(m.group(2))))
        else:
            s = line.strip()
            before = i == 0 or not lines[i - 1].strip()
            after = i + 1 >= len(lines) or not lines[i + 1].strip()
            if s and before and after and len(s) < 90 and not re.search(r"[.:;,]$", s) and s[0].isupper() | s[0].isdigit():
                if _BULLET.match(line) or re.search(r"\.\d*$", s):
                    continue
                level = 1 if re.match(r"^\d+(\.\d+)?\s", s) else 2
                heads.append((i, level, s))
    starts = [(0, 0, doc.title)] + heads
    stack: list[Section] = []
    for n, (line_no, level, title) in enumerate(starts):
        end_line = starts[n + 1][0] if n + 1 < len(starts) else len(lines)
        body = lines[line_no + (1 if n else 0): end_line]
        while stack and stack[-1].level >= level:
            stack.pop()
        parent = stack[-1] if stack else None
        sec = Section(id=f"{doc_id}/{n}", document_id=doc_id, title=title, level=level,
                      parent_id=parent.id if parent else None,
                      path=[s.title for s in stack] + [title], order=n, source_line=line_no + 1)
        _fill(sec, body)
        doc.sections.append(sec)
        stack.append(sec)
    return doc


def _fill(sec: Section, body: list[str]) -> None:
    chunks: list[tuple[str, str, int]] = []  # kind, text, level
    para: list[str] = []

    def flush() -> None:
        if para:
            chunks.append(("paragraph", "\n".join(para), 0))
            para.clear()

    for line in body:
        if not line.strip() or line.strip() == "---":
            flush()
            continue
        m = _BULLET.match(line)
        if m and not re.match(r"^\s*\d+\.\s+\S", line) or (m and line.lstrip()[0] in "-*+•"):
            flush()
            chunks.append(("list_item", _plain(m.group(2)), 1 if len(m.group(1)) >= 2 else 0))
            continue
        if chunks and chunks[-1][0] == "list_item" and not para and line.startswith("  "):
            kind, text, lvl = chunks.pop()
            chunks.append((kind, text + " " + _plain(line), lvl))
            continue
        para.append(_plain(line))
    flush()
    parts, pos = [], 0
    for kind, text, lvl in chunks:
        if not text:
            continue
        if parts:
            pos += 2
        sec.blocks.append(Block(pos, pos + len(text), kind, lvl))
        parts.append(text)
        pos += len(text)
    sec.text = "\n\n".join(parts)
    sec.markdown = "\n".join(body)


SHIPPED = Path(__file__).resolve().parent.parent / "corpus" / "documents"
PLAN_ID = "contourennota-migratie-veiligheidsfondsen-2021-2027"
REPORT_ID = "jenv-jaarverslag-2020-beleidsverslag"


def load_shipped() -> dict[str, Document]:
    """The two shipped documents, by id."""
    try:
        from corpus.loader import discover
        paths = discover(SHIPPED)
    except ImportError:
        paths = [p for p in sorted(SHIPPED.iterdir()) if p.suffix in (".md", ".txt")]
    docs = [load(p, SHIPPED) for p in paths]
    return {d.id: d for d in docs}


def build_store(db_path: Path):
    """A real SQLite knowledge base of the shipped corpus with statements, measures and allocations."""
    from kb.extract_store import extract_all
    from kb.store import Store

    store = Store(db_path)
    with store.transaction():
        for doc in load_shipped().values():
            store.put_document(doc)
            extract_all(store, doc)
    return store
