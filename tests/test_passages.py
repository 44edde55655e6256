"""One passage id = one span: the search index, related passages, allocations and the API cut
sections into the same windows (kb.passages) and name them alike — on the real built collection."""
from __future__ import annotations

from typing import Any

import pytest
from whoosh import index as windex

from kb.passages import passage_at, passage_of_block, resolve, section_passages, window_ranges
from settings import IndexOptions


def _section(blocks: list[str], sid: str = "doc:sec") -> dict[str, Any]:
    text, bl = "", []
    for b in blocks:
        if text:
            text += "\n\n"
        bl.append([len(text), len(text) + len(b), "paragraph", 0])
        text += b
    return {"id": sid, "title": "Titel", "text": text, "blocks": bl}


def test_windows_ids_and_lookups() -> None:
    sec = _section(["een twee drie"] * 5)
    opts = IndexOptions(granularity="window", max_words=6, max_blocks=3)
    spans = section_passages(sec, opts)
    assert [(p.block_start, p.block_end) for p in spans] == [(0, 1), (2, 3), (4, 4)]
    assert [p.id for p in spans] == ["doc:sec~p0", "doc:sec~p2", "doc:sec~p4"]
    assert passage_of_block(sec, 3, opts) == spans[1] and passage_at(sec, spans[1].char_start, opts) == spans[1]
    assert sec["text"][spans[1].char_start:spans[1].char_end] == "een twee drie\n\neen twee drie"
    # an older single-block id resolves to the window holding the block; a bare id to the only window
    assert resolve(sec, "doc:sec~p3", opts) == spans[1] and resolve(sec, "doc:sec~p9", opts) is None
    assert resolve(sec, "doc:sec", opts) is None  # several windows: the whole section, no window
    one = _section(["kort"])
    assert [p.id for p in section_passages(one)] == ["doc:sec"] and resolve(one, "doc:sec").block_end == 0
    assert window_ranges("", []) == []


@pytest.fixture(scope="module")
def index_spans(built_settings) -> dict[str, tuple[str, int, int, int, int]]:
    ix = windex.open_dir(str(built_settings.index_dir))
    with ix.searcher() as s:
        return {d["id"]: (d["section_id"], d["block_start"], d["block_end"], d["char_start"], d["char_end"])
                for d in s.documents() if d["block_end"] >= d["block_start"]}


def test_index_passages_are_the_knowledge_base_windows(built_store, index_spans) -> None:
    kb_spans = {p.id: (p.section_id, p.block_start, p.block_end, p.char_start, p.char_end)
                for sec in built_store.sections() for p in section_passages(sec)}
    assert index_spans == kb_spans


def test_related_passages_are_the_same_windows(built_store, index_spans) -> None:
    from kb.related import get_index

    idx = get_index(built_store)
    assert idx.passages
    for p in idx.passages:
        assert index_spans[p.id] == (p.section_id, p.block_start, p.block_end, p.start, p.end)


def test_allocation_passages_hold_their_sentence(built_store, index_spans) -> None:
    from kb.allocations import allocations_json

    items = allocations_json(built_store)["allocations"]
    assert items
    for a in items:
        sid, b0, b1, c0, c1 = index_spans[a["passage_id"]]
        assert sid == a["section_id"] and c0 <= a["start"] and a["end"] <= c1
