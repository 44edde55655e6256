"""Reader for web pages saved by a browser (``.html``, ``.htm``), with lxml.

Why lxml: its HTML parser (libxml2) is fast, BSD-licensed, tolerant of the tag soup real
sites serve, and only builds a tree — nothing is fetched, run or rendered.  A regex pass
(what :mod:`corpus.inline` does for HTML fragments inside Markdown) cannot tell a page's
navigation from its article; a tree can.  The reader keeps only text: every block it
returns is plain text, which the section builder escapes for display, so hostile markup
has nothing to execute with.

What is left out: scripts, styles, forms, navigation, site header and footer, cookie
banners, breadcrumbs, "deel deze pagina" and other page furniture (by element, ARIA role
and class/id words).  The content root is ``<main>``/``role=main``/the article when the
page has one.  Metadata comes from ``<meta>`` tags (``DC.*``/``DCTERMS.*`` as
officielebekendmakingen.nl and rijksoverheid.nl use them, ``OVERHEID*`` dossier numbers,
Open Graph titles).
"""
from __future__ import annotations

import re
from typing import Any

from ..docmeta import find_kind, find_ministry
from ..inline import FN_CLOSE, FN_OPEN
from ..limits import DEFAULT_LIMITS, ReadLimits
from ..model import Footnote, ReaderError
from ..sections import build_sections
from ..structured import Block, is_caption, to_drafts
from .base import ParsedDocument, Reader, register_reader

DROP_TAGS = {"script", "style", "noscript", "template", "iframe", "object", "embed", "svg", "math", "canvas",
             "form", "button", "input", "select", "textarea", "nav", "aside", "head", "audio", "video", "map",
             "dialog", "menu"}
DROP_ROLES = {"navigation", "banner", "contentinfo", "search", "complementary", "dialog", "alertdialog", "menu",
              "menubar", "toolbar"}
FURNITURE_WORDS = re.compile(
    r"(?:^|[\s_-])(cookies?|cookiebar|consent|gdpr|breadcrumbs?|kruimelpad|skip(?:link|links)?|share|sharing|social|"
    r"navbar|navigation|nav|menu|sidebar|site-?header|site-?footer|footer|banner|feedback|print|toolbar|"
    r"relateddocuments|related|paginering|pagination)(?:$|[\s_-])", re.IGNORECASE)
HEADINGS = {f"h{i}": i for i in range(1, 7)}
BLOCKS = {"p", "div", "section", "article", "main", "header", "footer", "ul", "ol", "li", "table", "blockquote",
          "pre", "figure", "figcaption", "dl", "dt", "dd", "address", "details", "summary", "center", "body",
          "caption", "hr", "br"} | set(HEADINGS)
