"""HTML reader on pages saved from three government sites: outline, metadata, furniture, hostile markup."""
from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path

import markdown as md_lib
import pytest

from corpus import Document, load_document
from tests.fixtures.saved_pages import PAGES, write_pages


@pytest.fixture(scope="module")
def pages(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[Document, object]]:
    folder = tmp_path_factory.mktemp("html")
    expected = write_pages(folder)
    return {name: (load_document(folder / name, folder), exp) for name, exp in expected.items()}


@pytest.mark.parametrize("name", sorted(PAGES))
def test_outline_metadata_and_text(pages, name: str) -> None:
    doc, exp = pages[name]
    assert [(s.level, s.title) for s in doc.sections if s.title != "Inleiding"] == exp.outline
    for key, value in exp.metadata.items():
        assert getattr(doc, key) == value, key
    blocks = [p for s in doc.sections for p in s.paragraphs]
    for paragraph in exp.paragraphs:
        assert paragraph in blocks
    everything = " ".join(s.title + " " + s.text + " " + s.markdown for s in doc.sections).lower()
    for furniture in exp.absent:
        assert furniture.lower() not in everything, furniture


class _Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: set[str] = set()
        self.attrs: set[str] = set()

    def handle_starttag(self, tag, attrs) -> None:  # type: ignore[no-untyped-def]
        self.tags.add(tag)
        self.attrs.update(k for k, _ in attrs)


def test_hostile_markup_becomes_plain_text(pages) -> None:
    doc, _ = pages["kst-36741-3.html"]
    for s in doc.sections:
        rendered = md_lib.markdown(s.markdown, extensions=["tables"])
        parser = _Tags()
        parser.feed(rendered)
        assert parser.tags <= {"p", "ul", "ol", "li", "em", "strong", "table", "thead", "tbody", "tr", "th", "td",
                               "sup", "blockquote"}, parser.tags
        assert not parser.attrs - {"align"}, parser.attrs


def test_footnote_table_and_windows_1252(pages) -> None:
    doc, _ = pages["kst-36741-3.html"]
    algemeen = next(s for s in doc.sections if s.title == "1. Algemeen")
    assert [(f.label, f.text) for f in algemeen.footnotes] == [("1", "Kamerstuk 36 600 XII, nr. 75.")]
    assert "voorjaarsbesluit.[1] De uitgaven" in algemeen.text
    onderhoud = next(s for s in doc.sections if s.title == "1.1 Onderhoud en vernieuwing")
    kinds = [b.kind for b in onderhoud.blocks]
    assert kinds == ["paragraph", "list_item", "list_item", "paragraph", "table"]  # caption, then its table
    assert "Hoofdwegennet | 80,0 | 45,5" in onderhoud.text
    brief, _ = pages["kamerbrief-woningbouw.html"]
    assert brief.encoding == "cp1252" and not brief.warnings  # decoded as the page declares, silently
    maatregelen = next(s for s in brief.sections if s.title == "Maatregelen")
    assert [b.level for b in maatregelen.blocks if b.kind == "list_item"] == [0, 1, 0]
