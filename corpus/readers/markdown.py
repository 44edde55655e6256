"""Reader for Markdown (``.md``, ``.markdown``), including Markdown converted from PDF/Word.

Beyond the block syntax (see :mod:`corpus.readers.md_blocks`) it repairs what conversions
leave behind: a table of contents with dotted leaders, page rules that cut paragraphs in two,
footnote bodies printed where the page ended, bold/italic lines used as sub-headings, and
headings that swallowed a whole paragraph.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from ..inline import escape_markdown, plain_text, render
from ..model import Footnote
from ..sections import FINAL_PUNCTUATION, DraftBlock, DraftSection, build_sections, shorten_heading
from ..limits import DEFAULT_LIMITS, ReadLimits
from .base import ParsedDocument, Reader, register_reader
from .md_blocks import MdBlock, parse_blocks
from ..metadata import split_front_matter
from ..outline_units import UnitLabel, is_emphasised, join_label_and_kop, unit_label, units_closed

TOC_TITLES = {"inhoud", "inhoudsopgave", "inhoudstafel", "contents", "table of contents", "index"}
TOC_LINE_RE = re.compile(r"(?:\.{3,}|…{2,}|(?:\s?\.){3,}|\t)\s*\d{1,4}\s*$")
SUP_DEF_RE = re.compile(r"^<sup>\s*(\d{1,3})\s*</sup>\s*(.*)$", re.IGNORECASE | re.DOTALL)
PLAIN_DEF_RE = re.compile(r"^(\d{1,3})\s+(\S.{15,})$", re.DOTALL)
EMPHASIS_LINE_RE = re.compile(r"^(\*\*|__)(?P<a>.+?)\1$|^(\*|_)(?P<b>[^*_].*?)\3$")
NUMBER_RE = re.compile(r"^(\d{1,3})[.)]\s")
# A paragraph that ends in one of these words stops mid-sentence.
CONTINUING_WORDS = {"de", "het", "een", "van", "in", "op", "aan", "voor", "met", "door", "bij", "naar",
                    "om", "uit", "tot", "te", "en", "of", "dat", "die", "dan", "als", "over", "onder",
                    "tussen", "zoals", "waarbij", "waarin", "hun", "zijn", "haar", "deze", "dit",
                    "the", "of", "and", "to", "a", "an", "for", "with", "on", "by", "from", "or"}
ARTICLES = {"de", "het", "een", "the", "a", "an"}
MAX_PSEUDO_HEADING = 80


def _plain(src: str) -> str:
    return plain_text(src)


def is_pseudo_heading(src: str) -> bool:
    """A line that is only bold/italic, short and without final punctuation acts as a heading.

    "**Artikel 3(2)(b)**" and "*Partners*" are; the italic lead sentence under a title and
    "**Specific objective: To strengthen ...;**" (a labelled sentence) are body text.
    """
    s = src.strip()
    m = EMPHASIS_LINE_RE.match(s)
    if "\n" in s or not m:
        return False
    inner = m.group("a") or m.group("b") or ""
    if ("**" in inner or "__" in inner) or (m.group("b") and ("*" in inner.replace("**", ""))):
        return False
    text = _plain(s)
    if not text or len(text) > MAX_PSEUDO_HEADING or len(text.split()) > 12 or text[-1] in FINAL_PUNCTUATION + ",":
        return False
    label, sep, rest = text.partition(": ")
    return not (sep and len(rest.split()) >= 3) and (text[0].isalnum() or text[0] in "(\"“'")


def _is_toc_line(line: str) -> bool:
    """``TOC_LINE_RE.search(line.rstrip())``, without the search for a line that does not end in a digit.

    The pattern ends in ``\\d{1,4}\\s*$``; after rstrip() (which strips exactly what ``\\s`` matches) a
    match must end in a character ``\\d`` matches, which for str patterns is exactly str.isdecimal().
    Most lines of prose end in punctuation, so this skips the search for nearly all of them.
    """
    s = line.rstrip()
    return s[-1:].isdecimal() and TOC_LINE_RE.search(s) is not None


def _is_toc(block: MdBlock) -> bool:
    lines = [ln for ln in block.text.split("\n") if ln.strip()]
    hits = sum(1 for ln in lines if _is_toc_line(ln))
    return bool(lines) and hits >= max(1, 0.6 * len(lines)) and (len(lines) > 1 or ".." in block.text)


def drop_table_of_contents(blocks: list[MdBlock]) -> list[MdBlock]:
    """A table of contents (dotted leaders and page numbers) is navigation, not content."""
    kept = [b for b in blocks if not (b.kind in ("para", "item") and _is_toc(b))]
    out: list[MdBlock] = []
    for i, b in enumerate(kept):
        if b.kind == "heading" and _plain(b.text).lower().strip(" :") in TOC_TITLES:
            following = next((x for x in kept[i + 1:] if x.kind not in ("rule",)), None)
            if following is None or following.kind == "heading":
                continue
        out.append(b)
    return out


def _ends_mid_sentence(a: str, b: str) -> bool:
    if len(a) < 60 or not b or not (a[-1].isalnum() or a[-1] == ","):
        return False
    if b[0].islower() or b[0] == "(":
        return True
    words = a.lower().split()
    return words[-1] in CONTINUING_WORDS or (len(words) > 1 and words[-2] in ARTICLES)


def join_broken_paragraphs(blocks: list[MdBlock]) -> list[MdBlock]:
    """Re-join a paragraph cut by a page rule, footnote bodies or a stray blank line."""
    out: list[MdBlock] = []
    last: MdBlock | None = None
    for b in blocks:
        if b.kind in ("rule", "fndef"):
            out.append(b)
            continue
        if (b.kind == "para" and last is not None and not b.admonition and not is_pseudo_heading(b.text)
                and _ends_mid_sentence(_plain(last.text), _plain(b.text))):
            last.text = last.text.rstrip() + "\n" + b.text.lstrip()
            continue
        out.append(b)
        last = b if b.kind == "para" and not b.admonition and not is_pseudo_heading(b.text) else None
    return out


def collect_footnotes(blocks: list[MdBlock]) -> list[MdBlock]:
    """Turn footnote bodies into ``fndef`` blocks.

    Besides ``[^1]:`` definitions, converted documents print bodies as ``<sup>1</sup> text``
    or as a plain "5 Directive 2008/115/EC of ..." line whose marker is glued to the citing
    text ("2008/115/EC5"); the glued marker is rewritten to a reference.
    """
    out: list[MdBlock] = []
    labels = {b.label for b in blocks if b.kind == "fndef"}
    for b in blocks:
        if b.kind == "para" and SUP_DEF_RE.match(b.text.strip()):
            for part in re.split(r"\n(?=<sup>)", b.text.strip(), flags=re.IGNORECASE):
                m = SUP_DEF_RE.match(part)
                if m:
                    out.append(MdBlock("fndef", b.line, m.group(2).strip(), label=m.group(1)))
                    labels.add(m.group(1))
            continue
        m = PLAIN_DEF_RE.match(b.text.strip()) if b.kind == "para" and "\n" not in b.text.strip() else None
        if m and m.group(1) not in labels and _rewrite_glued_marker(out, m.group(1), m.group(2)):
            out.append(MdBlock("fndef", b.line, m.group(2).strip(), label=m.group(1)))
            labels.add(m.group(1))
            continue
        out.append(b)
    return out


def _rewrite_glued_marker(previous: list[MdBlock], label: str, body: str) -> bool:
    words = body.split()
    for k in range(min(4, len(words)), 0, -1):
        prefix = " ".join(words[:k])
        if len(prefix) < 4:
            continue
        pattern = re.compile(re.escape(prefix) + re.escape(label) + r"(?!\d)")
        for block in reversed(previous):
            if block.kind in ("para", "item", "heading", "table", "quote"):
                hit = pattern.search(block.text)
                if hit:
                    cut = hit.end() - len(label)
                    block.text = block.text[:cut] + f"[^{label}]" + block.text[hit.end():]
                    return True
    return False


def join_unit_kops(blocks: list[MdBlock]) -> list[MdBlock]:
    """Mark the headings that name a structural unit, and join a unit's label with its kop.

    "### Hoofdstuk 1" directly followed by "#### Algemene bepalingen" is one heading, "Hoofdstuk 1
    Algemene bepalingen" (the way regulations converted from the BWB write every labelled unit).
    """
    out: list[MdBlock] = []
    waiting = False  # the last block kept is a label heading that has not got its kop yet
    for b in blocks:
        if b.kind == "heading":
            b.unit = unit_label(_plain(b.text))
            label = out[-1] if waiting else None
            if label is not None and label.unit is not None and b.unit is None and b.level == label.level + 1 \
                    and b.text.strip():
                label.text = join_label_and_kop(label.text, b.text)
                waiting = False
                continue
        out.append(b)
        waiting = b.kind == "heading" and b.unit is not None
    return out


@dataclass
class _Open:
    level: int  # the section's level in the outline
    first_word: str
    number: int | None
    file_level: int  # the heading's level in the file (for a pseudo-heading: the level it stands for)
    unit: UnitLabel | None = None  # the unit a label heading names ("Hoofdstuk 2", "§ 3", "3.1")
    emphasised: bool = False


class MarkdownReader(Reader):
    format = "markdown"
    extensions = (".md", ".markdown")
    line_based = True

    def read(self, text: str, *, doc_id: str, source_path: str,
             limits: ReadLimits = DEFAULT_LIMITS) -> ParsedDocument:
        front, consumed, warnings = split_front_matter(text, source_path, limits)
        lines = text.split("\n")
        body = [(i + 1, lines[i]) for i in range(consumed, len(lines))]
        blocks = collect_footnotes(parse_blocks(body))
        blocks = join_unit_kops(join_broken_paragraphs(drop_table_of_contents(blocks)))
        notes = {b.label: b.text for b in blocks if b.kind == "fndef"}
        drafts, printed_in, full_titles = self._drafts(blocks, set(notes))
        footnotes = {label: render(src, set(notes))[0] for label, src in notes.items()}
        cited = {label for d in drafts for label in d.cited}
        for label, index in printed_in.items():
            if label not in cited:
                drafts[index].footnotes.append(Footnote(label, footnotes[label]))
        title = front.get("title") if isinstance(front.get("title"), str) else None
        if not title and full_titles:
            # The first level-1 heading, else the first heading; in full (a regulation's title keeps its
            # descriptive clause: "Besluit van 6 juli 1971, houdende instelling van ...").  A unit's label
            # ("Artikel 1", "1 Inleiding") names a part, never the document.
            first = next((h for h in full_titles if h[0].level == 1), full_titles[0])
            title = None if first[2] else first[1]
        sections = build_sections(doc_id, drafts, footnotes)
        return ParsedDocument(title=title, sections=sections, metadata=front, warnings=warnings)

    def _drafts(self, blocks: list[MdBlock], labels: set[str]
                ) -> tuple[list[DraftSection], dict[str, int], list[tuple[DraftSection, str, bool]]]:
        """Drafts, where each footnote body was printed, and each heading as (draft, full text, names a unit)."""
        first_line = blocks[0].line if blocks else 1
        drafts = [DraftSection(title="", level=0, line=first_line, intro=True)]
        stack: list[_Open] = []
        printed_in: dict[str, int] = {}
        full_titles: list[tuple[DraftSection, str, bool]] = []

        def open_section(src: str, file_level: int, line: int, unit: UnitLabel | None = None,
                         level: int | None = None) -> None:
            """Open a section for a heading (``level`` given: a pseudo-heading, placed by the caller)."""
            explicit = level is None
            plain, md, refs = render(src, labels)
            plain = re.sub(r"\[[^\]\s]+\]$", "", re.sub(r"\s*\[\^?[^\]\s]+\](?=\s|$)", "", plain)).strip()
            if not plain:
                return
            number = NUMBER_RE.match(plain)
            num = int(number.group(1)) if number else None
            emphasised = explicit and is_emphasised(src)
            if explicit and num and num > 1:
                sibling = next((o for o in reversed(stack) if o.number == num - 1 and o.file_level < file_level), None)
                if sibling:
                    file_level = sibling.file_level  # "#### 4." continuing "### 1.-3." is their sibling
            while stack and stack[-1].file_level > file_level:
                stack.pop()
            same = [o for o in stack if o.file_level == file_level]
            del stack[len(stack) - units_closed([(o.unit, o.emphasised) for o in same], unit, emphasised):]
            parent = stack[-1] if stack else None
            if explicit:
                # As deep as the file says below the parent heading; one deeper inside a unit of the same level.
                level = file_level if parent is None else parent.level + max(1, file_level - parent.file_level)
            stack.append(_Open(level, plain.split()[0].lower(), num, file_level, unit, emphasised))
            title, shortened = shorten_heading(plain)
            draft = DraftSection(title=title, level=level, line=line, cited=list(refs))
            full = " ".join(plain.split())
            if shortened:
                draft.blocks.append(DraftBlock(full, f"**{escape_markdown(full)}**", "heading_text"))
            drafts.append(draft)
            full_titles.append((draft, full.rstrip(" .:"), unit is not None))

        for b in blocks:
            if b.kind == "heading":
                open_section(b.text, b.level, b.line, unit=b.unit)
            elif b.kind == "para" and not b.admonition and is_pseudo_heading(b.text):
                first = _plain(b.text).split()[0].lower()
                if stack and stack[-1].first_word == first:
                    level = stack[-1].level  # "*Artikel 3(1)*" after "Artikel 3(2)(a)": a sibling
                    file_level = stack[-1].file_level
                else:
                    level = stack[-1].level + 1 if stack else 1
                    file_level = stack[-1].file_level + 1 if stack else 1
                open_section(b.text, file_level, b.line, level=level)
            elif b.kind == "fndef":
                printed_in.setdefault(b.label, len(drafts) - 1)
            elif b.kind != "rule":
                block = self._render_block(b, labels)
                if block is not None:
                    drafts[-1].blocks.append(block[0])
                    drafts[-1].cited.extend(block[1])
        return drafts, printed_in, full_titles

    @staticmethod
    def _render_block(b: MdBlock, labels: set[str]) -> tuple[DraftBlock, list[str]] | None:
        if b.kind == "code":
            # A fence longer than any backtick run inside, so the code can never close it early.
            fence = "`" * max(3, 1 + max((len(r) for r in re.findall(r"`+", b.text)), default=0))
            lang = re.sub(r"[^\w+-]", "", b.label)
            return DraftBlock(b.text, f"{fence}{lang}\n{b.text}\n{fence}", "code"), []
        if b.kind == "table":
            rows, md_rows, refs = [], [], []
            for row in b.text.split("\n"):
                if re.fullmatch(r"[\s|:\-]+", row):
                    md_rows.append(row)
                    continue
                cells = [c for c in re.split(r"(?<!\\)\|", row.strip().strip("|"))]
                rendered = [render(c.strip(), labels) for c in cells]
                rows.append(" | ".join(r[0] for r in rendered))
                refs += [x for r in rendered for x in r[2]]
                md_rows.append("| " + " | ".join(r[1].replace("|", "\\|") for r in rendered) + " |")
            return DraftBlock("\n".join(rows), "\n".join(md_rows), "table"), refs
        src = re.sub(r"^#{1,6}\s+", "", b.text) if b.kind == "item" else b.text
        text, md, refs = render(src, labels)
        if not text:
            return None
        if b.kind == "item":
            pad = "    " * b.level
            marker = b.label if b.label[0].isdigit() else "-"
            md = pad + marker + " " + md.replace("\n", "\n" + pad + " " * (len(marker) + 1))
            return DraftBlock(text, md, "list_item", b.level), refs
        if b.kind == "quote":
            return DraftBlock(text, "\n".join("> " + ln for ln in md.split("\n")), "quote"), refs
        if re.match(r"^(\d+[.)]|[-+*])\s", md):
            md = escape_markdown(md[:2]) + md[2:]  # a paragraph that starts like a list stays a paragraph
        return DraftBlock(text, md), refs


register_reader(MarkdownReader)
