"""Inline markup: document HTML and Markdown to plain text and to *safe* Markdown.

Sections carry two renditions of the same passage: ``text`` (plain, for search and NLP) and
``markdown`` (for display).  Documents contain inline HTML (``<sup>``, ``<i>``, links) and
sometimes hostile HTML; the display layer renders Markdown with raw HTML escaped, but we
never hand it raw HTML in the first place: known tags become Markdown, layout tags are
dropped, dangerous elements are removed with their content and anything else is escaped.
"""
from __future__ import annotations

import html
import re

# Elements removed together with their content: they are code or UI, never document text.
_DANGEROUS = ("script", "style", "iframe", "object", "embed", "noscript", "template", "textarea",
              "select", "button", "svg", "math", "head", "title", "canvas", "audio", "video")
_DANGEROUS_RE = re.compile(
    r"<(%s)\b[^>]*>.*?(</\1\s*>|\Z)" % "|".join(_DANGEROUS), re.IGNORECASE | re.DOTALL)
_COMMENT_RE = re.compile(r"<!--.*?(-->|\Z)", re.DOTALL)
_TAG_RE = re.compile(r"<(/?)([A-Za-z][A-Za-z0-9]*)([^<>]*)>")
_A_RE = re.compile(r"<a\b([^<>]*)>(.*?)</a\s*>", re.IGNORECASE | re.DOTALL)
_SUP_RE = re.compile(r"<sup\b[^<>]*>\s*(.*?)\s*</sup\s*>", re.IGNORECASE | re.DOTALL)
_ATTR_RE = re.compile(r"""([A-Za-z_:][-A-Za-z0-9_:.]*)\s*=\s*("[^"]*"|'[^']*'|[^\s"'=<>`]+)""")
_BLOCK_TAGS = {"p", "div", "section", "article", "header", "footer", "nav", "aside", "main",
               "figure", "figcaption", "blockquote", "center", "ul", "ol", "li", "dl", "dt", "dd",
               "table", "thead", "tbody", "tfoot", "tr", "td", "th", "caption", "details",
               "summary", "h1", "h2", "h3", "h4", "h5", "h6", "hr", "pre", "form", "fieldset",
               "legend", "address", "body", "html"}
_LAYOUT_TAGS = {"span", "font", "small", "big", "mark", "abbr", "acronym", "cite", "q", "time",
                "label", "lang", "u", "ins", "dfn", "var", "bdi", "bdo", "wbr", "nobr", "data",
                "kbd", "samp", "tt", "meta", "link", "input", "source", "track", "picture", "area",
                "map", "col", "colgroup"}
_MD_FOR_TAG = {"b": "**", "strong": "**", "i": "*", "em": "*", "s": "~~", "strike": "~~",
               "del": "~~", "code": "`"}
#: Private-use characters wrap a footnote label found as ``<sup>N</sup>``.
FN_OPEN, FN_CLOSE = "\ue000", "\ue001"
_SUPERSCRIPT = str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹")

_CODE_SPAN_RE = re.compile(r"(`+)(.+?)\1", re.DOTALL)
_URL = r"\(\s*<?((?:[^()\s<>]|\([^()\s]*\)| (?=[^\s\"'(]))*)>?(?:\s+(?:\"[^\"]*\"|'[^']*'))?\s*\)"
_LABEL = r"\[((?:[^\[\]]|\[[^\[\]]*\])*)\]"
_IMAGE_RE = re.compile(r"!" + _LABEL + _URL)
_LINK_RE = re.compile(r"(?<!!)" + _LABEL + _URL)
_NESTED_LINK_RE = re.compile(r"\[\[([^\[\]]*)\]\([^()\s]*\)\]")
_REF_LINK_RE = re.compile(r"\[([^\[\]^]+)\]\[[^\[\]]*\]")
_AUTOLINK_RE = re.compile(r"<((?:https?://|mailto:)[^<>\s]+)>", re.IGNORECASE)
_FOOTREF_RE = re.compile(r"\[\^([^\]\s]+)\]")
_SHORTCODE_RE = re.compile(r":(?:material|fontawesome|octicons|simple|fa)-[a-z0-9-]+:")
_ATTR_LIST_RE = re.compile(r"\s*\{\s*[:.#]?[^{}\n]*\}(?=\s*$)|\s*\{:[^{}\n]*\}|\{\s*[.#][^{}\n]*\}")
_EMPHASIS = [
    re.compile(r"\*\*\*(?=\S)(.+?)(?<=\S)\*\*\*"),
    re.compile(r"\*\*(?=\S)(.+?)(?<=\S)\*\*"),
    re.compile(r"(?<![\w\\])__(?=\S)(.+?)(?<=\S)__(?!\w)"),
    re.compile(r"(?<![\w*\\])\*(?=[^\s*])(.+?)(?<=[^\s*\\])\*(?![\w*])"),
    re.compile(r"(?<![\w\\])_(?=[^\s_])(.+?)(?<=[^\s_\\])_(?!\w)"),
    re.compile(r"~~(?=\S)(.+?)(?<=\S)~~"),
]
_ESCAPED_RE = re.compile(r"\\([\\`*_{}\[\]()#+\-.!|<>~\"'])")
_ANY_TAG_RE = re.compile(r"</?[A-Za-z][^<>]*>")
_LT_RE = re.compile(r"<(?=[A-Za-z/!?])")
_UNSAFE_SCHEME = re.compile(r"^\s*(javascript|vbscript|data|file)\s*:", re.IGNORECASE)


