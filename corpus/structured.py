"""From a format's structural blocks to sections: the shared back half of the PDF, Word and HTML readers.

Those readers know what each block is (a heading of level n, a paragraph, a list item, a
table, a caption) and where it came from (a page); this module turns that sequence into
:class:`DraftSection` objects with plain text, safe Markdown and footnotes, so that the
three readers share one convention for footnote references, tables and headings.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from .inline import FN_CLOSE, FN_OPEN, escape_markdown
from .model import Footnote
from .sections import DraftBlock, DraftSection, shorten_heading

_SUPERSCRIPT = str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹")
_REF_RE = re.compile(FN_OPEN + r"([^" + FN_CLOSE + r"]{1,8})" + FN_CLOSE)
_CAPTION_RE = re.compile(r"^(figuur|tabel|grafiek|diagram|kaart|afbeelding|bron|noot|kader|box|figure|table|"
                         r"source|chart)\b\s*[\d.:]", re.IGNORECASE)
_SOURCE_RE = re.compile(r"^(bron|bronnen|source)\s*:", re.IGNORECASE)


@dataclass
class Block:
    """One structural block as a reader found it.

    ``text`` may carry footnote references as ``\\ue000label\\ue001``; ``notes`` are the
    bodies of the footnotes this block cites.
    """

    kind: str  # "title" | "heading" | "paragraph" | "list_item" | "table" | "caption" | "quote"
    text: str = ""
    level: int = 0  # heading level, or list nesting depth
    page: int | None = None
    rows: list[list[str]] = field(default_factory=list)  # table cells
    notes: list[Footnote] = field(default_factory=list)
    marker: str = ""  # list marker ("1." for numbered items)


def is_caption(text: str) -> bool:
    """ "Figuur 1.1 Groei ...", "Tabel 2.1 ...", "Bron: CBS": a caption or source line, never a heading."""
    text = text.strip()
    return bool(_CAPTION_RE.match(text) or _SOURCE_RE.match(text))


def _text_and_md(text: str) -> tuple[str, str]:
    """Plain text with references as ``[n]``; safe Markdown with superscript references."""
    plain = _REF_RE.sub(lambda m: f"[{m.group(1)}]", text)
    md_parts: list[str] = []
    pos = 0
    for m in _REF_RE.finditer(text):
        md_parts.append(escape_markdown(text[pos:m.start()]))
        label = m.group(1)
        md_parts.append(label.translate(_SUPERSCRIPT) if label.isdigit() else f"\\[{escape_markdown(label)}\\]")
        pos = m.end()
    md_parts.append(escape_markdown(text[pos:]))
    return " ".join(plain.split()), "".join(md_parts).strip()


def _table(rows: list[list[str]]) -> tuple[str, str]:
    width = max((len(r) for r in rows), default=0)
    rows = [r + [""] * (width - len(r)) for r in rows if any(c.strip() for c in r)]
    if not rows:
        return "", ""
    text = "\n".join(" | ".join(" ".join(_text_and_md(c)[0].split()) for c in r) for r in rows)

    def md_row(r: list[str]) -> str:
        return "| " + " | ".join(_text_and_md(c)[1].replace("|", "\\|").replace("  \n", " ") for c in r) + " |"

    md = "\n".join([md_row(rows[0]), "|" + "---|" * width] + [md_row(r) for r in rows[1:]])
    return text, md


def to_drafts(blocks: list[Block]) -> tuple[list[DraftSection], str | None]:
    """Drafts for :func:`corpus.sections.build_sections`, and the document title if a block is one."""
    drafts = [DraftSection(title="", level=0, line=0, intro=True)]
    title: str | None = None
    for b in blocks:
        if b.kind in ("title", "heading"):
            plain, _md = _text_and_md(b.text)
            plain = _REF_RE.sub("", plain).strip()
            if not plain:
                continue
            heading, shortened = shorten_heading(plain)
            level = 0 if b.kind == "title" else max(1, b.level)
            if b.kind == "title" and title is None:
                title = heading
            draft = DraftSection(title=heading, level=level, line=0, footnotes=list(b.notes))
            if shortened:
                draft.blocks.append(DraftBlock(plain, f"**{escape_markdown(plain)}**", "heading_text", 0, b.page))
            drafts.append(draft)
            continue
        current = drafts[-1]
        current.footnotes.extend(n for n in b.notes if n.label not in {x.label for x in current.footnotes})
        if b.kind == "table":
            text, md = _table(b.rows)
            if text:
                current.blocks.append(DraftBlock(text, md, "table", 0, b.page))
            continue
        plain, md = _text_and_md(b.text)
        if not plain:
            continue
        if b.kind == "list_item":
            pad = "    " * b.level
            marker = b.marker if b.marker[:1].isdigit() else "-"
            current.blocks.append(DraftBlock(plain, f"{pad}{marker} {md}", "list_item", b.level, b.page))
        elif b.kind == "caption":
            current.blocks.append(DraftBlock(plain, f"*{md}*", "paragraph", 0, b.page))
        elif b.kind == "quote":
            current.blocks.append(DraftBlock(plain, "> " + md, "quote", 0, b.page))
        else:
            if re.match(r"^(\d+[.)]|[-+*])\s", md):
                md = escape_markdown(md[:2]) + md[2:]
            current.blocks.append(DraftBlock(plain, md, "paragraph", 0, b.page))
    return drafts, title