_CHARSET_RE = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_-]+)""", re.IGNORECASE)


def _text(el: Any) -> str:
    return " ".join(el.text_content().split())


def _is_furniture(el: Any) -> bool:
    tag = el.tag if isinstance(el.tag, str) else ""
    if tag in DROP_TAGS or el.get("hidden") is not None or el.get("aria-hidden") == "true":
        return True
    if (el.get("role") or "").lower() in DROP_ROLES:
        return True
    words = f"{el.get('class') or ''} {el.get('id') or ''}"
    if FURNITURE_WORDS.search(words):
        return True
    if tag in ("header", "footer"):
        # A page's own header/footer (not one inside the article) is site furniture.
        return not any(a.tag in ("article", "main") for a in el.iterancestors() if isinstance(a.tag, str))
    return False


def _meta(root: Any) -> dict[str, str]:
    out: dict[str, str] = {}
    for m in root.iter("meta"):
        name = (m.get("name") or m.get("property") or "").strip()
        content = " ".join((m.get("content") or "").split())
        if name and content and len(content) <= 1000 and name.lower() not in {k.lower() for k in out}:
            out[name] = content
    return out


def _metadata(meta: dict[str, str], page_title: str) -> dict[str, Any]:
    """Document fields from DC/DCTERMS/OVERHEID meta tags; the rest kept under "meta"."""
    low = {k.lower(): v for k, v in meta.items()}

    def first(*names: str) -> str | None:
        return next((low[n] for n in names if low.get(n)), None)

    fields: dict[str, Any] = {}
    title = first("dc.title", "dcterms.title", "og:title")
    if title:
        fields["title"] = title
    date = first("dcterms.issued", "dc.date.issued", "dc.date", "dcterms.available", "dcterms.created",
                 "dcterms.modified")
    if date and re.match(r"^(19|20)\d{2}-\d{2}-\d{2}", date):
        fields["date"] = date[:10]
    kind = find_kind(first("dc.type", "dcterms.type") or "")
    if kind:
        fields["kind"] = kind
    ministry = find_ministry(" ".join(v for k, v in low.items()
                                      if k in ("overheid.authority", "dcterms.creator", "dc.creator", "dcterms.publisher")))
    if ministry:
        fields["ministry"] = ministry
    dossier = first("overheidop.dossiernummer", "overheidop.dossiernumber")
    number = first("overheidop.ondernummer")
    if dossier and number and re.fullmatch(r"\d{5}(?:[- ]?[A-Z]{1,3}|[- ][IVXLC]{1,6})?", dossier) and number.isdigit():
        fields["kamerstuk"] = f"{dossier[:2]} {dossier[2:5]}{dossier[5:].replace('-', ' ')}, nr. {number}"
    kept = {k: v for k, v in meta.items() if k.lower().startswith(("dc.", "dcterms.", "overheid"))}
    if kept:
        fields["meta"] = kept
    return fields


class _Footnotes:
    """``<sup><a href="#n1">1</a></sup>`` references and the elements they point to."""

    def __init__(self, root: Any) -> None:
        self.bodies: dict[str, str] = {}
        by_id = {el.get("id"): el for el in root.iter() if isinstance(el.tag, str) and el.get("id")}
        for a in list(root.iter("a")):
            href = a.get("href") or ""
            label = _text(a).strip("[]() ")
            if not href.startswith("#") or not re.fullmatch(r"\d{1,3}|[a-z]", label):
                continue
            sup = a if a.getparent() is None or a.getparent().tag != "sup" else a.getparent()
            words = f"{a.get('class') or ''} {a.get('role') or ''}".lower()
            if sup.tag != "sup" and not any(w in words for w in ("noot", "footnote", "fn", "doc-noteref")):
                continue
            target = by_id.get(href[1:])
            if target is None:
                continue
            holder = target if target.tag in ("li", "div", "p", "dd", "aside", "section") else target.getparent()
            if holder is None or holder.getparent() is None:
                continue
            body = _text(holder)
            body = re.sub(rf"^\[?{re.escape(label)}[\].)]?\s*", "", body).replace("↩", "").strip()
            self.bodies.setdefault(label, body)
            holder.getparent().remove(holder)
            tail = sup.tail
            sup.clear()
            sup.text = f"{FN_OPEN}{label}{FN_CLOSE}"
            sup.tail = tail
            sup.tag = "span"

    def notes_in(self, text: str) -> list[Footnote]:
        labels = re.findall(FN_OPEN + r"([^" + FN_CLOSE + r"]+)" + FN_CLOSE, text)
        return [Footnote(label, self.bodies[label]) for label in dict.fromkeys(labels) if self.bodies.get(label)]


class _Walker:
    def __init__(self, notes: _Footnotes) -> None:
        self.notes = notes
        self.blocks: list[Block] = []

    def add(self, kind: str, text: str, level: int = 0, marker: str = "") -> None:
        text = " ".join(text.split())
        if text:
            self.blocks.append(Block(kind, text, level, notes=self.notes.notes_in(text), marker=marker))

    def walk(self, el: Any, depth: int = 0) -> None:
        """Emit blocks for ``el``'s children in document order; loose text becomes paragraphs."""
        loose: list[str] = [el.text or ""]
        for child in el:
            if not isinstance(child.tag, str):
                loose.append(child.tail or "")
                continue
            tag = child.tag.lower()
            if tag in BLOCKS:
                self.add("paragraph", " ".join(loose))
                loose = []
                self.block(child, tag, depth)
                loose.append(child.tail or "")
            else:
                loose.append(_text_with_tail(child))
        self.add("paragraph", " ".join(loose))

    def block(self, el: Any, tag: str, depth: int) -> None:
        if tag in HEADINGS:
            self.add("heading", _text(el), HEADINGS[tag])
        elif tag in ("ul", "ol"):
            for n, li in enumerate((c for c in el if isinstance(c.tag, str) and c.tag.lower() == "li"), start=1):
                nested = [c for c in li if isinstance(c.tag, str) and c.tag.lower() in ("ul", "ol")]
                for sub in nested:
                    li.remove(sub)
                self.add("list_item", _text(li), depth, f"{n}." if tag == "ol" else "-")
                for sub in nested:
                    self.block(sub, sub.tag.lower(), depth + 1)
        elif tag == "table":
            caption = el.find("caption")
            if caption is not None:
                self.add("caption", _text(caption))
                caption.getparent().remove(caption)
            rows = []
            for tr in el.iter("tr"):
                cells = [_text(c) for c in tr if isinstance(c.tag, str) and c.tag.lower() in ("td", "th")]
                if any(cells):
                    rows.append(cells)
            if rows:
                notes = [n for r in rows for c in r for n in self.notes.notes_in(c)]
                self.blocks.append(Block("table", rows=rows, notes=notes))
        elif tag in ("figcaption", "caption"):
            self.add("caption", _text(el))
        elif tag == "blockquote":
            self.add("quote", _text(el))
        elif tag in ("p", "pre", "dt", "dd", "address", "summary") or not any(
                isinstance(c.tag, str) and c.tag.lower() in BLOCKS for c in el):
            text = _text(el)
            self.add("caption" if is_caption(text) and len(text) < 200 else "paragraph", text)
        else:
            self.walk(el, depth)


