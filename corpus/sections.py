"""Shared section assembly: readers describe headings and blocks, this builds the tree.

Keeping ids, parents, breadcrumbs and block offsets in one place means every reader (text,
Markdown, later HTML/DOCX/PDF) produces sections with exactly the same conventions.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from .ids import INTRO_TITLE, SectionIdAllocator
from .model import Block, Footnote, Section

FINAL_PUNCTUATION = ".!?:;…"
_ABBREVIATIONS = {"o.a", "d.w.z", "bijv", "bv", "i.e", "e.g", "nr", "art", "jl", "a.s", "t.a.v",
                  "m.b.t", "incl", "etc", "ca", "zgn", "z.g", "vs", "mr", "dr", "prof", "mln",
                  "mld", "mrd", "d.d", "o.b.v", "i.v.m", "m.u.v", "t.o.v", "e.d", "c.q", "v.w.b"}
MAX_TITLE = 90
LONG_HEADING = 110


@dataclass
class DraftBlock:
    text: str
    markdown: str
    kind: str = "paragraph"
    level: int = 0
    page: int | None = None


@dataclass
class DraftSection:
    title: str
    level: int
    line: int
    blocks: list[DraftBlock] = field(default_factory=list)
    cited: list[str] = field(default_factory=list)  # footnote labels referenced in this section
    footnotes: list[Footnote] = field(default_factory=list)  # bodies attached directly
    intro: bool = False


def first_sentence(text: str) -> str:
    """The first sentence, not fooled by list numbers ("2. Het ...") or abbreviations."""
    for m in re.finditer(r"([.!?])\s+(?=[A-ZÀ-Ý0-9(“\"‘'])", text):
        before = text[: m.start()]
        word = before.rsplit(None, 1)[-1] if before.strip() else ""
        if re.fullmatch(r"\d+|[A-Za-z]", word) or word.lower() in _ABBREVIATIONS:
            continue
        return text[: m.start() + 1]
    return text


def shorten_heading(full: str) -> tuple[str, bool]:
    """Title for a heading: very long or multi-sentence headings are cut to a readable title.

    Returns ``(title, shortened)``; when shortened the caller keeps the full text as a
    ``heading_text`` block so nothing is lost for search.
    """
    full = " ".join(full.split())
    sentence = first_sentence(full)
    if len(full) <= LONG_HEADING and sentence == full:
        return full.rstrip(" .:"), False
    title = sentence.rstrip(" .:")
    if len(title) > MAX_TITLE:
        cut = title[: MAX_TITLE + 1]
        cut = cut[: cut.rfind(" ")] if " " in cut else cut[:MAX_TITLE]
        if cut.count("(") > cut.count(")"):
            cut = cut[: cut.rfind("(")]  # never leave a parenthesis open in a title
        title = cut.rstrip(" ,;:-–(") + "…"
    return title, True


def clean_block_text(text: str) -> str:
    """A block never contains the blank-line separator used between blocks."""
    return re.sub(r"\n\s*\n+", "\n", text.replace("\u00ad", "")).strip()


def build_sections(doc_id: str, drafts: list[DraftSection],
                   footnotes: dict[str, str] | None = None) -> list[Section]:
    """Turn drafts into Sections with ids, parents, breadcrumbs, text, blocks and footnotes.

    Level-0 sections (the introduction or a document-title heading) stand alone: they are
    never the parent of chapters, so breadcrumbs start at the chapter.
    """
    footnotes = footnotes or {}
    ids = SectionIdAllocator(doc_id)
    sections: list[Section] = []
    stack: list[Section] = []
    for draft in drafts:
        if draft.intro and not draft.blocks and not draft.footnotes:
            continue
        while stack and stack[-1].level >= draft.level:
            stack.pop()
        parent = stack[-1] if stack and draft.level > 0 else None
        title = INTRO_TITLE if draft.intro else draft.title.replace("\u00ad", "")
        text_parts: list[str] = []
        md_parts: list[str] = []
        blocks: list[Block] = []
        offset = 0
        for b in draft.blocks:
            text = clean_block_text(b.text)
            if not text:
                continue
            if text_parts:
                offset += 2
            blocks.append(Block(offset, offset + len(text), b.kind, b.level, b.page))
            text_parts.append(text)
            offset += len(text)
            md = b.markdown.strip()
            if md:
                md_parts.append(md)
        notes = [Footnote(label, footnotes[label]) for label in dict.fromkeys(draft.cited)
                 if label in footnotes]
        notes += [n for n in draft.footnotes if n.label not in {x.label for x in notes}]
        section = Section(
            id=ids.allocate(title, intro=draft.intro), document_id=doc_id, title=title,
            level=0 if draft.intro else draft.level, parent_id=parent.id if parent else None,
            path=(parent.path if parent else []) + [title], order=len(sections),
            text="\n\n".join(text_parts), blocks=blocks, footnotes=notes,
            markdown="\n\n".join(md_parts), source_line=draft.line)
        sections.append(section)
        if section.level > 0:
            stack.append(section)
    return sections
