"""What the knowledge base stores once only (issue 13: its size at 8,929 regulations), and that every
reader still gets what was put in: a section's text and Markdown in one compressed body, its breadcrumb
and parent derived where they follow from the parent chain, mentions and statements keyed by the
section's integer key, a statement's text read back from its section; a file of an older format is
refused with a clear message and rebuilt by the build."""
from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest

from beleidsbank.pipeline import build
from corpus.model import Block, Document, Footnote, Section
from kb.extract_store import read_statements, replace_statements
from kb.store import FormatError, Mention, Store
from kb.store_rows import body_parts, body_text, pack_body
from kb.store_sections import section_brief
from settings import Settings

TEXT = "De minister zal de regeling in 2025 evalueren. Het aantal aanvragen is gestegen."
LONG = "Artikel één — de €-regeling geldt. " * 2000  # 70 kB: longer than DEFLATE's 32 kB window


def _section(sid: str, title: str, *, parent: Section | None = None, level: int = 1, order: int = 0,
             text: str = TEXT, markdown: str | None = None, path: list[str] | None = None) -> Section:
    return Section(id=f"doc:{sid}", document_id="doc", title=title, level=level,
                   parent_id=parent.id if parent else None,
                   path=path if path is not None else (parent.path if parent else []) + [title], order=order,
                   text=text, blocks=[Block(0, len(text), "paragraph", 0, 3)] if text else [],
                   markdown=text if markdown is None else markdown, source_line=order + 1)


def _document() -> Document:
    chapter = _section("h1", "Hoofdstuk 1", markdown=f"**{TEXT}**")
    article = _section("a1", "Artikel 1", parent=chapter, level=2, order=1, text=LONG, markdown=LONG + "\n\n*slot*")
    article.footnotes = [Footnote("1", "Zie de memorie van toelichting.")]
    odd = _section("a2", "Artikel 2", parent=chapter, level=2, order=2, text="", markdown="",
                   path=["Een ander pad", "Artikel 2"])  # a breadcrumb that does not follow from its parent
    deep = _section("l1", "Lid 1", parent=odd, level=3, order=3, markdown="")
    return Document(id="doc", source_path="doc.md", title="Doc", format="markdown", encoding="utf-8", sha256="x",
                    sections=[chapter, article, odd, deep])


def _statement(sid: str, section: str, start: int, end: int, **extra) -> dict:
    return {"id": sid, "section_id": section, "start": start, "end": end, "kind": "result", "negated": False,
            "conditional": False, "text": TEXT[start:end], "evidence": {"cues": ["result.generic"]}, **extra}


@pytest.fixture()
def store(tmp_path: Path):
    st = Store(tmp_path / "kb.sqlite")
    st.put_document(_document())
    st.commit()
    yield st
    st.close()


def test_body_codec_round_trips() -> None:
    for text, markdown in ((TEXT, TEXT), (TEXT, f"**{TEXT}**"), ("", ""), (TEXT, ""), ("", "# kop"),
                           (LONG, LONG), (LONG, LONG + "x")):
        body = pack_body(text, markdown)
        assert body_parts(body) == (text, markdown)
        assert body_text(body) == text
    # the Markdown of a text costs little beside it: one stream, not two
    words = ["regeling", "minister", "artikel", "lid", "besluit", "wet", "termijn", "aanvraag", "subsidie", "gemeente"]
    prose = " ".join(f"{words[(i * 7919) % 10]}{(i * 104729) % 997}" for i in range(600))
    alone = len(pack_body(prose, prose))
    assert alone > 1000 and len(pack_body(prose, f"**{prose}**")) < alone * 1.1


def test_sections_read_back_as_they_were_put(store: Store) -> None:
    doc = _document()
    by_one = [store.section(s.id) for s in doc.sections]
    assert store.sections("doc") == by_one == [s for s in store.sections() if s["document_id"] == "doc"]
    for sec, row in zip(doc.sections, by_one):
        assert (row["id"], row["title"], row["level"], row["ord"], row["source_line"]) == (
            sec.id, sec.title, sec.level, sec.order, sec.source_line)
        assert row["text"] == sec.text and row["markdown"] == sec.markdown
        assert row["parent_id"] == sec.parent_id and row["path"] == sec.path
        assert row["footnotes"] == [[f.label, f.text] for f in sec.footnotes]
        assert row["blocks"] == [[b.start, b.end, b.kind, b.level, b.page] for b in sec.blocks]
    assert list(by_one[0]) == ["id", "document_id", "ord", "level", "parent_id", "title", "path", "text", "blocks",
                               "footnotes", "markdown", "source_line"]
    loaded = store.load_document("doc")
    assert [(s.id, s.path, s.parent_id, s.text, s.markdown, s.blocks, s.footnotes) for s in loaded.sections] == [
        (s.id, s.path, s.parent_id, s.text, s.markdown, s.blocks, s.footnotes) for s in doc.sections]
    assert section_brief(store.conn, "doc:l1") == (TEXT, "Lid 1", ["Een ander pad", "Artikel 2", "Lid 1"], "Doc")