def safe_url(url: str) -> bool:
    """Only web, mail, anchor and relative links survive; script/data URLs never do."""
    url = html.unescape(url).strip()
    return bool(url) and not _UNSAFE_SCHEME.match(re.sub(r"[\x00-\x20]", "", url))


def _attrs(raw: str) -> dict[str, str]:
    return {k.lower(): v.strip("\"'") for k, v in _ATTR_RE.findall(raw)}


def _convert_anchor(m: re.Match[str]) -> str:
    href = _attrs(m.group(1)).get("href", "")
    inner = m.group(2).strip()
    if not inner:
        return ""
    return f"[{inner}]({href})" if safe_url(href) and not any(c in href for c in " ()") else inner


def _convert_sup(m: re.Match[str]) -> str:
    inner = m.group(1)
    if re.fullmatch(r"\d{1,3}", inner):
        return f"{FN_OPEN}{inner}{FN_CLOSE}"
    return inner


def _convert_tag(m: re.Match[str]) -> str:
    closing, name, rest = m.group(1), m.group(2).lower(), m.group(3)
    if name in _MD_FOR_TAG:
        return _MD_FOR_TAG[name]
    if name == "br":
        return "  \n"
    if name == "img":
        return _attrs(rest).get("alt", "").strip()
    if name in _BLOCK_TAGS:
        return " "
    if name in _LAYOUT_TAGS or name in ("a", "sup", "sub"):
        return ""
    return html.escape(m.group(0), quote=False)


def strip_dangerous(src: str) -> str:
    """Remove comments and script-like elements (with their content)."""
    return _DANGEROUS_RE.sub("", _COMMENT_RE.sub("", src))


def html_to_markdown(src: str) -> str:
    """Convert inline HTML in a Markdown fragment to Markdown; escape unknown tags."""
    if "<" not in src:
        return src
    src = strip_dangerous(src)
    src = _A_RE.sub(_convert_anchor, src)
    src = _SUP_RE.sub(_convert_sup, src)
    return _TAG_RE.sub(_convert_tag, src)


def html_block_to_markdown(src: str) -> str:
    """Turn a block of HTML (divs, headings, lists, paragraphs) into Markdown source lines."""
    src = strip_dangerous(src)
    src = re.sub(r"<h([1-6])\b[^>]*>(.*?)</h\1\s*>",
                 lambda m: "\n\n" + "#" * int(m.group(1)) + " " + " ".join(m.group(2).split()) + "\n\n",
                 src, flags=re.IGNORECASE | re.DOTALL)
    src = re.sub(r"<li\b[^>]*>", "\n\n- ", src, flags=re.IGNORECASE)
    src = re.sub(r"</?(?:p|div|section|article|ul|ol|table|tr|blockquote|figure|figcaption|header|"
                 r"footer|nav|aside|main|details|summary|dl|dt|dd|center|form|li|pre|hr|body|html)\b[^>]*>",
                 "\n\n", src, flags=re.IGNORECASE)
    src = re.sub(r"<br\s*/?>", "\n\n", src, flags=re.IGNORECASE)
    src = re.sub(r"</?(?:td|th|thead|tbody|tfoot|caption)\b[^>]*>", " ", src, flags=re.IGNORECASE)
    lines = [line.strip() for line in src.split("\n")]
    return "\n".join(lines)


def _protect_code(src: str) -> tuple[str, list[str]]:
    spans: list[str] = []

    def keep(m: re.Match[str]) -> str:
        spans.append(m.group(0))
        return f"\ue010{len(spans) - 1}\ue011"

    return _CODE_SPAN_RE.sub(keep, src), spans


def _restore(src: str, spans: list[str], plain: bool) -> str:
    def put(m: re.Match[str]) -> str:
        span = spans[int(m.group(1))]
        return span.strip("`").strip() if plain else span

    return re.sub("\ue010(\\d+)\ue011", put, src)