def _text_with_tail(el: Any) -> str:
    return el.text_content() + (el.tail or "")


def _content_root(root: Any) -> Any:
    for path in ("//main", "//*[@role='main']", "//article", "//*[@id='content']", "//*[@id='main-content']",
                 "//*[@id='main']", "//body"):
        found = [e for e in root.xpath(path) if len(_text(e)) > 0]
        if found:
            return max(found, key=lambda e: len(_text(e))) if path == "//article" else found[0]
    return root


class HtmlReader(Reader):
    format = "html"
    extensions = (".html", ".htm", ".xhtml")

    def declared_encoding(self, data: bytes) -> str | None:
        m = _CHARSET_RE.search(data[:4096])
        return m.group(1).decode("ascii") if m else None

    def read(self, text: str, *, doc_id: str, source_path: str,
             limits: ReadLimits = DEFAULT_LIMITS) -> ParsedDocument:
        import lxml.html
        from lxml import etree

        text = re.sub(r"^\s*<\?xml[^>]*\?>", "", text)
        try:
            parser = lxml.html.HTMLParser(no_network=True, remove_comments=True, remove_pis=True)
            root = lxml.html.document_fromstring(text, parser=parser)
        except (etree.ParserError, ValueError) as exc:
            raise ReaderError(source_path, f"geen leesbare HTML ({exc})") from exc
        meta = _meta(root)
        page_title = _text(root.find(".//title")) if root.find(".//title") is not None else ""
        for el in list(root.iter()):
            if isinstance(el.tag, str) and el.getparent() is not None and _is_furniture(el):
                el.getparent().remove(el) if el.tail is None else _drop_keep_tail(el)
        notes = _Footnotes(root)
        walker = _Walker(notes)
        walker.walk(_content_root(root))
        blocks = _normalise_levels(walker.blocks)
        drafts, title = to_drafts(blocks)
        fields = _metadata(meta, page_title)
        return ParsedDocument(title=title or fields.get("title") or page_title or None,
                              sections=build_sections(doc_id, drafts), metadata=fields, encoding=None)


def _drop_keep_tail(el: Any) -> None:
    """Remove an element but keep the text that follows it."""
    parent = el.getparent()
    prev = el.getprevious()
    if prev is not None:
        prev.tail = (prev.tail or "") + (el.tail or "")
    else:
        parent.text = (parent.text or "") + (el.tail or "")
    parent.remove(el)


def _normalise_levels(blocks: list[Block]) -> list[Block]:
    """The first ``<h1>`` is the document title; the other headings start at level 1."""
    headings = [b for b in blocks if b.kind == "heading"]
    if not headings:
        return blocks
    h1s = [b for b in headings if b.level == 1]
    if len(h1s) == 1 and h1s[0] is headings[0]:
        h1s[0].kind, h1s[0].level = "title", 0
    rest = [b for b in headings if b.kind == "heading"]
    if rest:
        shift = min(b.level for b in rest) - 1
        for b in rest:
            b.level -= shift
    return blocks


register_reader(HtmlReader)
