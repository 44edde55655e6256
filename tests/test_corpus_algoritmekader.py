"""All Algoritmekader pages (shared/corpus-extra) read without error into sensible sections."""
from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path

import markdown as md_lib
import pytest
import yaml

from corpus import Document, ReaderError, discover, iter_corpus, load_document

ROOT = Path(__file__).resolve().parent.parent.parent / "shared" / "corpus-extra" / "algoritmekader"
pytestmark = pytest.mark.skipif(not ROOT.is_dir(), reason="shared/corpus-extra/algoritmekader not present")
SAFE_TAGS = {"p", "strong", "em", "a", "ul", "ol", "li", "code", "pre", "blockquote", "br", "hr", "h1", "h2", "h3",
             "h4", "h5", "h6", "table", "thead", "tbody", "tr", "th", "td", "del"}


class Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.seen: set[str] = set()
        self.attrs: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.seen.add(tag)
        self.attrs.update(name for name, _ in attrs)


@pytest.fixture(scope="module")
def results() -> list[Document | ReaderError]:
    return list(iter_corpus(ROOT))


def front_matter_title(path: Path) -> str | None:
    text = path.read_text(encoding="utf-8")
    if not text.startswith("---\n"):
        return None
    data = yaml.safe_load(text.split("\n---", 1)[0][4:]) or {}
    return data.get("title")


def test_all_pages_load(results: list[Document | ReaderError]) -> None:
    assert len(discover(ROOT)) == 251
    errors = [str(r) for r in results if isinstance(r, ReaderError)]
    assert errors == []
    docs = [r for r in results if isinstance(r, Document)]
    assert len(docs) == 251 and len({d.id for d in docs}) == 251
    for doc in docs:
        assert any(s.text for s in doc.sections), doc.source_path
        assert doc.format == "markdown" and doc.encoding == "utf-8"
        ids = [s.id for s in doc.sections]
        assert len(ids) == len(set(ids)), doc.source_path


def test_front_matter_title_is_used(results: list[Document | ReaderError]) -> None:
    checked = 0
    for doc in results:
        assert isinstance(doc, Document)
        title = front_matter_title(ROOT / doc.source_path)
        if title:
            assert doc.title == title, doc.source_path
            checked += 1
    assert checked > 200


def test_no_live_html_and_no_markup_in_text(results: list[Document | ReaderError]) -> None:
    for doc in results:
        assert isinstance(doc, Document)
        for s in doc.sections:
            tags = Tags()
            tags.feed(md_lib.markdown(s.markdown, extensions=["tables"]))
            assert tags.seen <= SAFE_TAGS, (doc.source_path, s.title, tags.seen - SAFE_TAGS)
            assert tags.attrs <= {"href", "title", "align", "start", "style"}, (doc.source_path, tags.attrs)
            for junk in ("<div", "<a ", "<li", "<!--", "!!! ", "??? ", "///", "{ data-search-exclude }", "**", "]("):
                assert junk not in s.text, (doc.source_path, s.title, junk)
                assert junk not in s.title


def test_admonitions_tables_and_footnotes() -> None:
    faq = load_document(ROOT / "over-het-algoritmekader" / "veelgestelde-vragen.md", ROOT)
    algemeen = next(s for s in faq.sections if s.title == "A - Algemene informatie")
    assert algemeen.paragraphs[0] == "Wat is het Algoritmekader?"
    assert algemeen.markdown.startswith("**Wat is het Algoritmekader?**")
    assert algemeen.paragraphs[1].startswith("Het Algoritmekader is een hulpmiddel met standaarden")
    assert all(b.kind != "code" for b in algemeen.blocks)

    bias = load_document(ROOT / "voldoen-aan-wetten-en-regels" / "maatregelen" / "5-ver-03-biasanalyse.md", ROOT)
    assert bias.title == "Toets het algoritme op bias en voer een rechtvaardigingstoets uit"
    assert bias.metadata["id"] == "urn:nl:ak:mtr:ver-03" and "grw-02-non-discriminatie" in bias.metadata["vereiste"]
    toelichting = next(s for s in bias.sections if s.title == "Toelichting")
    assert "Opmerking" in toelichting.paragraphs
    note = toelichting.paragraphs.index("Opmerking")
    assert toelichting.paragraphs[note + 1].startswith("Deze maatregel is in ieder geval van toepassing op natuurlijke")
    direct = next(s for s in bias.sections if s.title == "Toetsen op direct onderscheid")
    assert [f.label for f in direct.footnotes] == ["1", "2"]
    assert direct.footnotes[0].text.startswith("Er is een wetsvoorstel om de term")
    assert "gerichtheid[1] of burgelijke staat" in direct.text and "Er is een wetsvoorstel" not in direct.text
    indirect = next(s for s in bias.sections if s.title == "Toetsen op indirect onderscheid")
    assert {b.level for b in indirect.blocks if b.kind == "list_item"} >= {0, 1, 2}

    standaarden = load_document(ROOT / "voldoen-aan-wetten-en-regels" / "hulpmiddelen" / "standaarden.md", ROOT)
    tables = [(s, b) for s in standaarden.sections for b in s.blocks if b.kind == "table"]
    assert tables
    section, block = tables[0]
    rows = section.text[block.start:block.end].split("\n")
    assert rows[0] == "Norm | Titel | Status" and rows[1].startswith("ISO/IEC 42001 | Information technology")
    assert "<table>" in md_lib.markdown(section.markdown, extensions=["tables"])

    index = load_document(ROOT / "index.md", ROOT)
    assert [s.title for s in index.sections][:3] == ["Het Algoritmekader", "Over het algoritmekader",
                                                     "Lees alles over de Europese AI-verordening"]
    assert "javascript" not in "".join(s.markdown for s in index.sections)