def _markdown_link(m: re.Match[str]) -> str:
    text, url = m.group(1), m.group(2)
    return f"[{text}]({url.replace(' ', '%20')})" if safe_url(url) else text


def to_markdown(src: str, footnote_labels: set[str] | frozenset[str] = frozenset()) -> str:
    """Safe Markdown for one block: HTML converted, images as alt text, unsafe links unlinked.

    ``<sup>N</sup>`` becomes a footnote reference ``[^N]`` when the document has a footnote
    N, else a superscript digit ("m<sup>2</sup>" -> "m²").  Footnote references stay as
    ``[^label]`` here; :func:`render` finishes them.
    """
    src, spans = _protect_code(src)
    autolinks: list[str] = []

    def keep_autolink(m: re.Match[str]) -> str:
        autolinks.append(m.group(0))
        return f"\ue012{len(autolinks) - 1}\ue013"

    src = _AUTOLINK_RE.sub(keep_autolink, src)
    src = html_to_markdown(src)
    src = _SHORTCODE_RE.sub("", src)
    src = _ATTR_LIST_RE.sub("", src)
    src = _IMAGE_RE.sub(lambda m: m.group(1), src)
    src = _NESTED_LINK_RE.sub(r"[\1]", src)  # [[x](#)](url): a link inside a link label
    src = _LINK_RE.sub(_markdown_link, src)
    src = re.sub(FN_OPEN + r"(\d+)" + FN_CLOSE,
                 lambda m: f"[^{m.group(1)}]" if m.group(1) in footnote_labels
                 else m.group(1).translate(_SUPERSCRIPT), src)
    # Everything tag-like that is left is shown literally, never interpreted.
    src = _LT_RE.sub("&lt;", src)
    src = re.sub(r"(?<=\S) {2,}(?=\S)", " ", src)
    src = re.sub("\ue012(\\d+)\ue013", lambda m: autolinks[int(m.group(1))], src)
    return _restore(src, spans, plain=False)


def markdown_to_text(md: str) -> str:
    """Plain text of a (safe) Markdown fragment: markup removed, footnote refs as ``[label]``."""
    src, spans = _protect_code(md)
    src = _IMAGE_RE.sub(lambda m: m.group(1), src)
    src = _LINK_RE.sub(lambda m: m.group(1), src)
    src = _REF_LINK_RE.sub(lambda m: m.group(1), src)
    src = _AUTOLINK_RE.sub(lambda m: m.group(1), src)
    src = _FOOTREF_RE.sub(lambda m: f"[{m.group(1)}]", src)
    for pattern in _EMPHASIS:
        src = pattern.sub(lambda m: m.group(1), src)
    src = re.sub(r"(  |\\)\n", "\ue014", src)
    src = re.sub(r"\s*\n\s*", " ", src)
    src = _ESCAPED_RE.sub(lambda m: m.group(1), src)
    # Entities and stray tags are resolved outside code spans only: `<b>` in code is literal text.
    src = _ANY_TAG_RE.sub("", html.unescape(src))
    src = _restore(src, spans, plain=True)
    src = re.sub(r"[ \t]+", " ", src).replace("\ue014", "\n")
    return "\n".join(part.strip() for part in src.split("\n")).strip()


def finish_footnote_refs(md: str) -> str:
    """Footnote references in display Markdown: superscript digits, other labels in brackets."""
    def repl(m: re.Match[str]) -> str:
        label = m.group(1)
        return label.translate(_SUPERSCRIPT) if label.isdigit() else f"[{label}]"

    return _FOOTREF_RE.sub(repl, md)


def footnote_refs(md: str) -> list[str]:
    return _FOOTREF_RE.findall(md)


def render(src: str, footnote_labels: set[str] | frozenset[str] = frozenset()) -> tuple[str, str, list[str]]:
    """Render one block of Markdown source: ``(text, markdown, footnote labels cited)``.

    Plain prose (most blocks) takes :func:`_render_plain_prose`, which gives the same result.
    """
    fast = _render_plain_prose(src)
    if fast is not None:
        return fast[0], fast[1], []
    return _render_slow(src, footnote_labels)


def _render_slow(src: str, footnote_labels: set[str] | frozenset[str] = frozenset()) -> tuple[str, str, list[str]]:
    """The full rendering: every pass of :func:`to_markdown` and :func:`markdown_to_text`."""
    src = re.sub("\u00ad[ \t]*\n[ \t]*", "", src).replace("\u00ad", "")  # hyphenation hints
    md = to_markdown(src, footnote_labels)
    refs = footnote_refs(md)
    return markdown_to_text(md), finish_footnote_refs(md).strip(), refs


