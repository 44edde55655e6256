"""What the knowledge base stores once only (issue 13: its size at 8,929 regulations): a statement's text is
read back from its section, block lists are compressed, ``first_seen`` keeps its key once; every reader
gets the same values as before, and rows written by an older build (text stored) still read."""
from __future__ import annotations

import sqlite3
from pathlib import Path

from corpus.model import Block, Document, Section
from kb.extract_store import read_statements, replace_statements
from kb.store import Store

TEXT = "De minister zal de regeling in 2025 evalueren. Het aantal aanvragen is gestegen."


def _document() -> Document:
    sec = Section(id="doc:s1", document_id="doc", title="Evaluatie", level=1, parent_id=None, path=["Evaluatie"],
                  order=0, text=TEXT, blocks=[Block(0, len(TEXT), "paragraph", 0, 3)], markdown=TEXT)
    return Document(id="doc", source_path="doc.md", title="Doc", format="markdown", encoding="utf-8", sha256="x",
                    sections=[sec])


def _statement(sid: str, start: int, end: int, text: str) -> dict:
    return {"id": sid, "section_id": "doc:s1", "start": start, "end": end, "kind": "result", "negated": False,
            "conditional": False, "text": text, "cues": ["result.generic"]}


def test_statement_text_is_read_from_its_section(tmp_path: Path) -> None:
    store = Store(tmp_path / "kb.sqlite")
    store.put_document(_document())
    end = TEXT.index(".") + 1
    second = TEXT.index("Het")
    replace_statements(store, "doc", [_statement("doc:s1/s0", 0, end, TEXT[:end]),
                                      _statement("doc:s1/s1", second, len(TEXT), TEXT[second:])])
    store.commit()
    assert [r[0] for r in store.conn.execute("SELECT text FROM statements ORDER BY id")] == ["", ""]
    rows = read_statements(store, document_id="doc")
    assert [r["text"] for r in rows] == [TEXT[:end], TEXT[second:]]
    # a row from an older build, text stored: read as it was stored
    store.conn.execute("UPDATE statements SET text = 'opgeslagen tekst' WHERE id = 'doc:s1/s1'")
    assert [r["text"] for r in read_statements(store, section_id="doc:s1")] == [TEXT[:end], "opgeslagen tekst"]
    store.close()


def test_blocks_are_stored_compressed_and_read_back(tmp_path: Path) -> None:
    store = Store(tmp_path / "kb.sqlite")
    store.put_document(_document())
    store.commit()
    raw = store.conn.execute("SELECT blocks FROM sections").fetchone()[0]
    assert isinstance(raw, bytes)
    assert store.sections("doc")[0]["blocks"] == [[0, len(TEXT), "paragraph", 0, 3]]
    assert store.load_document("doc").sections[0].blocks == [Block(0, len(TEXT), "paragraph", 0, 3)]
    # a section from an older build, blocks stored as JSON text
    store.conn.execute("UPDATE sections SET blocks = '[[0, 5, \"paragraph\", 0, null]]'")
    assert store.section("doc:s1")["blocks"] == [[0, 5, "paragraph", 0, None]]
    store.close()


def test_first_seen_keeps_its_key_once(tmp_path: Path) -> None:
    store = Store(tmp_path / "kb.sqlite")
    store.close()
    conn = sqlite3.connect(tmp_path / "kb.sqlite")
    sql = conn.execute("SELECT sql FROM sqlite_master WHERE name = 'first_seen'").fetchone()[0]
    indexes = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE tbl_name = 'first_seen' AND type = 'index'")]
    conn.close()
    assert "WITHOUT ROWID" in sql and indexes == []