def test_breadcrumbs_and_parents_are_stored_only_where_they_do_not_follow(store: Store) -> None:
    rows = dict(store.conn.execute("SELECT id, path FROM sections"))
    assert rows == {"doc:h1": None, "doc:a1": None, "doc:a2": '["Een ander pad", "Artikel 2"]', "doc:l1": None}
    parents = dict(store.conn.execute("SELECT s.id, p.id FROM sections s LEFT JOIN sections p ON p.key = s.parent"))
    assert parents == {"doc:h1": None, "doc:a1": "doc:h1", "doc:a2": "doc:h1", "doc:l1": "doc:a2"}


def test_a_parent_outside_the_document_is_kept_by_its_id(tmp_path: Path) -> None:
    st = Store(tmp_path / "kb.sqlite")
    doc = _document()
    doc.sections[0].parent_id = "elders:h0"
    st.put_document(doc)
    assert st.section("doc:h1")["parent_id"] == "elders:h0" and st.section("doc:h1")["path"] == ["Hoofdstuk 1"]
    assert st.sections("doc")[1]["path"] == ["Hoofdstuk 1", "Artikel 1"]
    st.close()


def test_statements_keep_ids_cues_details_and_read_their_text(store: Store) -> None:
    end = TEXT.index(".") + 1
    second = TEXT.index("Het")
    commitment = {"actor": {"role": "afzender"}, "passage_id": "doc:h1~p0"}
    replace_statements(store, "doc", [
        _statement("doc:h1/s0", "doc:h1", 0, end, kind="commitment", commitment=commitment,
                   cue={"id": "commitment.zal", "start": 12, "end": 15, "text": "zal"}),
        _statement("doc:h1/s1", "doc:h1", second, len(TEXT)),
        _statement("doc:h1/zin-x", "doc:h1", 0, 2, evidence={"negation": {"text": "niet"}}, negated=True),
        _statement("doc:h1/s2", "doc:h1", 3, 5, kind="other")])  # "other" is not stored
    store.commit()
    columns = [r[1] for r in store.conn.execute("PRAGMA table_info(statement_rows)")]
    assert "text" not in columns and "document_id" not in columns
    rows = read_statements(store, document_id="doc")
    assert [(r["id"], r["text"], r["kind"]) for r in rows] == [
        ("doc:h1/s0", TEXT[:end], "commitment"), ("doc:h1/zin-x", TEXT[:2], "result"),
        ("doc:h1/s1", TEXT[second:], "result")]
    first = rows[0]
    assert list(first)[:10] == ["id", "section_id", "document_id", "start", "end", "kind", "cue", "negated",
                                "conditional", "text"]
    assert first["cue"] == {"id": "commitment.zal", "start": 12, "end": 15, "text": "zal", "cues": ["result.generic"]}
    assert first["commitment"] == commitment and first["cues"] == ["result.generic"]
    assert rows[1]["negation"] == {"text": "niet"} and rows[1]["cue"] == {"negation": {"text": "niet"}}
    assert (rows[1]["negated"], rows[2]["negated"], rows[2]["cue"], rows[2]["cues"]) == (1, 0, {"cues": ["result.generic"]},
                                                                                         ["result.generic"])
    assert [r["id"] for r in read_statements(store, section_id="doc:h1", kind="commitment")] == ["doc:h1/s0"]
    # the view gives raw-SQL readers the columns they always had
    assert tuple(store.conn.execute("SELECT id, section_id, document_id, kind FROM statements WHERE start = ?",
                                    (second,)).fetchone()) == ("doc:h1/s1", "doc:h1", "doc", "result")