def plain_text(src: str) -> str:
    """Plain text of one block of Markdown source, no footnotes known (``markdown_to_text(to_markdown(src))``).

    Readers ask this of most blocks several times while deciding their structure, so plain
    prose takes the same shortcut as :func:`render`.
    """
    fast = _render_plain_prose(src)
    return fast[0] if fast is not None else markdown_to_text(to_markdown(src))


# Characters that some pass of render() reacts to; a block containing none of them is "plain
# prose", on which every pass but the whitespace ones is the identity.  Derived pass by pass:
#   ``\u00ad``          soft hyphens (render's first step)
#   `` ` ``             code spans (_CODE_SPAN_RE, _protect_code)
#   ``< >``             autolinks, inline HTML (html_to_markdown, strip_dangerous, _TAG_RE, _A_RE,
#                       _SUP_RE), _LT_RE, _ANY_TAG_RE (``>`` only for good measure)
#   ``[ ] !``           images, links, nested/reference links, footnote refs (_IMAGE_RE, _LINK_RE,
#                       _NESTED_LINK_RE, _REF_LINK_RE, _FOOTREF_RE, finish_footnote_refs, footnote_refs);
#                       ``!`` and ``]`` cannot match without ``[``, kept for good measure
#   ``{ }``             attribute lists (_ATTR_LIST_RE: every alternative has ``{``)
#   ``* _ ~``           emphasis and strike-through (_EMPHASIS)
#   ``\\``              escapes (_ESCAPED_RE) and backslash hard breaks
#   ``&``               entities (html.unescape returns its argument when there is no ``&``)
#   U+E000-U+F8FF       private use: FN_OPEN/FN_CLOSE and the placeholders \ue010-\ue014 the passes use
# ``:`` is the one other character a pass needs (_SHORTCODE_RE, ":material-...:"); it is far too
# common in regulations to exclude, so a block with a colon is plain prose only when that pattern
# finds nothing.  ``( ) " '`` occur only inside link patterns that need ``[``; ``#`` and ``|`` only in
# escape_markdown and the table splitter, which are not part of render().
_NOT_PLAIN_PROSE = "\u00ad`<>[]!{}*_~\\&"
_NOT_PLAIN_PROSE_RE = re.compile("[" + re.escape(_NOT_PLAIN_PROSE) + "\ue000-\uf8ff]")
_SPACE_RUN_RE = re.compile(r"(?<=\S) {2,}(?=\S)")  # to_markdown: runs of spaces inside a line
_HARD_BREAK_RE = re.compile(r"(  |\\)\n")
_NEWLINE_RE = re.compile(r"\s*\n\s*")
_BLANKS_RE = re.compile(r"[ \t]+")


def _is_plain_prose(src: str) -> bool:
    """No character any pass of render() reacts to, except whitespace (see _NOT_PLAIN_PROSE)."""
    return _NOT_PLAIN_PROSE_RE.search(src) is None and not (":" in src and _SHORTCODE_RE.search(src))


def _render_plain_prose(src: str) -> tuple[str, str] | None:
    """``(text, markdown)`` of plain prose, None for any other block.

    On plain prose the only passes of the slow path that change anything are the whitespace
    ones; they are applied here in the same order with the same patterns, each skipped when
    a substring test shows it cannot match.
    """
    if not _is_plain_prose(src):
        return None
    md = _SPACE_RUN_RE.sub(" ", src) if "  " in src else src  # to_markdown
    return _plain_prose_text(md), md.strip()


def _plain_prose_text(md: str) -> str:
    """markdown_to_text's whitespace passes, the only ones that change plain prose."""
    text = md
    if "\n" in text:
        if "  \n" in text:
            text = _HARD_BREAK_RE.sub("\ue014", text)
        text = _NEWLINE_RE.sub(" ", text)
    if "  " in text or "\t" in text:
        text = _BLANKS_RE.sub(" ", text)
    if "\ue014" not in text:
        return text.strip()  # one line: split("\n") has one part
    return "\n".join(part.strip() for part in text.replace("\ue014", "\n").split("\n")).strip()


_MD_SPECIAL = re.compile(r"([\\`*_\[\]>|~#])")


def escape_markdown(text: str) -> str:
    """Markdown that displays ``text`` literally (for readers of plain text)."""
    out = _MD_SPECIAL.sub(r"\\\1", text.replace("&", "&amp;")).replace("<", "&lt;")
    out = re.sub(r"^(\s*)([-+=])(\s)", r"\1\\\2\3", out, flags=re.MULTILINE)
    out = re.sub(r"^(\s*\d+)([.)])(\s)", r"\1\\\2\3", out, flags=re.MULTILINE)
    return out.replace("\n", "  \n")
