"""Line-based block parser for the Markdown that policy documents actually contain.

Besides CommonMark basics this understands what real corpora use: mkdocs admonitions
(``!!! note "Titel"`` / ``??? expander`` with indented bodies, read as text rather than
code), pymdownx ``///`` block fences, HTML blocks (converted, never passed through),
``[^1]:`` footnotes, pipe tables and YAML-free page rules.  It keeps the source line of
every block so sections can point back into the file.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from ..inline import html_block_to_markdown
from ..outline_units import UnitLabel

FENCE_RE = re.compile(r"^(\s*)(`{3,}|~{3,})\s*([\w+-]*)")
# "## Titel" and, as Python-Markdown and the original Markdown accept it, "##Titel" (regulations converted
# from the BWB write their headings so); seven or more hashes are no heading.
ATX_RE = re.compile(r"^ {0,3}(#{1,6})(?!#)[ \t]*(.*?)(?:[ \t]+#+)?[ \t]*$")
RULE_RE = re.compile(r"^\s*([-*_])(?:[ \t]*\1){2,}[ \t]*$")
SETEXT_RE = re.compile(r"^ {0,3}(=+|-+)[ \t]*$")
LIST_RE = re.compile(r"^(\s*)([-*+•]|\d{1,9}[.)])([ \t]+)(\S.*)$")
ADMON_RE = re.compile(r"^(\s*)(!!!|\?\?\?\+?)[ \t]*([\w-]+)?(?:[ \t]+\"([^\"]*)\")?[ \t]*$")
FNDEF_RE = re.compile(r"^ {0,3}\[\^([^\]\s]+)\]:[ \t]*(.*)$")
TABLE_SEP_RE = re.compile(r"^\s*\|?\s*:?-{2,}:?\s*(\|\s*:?-{2,}:?\s*)*\|?\s*$")
PYMDOWN_BLOCK_RE = re.compile(r"^\s*///")
QUOTE_RE = re.compile(r"^ {0,3}>[ ]?(.*)$")
HTML_BLOCK_RE = re.compile(
    r"^\s*</?(div|p|ul|ol|li|h[1-6]|table|thead|tbody|tfoot|tr|td|th|section|article|header|footer|"
    r"nav|aside|figure|figcaption|blockquote|center|details|summary|dl|dt|dd|form|iframe|script|"
    r"style|noscript|button|pre|svg|video|audio|object|embed|template|select|textarea|main|hr|br|"
    r"body|html|head|meta|link)\b", re.IGNORECASE)
RAW_TEXT_RE = re.compile(r"<(script|style|pre|textarea)\b", re.IGNORECASE)


@dataclass
class MdBlock:
    kind: str  # heading | para | item | table | code | quote | rule | fndef
    line: int
    text: str  # Markdown source of the block, de-indented
    level: int = 0  # heading level or list nesting depth
    label: str = ""  # footnote label, code language or list marker
    admonition: bool = False  # title of an admonition: shown bold, never a heading
    unit: UnitLabel | None = None  # for a heading: the structural unit its label names ("Hoofdstuk 2")


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


def _blank(line: str) -> bool:
    return not line.strip()


def _is_table_start(lines: list[tuple[int, str]], i: int) -> bool:
    s = lines[i][1].strip()
    if s.startswith("|") and s.count("|") >= 2:
        return True
    return "|" in s and i + 1 < len(lines) and "|" in lines[i + 1][1] and bool(TABLE_SEP_RE.match(lines[i + 1][1]))


def _starts_block(lines: list[tuple[int, str]], i: int, html: bool) -> bool:
    line = lines[i][1]
    return bool(ATX_RE.match(line) or FENCE_RE.match(line) or LIST_RE.match(line) or RULE_RE.match(line)
                or ADMON_RE.match(line) or FNDEF_RE.match(line) or QUOTE_RE.match(line)
                or PYMDOWN_BLOCK_RE.match(line) or line.lstrip().startswith("<!--")
                or (html and HTML_BLOCK_RE.match(line)) or _is_table_start(lines, i))


def _dedent(body: list[tuple[int, str]]) -> list[tuple[int, str]]:
    widths = [_indent(t) for _, t in body if t.strip()]
    cut = min(widths) if widths else 0
    return [(n, t[cut:] if t.strip() else "") for n, t in body]


def _line_text(line: str) -> str:
    """A paragraph line without its indentation; a hard line break is kept as two spaces."""
    hard = line.endswith("  ") or line.rstrip().endswith("\\")
    text = line.strip()
    if text.endswith("\\"):
        text = text[:-1].rstrip()
    return text + ("  " if hard else "")


def parse_blocks(lines: list[tuple[int, str]], html: bool = True) -> list[MdBlock]:
    """Parse ``(line number, text)`` pairs into blocks."""
    lines = [(n, t.expandtabs(4).rstrip("\n")) for n, t in lines]
    out: list[MdBlock] = []
    list_indents: list[int] = []
    i, n = 0, len(lines)
    while i < n:
        number, line = lines[i]
        stripped = line.strip()
        if not stripped or PYMDOWN_BLOCK_RE.match(line):
            i += 1
            continue
        if stripped.startswith("<!--"):
            while i < n and "-->" not in lines[i][1]:
                i += 1
            i += 1
            continue
        m = FENCE_RE.match(line)
        if m:
            indent, fence, lang = len(m.group(1)), m.group(2), m.group(3)
            body = []
            i += 1
            while i < n and not lines[i][1].strip().startswith(fence[0] * len(fence)):
                body.append(lines[i][1][indent:] if _indent(lines[i][1]) >= indent else lines[i][1].lstrip())
                i += 1
            i += 1
            if lang.lower() != "mermaid":  # diagram source is not prose
                out.append(MdBlock("code", number, "\n".join(body).strip("\n"), label=lang))
            continue
        m = ADMON_RE.match(line)
        if m:
            indent, title = _indent(line), (m.group(4) or "").strip()
            body = []
            i += 1
            while i < n and (_blank(lines[i][1]) or _indent(lines[i][1]) > indent):
                body.append(lines[i])
                i += 1
            inner = parse_blocks(_dedent(body), html)
            if inner and title:
                out.append(MdBlock("para", number, f"**{title}**", admonition=True))
            out.extend(inner)
            continue
        m = ATX_RE.match(line)
        if m:
            out.append(MdBlock("heading", number, (m.group(2) or "").strip(), level=len(m.group(1))))
            list_indents = []
            i += 1
            continue
        if RULE_RE.match(line):
            out.append(MdBlock("rule", number, ""))
            i += 1
            continue
        m = FNDEF_RE.match(line)
        if m:
            parts = [m.group(2).strip()]
            i += 1
            while i < n:
                t = lines[i][1]
                if _blank(t):
                    if i + 1 < n and _indent(lines[i + 1][1]) >= 4 and not _blank(lines[i + 1][1]):
                        i += 1
                        continue
                    break
                if _indent(t) < 4 and _starts_block(lines, i, html):
                    break
                parts.append(t.strip())
                i += 1
            out.append(MdBlock("fndef", number, "\n".join(parts), label=m.group(1)))
            continue
        if QUOTE_RE.match(line):
            parts = []
            while i < n and not _blank(lines[i][1]) and (QUOTE_RE.match(lines[i][1]) or not _starts_block(lines, i, html)):
                q = QUOTE_RE.match(lines[i][1])
                parts.append(_line_text(q.group(1) if q else lines[i][1]))
                i += 1
            out.append(MdBlock("quote", number, "\n".join(p for p in parts if p.strip())))
            continue
        if html and HTML_BLOCK_RE.match(line):
            # Until a blank line; <script>/<style>/<pre> blocks until their closing tag.
            raw = []
            raw_text = RAW_TEXT_RE.search(line)
            closing = f"</{raw_text.group(1).lower()}" if raw_text else None
            while i < n and (closing or not _blank(lines[i][1])):
                raw.append(lines[i][1])
                if closing and closing in lines[i][1].lower():
                    closing = None
                i += 1
            converted = html_block_to_markdown("\n".join(raw))
            out.extend(parse_blocks([(number, t) for t in converted.split("\n")], html=False))
            continue
        if _is_table_start(lines, i):
            rows = []
            while i < n and "|" in lines[i][1] and not _blank(lines[i][1]):
                rows.append(lines[i][1].strip())
                i += 1
            out.append(MdBlock("table", number, "\n".join(rows)))
            continue
        m = LIST_RE.match(line)
        if m:
            indent = len(m.group(1))
            while list_indents and indent < list_indents[-1] - 1:
                list_indents.pop()
            if list_indents and abs(indent - list_indents[-1]) <= 1:
                list_indents[-1] = indent
            else:
                list_indents.append(indent)
            parts = [_line_text(m.group(4))]
            i += 1
            while i < n and not _blank(lines[i][1]) and not _starts_block(lines, i, html):
                parts.append(_line_text(lines[i][1]))
                i += 1
            marker = m.group(2) if m.group(2)[0].isdigit() else "-"
            out.append(MdBlock("item", number, "\n".join(parts), level=len(list_indents) - 1, label=marker))
            continue
        # Paragraph (or setext heading).
        if list_indents and _indent(line) < 2:
            list_indents = []
        parts = [_line_text(line)]
        i += 1
        while i < n and not _blank(lines[i][1]):
            if SETEXT_RE.match(lines[i][1]):
                break
            if _starts_block(lines, i, html):
                break
            parts.append(_line_text(lines[i][1]))
            i += 1
        if i < n and SETEXT_RE.match(lines[i][1]) and not _blank(lines[i][1]):
            underline = lines[i][1].strip()
            if len(parts) == 1 and len(parts[0]) <= 100:
                out.append(MdBlock("heading", number, parts[0].strip(), level=1 if underline[0] == "=" else 2))
                list_indents = []
                i += 1
                continue
            i += 1  # an underline below a long paragraph is a page rule
        out.append(MdBlock("para", number, "\n".join(parts)))
    return out