def test_mentions_are_found_by_section_entity_and_document(store: Store) -> None:
    store.add_mentions([
        Mention("minister-bzk", "ORG", "doc:h1", "doc", 3, 11, "minister"),
        Mention("awb", "LAW", "doc:a1", "doc", 0, 7, "Artikel", refs={"bwb": "BWBR0005537"}, article="1"),
        Mention("minister-bzk", "ORG", "doc:l1", "doc", 3, 11, "minister", related=["awb"])])
    store.commit()
    assert [m["section_id"] for m in store.mentions(entity_id="minister-bzk")] == ["doc:h1", "doc:l1"]
    law = store.mentions(section_id="doc:a1")
    assert len(law) == 1 and law[0]["refs"] == {"bwb": "BWBR0005537"} and law[0]["article"] == "1"
    assert list(law[0]) == ["id", "entity_id", "label", "section_id", "document_id", "start", "end", "surface", "value",
                            "related", "refs", "article", "section_ord"]
    assert [(m["section_ord"], m["related"], m["refs"]) for m in store.mentions(document_id="doc")] == [
        (0, [], {}), (1, [], {"bwb": "BWBR0005537"}), (3, ["awb"], {})]
    assert tuple(store.conn.execute("SELECT section_id, document_id, related, refs FROM mentions WHERE entity_id = 'awb'"
                                    ).fetchone()) == ("doc:a1", "doc", "[]", '{"bwb": "BWBR0005537"}')
    # entities are named by key: counts, co-occurrence and the collection's figures read through the keys
    assert "entity_id" not in [r[1] for r in store.conn.execute("PRAGMA table_info(mention_rows)")]
    store.add_mentions([Mention("date", "DATE", "doc:h1", "doc", 31, 35, "2025", value="2025")])
    store.replace_entities([{"id": "minister-bzk", "label": "ORG", "name": "minister van BZK"},
                            {"id": "awb", "label": "LAW", "name": "Algemene wet bestuursrecht"},
                            {"id": "nooit", "label": "ORG", "name": "Nooit genoemd"}])
    assert [(e["id"], e["mention_count"], e["section_count"]) for e in store.entities()] == [
        ("minister-bzk", 2, 2), ("awb", 1, 1), ("nooit", 0, 0)]
    assert (store.entity("awb")["mention_count"], store.entity("nooit")["section_count"]) == (1, 0)
    assert [e["id"] for e in store.entities("LAW")] == ["awb"]
    assert store.mentions(entity_id="nooit") == [] and store.mentions(entity_id="date")[0]["value"] == "2025"
    assert [(c["id"], c["shared"]) for c in store.cooccurring("minister-bzk")] == []
    store.add_mentions([Mention("awb", "LAW", "doc:h1", "doc", 0, 2, "De")])
    assert [(c["id"], c["shared"]) for c in store.cooccurring("minister-bzk")] == [("awb", 1)]
    counts = store.collection_counts()
    assert (counts["entities"], counts["mentions"], counts["values"], counts["catalogue"]) == (2, 4, 1, 3)
    assert store.mentioned_entities() == {"minister-bzk", "awb", "date"}
    with pytest.raises(KeyError, match="doc:nergens"):
        store.add_mentions([Mention("x", "ORG", "doc:nergens", "doc", 0, 1, "x")])
    # replacing the document removes its mentions and statements with its sections
    replace_statements(store, "doc", [_statement("doc:h1/s1", "doc:h1", 0, 4)])
    store.put_document(_document())
    assert store.mentions() == [] and read_statements(store) == []
    assert store.counts()["mentions"] == 0 and store.counts()["sections"] == 4


def test_first_seen_outlives_the_rows_of_a_replaced_document(tmp_path: Path) -> None:
    """``first_seen`` is keyed by a hash of the section id (no index beside it): a section kept through a
    replacement keeps its first build, a new one gets the current build."""
    st = Store(tmp_path / "kb.sqlite")
    st.put_document(_document())
    st.commit()
    st.close()
    st = Store(tmp_path / "kb.sqlite")  # the next build
    doc = _document()
    doc.sections.append(_section("a3", "Artikel 3", order=4))
    st.put_document(doc)
    seen = st.first_seen(["doc:h1", "doc:a3", "doc:nergens"])
    assert {k: v["build"] for k, v in seen.items()} == {"doc:h1": 1, "doc:a3": 2}
    assert st.latest_build()["build"] == 2
    assert [r[0] for r in st.conn.execute("SELECT name FROM sqlite_master WHERE tbl_name = 'first_seen'")] == ["first_seen"]
    st.close()


def _old_format_file(path: Path) -> None:
    """A knowledge base as format 1 left it (sections with text and markdown columns)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    conn = sqlite3.connect(path)
    conn.executescript("CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);"
                       "INSERT INTO meta VALUES ('schema_version', '1');"
                       "CREATE TABLE sections (id TEXT PRIMARY KEY, text TEXT, markdown TEXT);")
    conn.close()


def test_a_knowledge_base_of_an_older_format_is_refused_clearly(tmp_path: Path) -> None:
    old = tmp_path / "old.sqlite"
    _old_format_file(old)
    for readonly in (True, False):
        with pytest.raises(FormatError, match="formaat 1; deze versie gebruikt formaat 2.*beleidsbank build"):
            Store(old, readonly=readonly)
    sqlite3.connect(tmp_path / "other.sqlite").execute("CREATE TABLE t (x)").connection.close()
    with pytest.raises(FormatError, match="onbekend formaat"):
        Store(tmp_path / "other.sqlite")


def test_the_build_rebuilds_a_knowledge_base_of_an_older_format(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "nota.md").write_text("# Nota\n\n## Doelen\n\nDe minister zal de regeling evalueren.\n", encoding="utf-8")
    data = tmp_path / "data"
    _old_format_file(data / "gen-000001" / "beleidsbank.sqlite")
    (data / "gen-000001" / "index").mkdir()
    (data / "CURRENT").write_text("gen-000001\n", encoding="utf-8")
    said: list[str] = []
    settings = Settings(data_dir=data, corpus_dir=corpus)
    report = build(settings, progress=False, echo=said.append)
    assert report.read == ["nota"] and not report.errors
    assert any("formaat 1" in s and "opnieuw gebouwd" in s for s in said)
    with Store(settings.db_path, readonly=True) as st:
        assert st.sections("nota")[-1]["path"] == ["Nota", "Doelen"]
    assert not (data / "gen-000001").exists()
    shutil.rmtree(data)
